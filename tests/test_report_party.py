"""The report's `party` section (issue 19): the register as of the period's end, in every
format, with --explain."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli

KEYS = {
    "members",
    "by_branch",
    "mobile",
    "mobile_registered",
    "in_service",
    "in_service_reported",
    "joined",
    "left",
}


def party(cli: Cli, *period: str) -> dict[str, object]:
    report = json.loads(cli.ok("report", *period, "--format", "json").stdout)
    section: dict[str, object] = report["party"]
    return section


def test_a_member_who_left_in_june_counts_in_may_not_in_july(ready: Cli) -> None:
    ready.ok("party", "add", "冯婷娜", "--branch", "4", "--mobile", "--since", "2024-01-28")
    ready.ok(
        "party",
        "add",
        "卢平",
        "--branch",
        "1",
        "--mobile",
        "--home-org",
        "南充某党委",
        "--since",
        "2024-03-20",
    )
    ready.ok("party", "leave", "冯婷娜", "--date", "2024-06-15", "--to", "遵义市某街道")
    may, june, july = (party(ready, "--month", m) for m in ("2024-05", "2024-06", "2024-07"))
    assert set(may) == KEYS
    assert (may["members"], may["mobile"], may["mobile_registered"]) == (2, 2, 1)
    assert may["by_branch"] == {"第1网格党支部": 1, "第4网格党支部": 1}
    assert (june["members"], june["left"], july["members"], july["left"]) == (1, 1, 1, 0)
    assert july["by_branch"] == {"第1网格党支部": 1}
    year = party(ready, "--year", "2024")
    assert (year["joined"], year["left"], year["members"]) == (2, 1, 1)
    # A period before anyone came: nothing, no error.
    assert party(ready, "--month", "2023-12")["members"] == 0


def test_in_service_members_and_their_report_in(ready: Cli) -> None:
    ready.ok("units", "add", "北碚区司法局", "--kind", "agency")
    for name, reported in (("彭洋", "2024-03-01"), ("魏萍云", "2024-09-01"), ("袁琴", "")):
        ready.ok(
            "party",
            "add",
            name,
            "--branch",
            "5",
            "--in-service",
            "--unit",
            "北碚区司法局",
            "--reported-on",
            reported,
            "--since",
            "2024-01-01",
        )
    june = party(ready, "--month", "2024-06")
    assert (june["in_service"], june["in_service_reported"]) == (3, 1)
    assert party(ready, "--year", "2024")["in_service_reported"] == 2
    shown = ready.ok("report", "--month", "2024-06", lang="zh").stdout
    assert "在职党员已双报到" in shown and "1/3 = 33.3%" in shown
    explained = ready.ok(
        "report", "--month", "2024-06", "--explain", "in_service_reported", "--format", "json"
    ).stdout
    result = json.loads(explained)
    assert (result["numerator"], result["denominator"]) == (1, 3)
    assert [m["name"] for m in result["members"] if m["in_numerator"]] == ["彭洋"]
    table = ready.ok("report", "--month", "2024-06", "--explain", "双报到", lang="zh")
    assert "彭洋" in table.stdout and "分子 1，分母 3" in table.stderr


def test_every_format_has_the_party_section(demo: Cli, tmp_path: Path) -> None:
    md = demo.ok("report", "--month", "2024-07", "--format", "md", lang="zh").stdout
    assert "## 党员队伍" in md and "| 期末党员 | 17 |" in md and "## 各党支部党员" in md
    csv_keys = demo.ok("report", "--month", "2024-07", "--format", "csv", "--keys").stdout
    assert "party.members,17" in csv_keys and "party.left,0" in csv_keys
    readable = demo.ok("report", "--month", "2024-06", "--format", "csv", lang="zh").stdout
    assert "党员队伍" in readable and "本期转出,1" in readable
    table = demo.ok("report", "--month", "2024-07", lang="zh").stdout
    assert "党员队伍" in table and "流动党员已明确原组织关系" in table
    xlsx = tmp_path / "报表.xlsx"
    demo.ok("report", "--month", "2024-07", "--format", "xlsx", "--output", str(xlsx), lang="zh")
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    assert "党员队伍" in book.sheetnames and "各党支部党员" in book.sheetnames
    values = [row[:2] for row in book["党员队伍"].iter_rows(values_only=True)]
    assert ("期末党员", 17) in values
    docx = tmp_path / "报告.docx"
    demo.ok("report", "--month", "2024-07", "--format", "docx", "--output", str(docx), lang="zh")
    from docx import Document

    document = Document(str(docx))
    headings = [p.text for p in document.paragraphs]
    assert any(text.endswith("党员队伍") for text in headings)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "期末党员" in cells and "3/5 = 60.0%" in cells
