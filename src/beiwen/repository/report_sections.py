"""The reads of the report's departments, overdue list and duty sections (the sources are
sums of `repository.report.issue_groups`).

Bounds are ISO texts (`…T00:00:00+08:00`). The order facts are those the report's other
figures read, as they held at the end of the period (`repository.report.facts_as_of`: no
voided order, no duplicate), so every section counts the same orders the same way; the
departments' figures are counted in SQL, one grouped pass over the period's whistles.
"""

from __future__ import annotations

import json
import sqlite3

from beiwen.repository import Row, rows
from beiwen.repository.report import facts_as_of


def _whistles() -> str:
    """SQL of the whistles (issue_units rows) blown in [:start, :end) to a department (to
    :unit only, and in the months of the JSON list :months only, when given), with the
    facts of their orders as of :end; orders cancelled before :end are left out (they are
    collected nowhere either). The facts' subquery is flattened into the join, so the plan
    starts from the period's whistles (an index range, m016_report_speed) and looks each
    order up by its id: no scan of the whistles, the orders or the event log."""
    return f"""
        SELECT iu.unit_id, u.name AS unit, iu.issue_id, iu.dispatched_at, iu.accepted_at,
               iu.released_at, f.due_at, f.handled_at, f.closed_at, f.satisfaction,
               round((julianday(iu.accepted_at) - julianday(iu.dispatched_at)) * 24, 2)
                   AS report_in_hours,
               coalesce(d.report_in_hours, 24) AS report_in_limit
        FROM issue_units iu
        JOIN units u ON u.id = iu.unit_id
        JOIN ({facts_as_of("1")}) f ON f.id = iu.issue_id
        LEFT JOIN issue_deadlines d ON d.category = f.category
        WHERE iu.dispatched_at >= :start AND iu.dispatched_at < :end
            AND NOT (f.cancelled_at IS NOT NULL AND f.cancelled_at < :end)
            AND (:unit IS NULL OR iu.unit_id = :unit)
            AND (:months IS NULL
                 OR substr(iu.dispatched_at, 1, 7) IN (SELECT value FROM json_each(:months)))
    """


# What each whistle counts for, as services/report_sections.py defines the figures: 1 or 0.
# `_whistles` runs as a co-routine (OFFSET 0 keeps SQLite from flattening it into the sums),
# so each order's facts are worked out once per whistle, not once per figure that reads
# them; the cutoff's seconds are worked out once, and a whistle's own only when it was not
# reported in.
_COUNTED = """
    count(*) AS dispatched, sum(reported) AS reported_in,
    sum(reported AND report_in_hours <= report_in_limit) AS reported_in_on_time,
    sum(CASE WHEN reported THEN 1
        ELSE CAST(strftime('%s', dispatched_at) AS INTEGER) + report_in_limit * 3600
            <= (SELECT CAST(strftime('%s', :cutoff) AS INTEGER)) END) AS report_in_due,
    sum(transferred) AS transferred, sum(kept AND handled_then) AS handled,
    sum(kept AND handled_then AND due_at IS NOT NULL AND handled_at <= due_at)
        AS handled_on_time,
    sum(kept AND (handled_then OR coalesce(due_at < :cutoff, 0))) AS fell_due,
    sum(kept AND followed_up) AS followed_up,
    sum(kept AND followed_up AND satisfaction IN ('satisfied', 'basic')) AS satisfied,
    json_group_array(report_in_hours) FILTER (WHERE reported) AS report_in_hours
"""
_FLAGGED = """
    SELECT *, coalesce(accepted_at < :end, 0) AS reported,
        coalesce(released_at < :end, 0) AS transferred,
        NOT coalesce(released_at < :end, 0) AS kept,
        coalesce(handled_at < :end, 0) AS handled_then,
        coalesce(handled_at < :end, 0) AND coalesce(satisfaction, '') <> ''
            AND coalesce(closed_at < :end, 0) AS followed_up
    FROM ({whistles} LIMIT -1 OFFSET 0)
"""


def department_figures(
    conn: sqlite3.Connection,
    start: str,
    end: str,
    cutoff: str,
    unit_id: int | None = None,
    months: list[str] | None = None,
) -> list[Row]:
    """Per department (unit_id, unit), the counts of its whistles blown in [start, end)
    (`_whistles`; of `unit_id` in `months` only, when given) as of `end`, report-ins due by
    `cutoff`: dispatched, reported_in, reported_in_on_time, report_in_due, transferred,
    handled, handled_on_time, fell_due, followed_up, satisfied, and the median of the
    report-in hours (`median_report_in_hours`, None without a report-in), in one grouped
    pass.

    The medians are taken of each department's report-in hours, collected in that pass as a
    JSON array (`json_group_array`, cheaper than SQL's window functions or a second read of
    the whistles): each is `round(…, 2)`, the double nearest a decimal of at most 15
    significant digits, which SQLite's JSON writes with 15 and Python reads back as the same
    double."""
    found = rows(
        conn,
        f"""
        SELECT unit_id, unit, {_COUNTED} FROM ({_FLAGGED.format(whistles=_whistles())})
        GROUP BY unit_id, unit ORDER BY unit, unit_id
        """,
        {
            "start": start,
            "end": end,
            "cutoff": cutoff,
            "unit": unit_id,
            "months": json.dumps(months) if months is not None else None,
        },
    )
    for row in found:
        row["median_report_in_hours"] = _median(json.loads(row.pop("report_in_hours")))
    return found


def _median(values: list[float | None]) -> float | None:
    """The median of `values` as SQL sorts them (None first) and takes it: the middle value,
    or the mean of the middle two (None when either is None); None for no value."""
    if not values:
        return None
    ordered = sorted(values, key=lambda value: (value is not None, value or 0.0))
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    low, high = ordered[middle - 1], ordered[middle]
    return None if low is None or high is None else (low + high) / 2.0


def whistles(
    conn: sqlite3.Connection, start: str, end: str, unit_id: int, months: list[str]
) -> list[Row]:
    """The whistles `department_figures` counts for `unit_id` in `months`, by order id:
    issue_id, dispatched_at, accepted_at, report_in_hours."""
    return rows(
        conn,
        f"""
        SELECT issue_id, dispatched_at, accepted_at, report_in_hours
        FROM ({_whistles()}) ORDER BY issue_id
        """,
        {"start": start, "end": end, "unit": unit_id, "months": json.dumps(months)},
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
