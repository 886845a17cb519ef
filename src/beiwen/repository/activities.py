"""Activities (活动) and services: visits, briefings, trainings, forums, salons, festivals."""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, conditions, insert, one, rows, update, where_clause

# Partners in the order they were given (rowid order of activity_partners).
_SELECT = """
SELECT a.*, u.name AS lead_unit,
       (SELECT group_concat(name, '、') FROM (
            SELECT pu.name FROM activity_partners p JOIN units pu ON pu.id = p.unit_id
            WHERE p.activity_id = a.id ORDER BY p.rowid)) AS partners
FROM activities a LEFT JOIN units u ON u.id = a.lead_unit_id
"""


def insert_activity(conn: sqlite3.Connection, activity: Row) -> int:
    return insert(conn, "activities", activity)


def update_activity(conn: sqlite3.Connection, activity_id: int, changes: Row) -> None:
    update(conn, "activities", activity_id, changes)


def set_partners(conn: sqlite3.Connection, activity_id: int, unit_ids: list[int]) -> None:
    conn.execute("DELETE FROM activity_partners WHERE activity_id = ?", (activity_id,))
    conn.executemany(
        "INSERT INTO activity_partners (activity_id, unit_id) VALUES (?, ?)",
        [(activity_id, unit_id) for unit_id in unit_ids],
    )


def partner_ids(conn: sqlite3.Connection, activity_id: int) -> list[int]:
    return [
        int(row["unit_id"])
        for row in rows(
            conn,
            "SELECT unit_id FROM activity_partners WHERE activity_id = ? ORDER BY rowid",
            (activity_id,),
        )
    ]


def get_activity(conn: sqlite3.Connection, activity_id: int) -> Row | None:
    return one(conn, f"{_SELECT} WHERE a.id = ?", (activity_id,))


def activity_by_title_date(conn: sqlite3.Connection, title: str, day: str) -> Row | None:
    return one(
        conn,
        f"{_SELECT} WHERE a.title = ? AND a.date = ? AND a.removed_at IS NULL ORDER BY a.id",
        (title, day),
    )


def list_activities(
    conn: sqlite3.Connection,
    *,
    start: str | None = None,
    end: str | None = None,
    kind: str | None = None,
    include_removed: bool = False,
) -> list[Row]:
    """Activities in date order; `start`/`end` are dates, the range is [start, end)."""
    params = {"start": start, "end": end, "kind": kind}
    tests = {"start": "a.date >= :start", "end": "a.date < :end", "kind": "a.kind = :kind"}
    where = conditions(tests, params)
    if not include_removed:
        where.append("a.removed_at IS NULL")
    clause = where_clause(where)
    return rows(conn, f"{_SELECT} {clause} ORDER BY a.date, a.id", params)


def totals_by_kind(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """Per kind: number of activities and the sums of their counts in [start, end)."""
    return rows(
        conn,
        """
        SELECT kind, count(*) AS activities,
               sum(enterprises_served) AS enterprises_served,
               sum(enterprises_helped) AS enterprises_helped,
               sum(participants) AS participants
        FROM activities
        WHERE removed_at IS NULL AND date >= ? AND date < ?
        GROUP BY kind
        """,
        (start, end),
    )
