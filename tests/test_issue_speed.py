"""m014_issue_speed (issue 20): the list's last event time and the report's hours are kept on
the order's row as its steps are written, and equal what the event log and the row's times
give when worked out from scratch (the arithmetic of repository.report.facts_as_of); a
report as of an earlier moment (an order resolved again since) still uses the hours of then;
`issue list --format json` streams the same rows as before."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from beiwen.repository.issues import backfill_speed
from conftest import Cli

FROM_SCRATCH = """
SELECT i.id,
    (SELECT max(e.at) FROM issue_events e WHERE e.issue_id = i.id),
    round((julianday(CASE WHEN i.first_dispatched_at IS NULL THEN i.first_accepted_at
        WHEN i.first_accepted_at IS NULL THEN i.first_dispatched_at
        ELSE min(i.first_dispatched_at, i.first_accepted_at) END)
        - julianday(i.reported_at)) * 24, 2),
    round((julianday(coalesce(i.resolved_at, i.closed_at)) - julianday(i.reported_at)) * 24, 2)
FROM issues i ORDER BY i.id
"""
STORED = "SELECT id, last_event_at, response_hours, resolution_hours FROM issues ORDER BY id"


def stored_and_scratch(cli: Cli) -> tuple[list[Any], list[Any]]:
    with sqlite3.connect(cli.db) as conn:
        return conn.execute(STORED).fetchall(), conn.execute(FROM_SCRATCH).fetchall()


def steps(cli: Cli) -> list[str]:
    add = ("issue", "add", "--category", "vendor", "--grid", "1", "--reported-at")
    first = cli.ok(*add[:2], "占道经营", *add[2:], "2024-08-01 09:00").stdout.strip()
    second = cli.ok(*add[:2], "井盖松动", *add[2:], "2024-08-02 10:30").stdout.strip()
    cli.ok("units", "add", "北碚区城市管理局", "--kind", "agency")
    cli.ok("issue", "dispatch", first, "--unit", "北碚区城市管理局", "--at", "2024-08-01 11:00")
    cli.ok("issue", "accept", first, "--unit", "北碚区城市管理局", "--at", "2024-08-01 15:15")
    cli.ok("issue", "resolve", first, "--note", "已劝离", "--at", "2024-08-03 09:00")
    cli.ok("issue", "reopen", first, "--note", "又来了", "--at", "2024-09-02 09:00")
    cli.ok("issue", "resolve", first, "--note", "再次劝离", "--at", "2024-09-04 09:00")
    cli.ok("issue", "comment", second, "已联系", "--at", "2024-08-05 08:00")
    cli.ok("issue", "edit", second, "--reporter", "张伟", "--note", "补登")
    return [first, second]


def test_the_row_keeps_what_the_event_log_and_its_times_give(ready: Cli) -> None:
    steps(ready)
    stored, scratch = stored_and_scratch(ready)
    assert stored == scratch
    assert stored[0][2] == 2.0 and stored[0][3] == 816.0  # 11:00 whistle; 4 Sep, not 3 Aug
    assert stored[1][2] is None and stored[1][3] is None


def test_the_backfill_gives_the_same(ready: Cli) -> None:
    steps(ready)
    before, _ = stored_and_scratch(ready)
    with sqlite3.connect(ready.db) as conn:
        conn.execute("UPDATE issues SET last_event_at = NULL, response_hours = NULL")
        backfill_speed(conn)
    assert stored_and_scratch(ready)[0] == before


def report(cli: Cli, month: str) -> dict[str, Any]:
    data = json.loads(cli.ok("report", "--month", month, "--format", "json").stdout)
    return dict(data["issues"])


def test_an_earlier_month_keeps_its_own_resolution_hours(ready: Cli) -> None:
    steps(ready)
    august = report(ready, "2024-08")
    assert august["median_resolution_hours"] == 48.0  # resolved on 3 Aug, as August saw it
    assert august["median_response_hours"] == 2.0


def test_the_streamed_list_is_the_list(ready: Cli) -> None:
    ids = steps(ready)
    rows = json.loads(ready.ok("issue", "list", "--format", "json").stdout)
    assert [str(row["id"]) for row in rows] == ids
    assert rows[0]["last_event_at"] == "2024-09-04T09:00:00+08:00"
    assert rows[0]["departments"] == "北碚区城市管理局"
    assert "response_hours" not in rows[0] and rows[0]["handled"] is True
    month = json.loads(ready.ok("issue", "list", "--month", "2024-08", "--format", "json").stdout)
    assert month == rows
    assert (
        json.loads(ready.ok("issue", "list", "--month", "2023-01", "--format", "json").stdout) == []
    )
    assert ready.fails("issue", "list", "--month", "2024-13", "--format", "json").stdout == ""
