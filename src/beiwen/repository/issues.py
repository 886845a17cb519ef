"""Work orders (工单): the issue rows, the departments they went to, and their event log.

`issue_events` is append-only (triggers refuse UPDATE and DELETE); the `issues` row keeps
the current state and the key times so that lists and reports never replay events.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from operator import itemgetter
from typing import Any

from beiwen.repository import (
    Row,
    checked_name,
    conditions,
    insert,
    iter_rows,
    one,
    rows,
    scalar,
    update,
    where_clause,
)
from beiwen.repository.search import issue_search_sql, match_query

# Work orders that still need handling; the complement of handled (resolved, closed) and
# cancelled. Overdue = one of these whose due time has passed.
ACTIVE_STATUSES = ("open", "dispatched", "in_progress")
HANDLED_STATUSES = ("resolved", "closed")
# Kept on the row for the report (m014_issue_speed); lists leave them out, `issue show`
# works out its own.
REPORT_HOURS = ("response_hours", "resolution_hours")

# The departments holding the order, in the order they got it; most orders have one or
# none, which needs no sort.
_DEPARTMENTS = """(SELECT CASE WHEN count(*) < 2 THEN min(un.name) ELSE
        (SELECT group_concat(name, '、') FROM (
            SELECT un.name FROM issue_units iu JOIN units un ON un.id = iu.unit_id
            WHERE iu.issue_id = i.id AND iu.released_at IS NULL
            ORDER BY iu.dispatched_at, un.id)) END
    FROM issue_units iu JOIN units un ON un.id = iu.unit_id
    WHERE iu.issue_id = i.id AND iu.released_at IS NULL)"""
_FROM = """
    FROM issues i
    LEFT JOIN units u ON u.id = i.unit_id
    LEFT JOIN grids g ON g.number = i.grid
"""
_SELECT = f"""
    SELECT i.*, u.name AS unit_name, u.address AS unit_address, g.name AS grid_name,
           {_DEPARTMENTS} AS departments
    {_FROM}"""
# What a list shows after the order's own columns, in this order.
_JOINED = (
    ("unit_name", "u.name"),
    ("unit_address", "u.address"),
    ("grid_name", "g.name"),
    ("departments", _DEPARTMENTS),
)


def _overdue(moment: str) -> str:
    """SQL true for an order still to be handled whose due time is before `:moment`."""
    return f"(i.status IN {ACTIVE_STATUSES!r} AND i.due_at <> '' AND i.due_at < :{moment})"


# The flags of `issue list` and `issue show` as of `:moment`: `mark` is `voided` or
# `duplicate` for an order that left the counts (vocab.ISSUE_MARKS), else NULL; handled
# counts only the orders still counted; a voided order is overdue no more.
_VOIDED = "(coalesce(i.voided_at, '') <> '')"
_MARK = f"CASE WHEN {_VOIDED} THEN 'voided' WHEN i.duplicate_of IS NOT NULL THEN 'duplicate' END"
_TRUE = {
    "handled": f"i.status IN {HANDLED_STATUSES!r} AND NOT {_VOIDED} AND i.duplicate_of IS NULL",
    "overdue": f"NOT {_VOIDED} AND {_overdue('moment')}",
}


# The hours the report reads (m014_issue_speed), set on the row whenever a time they come
# from is written: the arithmetic of repository.report.facts_as_of, done once per write.
_FIRST_RESPONSE = """CASE
        WHEN first_dispatched_at IS NULL THEN first_accepted_at
        WHEN first_accepted_at IS NULL THEN first_dispatched_at
        ELSE min(first_dispatched_at, first_accepted_at) END"""
_SET_HOURS = f"""
    response_hours = round((julianday({_FIRST_RESPONSE}) - julianday(reported_at)) * 24, 2),
    resolution_hours =
        round((julianday(coalesce(resolved_at, closed_at)) - julianday(reported_at)) * 24, 2)
"""
_HOURS_FROM = frozenset(
    {"reported_at", "first_dispatched_at", "first_accepted_at", "resolved_at", "closed_at"}
)


def insert_issue(conn: sqlite3.Connection, issue: Row) -> int:
    issue_id = insert(conn, "issues", issue)
    conn.execute(f"UPDATE issues SET {_SET_HOURS} WHERE id = ?", (issue_id,))
    return issue_id


def update_issue(conn: sqlite3.Connection, issue_id: int, changes: Row) -> None:
    update(conn, "issues", issue_id, changes)
    if not _HOURS_FROM.isdisjoint(changes):
        conn.execute(f"UPDATE issues SET {_SET_HOURS} WHERE id = ?", (issue_id,))


def backfill_speed(conn: Any) -> None:
    """m014_issue_speed's columns for every order (rows written without them): the last
    event time from the event log, the hours from the row's times."""
    conn.execute(
        "UPDATE issues SET last_event_at = "
        f"(SELECT max(e.at) FROM issue_events e WHERE e.issue_id = issues.id), {_SET_HOURS}"
    )


def get_issue(conn: sqlite3.Connection, issue_id: int) -> Row | None:
    return one(conn, f"{_SELECT} WHERE i.id = ?", (issue_id,))


def same_issue(conn: sqlite3.Connection, title: str, reported_at: str) -> Row | None:
    """The work order with this title reported at this time (an import's natural key)."""
    return one(
        conn,
        "SELECT * FROM issues WHERE reported_at = ? AND title = ? ORDER BY id LIMIT 1",
        (reported_at, title),
    )


def insert_event(conn: sqlite3.Connection, event: Row) -> int:
    """One event of the log; the order's `last_event_at` (what `issue list` shows) moves
    forward to it (an event entered with an earlier time leaves it)."""
    event_id = insert(conn, "issue_events", event)
    conn.execute(
        "UPDATE issues SET last_event_at = :at WHERE id = :issue "
        "AND (last_event_at IS NULL OR last_event_at < :at)",
        {"at": event["at"], "issue": event["issue_id"]},
    )
    return event_id


def is_assigned(conn: sqlite3.Connection, issue_id: int, person_id: int) -> bool:
    """Whether an `assign` event already names this person on this work order."""
    found = conn.execute(
        "SELECT 1 FROM issue_events WHERE issue_id = ? AND person_id = ? AND action = 'assign'",
        (issue_id, person_id),
    ).fetchone()
    return found is not None


def events(conn: sqlite3.Connection, issue_id: int) -> list[Row]:
    """The timeline in time order; events at the same moment keep the order they were entered."""
    return rows(
        conn,
        """
        SELECT e.id, e.at, e.action, e.unit_id, u.name AS unit_name, e.from_unit_id,
               f.name AS from_unit_name, e.person_id, p.name AS person_name, e.satisfaction,
               e.note, e.recorded_at, e.field, e.old_value, e.new_value, e.other_issue_id
        FROM issue_events e
        LEFT JOIN units u ON u.id = e.unit_id
        LEFT JOIN units f ON f.id = e.from_unit_id
        LEFT JOIN people p ON p.id = e.person_id
        WHERE e.issue_id = ? ORDER BY e.at, e.id
        """,
        (issue_id,),
    )


def last_step_at(conn: sqlite3.Connection, issue_id: int) -> str | None:
    """The time of the latest event that moved the work order (comments, the assignment of
    helpers and the corrections edit, void and unvoid do not count: they move no step)."""
    found = scalar(
        conn,
        "SELECT max(at) FROM issue_events WHERE issue_id = ? "
        "AND action NOT IN ('comment', 'assign', 'edit', 'void', 'unvoid')",
        (issue_id,),
    )
    return str(found) if found is not None else None


def duplicates(conn: sqlite3.Connection, issue_id: int) -> list[int]:
    """The numbers of the orders (not voided) closed as duplicates of this one."""
    return [
        int(row[0])
        for row in conn.execute(
            "SELECT id FROM issues WHERE duplicate_of = ? AND voided_at IS NULL ORDER BY id",
            (issue_id,),
        )
    ]


def departments(conn: sqlite3.Connection, issue_id: int) -> list[Row]:
    """Every unit the work order was sent to, the ones that passed it on included."""
    return rows(
        conn,
        """
        SELECT iu.unit_id, u.name AS unit_name, iu.dispatched_at, iu.accepted_at,
               iu.transferred_from, f.name AS transferred_from_name, iu.released_at
        FROM issue_units iu
        JOIN units u ON u.id = iu.unit_id
        LEFT JOIN units f ON f.id = iu.transferred_from
        WHERE iu.issue_id = ? ORDER BY iu.dispatched_at, iu.unit_id
        """,
        (issue_id,),
    )


def department(conn: sqlite3.Connection, issue_id: int, unit_id: int) -> Row | None:
    return one(
        conn,
        "SELECT * FROM issue_units WHERE issue_id = ? AND unit_id = ?",
        (issue_id, unit_id),
    )


def send_to(
    conn: sqlite3.Connection,
    issue_id: int,
    unit_id: int,
    at: str,
    transferred_from: int | None = None,
) -> None:
    """Put the work order with a unit; a unit that passed it on earlier takes it back afresh."""
    conn.execute(
        """
        INSERT INTO issue_units (issue_id, unit_id, dispatched_at, transferred_from)
        VALUES (:issue, :unit, :at, :source)
        ON CONFLICT (issue_id, unit_id) DO UPDATE SET
            dispatched_at = :at, accepted_at = NULL, released_at = NULL,
            transferred_from = :source
        """,
        {"issue": issue_id, "unit": unit_id, "at": at, "source": transferred_from},
    )


def mark_accepted(conn: sqlite3.Connection, issue_id: int, unit_id: int, at: str) -> None:
    conn.execute(
        "UPDATE issue_units SET accepted_at = ? WHERE issue_id = ? AND unit_id = ?",
        (at, issue_id, unit_id),
    )


def mark_released(conn: sqlite3.Connection, issue_id: int, unit_id: int, at: str) -> None:
    conn.execute(
        "UPDATE issue_units SET released_at = ? WHERE issue_id = ? AND unit_id = ?",
        (at, issue_id, unit_id),
    )


def deadlines(conn: sqlite3.Connection) -> list[Row]:
    return rows(conn, "SELECT category, days, report_in_hours FROM issue_deadlines ORDER BY rowid")


def deadline_days(conn: sqlite3.Connection, category: str) -> int | None:
    found = scalar(conn, "SELECT days FROM issue_deadlines WHERE category = ?", (category,))
    return int(found) if found is not None else None


def set_deadline(
    conn: sqlite3.Connection, category: str, days: int, report_in_hours: int | None = None
) -> None:
    conn.execute(
        "INSERT INTO issue_deadlines (category, days, report_in_hours) "
        "VALUES (?, ?, coalesce(?, 24)) "
        "ON CONFLICT (category) DO UPDATE SET days = excluded.days, "
        "report_in_hours = coalesce(?, report_in_hours)",
        (category, days, report_in_hours, report_in_hours),
    )


def _where(
    *,
    status: str | None = None,
    category: str | None = None,
    grid: int | None = None,
    unit_id: int | None = None,
    start: str | None = None,
    end: str | None = None,
    overdue_at: str | None = None,
    search: str | None = None,
    include_cancelled: bool = True,
) -> tuple[str, dict[str, Any]]:
    """The WHERE clause and parameters of a list with these filters (see `list_issues`)."""
    params = {
        "status": status,
        "category": category,
        "grid": grid,
        "unit": unit_id,
        "start": start,
        "end": end,
        "overdue_at": overdue_at,
        "search": search,
        "search_match": match_query(search),
    }
    tests = {
        "status": "i.status = :status",
        "category": "i.category = :category",
        "grid": "i.grid = :grid",
        "unit": (
            "(i.unit_id = :unit OR EXISTS (SELECT 1 FROM issue_units x "
            "WHERE x.issue_id = i.id AND x.unit_id = :unit))"
        ),
        "start": "i.reported_at >= :start",
        "end": "i.reported_at < :end",
        "overdue_at": _overdue("overdue_at"),
        # instr, not LIKE or FTS: no wildcards to escape, and two-character Chinese words match.
        "search": issue_search_sql(search),
    }
    where = conditions(tests, params)
    if not status and not include_cancelled:
        where.append("i.status <> 'cancelled'")
    if not include_cancelled:
        where.append("i.voided_at IS NULL")
    return where_clause(where), params


def _listed(conn: sqlite3.Connection, shown: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key, SQL) of what a list shows before its flags: the order's own columns as the file
    has them (the report's hours left out), each column of `shown` through its function
    (privacy.shown_in_sql), then the unit's, the grid's and the departments' names."""
    names = [row[0] for row in conn.execute("SELECT name FROM pragma_table_info('issues')")]
    own = [
        (name, f"{shown[name]}(i.{name})" if name in shown else f"i.{name}")
        for name in map(checked_name, names)
        if name not in REPORT_HOURS
    ]
    return [*own, *_JOINED]


def list_issues(
    conn: sqlite3.Connection, moment: str | None = None, **filters: Any
) -> Iterator[Row]:
    """Work orders matching every filter given, oldest report first, one at a time from the
    cursor (`iter_rows`), with their flags as of `moment` (`handled` and `overdue` 1 or 0,
    `mark`; without a moment, none is overdue).

    Filters: status, category, grid, unit_id; `start`/`end` bound reported_at (end
    exclusive); `overdue_at` keeps the orders still to be handled whose due time is before
    that moment; search. Without `include_cancelled` the voided orders are left out too,
    whatever the status asked for.
    """
    clause, params = _where(**filters)
    values = [f"{sql} AS {key}" for key, sql in _listed(conn, {})]
    flags = [f"CASE WHEN {sql} THEN 1 ELSE 0 END AS {key}" for key, sql in _TRUE.items()]
    sql = f"SELECT {', '.join([*values, *flags, f'{_MARK} AS mark'])} {_FROM} {clause}"
    return iter_rows(conn, f"{sql} ORDER BY i.reported_at, i.id", {**params, "moment": moment})


def list_issues_json(
    conn: sqlite3.Connection, moment: str, shown: Mapping[str, str], **filters: Any
) -> Iterator[str]:
    """`list_issues` with each row as SQLite writes it: one JSON object a row, as
    `json.dumps(row, ensure_ascii=False)` writes the row `list_issues` gives (the same keys
    in the same order, `, ` and `: ` between them, the flags true or false), the columns of
    `shown` through their functions (privacy.shown_in_sql). No Python touches a value."""
    clause, params = _where(**filters)
    listed = _listed(conn, shown)
    keys = [key for key, _ in listed] + [*_TRUE, "mark"]
    template = "{" + ", ".join(f'"{key}": %s' for key in keys) + "}"
    values = [f"json_quote({sql})" for _, sql in listed]
    flags = [f"CASE WHEN {sql} THEN 'true' ELSE 'false' END" for sql in _TRUE.values()]
    text = f"printf('{template}', {', '.join([*values, *flags, f'json_quote({_MARK})'])})"
    cursor = conn.execute(
        f"SELECT {text} {_FROM} {clause} ORDER BY i.reported_at, i.id", {**params, "moment": moment}
    )
    return map(itemgetter(0), cursor)


def flags(conn: sqlite3.Connection, issue_id: int, moment: str) -> Row:
    """The flags `list_issues` gives the order, as True/False (and `mark`)."""
    found = one(
        conn,
        f"SELECT {', '.join(f'{sql} AS {key}' for key, sql in _TRUE.items())}, {_MARK} AS mark "
        "FROM issues i WHERE i.id = :id",
        {"id": issue_id, "moment": moment},
    )
    assert found is not None
    return {key: bool(value) if key in _TRUE else value for key, value in found.items()}


def export_notes(conn: sqlite3.Connection, issue_ids: list[int]) -> dict[int, dict[str, str]]:
    """For each work order, the latest note of each kind of step (resolve, close, ...)."""
    found: dict[int, dict[str, str]] = {}
    wanted = set(issue_ids)
    for issue_id, action, note in conn.execute(
        """
        SELECT issue_id, action, note FROM issue_events
        WHERE action IN ('resolve', 'close', 'cancel', 'duplicate', 'comment')
          AND coalesce(note, '') <> ''
        ORDER BY issue_id, at, id
        """
    ):
        if issue_id in wanted:
            found.setdefault(issue_id, {})[action] = note
    return found


def step_notes(conn: sqlite3.Connection, issue_ids: list[int]) -> dict[int, list[Row]]:
    """For each work order, the events that carry a note (action, note), in time order."""
    found: dict[int, list[Row]] = {}
    wanted = set(issue_ids)
    for issue_id, action, note in conn.execute(
        "SELECT issue_id, action, note FROM issue_events WHERE coalesce(note, '') <> '' "
        "ORDER BY issue_id, at, id"
    ):
        if issue_id in wanted:
            found.setdefault(issue_id, []).append({"action": action, "note": note})
    return found
