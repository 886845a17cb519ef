"""The Party member register (党员名册): one row per spell of membership of a person of
`people` (leaving sets `left_on`; coming back is a new row), the units' Party branches, and
who attended which 主题党日 or 三会一课 session. Dates are YYYY-MM-DD text, so they compare
as strings; a member on day D is one with `since <= D` and no `left_on` or `left_on > D`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from beiwen.repository import Row, insert, one, phone_search, rows, update, where_clause

_MEMBER = (
    "SELECT m.*, p.name, p.phone, p.id_number, p.removed_at AS person_removed_at, "
    "u.name AS unit FROM party_members m JOIN people p ON p.id = m.person_id "
    "LEFT JOIN units u ON u.id = m.unit_id"
)

# --- branches ------------------------------------------------------------------------------


def grid_branches(conn: sqlite3.Connection) -> list[Row]:
    """(branch, grid) of every grid that has a Party branch, by grid number."""
    return rows(
        conn,
        "SELECT branch, number AS grid FROM grids WHERE coalesce(branch, '') <> '' ORDER BY number",
    )


def unit_branches(conn: sqlite3.Connection) -> list[Row]:
    return rows(
        conn,
        "SELECT b.id, b.name, b.unit_id, u.name AS unit, b.created_at FROM party_branches b "
        "LEFT JOIN units u ON u.id = b.unit_id ORDER BY b.id",
    )


def insert_branch(conn: sqlite3.Connection, branch: Row) -> int:
    return insert(conn, "party_branches", branch)


def member_counts_by_branch(conn: sqlite3.Connection) -> dict[str, int]:
    found = conn.execute(
        "SELECT branch, count(*) FROM party_members WHERE left_on IS NULL GROUP BY branch"
    )
    return {str(branch): int(count) for branch, count in found.fetchall()}


# --- members -------------------------------------------------------------------------------


def insert_member(conn: sqlite3.Connection, member: Row) -> int:
    return insert(conn, "party_members", member)


def update_member(conn: sqlite3.Connection, member_id: int, changes: Row) -> None:
    update(conn, "party_members", member_id, changes)


def get_member(conn: sqlite3.Connection, member_id: int) -> Row | None:
    return one(conn, f"{_MEMBER} WHERE m.id = ?", (member_id,))


def current_member_of(conn: sqlite3.Connection, person_id: int) -> Row | None:
    return one(conn, f"{_MEMBER} WHERE m.person_id = ? AND m.left_on IS NULL", (person_id,))


def history_of(conn: sqlite3.Connection, person_id: int) -> list[Row]:
    """Every spell of membership of a person, the latest first."""
    return rows(
        conn, f"{_MEMBER} WHERE m.person_id = ? ORDER BY m.since DESC, m.id DESC", (person_id,)
    )


def member_on(conn: sqlite3.Connection, person_id: int, day: str) -> Row | None:
    """The person's register row on `day`, if they were a member here that day."""
    return one(
        conn,
        f"{_MEMBER} WHERE m.person_id = ? AND m.since <= ? "
        "AND (m.left_on IS NULL OR m.left_on > ?)",
        (person_id, day, day),
    )


def list_members(
    conn: sqlite3.Connection,
    *,
    branch: str | None = None,
    mobile: bool = False,
    in_service: bool = False,
    search: str | None = None,
    include_left: bool = False,
) -> list[Row]:
    where: list[str] = []
    params: dict[str, Any] = {}
    if not include_left:
        where.append("m.left_on IS NULL")
    if branch is not None:
        where.append("m.branch = :branch")
        params["branch"] = branch
    if mobile:
        where.append("m.mobile = 1")
    if in_service:
        where.append("m.in_service = 1")
    if search:
        where.append(
            "(instr(p.name, :search) OR instr(coalesce(u.name, ''), :search) "
            f"OR instr(coalesce(m.home_org, ''), :search) OR {phone_search('p.phone')})"
        )
        params["search"] = search
    return rows(conn, f"{_MEMBER} {where_clause(where)} ORDER BY m.id", params)


def members_as_of(conn: sqlite3.Connection, end: str) -> list[Row]:
    """The rows of the members at the start of day `end` (the end of a period, exclusive)."""
    return rows(
        conn,
        f"{_MEMBER} WHERE m.since < ? AND (m.left_on IS NULL OR m.left_on >= ?) ORDER BY m.id",
        (end, end),
    )


def members_between(conn: sqlite3.Connection, column: str, start: str, end: str) -> list[Row]:
    """The rows whose `since` or `left_on` (`column`) falls in [start, end)."""
    assert column in ("since", "left_on")
    return rows(
        conn, f"{_MEMBER} WHERE m.{column} >= ? AND m.{column} < ? ORDER BY m.id", (start, end)
    )


# --- the person behind a member ------------------------------------------------------------


def set_mobile_flag(conn: sqlite3.Connection, person_id: int, mobile: int) -> None:
    """`people.mobile_party_member`, derived from the register (m011)."""
    conn.execute("UPDATE people SET mobile_party_member = ? WHERE id = ?", (mobile, person_id))


def end_party_roles(conn: sqlite3.Connection, person_id: int, until: str) -> None:
    """The person stops serving the grids as a Party member (they left the register)."""
    conn.execute(
        "UPDATE person_roles SET until = ? "
        "WHERE person_id = ? AND role = 'party_member' AND until IS NULL",
        (until, person_id),
    )


# --- sessions and attendance ---------------------------------------------------------------


def party_day_titled(conn: sqlite3.Connection, title: str) -> Row | None:
    """The latest activity of kind party_day with this exact title, not removed."""
    return one(
        conn,
        "SELECT * FROM activities WHERE title = ? AND kind = 'party_day' AND removed_at IS NULL "
        "ORDER BY date DESC, id DESC LIMIT 1",
        (title,),
    )


def session_of(conn: sqlite3.Connection, activity_id: int) -> Row | None:
    return one(conn, "SELECT * FROM party_meetings WHERE activity_id = ?", (activity_id,))


def set_session(conn: sqlite3.Connection, activity_id: int, session: str) -> None:
    conn.execute(
        "INSERT INTO party_meetings (activity_id, session) VALUES (?, ?) "
        "ON CONFLICT (activity_id) DO UPDATE SET session = excluded.session",
        (activity_id, session),
    )


def attended(conn: sqlite3.Connection, activity_id: int, person_id: int) -> bool:
    found = conn.execute(
        "SELECT 1 FROM party_attendance WHERE activity_id = ? AND person_id = ?",
        (activity_id, person_id),
    ).fetchone()
    return found is not None


def add_attendance(conn: sqlite3.Connection, attendance: Row) -> int:
    return insert(conn, "party_attendance", attendance)


def attendance_of(conn: sqlite3.Connection, person_id: int) -> list[Row]:
    """The sessions a person attended, the latest first."""
    return rows(
        conn,
        "SELECT a.id AS activity_id, a.date, a.title, coalesce(s.session, 'theme_day') AS session "
        "FROM party_attendance x JOIN activities a ON a.id = x.activity_id "
        "LEFT JOIN party_meetings s ON s.activity_id = a.id "
        "WHERE x.person_id = ? AND a.removed_at IS NULL ORDER BY a.date DESC, a.id DESC",
        (person_id,),
    )


def attendance_count(conn: sqlite3.Connection, activity_id: int) -> int:
    found = conn.execute(
        "SELECT count(*) FROM party_attendance WHERE activity_id = ?", (activity_id,)
    ).fetchone()
    return int(found[0])
