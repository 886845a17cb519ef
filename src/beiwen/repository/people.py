"""People of the grids' "N" forces (网格"N"力量): their roles per grid, skills, assignments.

A role row is "serving" while its `until` is NULL; a removed person keeps their rows so that
past months still count them. The work-order reads here are read-only: assignments are
`assign` events, written by the work-order state machine (services/issues.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from beiwen.repository import Row, insert, one, phone_search, rows, update, where_clause
from beiwen.repository.issues import ACTIVE_STATUSES
from beiwen.repository.search import match_query, search_clause


def insert_person(conn: sqlite3.Connection, person: Row) -> int:
    return insert(conn, "people", person)


def update_person(conn: sqlite3.Connection, person_id: int, changes: Row) -> None:
    update(conn, "people", person_id, changes)


def get_person(conn: sqlite3.Connection, person_id: int) -> Row | None:
    return one(
        conn,
        "SELECT p.*, u.name AS unit FROM people p LEFT JOIN units u ON u.id = p.unit_id "
        "WHERE p.id = ?",
        (person_id,),
    )


def active_people_named(conn: sqlite3.Connection, name: str) -> list[Row]:
    return rows(
        conn,
        "SELECT * FROM people WHERE name = ? AND removed_at IS NULL ORDER BY id",
        (name,),
    )


def active_people_with_phone(conn: sqlite3.Connection, phone: str) -> list[Row]:
    return rows(
        conn,
        "SELECT * FROM people WHERE phone = ? AND removed_at IS NULL ORDER BY id",
        (phone,),
    )


def active_person_by_id_number(conn: sqlite3.Connection, id_number: str) -> Row | None:
    return one(
        conn,
        "SELECT * FROM people WHERE id_number = ? AND removed_at IS NULL",
        (id_number,),
    )


def active_person_by_name_phone(
    conn: sqlite3.Connection, name: str, phone: str | None
) -> Row | None:
    """The active person with this name and phone; NULL phones match each other."""
    return one(
        conn,
        "SELECT * FROM people WHERE name = ? AND phone IS ? AND removed_at IS NULL "
        "ORDER BY id LIMIT 1",
        (name, phone),
    )


def _of_people(person_ids: Iterable[int] | None) -> tuple[list[str], tuple[int, ...]]:
    """The test `person_id IN (…)` with its parameters; none for everyone."""
    if person_ids is None:
        return [], ()
    ids = tuple(person_ids)
    return [f"person_id IN ({', '.join('?' * len(ids))})"], ids


def serving_roles(conn: sqlite3.Connection, person_ids: Iterable[int] | None = None) -> list[Row]:
    """(person_id, role, grid, since) of every role being served, for some or all people."""
    where, params = _of_people(person_ids)
    clause = where_clause(["until IS NULL", *where])
    return rows(
        conn,
        f"SELECT person_id, role, grid, since FROM person_roles {clause} "
        "ORDER BY person_id, role, coalesce(grid, 0)",
        params,
    )


def add_role(
    conn: sqlite3.Connection, person_id: int, role: str, grid: int | None, since: str
) -> None:
    conn.execute(
        "INSERT INTO person_roles (person_id, role, grid, since) VALUES (?, ?, ?, ?)",
        (person_id, role, grid, since),
    )


def end_role(
    conn: sqlite3.Connection, person_id: int, role: str, grid: int | None, until: str
) -> None:
    conn.execute(
        "UPDATE person_roles SET until = ? "
        "WHERE person_id = ? AND role = ? AND grid IS ? AND until IS NULL",
        (until, person_id, role, grid),
    )


def skills_of(conn: sqlite3.Connection, person_ids: Iterable[int] | None = None) -> list[Row]:
    where, params = _of_people(person_ids)
    clause = where_clause(where)
    return rows(
        conn,
        f"SELECT person_id, skill FROM person_skills {clause} ORDER BY person_id, rowid",
        params,
    )


def add_skill(conn: sqlite3.Connection, person_id: int, skill: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO person_skills (person_id, skill) VALUES (?, ?)", (person_id, skill)
    )


def remove_skill(conn: sqlite3.Connection, person_id: int, skill: str) -> None:
    conn.execute("DELETE FROM person_skills WHERE person_id = ? AND skill = ?", (person_id, skill))


def list_people(
    conn: sqlite3.Connection,
    *,
    grid: int | None = None,
    role: str | None = None,
    skill: str | None = None,
    mobile_party_member: bool = False,
    include_removed: bool = False,
    search: str | None = None,
) -> list[Row]:
    """People with their unit name; filters on a served grid/role, a skill (containment) and
    a search in the name, the unit's name or the phone (its digits)."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if not include_removed:
        where.append("p.removed_at IS NULL")
    if grid is not None or role is not None:
        role_where = ["r.person_id = p.id", "r.until IS NULL"]
        if grid is not None:
            role_where.append("r.grid = :grid")
            params["grid"] = grid
        if role is not None:
            role_where.append("r.role = :role")
            params["role"] = role
        where.append(f"EXISTS (SELECT 1 FROM person_roles r WHERE {' AND '.join(role_where)})")
    if skill:
        where.append(
            "EXISTS (SELECT 1 FROM person_skills s WHERE s.person_id = p.id "
            "AND instr(lower(s.skill), lower(:skill)))"
        )
        params["skill"] = skill
    if mobile_party_member:
        where.append("p.mobile_party_member = 1")
    if search:
        # the name, note and skills through the search index; the unit's name and the phone
        where.append(
            f"({search_clause('person', 'p.id')} OR instr(coalesce(u.name, ''), :search) "
            f"OR {phone_search('p.phone')})"
        )
        params["search"] = search
        params["search_match"] = match_query(search)
    clause = where_clause(where)
    return rows(
        conn,
        f"SELECT p.*, u.name AS unit FROM people p LEFT JOIN units u ON u.id = p.unit_id "
        f"{clause} ORDER BY p.id",
        params,
    )


def people_with_skill(conn: sqlite3.Connection, skills: list[str]) -> list[Row]:
    """Active people having a skill that contains one of `skills`, with how many match."""
    matches = " + ".join(
        f"EXISTS (SELECT 1 FROM person_skills s WHERE s.person_id = p.id "
        f"AND instr(lower(s.skill), lower(:skill{index})))"
        for index in range(len(skills))
    )
    params = {f"skill{index}": skill for index, skill in enumerate(skills)}
    return rows(
        conn,
        f"SELECT * FROM (SELECT p.*, ({matches}) AS matched FROM people p "
        f"WHERE p.removed_at IS NULL) WHERE matched > 0 ORDER BY id",
        params,
    )


def open_assignment_counts(conn: sqlite3.Connection) -> dict[int, int]:
    """Person id -> work orders they were assigned to that are not yet handled or cancelled."""
    found = conn.execute(
        f"""
        SELECT e.person_id, count(DISTINCT e.issue_id)
        FROM issue_events e JOIN issues i ON i.id = e.issue_id
        WHERE e.action = 'assign' AND e.person_id IS NOT NULL
          AND i.status IN {ACTIVE_STATUSES!r}
        GROUP BY e.person_id
        """
    )
    return {int(person_id): int(count) for person_id, count in found.fetchall()}


def assignments_of(conn: sqlite3.Connection, person_id: int) -> list[Row]:
    """The work orders a person was assigned to, newest first."""
    return rows(
        conn,
        """
        SELECT e.issue_id, e.at, e.note, i.title, i.category, i.grid, i.status
        FROM issue_events e JOIN issues i ON i.id = e.issue_id
        WHERE e.action = 'assign' AND e.person_id = ?
        ORDER BY e.at DESC, e.id DESC
        """,
        (person_id,),
    )
