"""The rotation as a calendar keeps it (`rotation show --format ics`, io/ics.py): one event
per month, revised as the month changes.

A calendar application replaces an event it holds only by a newer version of it, known by
its UID (the month), its SEQUENCE and its LAST-MODIFIED. Both come from `rotation_history`,
where every plan, assign, swap and unassign is recorded with its time: SEQUENCE counts the
changes of the month after the first (0 as first planned, 1 after a swap), LAST-MODIFIED is
the time of the latest. A month of the range that had a duty unit and has none now is sent
as a cancelled event under the same UID, so that a calendar that has it removes it; a month
that never had one has no event at all.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from beiwen.repository import rotation as repo
from beiwen.services.rotation.assignments import schedule


def calendar_months(conn: sqlite3.Connection, start: str, end: str) -> list[dict[str, Any]]:
    """The events of the months from `start` to `end`, in month order: month, unit_id, unit,
    note, `cancelled` (no duty unit now, one before), `sequence`, `created` and
    `last_modified` (ISO times of the first and the latest recorded change, None when the
    month has no recorded change)."""
    changes = {row["month"]: row for row in repo.month_changes(conn, start, end)}
    events: list[dict[str, Any]] = []
    for entry in schedule(conn, start, end):
        history = changes.get(entry["month"])
        cancelled = entry["unit_id"] is None
        if cancelled and history is None:
            continue  # never held: no calendar has an event to remove
        count = history["changes"] if history else 0
        events.append(
            {
                **entry,
                "note": history["last_note"] if cancelled and history else entry["note"],
                "cancelled": cancelled,
                "sequence": max(count - 1, 0),
                "created": history["first_at"] if history else None,
                "last_modified": history["last_at"] if history else None,
            }
        )
    return events
