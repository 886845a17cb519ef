"""The SQL of the report's `lists` section: the needs and projects behind each figure, for
a period [start, end) of days (YYYY-MM-DD)."""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, rows

_NEED = """
SELECT n.id, n.title, n.kind, n.day, u.name AS from_unit, n.status
FROM needs n JOIN units u ON u.id = n.from_unit_id
"""
# A need cancelled before the period's end counts nowhere (like a cancelled work order).
_NOT_CANCELLED = (
    "NOT EXISTS (SELECT 1 FROM need_events c WHERE c.need_id = n.id"
    " AND c.action = 'cancel' AND c.day < :end)"
)


def needs_collected(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """Needs raised in the period and not cancelled by its end."""
    return rows(
        conn,
        f"{_NEED} WHERE n.day >= :start AND n.day < :end AND {_NOT_CANCELLED} ORDER BY n.day, n.id",
        {"start": start, "end": end},
    )


def needs_with_step(conn: sqlite3.Connection, action: str, start: str, end: str) -> list[Row]:
    """Needs with a step `action` (transfer, reply, match) in the period, once each, with the
    day of their first such step in it."""
    return rows(
        conn,
        f"""
        SELECT s.step_day, n2.* FROM (
            SELECT e.need_id, min(e.day) AS step_day FROM need_events e
            WHERE e.action = :action AND e.day >= :start AND e.day < :end
            GROUP BY e.need_id
        ) s JOIN ({_NEED}) n2 ON n2.id = s.need_id
        ORDER BY s.step_day, n2.id
        """,
        {"action": action, "start": start, "end": end},
    )


_PROJECT = """
SELECT p.id, p.title, u.name AS lead_unit, p.day, p.due, p.status, p.done_day, p.helped,
       p.outcome
FROM projects p JOIN units u ON u.id = p.lead_unit_id
"""


def projects_done(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    return rows(
        conn,
        f"{_PROJECT} WHERE p.status = 'done' AND p.done_day >= :start AND p.done_day < :end"
        " ORDER BY p.done_day, p.id",
        {"start": start, "end": end},
    )


def projects_overdue(conn: sqlite3.Connection, end: str, cutoff: str) -> list[Row]:
    """Projects started before the end, due before `cutoff` (the end, or today for a period
    not over), neither done nor cancelled at the end."""
    return rows(
        conn,
        f"""{_PROJECT} WHERE p.day < :end AND p.due IS NOT NULL AND p.due < :cutoff
            AND (p.done_day IS NULL OR p.done_day >= :end)
            AND (p.cancelled_day IS NULL OR p.cancelled_day >= :end)
        ORDER BY p.due, p.id""",
        {"end": end, "cutoff": cutoff},
    )
