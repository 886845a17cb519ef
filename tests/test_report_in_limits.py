"""The time a department has to report in (报到) is set per category with `issue deadlines
--report-in-hours` (24 hours by default), and the report's department table counts a
report-in within its order's limit as on time (issue 17, item 2)."""

from __future__ import annotations

import json

from conftest import Cli


def department(cli: Cli, name: str) -> dict[str, object]:
    report = json.loads(cli.ok("report", "--month", "2024-08", "--format", "json").stdout)
    return next(d for d in report["issues"]["by_department"] if d["unit"] == name)


def test_a_category_s_report_in_limit_decides_what_is_on_time(ready: Cli) -> None:
    ready.ok("units", "add", "北碚区消防救援支队", "--kind", "agency")
    ready.ok("issue", "deadlines", "--set", "消防通道", "1", "--report-in-hours", "2")
    listed = json.loads(ready.ok("issue", "deadlines", "--format", "json").stdout)
    limits = {row["category"]: row["report_in_hours"] for row in listed}
    assert limits["fire_lane"] == 2 and limits["vendor"] == 24
    for title, category in (("消防通道堆物", "fire_lane"), ("游摊占道", "vendor")):
        number = ready.ok(
            "issue",
            "add",
            title,
            "--category",
            category,
            "--grid",
            "1",
            "--reported-at",
            "2024-08-05 09:00",
        ).stdout.strip()
        ready.ok("issue", "dispatch", number, "--unit", "1", "--at", "2024-08-05 10:00")
        # Three hours later: late for a fire lane (2 h), on time for a vendor (24 h).
        ready.ok("issue", "accept", number, "--unit", "1", "--at", "2024-08-05 13:00")
    entry = department(ready, "北碚区消防救援支队")
    assert entry["reported_in"] == 2
    assert entry["reported_in_on_time"] == 1
    assert entry["fractions"]["reported_in_on_time"] == [1, 2]  # type: ignore[index]


def test_the_limit_goes_with_set_and_has_a_range(ready: Cli) -> None:
    assert "--set" in ready.fails("issue", "deadlines", "--report-in-hours", "2").stderr
    refused = ready.fails("issue", "deadlines", "--set", "vendor", "3", "--report-in-hours", "0")
    assert "--report-in-hours" in refused.stderr
    before = ready.ok("issue", "deadlines", "--format", "json").stdout
    ready.fails("issue", "deadlines", "--set", "vendor", "3", "--report-in-hours", "9999")
    assert ready.ok("issue", "deadlines", "--format", "json").stdout == before
    # Setting the days alone keeps the report-in limit already set.
    ready.ok("issue", "deadlines", "--set", "vendor", "3", "--report-in-hours", "6")
    ready.ok("issue", "deadlines", "--set", "vendor", "4")
    listed = json.loads(ready.ok("issue", "deadlines", "--format", "json").stdout)
    assert (
        next(row for row in listed if row["category"] == "vendor")
        == {"category": "vendor", "days": 4, "report_in_hours": 6, "label": "street vendors"}
        or next(row for row in listed if row["category"] == "vendor")["report_in_hours"] == 6
    )
