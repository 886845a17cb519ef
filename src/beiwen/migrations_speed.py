"""m014_issue_speed (issue 20): what `issue list` and the report read of every work order,
kept on the order's row when it is written instead of being worked out per row when read.

- `issues.last_event_at`: the time of the order's latest event, which `issue list` shows;
  set by the one event writer (`repository.issues.insert_event`, under `moves._record`).
- `issues.response_hours`, `issues.resolution_hours`: hours from the report to the first
  response (the first whistle or report-in) and to the row's resolution (`resolved_at`,
  else `closed_at`), with exactly the arithmetic of `repository.report.facts_as_of`, which
  uses them whenever the moment it reports on saw that same response or resolution (and
  works them out as before for an order reopened since). Set by the writers of the row
  (`repository.issues.insert_issue`, `update_issue`).

`repository.issues.backfill_speed(conn)` fills all three for rows written without them:
this migration runs it on a file's existing orders, the benchmark's generator on its own.

m015_search_pause (issue 20): the search index's triggers (m013) get a WHEN that an import
turns off inside its own transaction, to rewrite the documents it touched at once before it
commits (search_schema.py, "Bulk writes").
"""

from __future__ import annotations

from typing import Any

STATEMENTS = (
    # the time of the order's latest event (issue list), set by the event writer
    "ALTER TABLE issues ADD COLUMN last_event_at TEXT",
    # hours from the report to the first whistle or report-in (the report's response time)
    "ALTER TABLE issues ADD COLUMN response_hours REAL",
    # hours from the report to resolved_at, else closed_at (the report's resolution time)
    "ALTER TABLE issues ADD COLUMN resolution_hours REAL",
)


def m014_issue_speed(db: Any) -> None:
    """The list's last event time and the report's hours on the order's row (see above)."""
    from beiwen.repository.issues import backfill_speed

    for statement in STATEMENTS:
        db.execute(statement)
    backfill_speed(db)


def m015_search_pause(db: Any) -> None:
    """`search_paused`, and the search triggers made again to read it (see above)."""
    from beiwen.search_schema import add_pause

    add_pause(db.conn)
