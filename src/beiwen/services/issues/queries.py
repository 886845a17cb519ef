"""Reading work orders: `issue list` (with the handled and overdue flags), `issue show`
(departments, timeline, response and resolution hours) and the deadlines table.
Nothing here writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from beiwen.parsing import add_months, iso, now, parse_month
from beiwen.repository import issues as repo
from beiwen.services import refs
from beiwen.services.issues.workflow import HANDLED, is_overdue
from beiwen.vocab import ALIASES, ISSUE_CATEGORIES, ISSUE_STATUSES, parse_choice

# Kept on the row for the report (m014_issue_speed); `issue show` works out its own.
_REPORT_HOURS = ("response_hours", "resolution_hours")


def _with_flags(issue: dict[str, Any], moment: str) -> dict[str, Any]:
    """The row with `handled`, `overdue` and `mark`: `voided` or `duplicate` for an order
    that left the counts (vocab.ISSUE_MARKS), else None."""
    voided = bool(issue["voided_at"])
    mark = "voided" if voided else ("duplicate" if issue["duplicate_of"] is not None else None)
    for key in _REPORT_HOURS:
        issue.pop(key, None)
    return {
        **issue,
        "handled": issue["status"] in HANDLED and mark is None,
        "overdue": not voided and is_overdue(issue, moment),
        "mark": mark,
    }


def month_bounds(month: str) -> tuple[str, str]:
    """The first moment of `month` and of the month after, as stored text."""
    return f"{month}-01T00:00:00+08:00", f"{add_months(month, 1)}-01T00:00:00+08:00"


def list_issues(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    category: str | None = None,
    grid: str | None = None,
    unit: str | None = None,
    month: str | None = None,
    overdue: bool = False,
    search: str | None = None,
    include_cancelled: bool = False,
) -> list[dict[str, Any]]:
    """Work orders for `issue list`; cancelled ones only with `include_cancelled` (--all)
    or when asked for by --status, voided ones only with `include_cancelled`."""
    return list(
        stream_issues(
            conn,
            status=status,
            category=category,
            grid=grid,
            unit=unit,
            month=month,
            overdue=overdue,
            search=search,
            include_cancelled=include_cancelled,
        )
    )


def stream_issues(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    category: str | None = None,
    grid: str | None = None,
    unit: str | None = None,
    month: str | None = None,
    overdue: bool = False,
    search: str | None = None,
    include_cancelled: bool = False,
) -> Iterator[dict[str, Any]]:
    """`list_issues` one row at a time, as SQLite reads them (the filters are checked now,
    before the first row): `issue list --format json` writes while it reads."""
    filters: dict[str, Any] = {"include_cancelled": include_cancelled}
    if status:
        filters["status"] = parse_choice(
            ISSUE_STATUSES, status, "--status", ALIASES["ISSUE_STATUSES"]
        )
    if category:
        filters["category"] = parse_choice(
            ISSUE_CATEGORIES, category, "--category", ALIASES["ISSUE_CATEGORIES"]
        )
    if grid is not None:
        filters["grid"] = refs.grid(conn, grid, "--grid")["number"]
    if unit is not None:
        filters["unit_id"] = refs.unit(conn, unit, "--unit")["id"]
    if month is not None:
        filters["start"], filters["end"] = month_bounds(parse_month(month, "--month"))
    moment = iso(now())
    if overdue:
        filters["overdue_at"] = moment
    if search is not None and search.strip():
        filters["search"] = search.strip()
    return (_with_flags(issue, moment) for issue in repo.list_issues(conn, **filters))


def issue_details(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """One work order with its departments, its whole timeline and the orders closed as
    its duplicates (`duplicate_of` links the other way)."""
    issue = refs.work_order(conn, ref)
    details = _with_flags(issue, iso(now()))
    details["response_hours"] = _hours(issue["reported_at"], issue["first_accepted_at"])
    details["resolution_hours"] = _hours(issue["reported_at"], issue["resolved_at"])
    details["units"] = repo.departments(conn, issue["id"])
    details["events"] = repo.events(conn, issue["id"])
    details["duplicates"] = repo.duplicates(conn, issue["id"])
    return details


def _hours(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return round(seconds / 3600, 1)


# --- deadlines ----------------------------------------------------------------------------


def deadlines(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return repo.deadlines(conn)
