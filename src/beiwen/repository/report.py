"""The report's reads: the work orders as of a moment (the event log), the view
v_monthly_issue_stats, v_activity_facts and the class tables. Bounds are ISO texts
(`…T00:00:00+08:00`) or dates; every filter is on an indexed column (`reported_at`, the
status, `issue_events (issue_id, at)` and the steps' `issue_events_steps (at)`) so a month
costs the same in year 1 and year 10.

As of a moment: whether an order was handled, followed up or cancelled at the end of a
period is what the event log (`issue_events`, by `at`) says held then: the last of its steps
(STEPS) before that moment; the `issues` row holds only the latest state. The facts (category,
grid, due time) are the row's, so corrections (`issue edit`) apply to past periods too.
"""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, one, rows

# A collected work order: reported in the period and not cancelled by its end (the facts
# leave voided orders and duplicates out altogether: a duplicate counts as its original).
_COLLECTED = """
    reported_at >= :start AND reported_at < :end
    AND NOT (cancelled_at IS NOT NULL AND cancelled_at < :end)
"""

# The steps that decide whether an order is handled or cancelled; the latest of them before
# a moment gives its state then (none, or a reopen: still to be handled).
STEPS = "('resolve', 'close', 'reopen', 'cancel', 'duplicate')"
_ACTIVE = "('open', 'dispatched', 'in_progress')"


def facts_as_of(where: str, moment: str = ":end") -> str:
    """SQL of a subquery: the work orders (neither voided nor duplicates) that `where` (on
    `i`, the issues row) selects, with the columns of v_issue_facts as they held at
    `moment` (a parameter's name): `handled_at` (the latest resolution, when handled then),
    `closed_at` and `satisfaction` (the follow-up, when closed then), `cancelled_at`,
    `first_response_at` (before the moment), `response_hours`, `resolution_hours`,
    `on_time`; `state` is `handled`, `cancelled` or `open` (still to be handled).

    An order whose every event came before `moment` (`last_event_at`, m014_issue_speed)
    stood then as its row stands now: its latest step is the latest step before the moment,
    and the row's state and times are what that step and the resolutions before it left
    (the moves keep steps in time order and set the row from each). Only the other orders,
    with an event at or after the moment (for the latest month, a few) or none recorded
    (`last_event_at` NULL), look their state up in the event log."""
    settled = f"i.last_event_at < {moment}"
    last_step = f"""(SELECT e.id FROM issue_events e
        WHERE e.issue_id = i.id AND e.at < {moment} AND e.action IN {STEPS}
        ORDER BY e.at DESC, e.id DESC LIMIT 1)"""
    # The hours are the row's (m014_issue_speed: stored with the times they come from)
    # whenever the moment saw the same response or resolution; worked out here otherwise
    # (an order resolved again after `moment`).
    return f"""
    SELECT f.id, f.title, f.category, f.source, f.grid, f.unit_id, f.status, f.reported_at,
        f.reported_month, f.due_at, f.state, f.handled_at, f.closed_at, f.satisfaction,
        f.cancelled_at, f.first_response_at,
        CASE WHEN f.first_response_at IS NOT NULL THEN coalesce(f.stored_response_hours,
            round((julianday(f.first_response_at) - julianday(f.reported_at)) * 24, 2)) END
            AS response_hours,
        CASE WHEN f.handled_at = f.stored_handled_at AND f.stored_resolution_hours IS NOT NULL
            THEN f.stored_resolution_hours
            ELSE round((julianday(f.handled_at) - julianday(f.reported_at)) * 24, 2) END
            AS resolution_hours,
        CASE WHEN f.handled_at IS NOT NULL AND f.due_at IS NOT NULL
            THEN f.handled_at <= f.due_at END AS on_time
    FROM (
        SELECT i.id, i.title, i.category, i.source, i.grid, i.unit_id, i.status,
            i.reported_at, substr(i.reported_at, 1, 7) AS reported_month, i.due_at,
            i.response_hours AS stored_response_hours,
            i.resolution_hours AS stored_resolution_hours,
            coalesce(i.resolved_at, i.closed_at) AS stored_handled_at,
            CASE WHEN {settled} THEN CASE WHEN i.status IN ('resolved', 'closed') THEN 'handled'
                    WHEN i.status = 'cancelled' THEN 'cancelled' ELSE 'open' END
                WHEN s.action IN ('resolve', 'close') THEN 'handled'
                WHEN s.action IN ('cancel', 'duplicate') THEN 'cancelled'
                ELSE 'open' END AS state,
            CASE WHEN {settled} THEN CASE WHEN i.status IN ('resolved', 'closed')
                    THEN coalesce(i.resolved_at, i.closed_at) END
                WHEN s.action IN ('resolve', 'close') THEN coalesce(
                (SELECT max(r.at) FROM issue_events r
                 WHERE r.issue_id = i.id AND r.action = 'resolve' AND r.at < {moment}),
                s.at) END AS handled_at,
            CASE WHEN {settled} THEN CASE WHEN i.status = 'closed' THEN i.closed_at END
                WHEN s.action = 'close' THEN s.at END AS closed_at,
            CASE WHEN {settled} THEN CASE WHEN i.status = 'closed' THEN i.satisfaction END
                WHEN s.action = 'close' THEN s.satisfaction END AS satisfaction,
            CASE WHEN {settled} THEN CASE WHEN i.status = 'cancelled' THEN i.cancelled_at END
                WHEN s.action IN ('cancel', 'duplicate') THEN s.at END AS cancelled_at,
            CASE WHEN min(coalesce(i.first_dispatched_at, i.first_accepted_at),
                          coalesce(i.first_accepted_at, i.first_dispatched_at)) < {moment}
                THEN min(coalesce(i.first_dispatched_at, i.first_accepted_at),
                         coalesce(i.first_accepted_at, i.first_dispatched_at))
                END AS first_response_at
        FROM issues i
        LEFT JOIN issue_events s ON s.id = CASE WHEN {settled} THEN NULL ELSE {last_step} END
        WHERE i.voided_at IS NULL AND i.duplicate_of IS NULL AND ({where})
    ) f
    """


def _by_order(conn: sqlite3.Connection, end: str) -> bool:
    """Whether the candidates of `_touched_since` and `_due_candidates` are cheaper found
    order by order (the orders reported before `end`, each with an index probe for a step at
    or after it) than from the steps since `end` (an index range of the event log): when at
    most 2.5 times as many orders were reported before `end` as after it (where the two cost
    the same on the 1M benchmark file: between 2025-12 and 2026-01), so that an old
    period costs what the file's history up to its end costs, and of what came later only
    an index count of the orders reported since. The count of the orders before `end` stops
    past 2.5 times those after it: a recent period pays for a count of its last orders only."""
    found = conn.execute(
        """
        SELECT (SELECT count(*) FROM (SELECT 1 FROM issues WHERE reported_at < :end
                LIMIT 5 * (SELECT count(*) FROM issues WHERE reported_at >= :end) / 2 + 1))
            * 2 <= 5 * (SELECT count(*) FROM issues WHERE reported_at >= :end)
        """,
        {"end": end},
    ).fetchone()
    return bool(found[0])


def _stepped_since(moment: str) -> str:
    """`i` has a step at or after `moment` (one index probe)."""
    return f"""EXISTS (SELECT 1 FROM issue_events x
        WHERE x.issue_id = i.id AND x.at >= {moment} AND x.action IN {STEPS})"""


def _touched_since(moment: str, by_order: bool = False) -> str:
    """`i.id IN …`: the orders reported before :end that may be still to be handled at
    `moment` or later: those still to be handled now, and those with a step at or after it
    (an order with no step since has the state it has now). `by_order` (`_by_order`): the
    same orders, tested one by one."""
    if by_order:
        return f"""i.reported_at < :end
            AND (i.status IN {_ACTIVE} OR {_stepped_since(moment)})"""
    return f"""i.reported_at < :end AND i.id IN (
        SELECT id FROM issues WHERE status IN {_ACTIVE} AND reported_at < :end
        UNION SELECT issue_id FROM issue_events WHERE at >= {moment} AND action IN {STEPS})"""


def _due_candidates(by_order: bool = False) -> str:
    """`i.id IN …`: the orders reported before :end that may count in the on-time rate (due,
    as of :end neither cancelled nor handled before :start), each set an index range: those
    still to be handled now, those whose row was handled in the period (`resolved_at`, else
    `closed_at`) and those with a step at or after :end. An order with no step since :end
    stood then as its row stands now (as `_touched_since` has it), so one still to be
    handled then is one now, and one handled in the period then has its row's handling
    time in the period. `by_order` (`_by_order`): the same orders, tested one by one."""
    if by_order:
        return f"""i.reported_at < :end AND (i.status IN {_ACTIVE}
            OR (i.resolved_at >= :start AND i.resolved_at < :end)
            OR (i.resolved_at IS NULL AND i.closed_at >= :start AND i.closed_at < :end)
            OR {_stepped_since(":end")})"""
    return f"""i.reported_at < :end AND i.id IN (
        SELECT id FROM issues WHERE status IN {_ACTIVE} AND reported_at < :end
        UNION ALL SELECT id FROM issues WHERE resolved_at >= :start AND resolved_at < :end
        UNION ALL SELECT id FROM issues
            WHERE resolved_at IS NULL AND closed_at >= :start AND closed_at < :end
        UNION ALL SELECT issue_id FROM issue_events WHERE at >= :end AND action IN {STEPS})"""


_PERIOD = "i.reported_at >= :start AND i.reported_at < :end"


def issue_groups(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """The period's collected orders counted per (category, grid, source), in one pass over
    the month: the totals and the three breakdowns are sums of these rows. Each order's
    flags are worked out in a co-routine (OFFSET 0: not flattened), so the GROUP BY sorts
    the three keys and four flags, not every column the facts are worked out from."""
    return rows(
        conn,
        f"""
        SELECT category, grid, source, count(*) AS collected,
               coalesce(sum(handled), 0) AS handled,
               coalesce(sum(handled AND on_time), 0) AS handled_on_time,
               coalesce(sum(followed_up), 0) AS followed_up,
               coalesce(sum(satisfied), 0) AS satisfied
        FROM (
            SELECT category, grid, source, handled_at IS NOT NULL AS handled, on_time,
                satisfaction IS NOT NULL AS followed_up,
                satisfaction IN ('satisfied', 'basic') AS satisfied
            FROM ({facts_as_of(_PERIOD)}) WHERE {_COLLECTED}
            LIMIT -1 OFFSET 0
        )
        GROUP BY category, grid, source
        """,
        {"start": start, "end": end},
    )


# Due in the period or before it, not handled before it began, not cancelled at its end.
_DUE = """
    due_at < :due AND state <> 'cancelled'
    AND NOT (handled_at IS NOT NULL AND handled_at < :start)
"""


def due_totals(conn: sqlite3.Connection, start: str, end: str, due_before: str) -> Row:
    """The on-time rate's counts: `due` = orders whose due time fell before `due_before`
    (the end, or now) and not handled before `start` (as of `end`; open overdue ones
    included), neither cancelled at `end`; `on_time` = of those, handled by their due time."""
    found = one(
        conn,
        f"""
        SELECT count(*) AS due, coalesce(sum(on_time), 0) AS on_time
        FROM ({facts_as_of(_due_candidates(_by_order(conn, end)))}) WHERE {_DUE}
        """,
        {"start": start, "end": end, "due": due_before},
    )
    assert found is not None
    return found


def grid_numbers(conn: sqlite3.Connection) -> list[int]:
    return [row[0] for row in conn.execute("SELECT number FROM grids ORDER BY number")]


def hours(
    conn: sqlite3.Connection, start: str, end: str
) -> list[tuple[float | None, float | None]]:
    """(response_hours, resolution_hours) of the period's collected orders, each counted only
    when it happened before the end; one pass over the month for both medians."""
    found: list[tuple[float | None, float | None]] = conn.execute(
        f"""
        SELECT response_hours, resolution_hours
        FROM ({facts_as_of(_PERIOD)}) WHERE {_COLLECTED}
        """,
        {"start": start, "end": end},
    ).fetchall()
    return found


def issue_list(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """The collected orders of the period with what each contributes (for --explain)."""
    return rows(
        conn,
        f"""
        SELECT {_LISTED} FROM ({facts_as_of(_PERIOD)}) WHERE {_COLLECTED}
        ORDER BY reported_at, id
        """,
        {"start": start, "end": end},
    )


_LISTED = """id, title, category, grid, reported_at, due_at, handled_at, closed_at,
    satisfaction, on_time, response_hours, resolution_hours"""


def due_list(conn: sqlite3.Connection, start: str, end: str, due_before: str) -> list[Row]:
    """The orders of the on-time rate's denominator (`due_totals`), for --explain."""
    return rows(
        conn,
        f"""
        SELECT {_LISTED} FROM ({facts_as_of(_due_candidates(_by_order(conn, end)))}) WHERE {_DUE}
        ORDER BY due_at, id
        """,
        {"start": start, "end": end, "due": due_before},
    )


def open_list(conn: sqlite3.Connection, end: str, due_before: str | None = None) -> list[Row]:
    """Orders reported before `end` and still to be handled at `end`, however old, oldest
    first (`status` is the one they have now); with `due_before`, only the overdue ones (due
    before it). The report counts them (open; overdue: due before the end, or now).

    Index-friendly: only the orders open now and those with a step at or after `end` are
    looked at, so a recent month costs the same with 1M orders or 10M; for an old `end`
    (`_by_order`), the orders reported before it, each tested by an index probe."""
    overdue = "AND due_at < :due" if due_before is not None else ""
    return rows(
        conn,
        f"""
        SELECT id, title, category, grid, reported_at, due_at, status
        FROM ({facts_as_of(_touched_since(":end", _by_order(conn, end)))})
        WHERE state = 'open' {overdue}
        ORDER BY reported_at, id
        """,
        {"end": end, "due": due_before},
    )


def monthly_counts(conn: sqlite3.Connection, first_month: str, last_month: str) -> list[Row]:
    return rows(
        conn,
        "SELECT month, collected, handled_in_month FROM v_monthly_issue_stats "
        "WHERE month >= ? AND month <= ? ORDER BY month",
        (first_month, last_month),
    )
