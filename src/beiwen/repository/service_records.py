"""Service records (志愿服务记录): the hours a person served on a day, and what they served.

Removed records (`removed_at`) are kept and left out of every read here but `get_record`.
Hours are summed rounded to two decimals: they are stored with two at most.
"""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, insert, one, rows, scalar, update, where_clause

# A record with its person's name and what it was logged against, for lists and totals.
_RECORD_VIEW = """
    SELECT s.id, s.person_id, p.name AS person, s.date, s.hours, s.activity_id,
        a.title AS activity, s.class_id, c.name AS course, s.issue_id, i.title AS issue,
        s.note, s.removed_at, s.created_at
    FROM service_records s
    JOIN people p ON p.id = s.person_id
    LEFT JOIN activities a ON a.id = s.activity_id
    LEFT JOIN course_classes k ON k.id = s.class_id
    LEFT JOIN courses c ON c.id = k.course_id
    LEFT JOIN issues i ON i.id = s.issue_id
"""


def insert_record(conn: sqlite3.Connection, record: Row) -> int:
    return insert(conn, "service_records", record)


def update_record(conn: sqlite3.Connection, record_id: int, changes: Row) -> None:
    update(conn, "service_records", record_id, changes)


def get_record(conn: sqlite3.Connection, record_id: int) -> Row | None:
    return one(conn, f"SELECT * FROM ({_RECORD_VIEW}) WHERE id = ?", (record_id,))


def hours_on(conn: sqlite3.Connection, person_id: int, day: str) -> float:
    """The hours already logged for `person_id` on `day` (YYYY-MM-DD)."""
    total = scalar(
        conn,
        "SELECT round(coalesce(sum(hours), 0), 2) FROM service_records "
        "WHERE person_id = ? AND date = ? AND removed_at IS NULL",
        (person_id, day),
    )
    return float(total or 0)


def logged_at(conn: sqlite3.Connection, person_id: int, day: str, column: str, ref: int) -> bool:
    """Whether `person_id` already has a record on `day` for this activity or class."""
    assert column in ("activity_id", "class_id")
    found = scalar(
        conn,
        f"SELECT 1 FROM service_records WHERE person_id = ? AND date = ? AND {column} = ? "
        "AND removed_at IS NULL",
        (person_id, day, ref),
    )
    return found is not None


def list_records(
    conn: sqlite3.Connection,
    *,
    person_id: int | None = None,
    person_ids: list[int] | None = None,
    start: str | None = None,
    end: str | None = None,
) -> list[Row]:
    """Records in date order; `start`/`end` are dates, the range is [start, end)."""
    tests = ["removed_at IS NULL"]
    params: list[object] = []
    if person_id is not None:
        tests.append("person_id = ?")
        params.append(person_id)
    if person_ids is not None:
        tests.append(f"person_id IN ({', '.join('?' * len(person_ids))})")
        params.extend(person_ids)
    if start is not None:
        tests.append("date >= ?")
        params.append(start)
    if end is not None:
        tests.append("date < ?")
        params.append(end)
    return rows(
        conn,
        f"SELECT * FROM ({_RECORD_VIEW}) {where_clause(tests)} ORDER BY date, id",
        tuple(params),
    )


def totals_by_person(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """Per person with service in [start, end): name, records, days and hours, most first."""
    return rows(
        conn,
        "SELECT s.person_id, p.name AS person, count(*) AS records, "
        "count(DISTINCT s.date) AS days, round(sum(s.hours), 2) AS hours "
        "FROM service_records s JOIN people p ON p.id = s.person_id "
        "WHERE s.removed_at IS NULL AND s.date >= ? AND s.date < ? "
        "GROUP BY s.person_id ORDER BY hours DESC, p.name, s.person_id",
        (start, end),
    )


def hours_by_grid(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """Hours in [start, end) by the grid the person served on the record's day (the lowest
    grid number of a role held that day; NULL for someone with no grid role)."""
    return rows(
        conn,
        "SELECT grid, round(sum(hours), 2) AS hours FROM ("
        "  SELECT s.hours, ("
        "    SELECT min(r.grid) FROM person_roles r WHERE r.person_id = s.person_id"
        "      AND r.grid IS NOT NULL AND r.since <= s.date"
        "      AND (r.until IS NULL OR r.until > s.date)"
        "  ) AS grid"
        "  FROM service_records s"
        "  WHERE s.removed_at IS NULL AND s.date >= ? AND s.date < ?"
        ") GROUP BY grid ORDER BY grid IS NULL, grid",
        (start, end),
    )


def in_service_members(conn: sqlite3.Connection, unit_id: int, start: str, end: str) -> list[Row]:
    """The register's spells of 在职党员 of `unit_id` (their own unit) that overlap the dates
    [start, end), by name: the person, the branch, the day of 双报到, the spell's days."""
    return rows(
        conn,
        "SELECT m.id AS member_id, m.person_id, p.name AS person, m.branch, m.reported_on, "
        "m.since, m.left_on FROM party_members m JOIN people p ON p.id = m.person_id "
        "WHERE m.in_service = 1 AND m.unit_id = ? AND m.since < ? "
        "AND (m.left_on IS NULL OR m.left_on >= ?) ORDER BY p.name, m.person_id, m.since",
        (unit_id, end, start),
    )


def same_record(conn: sqlite3.Connection, record: Row) -> bool:
    """Whether a record with the same person, day, hours, reference and note is stored."""
    found = one(
        conn,
        "SELECT 1 AS found FROM service_records WHERE removed_at IS NULL "
        "AND person_id = :person_id AND date = :date AND hours = :hours "
        "AND activity_id IS :activity_id AND class_id IS :class_id "
        "AND issue_id IS :issue_id AND note IS :note",
        {
            k: record[k]
            for k in ("person_id", "date", "hours", "activity_id", "class_id", "issue_id", "note")
        },
    )
    return found is not None
