"""The report as of the period's end (issue 17, items 1 and 4), through the real CLI.

Every workflow figure is what the event log says held at the end of the period, so a closed
period's report does not change when later steps are added; corrections of facts (`issue
edit`) do apply to past periods. The on-time rate counts every order that fell due.

The scenario (2024, Beijing time), built with back-dated commands, due times given:
  U  reported 06-01, due 06-10, resolved 06-05                  -> handled before August
  R  reported 07-10, due 07-20, resolved 08-12 (late)           -> August's on-time, late
  P  reported 08-01, due 08-05, resolved 08-03, closed satisfied 08-04; reopened 09-02
  Q  reported 08-06, due 08-10, cancelled 08-07; reopened (taken back) 09-03
  S  reported 08-20, due 08-25, never handled                   -> open and overdue
  T  reported 08-25, due 09-10, resolved 08-28                  -> on time, due in September
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import Cli


def add(cli: Cli, title: str, category: str, grid: str, at: str, due: str) -> str:
    return cli.ok(
        "issue",
        "add",
        title,
        "--category",
        category,
        "--grid",
        grid,
        "--reported-at",
        at,
        "--due",
        due,
    ).stdout.strip()


def report(cli: Cli, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(cli.ok("report", *args, "--format", "json").stdout)
    return data


def explained(cli: Cli, metric: str, month: str = "2024-08") -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        cli.ok("report", "--month", month, "--explain", metric, "--format", "json").stdout
    )
    return data


def later_steps(cli: Cli, ids: dict[str, str]) -> None:
    """September: P is reopened, Q's cancellation is taken back."""
    cli.ok("issue", "reopen", ids["P"], "--note", "垃圾又堆起来了", "--at", "2024-09-02 09:00")
    cli.ok("issue", "reopen", ids["Q"], "--note", "并非重复", "--at", "2024-09-03 09:00")


@pytest.fixture
def orders(ready: Cli) -> dict[str, str]:
    cli = ready
    ids: dict[str, str] = {}
    ids["U"] = add(cli, "井盖松动", "safety", "1", "2024-06-01 09:00", "2024-06-10 09:00")
    cli.ok("issue", "resolve", ids["U"], "--note", "已更换", "--at", "2024-06-05 09:00")
    ids["R"] = add(cli, "招牌破损", "safety", "2", "2024-07-10 09:00", "2024-07-20 09:00")
    cli.ok("issue", "resolve", ids["R"], "--note", "已修复", "--at", "2024-08-12 09:00")
    ids["P"] = add(cli, "垃圾堆放", "sanitation", "1", "2024-08-01 09:00", "2024-08-05 09:00")
    cli.ok("issue", "resolve", ids["P"], "--note", "已清运", "--at", "2024-08-03 09:00")
    cli.ok("issue", "close", ids["P"], "--satisfaction", "satisfied", "--at", "2024-08-04 09:00")
    ids["Q"] = add(cli, "商户占道", "vendor", "2", "2024-08-06 09:00", "2024-08-10 09:00")
    cli.ok("issue", "cancel", ids["Q"], "--note", "疑似重复", "--at", "2024-08-07 09:00")
    ids["S"] = add(cli, "噪音扰民", "dispute", "3", "2024-08-20 09:00", "2024-08-25 09:00")
    ids["T"] = add(cli, "路灯不亮", "safety", "3", "2024-08-25 09:00", "2024-09-10 09:00")
    cli.ok("issue", "resolve", ids["T"], "--note", "已修好", "--at", "2024-08-28 09:00")
    return ids


# The workflow figures of services.report.issue_section (the sections of
# services/report_sections.py have tests of their own).
WORKFLOW = (
    "collected",
    "handled",
    "handling_rate",
    "open",
    "overdue",
    "on_time_rate",
    "handled_on_time_rate",
    "median_response_hours",
    "median_resolution_hours",
    "satisfaction_rate",
    "by_category",
    "by_grid",
    "fractions",
)


def figures(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data["issues"][key] for key in WORKFLOW}


def test_august_is_what_held_at_its_end(orders: dict[str, str], ready: Cli) -> None:
    issues = report(ready, "--month", "2024-08")["issues"]
    assert issues["collected"] == 3  # P S T; Q was cancelled at the end of August
    assert issues["handled"] == 2  # P T
    assert issues["fractions"]["handling_rate"] == [2, 3]
    assert (issues["open"], issues["overdue"]) == (1, 1)  # S; R was resolved 08-12
    assert issues["fractions"]["satisfaction_rate"] == [1, 1]  # P closed satisfied 08-04
    assert issues["median_resolution_hours"] == 60.0  # P 48 h, T 72 h


def test_later_steps_do_not_change_a_closed_period(orders: dict[str, str], ready: Cli) -> None:
    before = figures(report(ready, "--month", "2024-08"))
    year_before = report(ready, "--year", "2024")["monthly"]
    later_steps(ready, orders)
    after = figures(report(ready, "--month", "2024-08"))
    assert after == before
    # P, resolved in August and reopened in September, still counts as handled in August
    assert after["handled"] == 2
    assert after["by_category"]["sanitation"] == {"collected": 1, "handled": 1}
    # ... and the month's row of a long period too (v_monthly_issue_stats, as of its end)
    monthly = report(ready, "--year", "2024")["monthly"]
    assert monthly == year_before
    assert {"month": "2024-08", "collected": 3, "handled": 2} in monthly
    explain = explained(ready, "handling_rate")
    assert {str(row["id"]) for row in explain["issues"] if row["in_numerator"]} == {
        orders["P"],
        orders["T"],
    }


def test_september_sees_the_reopened_orders(orders: dict[str, str], ready: Cli) -> None:
    later_steps(ready, orders)
    september = report(ready, "--month", "2024-09")["issues"]
    assert september["collected"] == 0
    assert (september["open"], september["overdue"]) == (3, 3)  # P, Q (back from cancel), S
    overdue = explained(ready, "overdue", "2024-09")
    assert {str(row["id"]) for row in overdue["issues"]} == {orders[k] for k in "PQS"}
    # fell due by the end of September, not handled before it began: P, Q and S, all open;
    # T (due 09-10) was handled in August
    assert september["fractions"]["on_time_rate"] == [0, 3]
    assert september["on_time_rate"] == 0.0
    year = report(ready, "--year", "2024")["issues"]
    assert (year["collected"], year["handled"], year["open"]) == (6, 3, 3)  # U R T handled


def test_a_back_dated_step_inside_the_period_counts(orders: dict[str, str], ready: Cli) -> None:
    """What the log says held: a step entered later but dated inside August counts there."""
    ready.ok("issue", "resolve", orders["S"], "--note", "补录：已调解", "--at", "2024-08-30 09:00")
    issues = report(ready, "--month", "2024-08")["issues"]
    assert (issues["handled"], issues["open"], issues["overdue"]) == (3, 0, 0)
    assert issues["fractions"]["on_time_rate"] == [1, 3]  # S was handled, after its due time


def test_corrections_of_facts_apply_to_past_periods(orders: dict[str, str], ready: Cli) -> None:
    later_steps(ready, orders)
    ready.ok(
        "issue", "edit", orders["P"], "--category", "vendor", "--grid", "4", "--note", "类别录错"
    )
    issues = report(ready, "--month", "2024-08")["issues"]
    assert "sanitation" not in issues["by_category"]
    assert issues["by_category"]["vendor"] == {"collected": 1, "handled": 1}
    assert issues["by_grid"]["4"] == {"collected": 1, "handled": 1}
    assert issues["handled"] == 2  # still as of the end of August


def test_on_time_rate_counts_what_fell_due(orders: dict[str, str], ready: Cli) -> None:
    issues = report(ready, "--month", "2024-08")["issues"]
    # fell due by the end of August and not handled before it: P (on time), R (from July,
    # late), S (open and overdue: counts against it); not Q (cancelled), T (due in
    # September), U (handled in June)
    assert issues["fractions"]["on_time_rate"] == [1, 3]
    assert issues["on_time_rate"] == round(1 / 3, 4)
    # the old figure: of the handled, those handled on time (P and T)
    assert issues["fractions"]["handled_on_time_rate"] == [2, 2]
    assert issues["handled_on_time_rate"] == 1.0
    on_time = explained(ready, "on_time_rate")
    assert (on_time["numerator"], on_time["denominator"]) == (1, 3)
    listed = {str(row["id"]): row["in_numerator"] for row in on_time["issues"]}
    assert listed == {orders["P"]: True, orders["R"]: False, orders["S"]: False}
    assert all(row["in_denominator"] for row in on_time["issues"])
    handled = explained(ready, "已办结按时率")
    assert handled["metric"] == "handled_on_time_rate"
    assert (handled["numerator"], handled["denominator"]) == (2, 2)
    assert {str(row["id"]) for row in handled["issues"]} == {orders["P"], orders["T"]}
    table = ready.ok("report", "--month", "2024-08").stdout
    assert "1/3 = 33.3%" in table and "2/2 = 100.0%" in table
    zh = ready.ok("report", "--month", "2024-08", "--explain", "按期办结率", lang="zh")
    assert zh.stderr == "2024-08 的按时办结率：分子 1，分母 3\n"


def test_july_counts_the_order_open_at_its_end(orders: dict[str, str], ready: Cli) -> None:
    july = report(ready, "--month", "2024-07")["issues"]
    assert (july["collected"], july["handled"], july["open"], july["overdue"]) == (1, 0, 1, 1)
    assert july["fractions"]["on_time_rate"] == [0, 1]  # R, due 07-20, still open
    assert july["fractions"]["handled_on_time_rate"] == [0, 0]
    assert july["handled_on_time_rate"] is None


def test_the_contract_holds_the_new_figures(orders: dict[str, str], ready: Cli) -> None:
    from beiwen.report_contract import Report

    later_steps(ready, orders)
    for args in (("--month", "2024-08"), ("--month", "2024-09"), ("--year", "2024")):
        text = ready.ok("report", *args, "--compare", "--format", "json").stdout
        Report.model_validate_json(text)


def test_the_demo_year_on_time(demo: Cli) -> None:
    issues = report(demo, "--year", "2024")["issues"]
    assert issues["fractions"]["handling_rate"] == [73, 77]
    # 76 fell due in 2024 (#77 is due 2025-01-01); 55 were handled by then, 3 are open
    assert issues["fractions"]["on_time_rate"] == [55, 76]
    assert issues["fractions"]["handled_on_time_rate"] == [55, 73]
    assert "55/76 = 72.4%" in demo.ok("report", "--year", "2024").stdout


def test_orders_touched_after_the_end_read_the_log_the_others_their_row(ready: Cli) -> None:
    """The report reads an order's row when all its events came before the period's end,
    the event log otherwise: steps, report-ins, comments and a voiding after the end of
    August leave August's issues and duty figures as they were (the voided order aside:
    it counts nowhere), while September sees the new steps."""
    cli = ready
    cli.ok("units", "add", "北碚区城市管理局", "--kind", "agency", "--council")
    cli.ok("rotation", "assign", "2024-08", "北碚区城市管理局")
    unit = ("--unit", "北碚区城市管理局")
    ids = {
        key: add(cli, f"工单{key}", "vendor", "1", f"2024-08-0{n} 09:00", f"2024-08-0{n + 2} 09:00")
        for n, key in enumerate("ABCDE", start=1)
    }
    cli.ok("issue", "dispatch", ids["A"], *unit, "--at", "2024-08-01 10:00")
    cli.ok("issue", "accept", ids["A"], *unit, "--at", "2024-08-01 12:00")
    cli.ok("issue", "resolve", ids["A"], "--note", "已劝离", "--at", "2024-08-02 09:00")
    cli.ok("issue", "close", ids["A"], "--satisfaction", "basic", "--at", "2024-08-03 09:00")
    cli.ok("issue", "resolve", ids["B"], "--note", "已清理", "--at", "2024-08-05 09:00")
    cli.ok("issue", "dispatch", ids["C"], *unit, "--at", "2024-08-30 10:00")
    cli.ok("issue", "cancel", ids["E"], "--note", "不属本辖区", "--at", "2024-08-06 09:00")
    august = report(cli, "--month", "2024-08")
    issues = august["issues"]
    assert (issues["collected"], issues["handled"], issues["open"]) == (4, 2, 2)  # A B | C D
    assert issues["fractions"]["satisfaction_rate"] == [1, 1]
    assert issues["median_resolution_hours"] == 48.0  # A 24 h, B 72 h
    [department] = issues["by_department"]
    assert (department["dispatched"], department["reported_in"], department["handled"]) == (2, 1, 1)

    cli.ok("issue", "comment", ids["A"], "回访后再次确认", "--at", "2024-09-01 09:00")
    cli.ok("issue", "reopen", ids["B"], "--note", "又堆起来了", "--at", "2024-09-02 09:00")
    cli.ok("issue", "resolve", ids["B"], "--note", "再次清理", "--at", "2024-09-03 09:00")
    cli.ok("issue", "accept", ids["C"], *unit, "--at", "2024-09-02 09:00")
    cli.ok("issue", "resolve", ids["C"], "--note", "已办结", "--at", "2024-09-04 09:00")
    cli.ok("issue", "resolve", ids["D"], "--note", "补办", "--at", "2024-09-05 09:00")
    later = report(cli, "--month", "2024-08")
    assert {k: v for k, v in later.items() if k != "generated_at"} == {
        k: v for k, v in august.items() if k != "generated_at"
    }
    september = report(cli, "--month", "2024-09")["issues"]
    assert (september["collected"], september["open"]) == (0, 0)
    assert september["fractions"]["on_time_rate"] == [0, 3]  # B C D handled late in September

    cli.ok("issue", "void", ids["D"], "--note", "录入错误")
    voided = report(cli, "--month", "2024-08")["issues"]
    assert (voided["collected"], voided["handled"], voided["open"]) == (3, 2, 1)  # D gone
    assert voided["by_department"] == issues["by_department"]
