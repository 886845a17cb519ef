"""The report's departments, sources, overdue list, top categories, year on year and duty
unit (issue 17 items 2, 3, 5), through the CLI on back-dated work orders.

August 2024, Beijing time; 城管 = 北碚区城市管理局, 市监 = 北碚区市场监督管理局, 工会 = 北碚区总工会
(the month's duty unit):
  A  vendor, grid 1, patrol: whistled to 城管 08-01 10:00, reported in after 10 h, resolved in
     time, closed satisfied
  B  consumer, grid 2, 315 station: whistled to 市监, reported in after 48 h (late), resolved
     late, closed unsatisfied
  C  safety, grid 3, hotline: whistled to 城管, reported in after 2 h, never resolved: due
     08-11 09:00, overdue at the end of August by 20 days 15 hours (21 started days)
  D  vendor, grid 1, patrol: whistled to 城管, transferred to 工会 5 h later, which reports in
     after 18 h and resolves it in time
  E  sanitation, grid 4, patrol: whistled to 市监 08-31 23:00, an hour before the end
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import Cli

CITY, MARKET, UNION = "北碚区城市管理局", "北碚区市场监督管理局", "北碚区总工会"


def add(cli: Cli, title: str, category: str, grid: str, source: str, at: str) -> str:
    return cli.ok(
        "issue", "add", title, "--category", category, "--grid", grid,
        "--source", source, "--reported-at", at,
    ).stdout.strip()  # fmt: skip


@pytest.fixture
def august(ready: Cli) -> Cli:
    cli = ready
    for name in (CITY, MARKET, UNION):
        cli.ok("units", "add", name, "--kind", "agency", "--council")
    cli.ok("rotation", "assign", "2024-08", UNION)
    a = add(cli, "游摊占道", "vendor", "1", "patrol", "2024-08-01 09:00")
    cli.ok("issue", "dispatch", a, "--unit", CITY, "--at", "2024-08-01 10:00")
    cli.ok("issue", "accept", a, "--unit", CITY, "--at", "2024-08-01 20:00")
    cli.ok("issue", "resolve", a, "--note", "已清理", "--at", "2024-08-02 09:00")
    cli.ok("issue", "close", a, "--satisfaction", "satisfied", "--at", "2024-08-03 09:00")
    b = add(cli, "预付卡退费", "consumer", "2", "station_315", "2024-08-05 09:00")
    cli.ok("issue", "dispatch", b, "--unit", MARKET, "--at", "2024-08-05 10:00")
    cli.ok("issue", "accept", b, "--unit", MARKET, "--at", "2024-08-07 10:00")
    cli.ok("issue", "resolve", b, "--note", "退款", "--at", "2024-08-20 09:00")
    cli.ok("issue", "close", b, "--satisfaction", "unsatisfied", "--at", "2024-08-21 09:00")
    c = add(cli, "燃气管道隐患", "safety", "3", "hotline", "2024-08-10 09:00")
    cli.ok("issue", "dispatch", c, "--unit", CITY, "--at", "2024-08-10 10:00")
    cli.ok("issue", "accept", c, "--unit", CITY, "--at", "2024-08-10 12:00")
    d = add(cli, "占道经营", "vendor", "1", "patrol", "2024-08-12 09:00")
    cli.ok("issue", "dispatch", d, "--unit", CITY, "--at", "2024-08-12 10:00")
    cli.ok("issue", "transfer", d, "--to", UNION, "--note", "职责", "--at", "2024-08-12 15:00")
    cli.ok("issue", "accept", d, "--unit", UNION, "--at", "2024-08-13 09:00")
    cli.ok("issue", "resolve", d, "--note", "已规范", "--at", "2024-08-14 09:00")
    e = add(cli, "垃圾堆放", "sanitation", "4", "patrol", "2024-08-31 22:00")
    cli.ok("issue", "dispatch", e, "--unit", MARKET, "--at", "2024-08-31 23:00")
    cli.ok(
        "activity", "add", "主题党日", "--kind", "party_day", "--date", "2024-08-27",
        "--lead-unit", UNION, "--participants", "40",
    )  # fmt: skip
    return cli


def report(cli: Cli, *args: str) -> dict:
    return json.loads(cli.ok("report", "--month", "2024-08", *args, "--format", "json").stdout)


def test_departments_ranked_with_their_fractions(august: Cli) -> None:
    departments = report(august)["issues"]["by_department"]
    assert [(d["unit"], d["rank"], d["score"]) for d in departments] == [
        (UNION, 1, 100.0),  # 40% + 40% on time; nothing followed up: that part left out
        (CITY, 2, 66.7),  # 0.4 * 2/3 + 0.4 * 1/2 + 0.2 * 1/1
        (MARKET, 3, 0.0),
    ]
    union, city, market = departments
    assert city | {"fractions": None} == {
        "unit_id": city["unit_id"],
        "unit": CITY,
        "dispatched": 3,  # A C D
        "reported_in": 2,  # A C; D went on before 城管 reported in
        "reported_in_on_time": 2,
        "median_report_in_hours": 6.0,
        "transferred": 1,  # D
        "handled": 1,  # A
        "handled_on_time": 1,
        "overdue": 1,  # C
        "satisfied": 1,
        "followed_up": 1,
        "fractions": None,
        "score": 66.7,
        "rank": 2,
    }
    assert city["fractions"] == {
        "reported_in_on_time": [2, 3],  # D's limit ran out unanswered
        "handled_on_time": [1, 2],  # A by its due time; C fell due open
        "satisfied": [1, 1],
    }
    assert union["dispatched"] == 1 and union["median_report_in_hours"] == 18.0
    assert union["fractions"] == {
        "reported_in_on_time": [1, 1],
        "handled_on_time": [1, 1],
        "satisfied": [0, 0],
    }
    # E was whistled an hour before the end: neither its report-in nor its due time counts yet.
    assert market["dispatched"] == 2 and market["reported_in"] == 1
    assert market["fractions"] == {
        "reported_in_on_time": [0, 1],
        "handled_on_time": [0, 1],
        "satisfied": [0, 1],
    }


def test_sources_top_categories_and_overdue_list(august: Cli) -> None:
    issues = report(august)["issues"]
    assert issues["by_source"] == {
        "patrol": {"collected": 3, "handled": 2},
        "hotline": {"collected": 1, "handled": 0},
        "station_315": {"collected": 1, "handled": 1},
    }
    assert issues["top_categories"] == [
        {"category": "vendor", "collected": 2, "share": 0.4},
        {"category": "safety", "collected": 1, "share": 0.2},  # ties in the vocabulary's order
        {"category": "sanitation", "collected": 1, "share": 0.2},
    ]
    (overdue,) = issues["overdue_list"]
    assert overdue | {"id": None, "departments": None} == {
        "id": None,
        "title": "燃气管道隐患",
        "category": "safety",
        "grid": 3,
        "grid_name": "第3网格",
        "due_at": "2024-08-11T09:00:00+08:00",
        "days_overdue": 21,
        "departments": None,
    }
    assert [holder["unit"] for holder in overdue["departments"]] == [CITY]
    assert issues["overdue"] == 1


def test_the_duty_unit_month(august: Cli) -> None:
    (unit,) = report(august)["duty"]["units"]
    assert unit["unit"] == UNION and unit["months"] == ["2024-08"]
    assert [(a["title"], a["kind"], a["participants"]) for a in unit["activities"]] == [
        ("主题党日", "party_day", 40)
    ]
    assert (unit["dispatched"], unit["reported_in"], unit["reported_in_on_time"]) == (1, 1, 1)
    assert unit["median_report_in_hours"] == 18.0
    assert [order["report_in_hours"] for order in unit["orders"]] == [18.0]
    july = json.loads(august.ok("report", "--month", "2024-07", "--format", "json").stdout)
    assert july["duty"] == {"units": []}


def test_compare_a_month_with_the_one_before_and_a_year_earlier(august: Cli) -> None:
    data = report(august, "--compare")
    assert data["previous"]["period"]["label"] == "2024-07"
    assert data["year_ago"]["period"]["label"] == "2023-08"
    assert "year_ago" not in data["previous"] and "previous" not in data["year_ago"]
    year = json.loads(august.ok("report", "--year", "2024", "--compare", "--format", "json").stdout)
    assert "year_ago" not in year and year["previous"]["period"]["label"] == "2023"
    table = august.ok("--wide", "report", "--month", "2024-08", "--compare", lang="zh").stdout
    assert "上年同期" in table and "同比" in table


def test_the_report_is_the_contract(august: Cli) -> None:
    from beiwen.report_contract import Report

    text = august.ok("report", "--month", "2024-08", "--compare", "--format", "json").stdout
    assert Report.model_validate_json(text).model_dump(mode="json", exclude_unset=True) == (
        json.loads(text)
    )


def test_the_sections_in_every_format(august: Cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    table = august.ok("--wide", "report", "--month", "2024-08", lang="zh").stdout
    for heading in (
        "问题来源",
        "问题类别前三位",
        "部门吹哨报到情况",
        "期末超期工单",
        "轮值书记单位履职情况",
    ):
        assert heading in table
    assert table.index(UNION) < table.index(CITY) < table.index(MARKET)  # best first
    markdown = august.ok("report", "--month", "2024-08", "--format", "md", lang="zh").stdout
    assert "## 部门吹哨报到情况（按得分排名）" in markdown and "| 燃气管道隐患 |" in markdown
    text = august.ok("report", "--month", "2024-08", "--format", "csv", lang="zh").stdout
    cells = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if row]
    assert ["期末超期工单"] in cells and any(row[:2] == ["1", UNION] for row in cells)
    keys = august.ok("report", "--month", "2024-08", "--format", "csv", "--keys").stdout
    assert "issues.by_source.patrol.collected,3" in keys
    path = tmp_path / "report.xlsx"
    august.ok("report", "--month", "2024-08", "--format", "xlsx", "--output", str(path))
    assert path.stat().st_size > 0


def test_the_demo_year(demo: Cli) -> None:
    data = json.loads(demo.ok("report", "--year", "2024", "--format", "json").stdout)
    issues = data["issues"]
    assert sum(s["collected"] for s in issues["by_source"].values()) == issues["collected"]
    ranks = [d["rank"] for d in issues["by_department"] if d["rank"] is not None]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert len(issues["overdue_list"]) == issues["overdue"]
    assert len(data["duty"]["units"]) == len(data["rotation"]["units"])


def test_as_of_the_end_of_the_period(august: Cli) -> None:
    """A reopening in September changes nothing in August's departments and sources."""
    before = report(august)["issues"]
    first = json.loads(august.ok("issue", "list", "--format", "json").stdout)[0]["id"]
    august.ok("issue", "reopen", str(first), "--note", "又摆摊", "--at", "2024-09-03 10:00")
    after = report(august)["issues"]
    assert after["by_department"] == before["by_department"]
    assert after["by_source"] == before["by_source"]
    september = json.loads(august.ok("report", "--month", "2024-09", "--format", "json").stdout)[
        "issues"
    ]
    assert [row["title"] for row in september["overdue_list"]][:2] == ["游摊占道", "燃气管道隐患"]
