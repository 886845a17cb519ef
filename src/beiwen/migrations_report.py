"""m016_report_speed (issue 20, part 3): the indexes that bound every query of the report to
the period's rows, so that a month costs what its own orders cost, whatever the file's size.

- `issue_units_dispatched_at`: the whistles blown in a period (the report's departments and
  duty unit, `repository.report_sections`), read by an index range instead of a scan of
  every whistle ever blown.
- `issues_closed_unresolved`: the orders closed without a resolution time on their row (none
  that beiwen writes: a close follows a resolution), so that the on-time rate's candidates
  (`repository.report.due_totals`) are index ranges of the period's handling times.

Indexes only: no column, no table rebuilt, nothing for a writer to keep.
"""

from __future__ import annotations

from typing import Any

STATEMENTS = (
    "CREATE INDEX issue_units_dispatched_at ON issue_units (dispatched_at)",
    # (resolved_at, closed_at), not closed_at alone: without ANALYZE the planner prefers an
    # equality on issues_resolved_at (every order without a resolution) to a range
    "CREATE INDEX issues_closed_unresolved ON issues (resolved_at, closed_at)"
    " WHERE resolved_at IS NULL AND closed_at IS NOT NULL",
)


def m016_report_speed(db: Any) -> None:
    """The report's index ranges (see above)."""
    for statement in STATEMENTS:
        db.execute(statement)
