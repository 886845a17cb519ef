"""The reads of the report's departments, sources, overdue list and duty sections.

Bounds are ISO texts (`…T00:00:00+08:00`). The order facts are those the report's other
figures read, as they held at the end of the period (`repository.report.facts_as_of`: no
voided order, no duplicate), and a collected order is the one `repository.report` defines
(`_COLLECTED`), so every section counts the same orders the same way.
"""

from __future__ import annotations

import json
import sqlite3

from beiwen.repository import Row, rows
from beiwen.repository.report import _COLLECTED, _PERIOD, facts_as_of

_WHISTLED = """i.id IN (SELECT issue_id FROM issue_units
    WHERE dispatched_at >= :start AND dispatched_at < :end)"""


def dispatches(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """Each whistle (issue_units row) blown in [start, end) to a department, with the facts
    of its order: one row per (order, department), departments by name, then order id.
    Orders cancelled before `end` are left out (they are collected nowhere either)."""
    return rows(
        conn,
        f"""
        SELECT iu.unit_id, u.name AS unit, iu.issue_id, f.category, iu.dispatched_at,
               iu.accepted_at, iu.released_at, f.due_at, f.handled_at, f.closed_at,
               f.satisfaction,
               round((julianday(iu.accepted_at) - julianday(iu.dispatched_at)) * 24, 2)
                   AS report_in_hours,
               coalesce(d.report_in_hours, 24) AS report_in_limit
        FROM issue_units iu
        JOIN units u ON u.id = iu.unit_id
        JOIN ({facts_as_of(_WHISTLED)}) f ON f.id = iu.issue_id
        LEFT JOIN issue_deadlines d ON d.category = f.category
        WHERE iu.dispatched_at >= :start AND iu.dispatched_at < :end
            AND NOT (f.cancelled_at IS NOT NULL AND f.cancelled_at < :end)
        ORDER BY u.name, iu.unit_id, iu.issue_id
        """,
        {"start": start, "end": end},
    )


def holders(conn: sqlite3.Connection, end: str, issue_ids: list[int]) -> list[Row]:
    """The departments holding each of `issue_ids` at `end`: whistled to before it and not
    passed on by transfer before it (issue_id, unit_id, unit), in dispatch order."""
    return rows(
        conn,
        """
        SELECT iu.issue_id, iu.unit_id, u.name AS unit
        FROM issue_units iu JOIN units u ON u.id = iu.unit_id
        WHERE iu.issue_id IN (SELECT value FROM json_each(:ids))
            AND iu.dispatched_at < :end
            AND NOT (iu.released_at IS NOT NULL AND iu.released_at < :end)
        ORDER BY iu.issue_id, iu.dispatched_at, iu.unit_id
        """,
        {"end": end, "ids": json.dumps(issue_ids)},
    )


def grid_names(conn: sqlite3.Connection) -> dict[int, str]:
    return {row[0]: row[1] for row in conn.execute("SELECT number, name FROM grids")}


def source_breakdown(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """Collected and handled per source (how the order reached the committee)."""
    return rows(
        conn,
        f"""
        SELECT source AS key, count(*) AS collected,
               coalesce(sum(handled_at IS NOT NULL), 0) AS handled
        FROM ({facts_as_of(_PERIOD)}) WHERE {_COLLECTED}
        GROUP BY source
        """,
        {"start": start, "end": end},
    )
