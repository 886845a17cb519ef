"""The service record's documents and figures: the certificate (志愿服务时长证明) read back with
python-docx, and the report's `service` section in every format, with `--explain`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from conftest import Cli

ID_NUMBER = "500109199208167857"


@pytest.fixture
def served(ready: Cli) -> Cli:
    """韩磊 (grid 1, an ID number, a unit) with 5.5 hours in 2024 and 8 in 2023; 朱萍秀 (grid
    2) with 2 hours in August 2024; 王强 (no grid) with 1 hour in August 2024."""
    ready.ok("units", "add", "云清路社区居民委员会", "--kind", "community")
    ready.ok(
        "grid", "member", "add", "韩磊", "--role", "volunteer", "--grid", "1",
        "--id-number", ID_NUMBER, "--unit", "1", "--phone", "13946149626",
        "--since", "2023-01-01",
    )  # fmt: skip
    ready.ok("grid", "member", "add", "朱萍秀", "--role", "grid_worker", "--grid", "2")
    ready.ok("grid", "member", "add", "王强", "--role", "lawyer")
    for args in (
        ("韩磊", "--hours", "3", "--date", "2024-03-15"),
        ("韩磊", "--hours", "2.5", "--date", "2024-08-15"),
        ("韩磊", "--hours", "8", "--date", "2023-11-02"),
        ("朱萍秀", "--hours", "2", "--date", "2024-08-20"),
        ("王强", "--hours", "1", "--date", "2024-08-21"),
    ):
        ready.ok("service", "log", *args)
    return ready


def paragraphs(path: Path) -> list[str]:
    return [paragraph.text for paragraph in Document(str(path)).paragraphs]


def test_the_certificate_is_one_a4_page_in_chinese(served: Cli, tmp_path: Path) -> None:
    target = tmp_path / "韩磊志愿服务证明.docx"
    result = served.ok(
        "service", "certificate", "韩磊", "--year", "2024", "--output", str(target), lang="zh"
    )
    assert result.stderr == f"已将 韩磊 的服务时长证明写入 {target}\n"
    assert result.stdout == ""
    document = Document(str(target))
    [section] = document.sections
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37
    text = [paragraph.text for paragraph in document.paragraphs]
    assert text[0] == "志愿服务时长证明"
    assert text[1] == (
        "兹证明韩磊同志（身份证号：5001**********7857），工作单位：云清路社区居民委员会，"
        "于2024年参加北温泉街道嘉陵风情步行街商圈党委组织的志愿服务2次、2天，累计服务时长5.5小时。"
    )
    assert "特此证明。" in text
    assert text[-2:] == ["北温泉街道嘉陵风情步行街商圈党委", text[-1]]
    assert text[-1].startswith("20") and text[-1].endswith("日")
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["月份", "次数", "时长（小时）"],
        ["2024年3月", "1", "3"],
        ["2024年8月", "1", "2.5"],
        ["合计", "2", "5.5"],
    ]
    # One page: the body is the title, one paragraph, a table of twelve rows at most, the
    # closing and the signature, with no page break.
    assert len(text) <= 8
    assert 'w:br w:type="page"' not in document.element.xml
    assert ID_NUMBER not in document.element.xml
    assert document.core_properties.title == "志愿服务时长证明"


def test_show_pii_prints_the_id_number_whole(served: Cli, tmp_path: Path) -> None:
    target = tmp_path / "证明.docx"
    served.ok(
        "service", "certificate", "1", "--year", "2024", "--output", str(target),
        "--show-pii", lang="zh",
    )  # fmt: skip
    assert f"（身份证号：{ID_NUMBER}）" in paragraphs(target)[1]


def test_a_person_without_an_id_number_or_unit(served: Cli, tmp_path: Path) -> None:
    target = tmp_path / "证明.docx"
    served.ok("service", "certificate", "朱萍秀", "--year", "2024", "--output", str(target))
    assert paragraphs(target)[1].startswith(
        "This is to certify that 朱萍秀 took part in volunteer service organised by"
    )
    assert "2 hours in all." in paragraphs(target)[1]


def test_a_certificate_never_replaces_the_database(served: Cli) -> None:
    result = served.fails(
        "service", "certificate", "韩磊", "--year", "2024", "--output", str(served.db)
    )
    assert "Traceback" not in result.stderr
    served.ok("service", "list")  # still a database


def report(cli: Cli, *args: str) -> dict[str, Any]:
    data = json.loads(cli.ok("report", *args, "--format", "json").stdout)
    assert isinstance(data, dict)
    return data


def test_the_report_counts_the_periods_service(served: Cli) -> None:
    # 韩磊 serves grid 1 since 2023 (his records count there), 朱萍秀's role began today
    # (her 2024 record is before it: no grid), 王强 has no grid role.
    august = report(served, "--month", "2024-08")["service"]
    assert august == {
        "hours": 5.5,
        "people": 3,
        "top": [
            {"rank": 1, "id": 1, "name": "韩磊", "hours": 2.5},
            {"rank": 2, "id": 2, "name": "朱萍秀", "hours": 2.0},
            {"rank": 3, "id": 3, "name": "王强", "hours": 1.0},
        ],
        "hours_by_grid": {"1": 2.5, "2": 0.0, "3": 0.0, "4": 0.0, "5": 0.0, "6": 0.0, "none": 3.0},
    }
    year = report(served, "--year", "2024")["service"]
    assert (year["hours"], year["people"], year["top"][0]["hours"]) == (8.5, 3, 5.5)
    assert report(served, "--year", "2023")["service"]["hours"] == 8.0
    empty = report(served, "--month", "2019-01")["service"]
    assert empty == {
        "hours": 0.0,
        "people": 0,
        "top": [],
        "hours_by_grid": {str(n): 0.0 for n in range(1, 7)},
    }
    served.ok("service", "remove", "2")
    assert report(served, "--month", "2024-08")["service"]["hours"] == 3.0


def test_the_top_ten_rank_equal_hours_alike(ready: Cli) -> None:
    for number in range(12):
        ready.ok("grid", "member", "add", f"志愿者{number:02d}", "--role", "volunteer")
        hours = "2" if number in (3, 4) else str(12 - number)
        ready.ok("service", "log", f"志愿者{number:02d}", "--hours", hours, "--date", "2024-08-03")
    top = report(ready, "--month", "2024-08")["service"]["top"]
    assert len(top) == 10
    assert [row["rank"] for row in top] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    assert [row["name"] for row in top[-2:]] == ["志愿者03", "志愿者04"]


def test_every_format_shows_the_section(served: Cli, tmp_path: Path) -> None:
    table = served.ok("report", "--month", "2024-08", lang="zh").stdout
    for text in (
        "志愿服务",
        "志愿服务时长（小时）",
        "服务人数",
        "服务时长前十名",
        "各网格服务时长",
    ):
        assert text in table
    markdown = served.ok("report", "--month", "2024-08", "--format", "md", lang="zh").stdout
    assert "## 志愿服务" in markdown and "| 韩磊 | 2.5 |" in markdown.replace("| 1 ", "")
    assert "| 未分网格 | 3 |" in markdown
    keys = served.ok("report", "--month", "2024-08", "--format", "csv", "--keys").stdout
    assert "service.hours,5.5" in keys and "service.top.1.name,韩磊" in keys
    assert "service.hours_by_grid.none,3.0" in keys
    readable = served.ok("report", "--month", "2024-08", "--format", "csv", lang="zh").stdout
    assert "志愿服务时长（小时）,5.5" in readable and "服务人数,3" in readable
    workbook = tmp_path / "report.xlsx"
    served.ok(
        "report", "--month", "2024-08", "--format", "xlsx", "--output", str(workbook), lang="zh"
    )
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    assert {"志愿服务", "服务时长前十名", "各网格服务时长"} <= set(book.sheetnames)
    cells = [[cell.value for cell in row] for row in book["服务时长前十名"].iter_rows()]
    assert [1, "韩磊", 2.5] in cells
    document = tmp_path / "report.docx"
    served.ok(
        "report", "--month", "2024-08", "--format", "docx", "--output", str(document), lang="zh"
    )
    text = paragraphs(document)
    assert any(line.endswith("、志愿服务") for line in text)
    assert "共有3人参加志愿服务，累计服务时长5.5小时。" in text
    tables = [
        [[c.text for c in row.cells] for row in t.rows] for t in Document(str(document)).tables
    ]
    assert [
        ["排名", "姓名", "时长（小时）"],
        ["1", "韩磊", "2.5"],
        ["2", "朱萍秀", "2"],
        ["3", "王强", "1"],
    ] in tables
    by_grid = next(t for t in tables if t[0] == ["网格", "时长（小时）"])
    assert by_grid[1] == ["第1网格", "2.5"] and by_grid[-1] == ["合计", "5.5"]


def test_explain_lists_the_records_behind_the_hours(served: Cli) -> None:
    result = served.ok("report", "--month", "2024-08", "--explain", "服务时长", lang="zh")
    assert result.stderr == "2024-08 的志愿服务时长：分子 5.5，分母 -\n"
    assert "韩磊" in result.stdout and "王强" in result.stdout
    data = json.loads(
        served.ok(
            "report", "--month", "2024-08", "--explain", "service_people", "--format", "json"
        ).stdout
    )
    assert (data["metric"], data["numerator"], data["denominator"]) == ("service_people", 3, None)
    assert [record["person"] for record in data["records"]] == ["韩磊", "朱萍秀", "王强"]
    hours = json.loads(
        served.ok("report", "--year", "2024", "--explain", "hours", "--format", "json").stdout
    )
    assert hours["numerator"] == 8.5 and len(hours["records"]) == 4
    csv_text = served.ok("report", "--year", "2024", "--explain", "hours", "--format", "csv").stdout
    assert csv_text.count("\n") == 5
    unknown = served.fails("report", "--month", "2024-08", "--explain", "nothing")
    assert "service_hours" in unknown.stderr and "service_people" in unknown.stderr


def test_the_demo_year_has_believable_service(demo: Cli) -> None:
    service = report(demo, "--year", "2024")["service"]
    assert 300 <= service["hours"] <= 1200 and 30 <= service["people"] <= 55
    assert len(service["top"]) == 10 and service["top"][0]["rank"] == 1
    assert all(service["hours_by_grid"][str(grid)] > 0 for grid in range(1, 7))
    totals = json.loads(demo.ok("service", "total", "--year", "2024", "--format", "json").stdout)
    assert totals[0]["hours"] == service["top"][0]["hours"]
    festival = json.loads(
        demo.ok("service", "list", "--month", "2024-08", "--format", "json").stdout
    )
    assert any(row["activity"] == "“暖有滋味、味你而来”美食节" for row in festival)
