"""The report's reads of other areas (the courses held, the activities, the duty units),
straight from their repositories.

The areas' services (`services.courses`, `services.activities`, `services.rotation`) import
their writers and import pipelines (the roster readers, `services.importing`, the planner):
tens of milliseconds the report does not need. These are the same repository reads those
services' `held_by_course`, `totals_by_kind`, `activities_in` and `duty_units` make, shaped
as the report uses them.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from beiwen.repository import Row
from beiwen.repository import activities as activity_repo
from beiwen.repository import courses as course_repo
from beiwen.repository import rotation as rotation_repo
from beiwen.vocab import ACTIVITY_KINDS


def held_by_course(conn: sqlite3.Connection, start: date, end: date) -> list[Row]:
    """Per course, the classes held in [start, end) and their attendance (`course`,
    `classes`, `attendance`, …; as `services.courses.held_by_course`, without its rates)."""
    return course_repo.held_by_course(conn, start.isoformat(), end.isoformat())


def totals_by_kind(conn: sqlite3.Connection, start: date, end: date) -> list[Row]:
    """Per kind with activities in [start, end), in vocabulary order (as
    `services.activities.totals_by_kind`)."""
    found = {
        row["kind"]: row
        for row in activity_repo.totals_by_kind(conn, start.isoformat(), end.isoformat())
    }
    return [found[kind] for kind in ACTIVITY_KINDS if kind in found]


def activities_in(conn: sqlite3.Connection, start: date, end: date) -> list[Row]:
    """The activities of [start, end) in date order (as `services.activities.activities_in`)."""
    return activity_repo.list_activities(conn, start=start.isoformat(), end=end.isoformat())


def duty_units(conn: sqlite3.Connection, first_month: str, last_month: str) -> list[dict[str, Any]]:
    """The assigned months from `first_month` to `last_month` (YYYY-MM, a period's months)
    with their duty units: month, unit_id, unit, note (as `services.rotation.duty_units`)."""
    return [
        {"month": row["month"], "unit_id": row["unit_id"], "unit": row["unit"], "note": row["note"]}
        for row in rotation_repo.assignments(conn, first_month, last_month)
    ]
