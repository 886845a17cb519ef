"""`beiwen report`: every definition on small hand-built data, every format, both languages.

The scenario (all 2024, Beijing time), built through the real CLI:
  A  reported 07-20, vendor, grid 1; resolved 08-02           -> July: collected, open, overdue
  B  reported 08-05, sanitation, grid 2; 1 h to dispatch, resolved after 24 h, closed satisfied
  C  reported 08-10, consumer, grid 2; 3 h to dispatch, resolved after 240 h (late), unsatisfied
  D  reported 08-15, dispute, grid 3; dispatched after 24 h, never resolved (overdue 08-25)
  E  reported 08-20, cancelled 08-21                          -> counted nowhere
  F  reported 08-25 10:00, property; resolved 08-28, reopened 09-03, resolved 09-10
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import Cli


def add(cli: Cli, title: str, category: str, grid: str, at: str) -> str:
    return cli.ok(
        "issue", "add", title, "--category", category, "--grid", grid, "--reported-at", at
    ).stdout.strip()


@pytest.fixture
def scenario(ready: Cli) -> dict[str, str]:
    cli = ready
    cli.ok("units", "add", "北碚区城市管理局", "--kind", "agency", "--council")
    cli.ok("units", "add", "北碚区市场监督管理局", "--kind", "agency", "--council")
    city, market = "北碚区城市管理局", "北碚区市场监督管理局"
    ids: dict[str, str] = {}
    ids["A"] = add(cli, "游摊占用消防通道", "vendor", "1", "2024-07-20 10:00")
    cli.ok("issue", "dispatch", ids["A"], "--unit", city, "--at", "2024-07-20 12:00")
    cli.ok("issue", "accept", ids["A"], "--unit", city, "--at", "2024-07-21 10:00")
    cli.ok("issue", "resolve", ids["A"], "--note", "已清理", "--at", "2024-08-02 10:00")

    ids["B"] = add(cli, "垃圾未清运", "sanitation", "2", "2024-08-05 09:00")
    cli.ok("issue", "dispatch", ids["B"], "--unit", city, "--at", "2024-08-05 10:00")
    cli.ok("issue", "accept", ids["B"], "--unit", city, "--at", "2024-08-05 11:00")
    cli.ok("issue", "resolve", ids["B"], "--note", "已清运", "--at", "2024-08-06 09:00")
    cli.ok("issue", "close", ids["B"], "--satisfaction", "satisfied", "--at", "2024-08-07 09:00")

    ids["C"] = add(cli, "预付卡退款纠纷", "consumer", "2", "2024-08-10 09:00")
    cli.ok("issue", "dispatch", ids["C"], "--unit", market, "--at", "2024-08-10 12:00")
    cli.ok("issue", "accept", ids["C"], "--unit", market, "--at", "2024-08-11 09:00")
    cli.ok("issue", "resolve", ids["C"], "--note", "调解退款", "--at", "2024-08-20 09:00")
    cli.ok("issue", "close", ids["C"], "--satisfaction", "unsatisfied", "--at", "2024-08-21 09:00")

    ids["D"] = add(cli, "商户噪音纠纷", "dispute", "3", "2024-08-15 09:00")
    cli.ok("issue", "dispatch", ids["D"], "--unit", city, "--at", "2024-08-16 09:00")

    ids["E"] = add(cli, "重复上报", "other", "3", "2024-08-20 09:00")
    cli.ok("issue", "cancel", ids["E"], "--note", "重复", "--at", "2024-08-21 09:00")

    ids["F"] = add(cli, "物业漏水", "property", "4", "2024-08-25 10:00")
    cli.ok("issue", "dispatch", ids["F"], "--unit", city, "--at", "2024-08-25 11:00")
    cli.ok("issue", "accept", ids["F"], "--unit", city, "--at", "2024-08-25 12:00")
    cli.ok("issue", "resolve", ids["F"], "--note", "已修", "--at", "2024-08-28 10:00")
    cli.ok("issue", "reopen", ids["F"], "--note", "又漏", "--at", "2024-09-03 10:00")
    cli.ok("issue", "resolve", ids["F"], "--note", "修好", "--at", "2024-09-10 10:00")
    return ids


def report_json(cli: Cli, *args: str) -> dict:
    return json.loads(cli.ok("report", *args, "--format", "json").stdout)


def test_august_definitions(scenario: dict[str, str], ready: Cli) -> None:
    data = report_json(ready, "--month", "2024-08")
    assert data["period"] == {"label": "2024-08", "start": "2024-08-01", "end": "2024-09-01"}
    issues = data["issues"]
    assert issues["collected"] == 4  # B C D F; E was cancelled, A was reported in July
    assert issues["handled"] == 3  # B C F: F was resolved 08-28 (reopened only in September)
    assert issues["handling_rate"] == 0.75
    assert issues["open"] == 1  # D at the end of August; A was resolved 08-02, F 08-28
    assert issues["overdue"] == 1  # D (due 08-25)
    # fell due by the end of August, not handled before it: A (late), B (on time), C (late),
    # D (open, overdue); F is due 09-01 10:00
    assert issues["on_time_rate"] == 0.25
    assert issues["fractions"]["on_time_rate"] == [1, 4]
    assert issues["handled_on_time_rate"] == 0.6667  # B and F on time, C late
    assert issues["fractions"]["handled_on_time_rate"] == [2, 3]
    assert issues["median_response_hours"] == 2.0  # 1, 1, 3, 24
    assert issues["median_resolution_hours"] == 72.0  # 24, 72 and 240
    assert issues["satisfaction_rate"] == 0.5
    assert issues["fractions"]["handling_rate"] == [3, 4]
    assert issues["by_category"] == {
        "consumer": {"collected": 1, "handled": 1},
        "dispute": {"collected": 1, "handled": 0},
        "property": {"collected": 1, "handled": 1},
        "sanitation": {"collected": 1, "handled": 1},
    }
    assert issues["by_grid"]["2"] == {"collected": 2, "handled": 2}
    assert issues["by_grid"]["6"] == {"collected": 0, "handled": 0}
    assert set(data) >= {"period", "rotation", "issues", "courses", "activities"}


def test_july_issue_resolved_in_august(scenario: dict[str, str], ready: Cli) -> None:
    july = report_json(ready, "--month", "2024-07")["issues"]
    assert (july["collected"], july["handled"], july["open"], july["overdue"]) == (1, 0, 1, 1)
    assert july["handling_rate"] == 0.0


def test_reopened_issue_counts_from_latest_resolution(scenario: dict[str, str], ready: Cli) -> None:
    september = report_json(ready, "--month", "2024-09")["issues"]
    assert september["collected"] == 0
    assert september["handling_rate"] is None  # nothing collected: null, never a division error
    assert september["open"] == 1  # only D is still open at the end of September
    # fell due by the end of September, not handled before it: D (open) and F (reopened
    # 09-03, resolved again 09-10, after its due time)
    assert september["fractions"]["on_time_rate"] == [0, 2]
    year = report_json(ready, "--year", "2024")["issues"]
    assert (year["collected"], year["handled"]) == (5, 4)  # A B C F handled by year end
    assert year["fractions"]["handling_rate"] == [4, 5]


def test_month_with_nothing(ready: Cli) -> None:
    data = report_json(ready, "--month", "2023-02")
    assert data["issues"]["collected"] == 0
    assert data["issues"]["handling_rate"] is None
    assert data["courses"] == {"classes": 0, "attendance": 0, "by_course": {}}
    assert data["activities"] == {"count": 0, "by_kind": {}}
    table = ready.ok("report", "--month", "2023-02").stdout
    assert "0/0 = -" in table


def test_table_shows_fractions(scenario: dict[str, str], ready: Cli) -> None:
    out = ready.ok("report", "--month", "2024-08").stdout
    assert "Monthly report 2024-08" in out
    assert "3/4 = 75.0%" in out
    assert "Work orders by category" in out and "Work orders by grid" in out
    zh = ready.ok("report", "--month", "2024-08", lang="zh").stdout
    assert "2024-08 月度工作报告" in zh
    assert "问题处理率" in zh and "3/4 = 75.0%" in zh


def test_lang_option_on_the_command(scenario: dict[str, str], ready: Cli) -> None:
    zh = ready.ok("report", "--month", "2024-08", "--lang", "zh").stdout
    assert "问题工单" in zh
    # --lang is the root's option wherever it stands: a bad value is a usage error.
    result = ready("report", "--month", "2024-08", "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr.endswith("Error: Invalid value for --lang: use zh or en\n")


def test_explain_handling_rate(scenario: dict[str, str], ready: Cli) -> None:
    result = json.loads(
        ready.ok(
            "report", "--month", "2024-08", "--explain", "handling_rate", "--format", "json"
        ).stdout
    )
    assert (result["numerator"], result["denominator"]) == (3, 4)
    numerator = {str(row["id"]) for row in result["issues"] if row["in_numerator"]}
    denominator = {str(row["id"]) for row in result["issues"] if row["in_denominator"]}
    assert numerator == {scenario["B"], scenario["C"], scenario["F"]}
    assert denominator == {scenario[k] for k in "BCDF"}
    table = ready.ok("report", "--month", "2024-08", "--explain", "handling_rate")
    assert "numerator 3, denominator 4" in table.stderr
    assert "垃圾未清运" in table.stdout
    overdue = json.loads(
        ready.ok("report", "--month", "2024-08", "--explain", "overdue", "--format", "json").stdout
    )
    assert [str(row["id"]) for row in overdue["issues"]] == [scenario["D"]]
    error = ready.fails("report", "--month", "2024-08", "--explain", "happiness")
    assert "handling_rate" in error.stderr


def test_compare_with_previous_month(scenario: dict[str, str], ready: Cli) -> None:
    data = report_json(ready, "--month", "2024-08", "--compare")
    assert data["previous"]["period"]["label"] == "2024-07"
    assert data["previous"]["issues"]["collected"] == 1
    out = ready.ok("report", "--month", "2024-08", "--compare").stdout
    assert "Previous" in out and "Change" in out
    assert "+3" in out  # collected 4 against 1


def test_markdown_and_csv(scenario: dict[str, str], ready: Cli) -> None:
    md = ready.ok("report", "--month", "2024-08", "--format", "md").stdout
    assert md.startswith("# Monthly report 2024-08")
    table_lines = [line for line in md.splitlines() if line.startswith("| Handling rate")]
    assert table_lines == ["| Handling rate | 3/4 = 75.0% |"]
    raw = ready.ok("report", "--month", "2024-08", "--format", "csv").stdout
    assert raw.startswith("\ufeff")
    rows = dict(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))
    assert rows["issues.collected"] == "4"
    assert rows["issues.handling_rate"] == "0.75"
    assert "issues.by_category.vendor.collected" not in rows  # vendor A was reported in July
    assert rows["issues.by_grid.2.handled"] == "2"


def test_docx(scenario: dict[str, str], ready: Cli, tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn

    target = tmp_path / "report.docx"
    ready.fails("report", "--month", "2024-08", "--format", "docx")
    ready.ok("report", "--month", "2024-08", "--format", "docx", "--output", str(target), lang="zh")
    document = Document(str(target))
    texts = [p.text for p in document.paragraphs]
    assert "北温泉街道嘉陵风情步行街商圈党委2024年8月工作情况报告" in texts  # a 公文 title
    first = document.tables[0]
    cells = {row.cells[0].text: row.cells[1].text for row in first.rows}
    assert cells["问题处理率"] == "3/4 = 75.0%"
    assert cells["收集问题"] == "4"
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"  # the body of a 公文


def test_year_report_has_monthly_chart(scenario: dict[str, str], ready: Cli) -> None:
    data = report_json(ready, "--year", "2024")
    assert [row["month"] for row in data["monthly"]] == ["2024-07", "2024-08"]
    assert data["monthly"][1] == {"month": "2024-08", "collected": 4, "handled": 3}
    out = ready.ok("report", "--year", "2024").stdout
    assert "Work orders per month" in out


def test_custom_range_and_period_errors(scenario: dict[str, str], ready: Cli) -> None:
    data = report_json(ready, "--from", "2024-08-01", "--to", "2024/8/31")
    assert data["period"] == {
        "label": "2024-08-01..2024-08-31",
        "start": "2024-08-01",
        "end": "2024-09-01",
    }
    assert data["issues"]["collected"] == 4
    for args in (
        ["--month", "2024-13"],
        ["--month", "2024.08"],
        ["--month", "August"],
        ["--year", "24"],
        [],
        ["--month", "2024-08", "--year", "2024"],
        ["--from", "2024-08-01"],
        ["--from", "2024-09-01", "--to", "2024-08-01"],
        ["--month", "2024-08", "--format", "pdf"],
    ):
        result = ready.fails("report", *args)
        assert result.stdout == ""


def test_missing_database(cli: Cli) -> None:
    result = cli.fails("report", "--month", "2024-08")
    assert "beiwen init" in result.stderr


def test_example_year_reproduces_the_article(demo: Cli) -> None:
    """The demo's 2024 gives the article's figures, computed from the data."""
    data = report_json(demo, "--year", "2024")
    issues = data["issues"]
    assert (issues["collected"], issues["handled"]) == (77, 73)
    assert issues["fractions"]["handling_rate"] == [73, 77]
    assert issues["handling_rate"] == round(73 / 77, 4)
    assert "73/77 = 94.8%" in demo.ok("report", "--year", "2024").stdout
    assert len(data["rotation"]["months"]) == 12
    courses = data["courses"]["by_course"]
    vocal = [v for name, v in courses.items() if "歌声飞扬" in name]
    fashion = [v for name, v in courses.items() if "繁花云清" in name]
    media = [v for name, v in courses.items() if "新媒体" in name]
    assert [v["classes"] for v in vocal] == [33]
    assert [v["classes"] for v in fashion] == [65]
    assert [v["classes"] for v in media] == [12]
    others = sum(v["classes"] for name, v in courses.items() if v not in (vocal + fashion + media))
    assert others == 35  # ethnic dance, dubbing and basketball together
    kinds = data["activities"]["by_kind"]
    assert (kinds["finance_visit"]["count"], kinds["finance_visit"]["enterprises_served"]) == (
        4,
        48,
    )
    assert kinds["training"]["count"] == 6
    assert kinds["policy_briefing"]["count"] == 11
    assert (kinds["forum"]["count"], kinds["forum"]["enterprises_helped"]) == (2, 3)
    assert kinds["cooperation_meeting"]["count"] == 3
    assert kinds["cooperation_meeting"]["participants"] >= 30


def test_example_august_has_a_duty_unit_and_vendor_campaign(demo: Cli) -> None:
    data = report_json(demo, "--month", "2024-08")
    assert len(data["rotation"]["units"]) == 1
    assert data["issues"]["by_category"]["vendor"]["collected"] >= 1
