"""The joint meeting (区域党建联席会): meetings, who attended, the decisions taken."""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, conditions, insert, one, rows, update, where_clause

# Attendees in the order they were given (rowid order of meeting_attendance).
_MEETING = """
SELECT m.*, u.name AS host_unit,
       (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id) AS attended,
       (SELECT count(*) FROM meeting_decisions d WHERE d.meeting_id = m.id) AS decisions,
       (SELECT count(*) FROM meeting_decisions d
         WHERE d.meeting_id = m.id AND d.done_at IS NOT NULL) AS decisions_done,
       (SELECT group_concat(name, '、') FROM (
            SELECT au.name FROM meeting_attendance a JOIN units au ON au.id = a.unit_id
            WHERE a.meeting_id = m.id ORDER BY a.rowid)) AS attendees
FROM meetings m JOIN units u ON u.id = m.host_unit_id
"""

_DECISION = """
SELECT d.*, m.date AS meeting_date, m.topic AS meeting_topic, o.name AS owner_unit
FROM meeting_decisions d
JOIN meetings m ON m.id = d.meeting_id
JOIN units o ON o.id = d.owner_unit_id
"""


def insert_meeting(conn: sqlite3.Connection, meeting: Row) -> int:
    return insert(conn, "meetings", meeting)


def update_meeting(conn: sqlite3.Connection, meeting_id: int, changes: Row) -> None:
    update(conn, "meetings", meeting_id, changes)


def set_attendance(conn: sqlite3.Connection, meeting_id: int, unit_ids: list[int]) -> None:
    conn.execute("DELETE FROM meeting_attendance WHERE meeting_id = ?", (meeting_id,))
    conn.executemany(
        "INSERT INTO meeting_attendance (meeting_id, unit_id) VALUES (?, ?)",
        [(meeting_id, unit_id) for unit_id in unit_ids],
    )


def attendee_ids(conn: sqlite3.Connection, meeting_id: int) -> list[int]:
    return [
        int(row["unit_id"])
        for row in rows(
            conn,
            "SELECT unit_id FROM meeting_attendance WHERE meeting_id = ? ORDER BY rowid",
            (meeting_id,),
        )
    ]


def attendees(conn: sqlite3.Connection, meeting_id: int) -> list[Row]:
    return rows(
        conn,
        "SELECT u.id, u.name, u.council FROM meeting_attendance a "
        "JOIN units u ON u.id = a.unit_id WHERE a.meeting_id = ? ORDER BY a.rowid",
        (meeting_id,),
    )


def get_meeting(conn: sqlite3.Connection, meeting_id: int) -> Row | None:
    return one(conn, f"{_MEETING} WHERE m.id = ?", (meeting_id,))


def meetings_on(conn: sqlite3.Connection, day: str) -> list[Row]:
    return rows(conn, f"{_MEETING} WHERE m.date = ? ORDER BY m.id", (day,))


def meeting_by_date_topic(conn: sqlite3.Connection, day: str, topic: str) -> Row | None:
    return one(conn, f"{_MEETING} WHERE m.date = ? AND m.topic = ? ORDER BY m.id", (day, topic))


def list_meetings(
    conn: sqlite3.Connection,
    *,
    start: str | None = None,
    end: str | None = None,
    host_unit_id: int | None = None,
) -> list[Row]:
    """Meetings in date order; `start`/`end` are dates, the range is [start, end)."""
    params = {"start": start, "end": end, "host": host_unit_id}
    tests = {"start": "m.date >= :start", "end": "m.date < :end", "host": "m.host_unit_id = :host"}
    clause = where_clause(conditions(tests, params))
    return rows(conn, f"{_MEETING} {clause} ORDER BY m.date, m.id", params)


def insert_decision(conn: sqlite3.Connection, decision: Row) -> int:
    return insert(conn, "meeting_decisions", decision)


def update_decision(conn: sqlite3.Connection, decision_id: int, changes: Row) -> None:
    update(conn, "meeting_decisions", decision_id, changes)


def get_decision(conn: sqlite3.Connection, decision_id: int) -> Row | None:
    return one(conn, f"{_DECISION} WHERE d.id = ?", (decision_id,))


def decision_by_text(conn: sqlite3.Connection, meeting_id: int, text: str) -> Row | None:
    return one(
        conn, f"{_DECISION} WHERE d.meeting_id = ? AND d.text = ? ORDER BY d.id", (meeting_id, text)
    )


def list_decisions(
    conn: sqlite3.Connection,
    *,
    meeting_id: int | None = None,
    owner_unit_id: int | None = None,
    start: str | None = None,
    end: str | None = None,
    open_only: bool = False,
) -> list[Row]:
    """Decisions in the order of their meetings, then as taken; `start`/`end` are the
    meetings' dates, [start, end)."""
    params = {"meeting": meeting_id, "owner": owner_unit_id, "start": start, "end": end}
    tests = {
        "meeting": "d.meeting_id = :meeting",
        "owner": "d.owner_unit_id = :owner",
        "start": "m.date >= :start",
        "end": "m.date < :end",
    }
    where = conditions(tests, params)
    if open_only:
        where.append("d.done_at IS NULL")
    return rows(conn, f"{_DECISION} {where_clause(where)} ORDER BY m.date, m.id, d.id", params)


def council_units(conn: sqlite3.Connection, start: str) -> list[Row]:
    """The council units (联席会成员单位) not retired before `start` (a date), in rotation
    order. (`council_since` is when the flag was set in beiwen, not when the unit joined,
    so it does not limit the meetings a unit is counted for.)"""
    from beiwen.repository.rotation import ORDER_BY

    return rows(
        conn,
        "SELECT u.id, u.name, u.retired_at FROM units u WHERE u.council = 1 "
        f"AND (u.retired_at IS NULL OR substr(u.retired_at, 1, 10) >= ?) ORDER BY {ORDER_BY}",
        (start,),
    )


def attendance_pairs(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """(meeting id, date, unit id) of every attendance at a meeting of [start, end)."""
    return rows(
        conn,
        "SELECT m.id AS meeting_id, m.date, a.unit_id FROM meeting_attendance a "
        "JOIN meetings m ON m.id = a.meeting_id WHERE m.date >= ? AND m.date < ?",
        (start, end),
    )
