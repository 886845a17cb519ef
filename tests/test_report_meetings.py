"""The report's joint meetings (`meetings`: held, decisions, decisions_done, by_owner), their
`--explain`, every report format, the meetings a duty unit hosted, and the demo year's 12."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

MARKET = "北碚区市场监督管理局"
CITY = "北碚区城市管理局"


def report(cli: Cli, *options: str) -> Any:
    return json.loads(cli.ok("report", *options, "--format", "json").stdout)


@pytest.fixture
def august(ready: Cli) -> Cli:
    """Two council units, the rotation of 2024 (August: the city), a meeting in July (the
    market hosting) and two in August (the city hosting one, the market the other), with
    decisions: in August, one done in August, one done in September, one open."""
    for name in (MARKET, CITY):
        ready.ok("units", "add", name, "--kind", "agency", "--council")
    ready.ok("rotation", "plan", "--from", "2024-01", "--months", "12")
    ready.ok("rotation", "assign", "2024-08", CITY)
    ready.ok("meeting", "add", "--date", "2024-07-18", "--host", MARKET, "--topic", "汛期安全")
    ready.ok("meeting", "add", "--date", "2024-08-15", "--topic", "游摊占道", "--attend", MARKET)
    ready.ok("meeting", "add", "--date", "2024-08-29", "--host", MARKET, "--topic", "促消费")
    ready.ok("meeting", "decision", "add", "1", "排查低洼点位", "--owner", MARKET)
    ready.ok("meeting", "decision", "add", "2", "划定经营区", "--owner", CITY)
    ready.ok("meeting", "decision", "add", "2", "第三方管理", "--owner", CITY)
    ready.ok("meeting", "decision", "add", "3", "活动方案", "--owner", MARKET)
    ready.ok("meeting", "decision", "done", "2", "--note", "已划定", "--at", "2024-08-20")
    ready.ok("meeting", "decision", "done", "3", "--note", "已签约", "--at", "2024-09-10")
    return ready


def test_the_meetings_of_a_month_as_of_its_end(august: Cli) -> None:
    meetings = report(august, "--month", "2024-08")["meetings"]
    assert meetings == {
        "held": 2,
        "decisions": 3,
        "decisions_done": 1,  # the one done in September is not done at August's end
        "by_owner": [
            {"unit_id": 2, "unit": CITY, "decisions": 2, "decisions_done": 1},
            {"unit_id": 1, "unit": MARKET, "decisions": 1, "decisions_done": 0},
        ],
    }
    september = report(august, "--month", "2024-09")["meetings"]
    assert september == {"held": 0, "decisions": 0, "decisions_done": 0, "by_owner": []}
    year = report(august, "--year", "2024")["meetings"]
    assert (year["held"], year["decisions"], year["decisions_done"]) == (3, 4, 2)


def test_the_duty_unit_names_the_meetings_it_hosted(august: Cli) -> None:
    (duty,) = report(august, "--month", "2024-08")["duty"]["units"]
    assert duty["unit"] == CITY
    assert duty["meetings"] == [{"id": 2, "date": "2024-08-15", "topic": "游摊占道"}]
    table = august.ok("--wide", "report", "--month", "2024-08", lang="zh").stdout
    assert "主持联席会" in table and "2024-08-15 游摊占道" in table


def test_explain_every_meetings_figure(august: Cli) -> None:
    held = report(august, "--month", "2024-08", "--explain", "held")
    assert (held["metric"], held["numerator"], held["denominator"]) == ("held", 2, None)
    assert [m["topic"] for m in held["meetings"]] == ["游摊占道", "促消费"]
    decisions = report(august, "--month", "2024-08", "--explain", "议定事项")
    assert (decisions["metric"], decisions["numerator"]) == ("decisions", 3)
    done = report(august, "--month", "2024-08", "--explain", "decisions_done")
    assert (done["numerator"], done["denominator"]) == (1, 3)
    assert [(d["text"], d["in_numerator"]) for d in done["decisions"]] == [
        ("划定经营区", True),
        ("第三方管理", False),
        ("活动方案", False),
    ]
    table = august.ok("report", "--month", "2024-08", "--explain", "决议办结", lang="zh")
    assert "2024-08 的议定事项已办结：分子 1，分母 3" in table.stderr
    assert "划定经营区" in table.stdout
    text = august.ok(
        "report", "--month", "2024-08", "--explain", "decisions", "--format", "csv"
    ).stdout
    assert text.lstrip("\ufeff").startswith("id,meeting_date,text,owner_unit")
    unknown = august.fails("report", "--month", "2024-08", "--explain", "火星", lang="zh").stderr
    assert "召开联席会、议定事项、议定事项已办结" in unknown
    # the work orders' figures are explained as before
    assert "issues" in report(august, "--month", "2024-08", "--explain", "collected")


def test_the_meetings_in_every_format(august: Cli, tmp_path: Path) -> None:
    table = august.ok("--wide", "report", "--month", "2024-08", lang="zh").stdout
    assert "区域党建联席会" in table and "1/3 = 33.3%" in table
    assert "议定事项办理情况（按责任单位）" in table and "1/2 = 50.0%" in table
    markdown = august.ok("report", "--month", "2024-08", "--format", "md", lang="zh").stdout
    assert markdown.count("## 区域党建联席会") == 1 and "| 议定事项办结 | 1/3 = 33.3% |" in markdown
    text = august.ok("report", "--month", "2024-08", "--format", "csv", lang="zh").stdout
    cells = [row for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if row]
    assert ["区域党建联席会"] in cells and ["召开联席会（次）", "2"] in cells
    assert [CITY, "2", "1", "50.0%"] in cells
    keys = august.ok("report", "--month", "2024-08", "--format", "csv", "--keys").stdout
    assert "meetings.held,2" in keys and "meetings.by_owner.2.decisions_done,1" in keys
    assert "duty.units.2.meetings.2.topic,游摊占道" in keys
    workbook = tmp_path / "report.xlsx"
    august.ok("report", "--month", "2024-08", "--format", "xlsx", "--output", str(workbook))
    from openpyxl import load_workbook

    sheets = load_workbook(workbook).sheetnames
    assert [name for name in sheets if name.startswith(("Joint meetings", "Decisions by"))] == [
        "Joint meetings",
        "Decisions by owner unit",
    ]  # each once
    document = tmp_path / "report.docx"
    august.ok(
        "report", "--month", "2024-08", "--format", "docx", "--output", str(document), lang="zh"
    )
    from docx import Document

    paragraphs = Document(str(document)).paragraphs
    words = "\n".join(p.text for p in paragraphs)
    assert "主持召开联席会1次（游摊占道）" in words
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert len([h for h in headings if h.endswith("、区域党建联席会")]) == 1


def test_the_report_is_the_contract(august: Cli) -> None:
    from beiwen.report_contract import Report

    text = august.ok("report", "--month", "2024-08", "--compare", "--format", "json").stdout
    assert Report.model_validate_json(text).model_dump(mode="json", exclude_unset=True) == (
        json.loads(text)
    )


def test_the_demo_year_has_a_meeting_a_month_hosted_by_its_duty_unit(demo: Cli) -> None:
    meetings = json.loads(demo.ok("meeting", "list", "--year", "2024", "--format", "json").stdout)
    assert [m["date"][:7] for m in meetings] == [f"2024-{n:02d}" for n in range(1, 13)]
    rotation = json.loads(
        demo.ok(
            "rotation", "show", "--from", "2024-01", "--to", "2024-12", "--format", "json"
        ).stdout
    )
    duty = {row["month"]: row["unit"] for row in rotation}
    assert all(m["host_unit"] == duty[m["date"][:7]] for m in meetings)
    data = report(demo, "--year", "2024")
    section = data["meetings"]
    assert section["held"] == 12 and 0 < section["decisions_done"] < section["decisions"]
    assert all(len(unit["meetings"]) == len(unit["months"]) for unit in data["duty"]["units"])
    attendance = json.loads(
        demo.ok("meeting", "attendance", "--year", "2024", "--format", "json").stdout
    )
    assert len(attendance) == 18 and all(u["meetings"] == 12 for u in attendance)
    assert any(u["attended"] < 12 for u in attendance)
