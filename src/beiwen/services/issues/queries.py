"""Reading work orders: `issue list` (with the handled and overdue flags), `issue show`
(departments, timeline, response and resolution hours) and the deadlines table.
Nothing here writes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from beiwen.parsing import add_months, iso, now, parse_month
from beiwen.repository import issues as repo
from beiwen.services import refs
from beiwen.vocab import ALIASES, ISSUE_CATEGORIES, ISSUE_STATUSES, parse_choice


def month_bounds(month: str) -> tuple[str, str]:
    """The first moment of `month` and of the month after, as stored text."""
    return f"{month}-01T00:00:00+08:00", f"{add_months(month, 1)}-01T00:00:00+08:00"


def list_issues(conn: sqlite3.Connection, **filters: Any) -> list[dict[str, Any]]:
    """Work orders for `issue list` with their flags (`handled`, `overdue`, `mark`: see
    `repository.issues`); cancelled ones only with `include_cancelled` (--all) or when
    asked for by --status, voided ones only with `include_cancelled`. Filters: status,
    category, grid, unit, month, overdue, search, include_cancelled."""
    rows = repo.list_issues(conn, **_filters(conn, **filters))
    return [
        {**row, "handled": bool(row["handled"]), "overdue": bool(row["overdue"])} for row in rows
    ]


def stream_issues(
    conn: sqlite3.Connection, shown: Mapping[str, str], **filters: Any
) -> Iterator[str]:
    """`list_issues` one row at a time as SQLite reads and writes it, each row a JSON object
    (`repository.issues.list_issues_json`), the columns of `shown` through their functions
    (privacy.shown_in_sql); the filters are checked now, before the first row: `issue list
    --format json` writes while it reads."""
    return repo.list_issues_json(conn, shown=shown, **_filters(conn, **filters))


def _filters(
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
) -> dict[str, Any]:
    """The repository's filters (and `moment`, now) of what the user typed, checked."""
    moment = iso(now())
    filters: dict[str, Any] = {"moment": moment, "include_cancelled": include_cancelled}
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
    if overdue:
        filters["overdue_at"] = moment
    if search is not None and search.strip():
        filters["search"] = search.strip()
    return filters


def issue_details(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """One work order with its flags (as `issue list` has them), its departments, its whole
    timeline and the orders closed as its duplicates (`duplicate_of` links the other way)."""
    issue = refs.work_order(conn, ref)
    details = {k: v for k, v in issue.items() if k not in repo.REPORT_HOURS}
    details.update(repo.flags(conn, issue["id"], iso(now())))
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
