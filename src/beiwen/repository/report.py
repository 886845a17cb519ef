"""The report's reads: aggregates over the views v_issue_facts, v_monthly_issue_stats,
v_activity_facts and the class tables. Bounds are ISO texts (`…T00:00:00+08:00`) or dates;
every filter is on an indexed time column so a month costs the same in year 1 and year 10.
"""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, one, rows

# A collected work order: reported in the period and not cancelled by its end (the views
# leave voided orders and duplicates out altogether: a duplicate counts as its original).
_COLLECTED = """
    reported_at >= :start AND reported_at < :end
    AND NOT (cancelled_at IS NOT NULL AND cancelled_at < :end)
"""


def issue_totals(conn: sqlite3.Connection, start: str, end: str) -> Row:
    found = one(
        conn,
        f"""
        SELECT count(*) AS collected,
               coalesce(sum(handled_at < :end), 0) AS handled,
               coalesce(sum(handled_at < :end AND on_time), 0) AS on_time,
               coalesce(sum(satisfaction IS NOT NULL AND closed_at < :end), 0) AS followed_up,
               coalesce(sum(satisfaction IN ('satisfied', 'basic') AND closed_at < :end), 0)
                   AS satisfied
        FROM v_issue_facts WHERE {_COLLECTED}
        """,
        {"start": start, "end": end},
    )
    assert found is not None
    return found


def issue_breakdown(conn: sqlite3.Connection, start: str, end: str, column: str) -> list[Row]:
    """Collected and handled per category or per grid."""
    assert column in ("category", "grid")
    return rows(
        conn,
        f"""
        SELECT {column} AS key, count(*) AS collected,
               coalesce(sum(handled_at < :end), 0) AS handled
        FROM v_issue_facts WHERE {_COLLECTED}
        GROUP BY {column} ORDER BY {column}
        """,
        {"start": start, "end": end},
    )


def grid_numbers(conn: sqlite3.Connection) -> list[int]:
    return [row[0] for row in conn.execute("SELECT number FROM grids ORDER BY number")]


def hours(
    conn: sqlite3.Connection, start: str, end: str
) -> list[tuple[float | None, float | None]]:
    """(response_hours, resolution_hours) of the period's collected orders, each counted only
    when it happened before the end; one pass over the month for both medians."""
    found: list[tuple[float | None, float | None]] = conn.execute(
        f"""
        SELECT CASE WHEN first_response_at < :end THEN response_hours END,
               CASE WHEN handled_at < :end THEN resolution_hours END
        FROM v_issue_facts WHERE {_COLLECTED}
        """,
        {"start": start, "end": end},
    ).fetchall()
    return found


def open_at(conn: sqlite3.Connection, end: str, due_before: str) -> Row:
    """Orders reported before `end` and not handled or cancelled at `end`, however old.

    Three index-friendly parts instead of one scan of history: the orders open now, and
    those handled or cancelled only at or after `end`. The unary `+` keeps the planner off
    `issues_status` for the last two (it would visit every order ever resolved) and on the
    time indexes, so a month costs the same with 1M orders or 10M.
    """
    found = one(
        conn,
        """
        SELECT count(*) AS open, coalesce(sum(due_at < :due), 0) AS overdue FROM (
            SELECT due_at FROM issues
            WHERE status IN ('open', 'dispatched', 'in_progress') AND reported_at < :end
                AND voided_at IS NULL
            UNION ALL
            SELECT due_at FROM issues
            WHERE resolved_at >= :end AND +status IN ('resolved', 'closed')
                AND +reported_at < :end AND voided_at IS NULL AND duplicate_of IS NULL
            UNION ALL
            SELECT due_at FROM issues
            WHERE cancelled_at >= :end AND +status = 'cancelled' AND +reported_at < :end
                AND voided_at IS NULL AND duplicate_of IS NULL
        )
        """,
        {"end": end, "due": due_before},
    )
    assert found is not None
    return found


def issue_list(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """The collected orders of the period with what each contributes (for --explain)."""
    return rows(
        conn,
        f"""
        SELECT id, title, category, grid, reported_at, due_at, handled_at, closed_at,
               satisfaction, on_time, response_hours, resolution_hours
        FROM v_issue_facts WHERE {_COLLECTED} ORDER BY reported_at, id
        """,
        {"start": start, "end": end},
    )


def open_list(conn: sqlite3.Connection, end: str) -> list[Row]:
    return rows(
        conn,
        """
        SELECT id, title, category, grid, reported_at, due_at, status FROM issues
        WHERE reported_at < :end AND voided_at IS NULL AND duplicate_of IS NULL AND (
            status IN ('open', 'dispatched', 'in_progress')
            OR (resolved_at >= :end AND +status IN ('resolved', 'closed'))
            OR (cancelled_at >= :end AND +status = 'cancelled'))
        ORDER BY reported_at, id
        """,
        {"end": end},
    )


def monthly_counts(conn: sqlite3.Connection, first_month: str, last_month: str) -> list[Row]:
    return rows(
        conn,
        "SELECT month, collected, handled_in_month FROM v_monthly_issue_stats "
        "WHERE month >= ? AND month <= ? ORDER BY month",
        (first_month, last_month),
    )
