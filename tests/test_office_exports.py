"""Exports people open in Excel or WPS (issue 15, parts 4 and 5): under zh the Chinese
headings and values and local times, `--keys` the stable keys for scripts; XLSX with a bold,
frozen header, fitting widths and quote-prefixed text; the report and the work orders as
spreadsheets and as a printable list. Every file is read back (python-calamine, openpyxl)
and compared cell by cell; every export imports back into a new database unchanged."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from beiwen.services.issues import EXPORT_COLUMNS as ISSUE_KEYS
from beiwen.services.issues.exchange import IMPORT_COLUMNS as ISSUE_IMPORT
from beiwen.services.units import EXPORT_COLUMNS as UNIT_KEYS
from beiwen.services.units import IMPORT_COLUMNS as UNIT_IMPORT
from beiwen.vocab import (
    ISSUE_CATEGORIES,
    ISSUE_SOURCES,
    ISSUE_STATUSES,
    MERCHANT_CATEGORIES,
    SATISFACTION,
    UNIT_KINDS,
)
from conftest import Cli

UNIT_HEADER = (
    "统一社会信用代码 名称 类型 业态 网格 地址 联系人 联系电话 开业日期 联席会成员".split()
)
ISSUE_HEADER = (
    "工单号 标题 类别 来源 网格 上报时间 反映人 联系电话 涉及单位 问题描述 办理期限 状态 "
    "承办单位 派单时间 报到时间 解决时间 回访时间 撤销时间 满意度 办理情况 回访情况"
).split()
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00")
TRICKY = [
    ('=HYPERLINK("http://evil.example","点我")', "+86 13812345678", "0023号铺"),
    ("'=already quoted", "023-68281234", "=1+1"),
    ("+加盟店", "02368281234", "007"),
    ("-减价店", None, "１２３"),
]


def read_csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def calamine(path: Path, sheet: str | None = None) -> list[list[Any]]:
    book = CalamineWorkbook.from_path(str(path))
    name = sheet or book.sheet_names[0]
    return book.get_sheet_by_name(name).to_python()


def cell_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def local(value: str | None) -> str:
    """What people read for a stored time: `2024-08-03 09:30`, seconds only when there are."""
    if not value:
        return ""
    assert ISO.fullmatch(value), value
    seconds = value[16:19]
    return value[:10] + " " + value[11:16] + ("" if seconds == ":00" else seconds)


def chinese(vocabulary: dict[str, tuple[str, str]], key: str | None) -> str:
    return vocabulary[key][1] if key else ""


def unit_cells(unit: dict[str, Any]) -> list[str]:
    """A unit as the Chinese export shows it, from its JSON record."""
    return [
        unit["code"] or "",
        unit["name"],
        chinese(UNIT_KINDS, unit["kind"]),
        chinese(MERCHANT_CATEGORIES, unit["category"]),
        "" if unit["grid"] is None else str(unit["grid"]),
        unit["address"] or "",
        unit["contact"] or "",
        unit["phone"] or "",
        unit["opened"] or "",
        "是" if unit["council"] else "否",
    ]


def issue_cells(issue: dict[str, Any]) -> list[str]:
    times = ("reported_at", "due_at", "dispatched_at", "accepted_at", "resolved_at", "closed_at",
             "cancelled_at")  # fmt: skip
    vocabularies = {
        "category": ISSUE_CATEGORIES,
        "source": ISSUE_SOURCES,
        "status": ISSUE_STATUSES,
        "satisfaction": SATISFACTION,
    }
    cells = []
    for key in ISSUE_KEYS:
        value = issue[key]
        if key in times:
            cells.append(local(value))
        elif key in vocabularies:
            cells.append(chinese(vocabularies[key], value))
        else:
            cells.append("" if value is None else str(value))
    return cells


def unneutralised(cell: str) -> str:
    from beiwen.io.formulas import unneutralise

    return unneutralise(cell)


# --- the headings are what the importers read -------------------------------------------


def test_chinese_headings_are_import_aliases_and_keys_match_the_services() -> None:
    from beiwen.render_exports import ISSUE_COLUMNS, UNIT_COLUMNS

    assert [c.key for c in UNIT_COLUMNS] == list(UNIT_KEYS)
    assert [c.key for c in ISSUE_COLUMNS] == list(ISSUE_KEYS)
    for columns, aliases in ((UNIT_COLUMNS, UNIT_IMPORT), (ISSUE_COLUMNS, ISSUE_IMPORT)):
        for column in columns:
            assert column.heading[1] in aliases[column.key], column


# --- units export ------------------------------------------------------------------------


def test_units_export_in_chinese_cell_by_cell(demo: Cli, tmp_path: Path) -> None:
    stored = json.loads(demo.ok("units", "export", "--format", "json").stdout)
    rows = read_csv(demo.ok("units", "export", lang="zh").stdout)
    assert rows[0] == UNIT_HEADER
    assert [[unneutralised(c) for c in row] for row in rows[1:]] == [unit_cells(u) for u in stored]
    assert "机关" in {row[2] for row in rows[1:]} and "是" in {row[9] for row in rows[1:]}
    book = tmp_path / "units.xlsx"
    demo.ok("units", "export", "--format", "xlsx", "--output", str(book), lang="zh")
    assert CalamineWorkbook.from_path(str(book)).sheet_names == ["单位名册"]
    cells = calamine(book)
    assert cells[0] == UNIT_HEADER
    assert [[cell_text(c) for c in row] for row in cells[1:]] == [unit_cells(u) for u in stored]


def test_units_export_with_keys_is_for_scripts(demo: Cli, tmp_path: Path) -> None:
    stored = json.loads(demo.ok("units", "export", "--format", "json").stdout)
    english = demo.ok("units", "export").stdout
    assert demo.ok("units", "export", "--keys", lang="zh").stdout == english
    rows = read_csv(english)
    assert rows[0] == list(UNIT_KEYS)
    expected = [["" if u[k] is None else str(u[k]) for k in UNIT_KEYS] for u in stored]
    assert [[unneutralised(c) for c in row] for row in rows[1:]] == expected
    book = tmp_path / "keys.xlsx"
    demo.ok("units", "export", "--keys", "--format", "xlsx", "--output", str(book), lang="zh")
    cells = calamine(book)
    assert cells[0] == list(UNIT_KEYS)
    assert [[unneutralised(cell_text(c)) for c in row] for row in cells[1:]] == expected


def test_xlsx_header_is_bold_and_frozen_and_columns_fit(demo: Cli, tmp_path: Path) -> None:
    book = tmp_path / "units.xlsx"
    demo.ok("units", "export", "--format", "xlsx", "--output", str(book), lang="zh")
    sheet = load_workbook(book).active
    assert sheet is not None
    assert sheet.title == "单位名册"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["B2"].font.b
    # CJK counts double: 统一社会信用代码 (8 characters) needs 16 cells and more.
    assert sheet.column_dimensions["A"].width >= 18
    names = [len(str(c.value or "")) for c in sheet["B"]]
    assert sheet.column_dimensions["B"].width >= 2 * max(names)
    assert sheet.column_dimensions["E"].width < 12  # the grid: a short number


@pytest.fixture
def tricky(ready: Cli) -> Cli:
    for name, phone, address in TRICKY:
        options = [f"--phone={phone}"] if phone else []
        ready.ok("units", "add", "--kind", "merchant", f"--address={address}", *options, "--", name)
    return ready


def test_xlsx_text_is_kept_by_the_quote_prefix_not_an_apostrophe(
    tricky: Cli, tmp_path: Path
) -> None:
    book = tmp_path / "units.xlsx"
    tricky.ok("units", "export", "--format", "xlsx", "--output", str(book), lang="zh")
    sheet = load_workbook(book).active
    assert sheet is not None
    names = [(c.value, c.quotePrefix, c.data_type) for c in sheet["B"][1:]]
    assert names == [
        ('=HYPERLINK("http://evil.example","点我")', True, "s"),
        ("''=already quoted", True, "s"),  # one more, which the import takes away again
        ("+加盟店", True, "s"),
        ("-减价店", True, "s"),
    ]
    phones = [(c.value, c.quotePrefix) for c in sheet["H"][1:]]
    assert phones == [("+86 13812345678", True), ("023-68281234", True), ("02368281234", True),
                      (None, False)]  # fmt: skip
    addresses = [c.value for c in sheet["F"][1:]]
    assert addresses == ["0023号铺", "=1+1", "007", "１２３"]
    assert sheet["F4"].quotePrefix and sheet["F4"].data_type == "s"
    # CSV keeps its apostrophe.
    rows = read_csv(tricky.ok("units", "export", lang="zh").stdout)
    assert [row[1] for row in rows[1:]] == [
        '\'=HYPERLINK("http://evil.example","点我")',
        "''=already quoted",
        "'+加盟店",
        "'-减价店",
    ]


# --- round trips -------------------------------------------------------------------------


def fresh(tmp_path: Path, name: str) -> Cli:
    cli = Cli(tmp_path / f"{name}.db")
    cli.ok("init")
    for number in range(1, 7):
        cli.ok("grid", "add", str(number), f"第{number}网格", "--branch", f"第{number}网格党支部")
    return cli


@pytest.mark.parametrize("keys", [False, True], ids=["chinese", "keys"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tricky_units_come_back_exactly(tricky: Cli, tmp_path: Path, fmt: str, keys: bool) -> None:
    out = tmp_path / f"units.{fmt}"
    flags = ["--keys"] if keys else []
    tricky.ok("units", "export", "--format", fmt, "--output", str(out), *flags, lang="zh")
    again = fresh(tmp_path, "again")
    again.ok("units", "import", str(out), lang="zh")
    before = tricky.ok("units", "export", "--format", "json").stdout
    assert again.ok("units", "export", "--format", "json").stdout == before
    assert [u["name"] for u in json.loads(before)] == [name for name, _, _ in TRICKY]


@pytest.mark.parametrize("keys", [False, True], ids=["chinese", "keys"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_units_and_work_orders_come_back_into_a_new_database(
    demo: Cli, tmp_path: Path, fmt: str, keys: bool
) -> None:
    flags = ["--keys"] if keys else []
    units, orders = tmp_path / f"units.{fmt}", tmp_path / f"orders.{fmt}"
    demo.ok("units", "export", "--format", fmt, "--output", str(units), *flags, lang="zh")
    demo.ok("issue", "export", "--format", fmt, "--output", str(orders), *flags, lang="zh")
    again = fresh(tmp_path, "again")
    again.ok("units", "import", str(units), lang="zh")
    again.ok("issue", "import", str(orders), lang="zh")
    for command in (("units", "export"), ("issue", "export")):
        before = demo.ok(*command, "--format", "json").stdout
        assert again.ok(*command, "--format", "json").stdout == before


# --- work orders -------------------------------------------------------------------------


def test_issue_export_in_chinese_cell_by_cell(demo: Cli, tmp_path: Path) -> None:
    stored = json.loads(demo.ok("issue", "export", "--format", "json").stdout)
    rows = read_csv(demo.ok("issue", "export", lang="zh").stdout)
    assert rows[0] == ISSUE_HEADER
    assert [[unneutralised(c) for c in row] for row in rows[1:]] == [issue_cells(i) for i in stored]
    assert {row[11] for row in rows[1:]} >= {"已回访"}
    book = tmp_path / "orders.xlsx"
    demo.ok("issue", "export", "--format", "xlsx", "--output", str(book), lang="zh")
    assert CalamineWorkbook.from_path(str(book)).sheet_names == ["工单"]
    cells = calamine(book)
    assert cells[0] == ISSUE_HEADER
    assert [[cell_text(c) for c in row] for row in cells[1:]] == [issue_cells(i) for i in stored]
    # --keys: the stored keys and ISO times, as before.
    keyed = read_csv(demo.ok("issue", "export", "--keys", lang="zh").stdout)
    assert keyed == read_csv(demo.ok("issue", "export").stdout)
    assert keyed[0] == list(ISSUE_KEYS) and ISO.fullmatch(keyed[1][5])
    assert demo.fails("issue", "export", "--format", "xlsx").stderr == (
        "Error: --format xlsx writes a file; add --output PATH\n"
    )


def list_cells(issue: dict[str, Any]) -> dict[str, str]:
    """The list's columns people read, by their Chinese headings."""
    return {
        "工单号": str(issue["id"]),
        "上报时间": local(issue["reported_at"]),
        "类别": chinese(ISSUE_CATEGORIES, issue["category"]),
        "网格": "" if issue["grid"] is None else str(issue["grid"]),
        "标题": issue["title"],
        "状态": chinese(ISSUE_STATUSES, issue["status"]),
        "承办单位": issue["departments"] or "",
        "办理期限": local(issue["due_at"]),
        "逾期": "是" if issue["overdue"] else "否",
    }


def test_issue_list_as_csv_and_xlsx_in_chinese(demo: Cli, tmp_path: Path) -> None:
    filters = ("--month", "2024-08")
    stored = json.loads(demo.ok("issue", "list", *filters, "--format", "json").stdout)
    assert stored
    rows = read_csv(demo.ok("issue", "list", *filters, "--format", "csv", lang="zh").stdout)
    header = rows[0]
    assert header[:5] == ["工单号", "上报时间", "类别", "网格", "标题"]
    for row, issue in zip(rows[1:], stored, strict=True):
        expected = list_cells(issue)
        assert {h: c for h, c in zip(header, row, strict=True) if h in expected} == expected
    # What the table shows, the CSV has (the table shows times to the minute).
    table = demo.ok("issue", "list", *filters, "--wide", lang="zh").stdout
    for row in rows[1:]:
        line = next(line for line in table.splitlines() if f" {row[0]} " in line[:10])
        for value in (row[1][:16], row[2], row[4], row[header.index("状态")]):
            assert value in line
    book = tmp_path / "list.xlsx"
    demo.ok("issue", "list", *filters, "--format", "xlsx", "--output", str(book), lang="zh")
    assert [[cell_text(c) for c in row] for row in calamine(book)] == rows
    sheet = load_workbook(book).active
    assert sheet is not None and sheet.freeze_panes == "A2" and sheet["A1"].font.b
    english = demo.ok("issue", "list", *filters, "--format", "csv").stdout
    assert demo.ok("issue", "list", *filters, "--format", "csv", "--keys", lang="zh").stdout == (
        english
    )
    assert read_csv(english)[0][:3] == ["id", "reported_at", "category"]


def test_printable_list_for_a_meeting(demo: Cli, tmp_path: Path) -> None:
    from docx import Document

    filters = ("--month", "2024-08")
    stored = json.loads(demo.ok("issue", "list", *filters, "--format", "json").stdout)
    md = demo.ok("issue", "list", *filters, "--format", "md", lang="zh").stdout
    assert md.startswith("# 工单清单\n")
    lines = [line for line in md.splitlines() if line.startswith("|")]
    assert lines[0] == "| 工单号 | 日期 | 网格 | 标题 | 承办单位 | 状态 | 办理期限 |"
    first = stored[0]
    assert lines[2] == (
        f"| {first['id']} | {first['reported_at'][:10]} | {first['grid']} | {first['title']} | "
        f"{first['departments'] or ''} | {ISSUE_STATUSES[first['status']][1]} | "
        f"{local(first['due_at'])[:16]} |"
    )
    assert len(lines) == 2 + len(stored)
    target = tmp_path / "meeting.docx"
    assert demo.fails("issue", "list", "--format", "docx").stderr == (
        "Error: --format docx writes a file; add --output PATH\n"
    )
    demo.ok("issue", "list", *filters, "--format", "docx", "--output", str(target), lang="zh")
    document = Document(str(target))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)  # A4
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == lines[0].strip("| ").split(" | ")
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    docx_rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    md_rows = [line.strip("| ").split(" | ") for line in lines[2:]]
    assert docx_rows == md_rows
    english = demo.ok("issue", "list", *filters, "--format", "md").stdout
    assert "| No. | Date | Grid | Title | Departments | Status | Due |" in english


# --- the report ----------------------------------------------------------------------------


def report_json(cli: Cli, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(cli.ok("report", *args, "--format", "json").stdout)
    return data


def test_report_xlsx_numbers_equal_the_json(demo: Cli, tmp_path: Path) -> None:
    args = ("--month", "2024-08", "--compare")
    data = report_json(demo, *args)
    book = tmp_path / "report.xlsx"
    assert demo.fails("report", *args, "--format", "xlsx").stderr == (
        "Error: --format xlsx writes a file; add --output PATH\n"
    )
    demo.ok("report", *args, "--format", "xlsx", "--output", str(book), lang="zh")
    names = CalamineWorkbook.from_path(str(book)).sheet_names
    assert names == ["问题工单", "工单分类统计", "工单分网格统计", "公益课程", "志愿服务",
                     "服务时长前十名", "各网格服务时长", "活动与服务", "区域党建联席会",
                     "议定事项办理情况（按责任单位）", "三张清单：需求、资源、项目",
                     "各月轮值单位", "问题来源", "部门吹哨报到情况（按得分排名）",
                     "轮值书记单位履职情况", "党员队伍", "各党支部党员"]  # fmt: skip
    issues = data["issues"]
    metrics = {row[0]: row for row in calamine(book, "问题工单")}
    assert metrics["指标"] == ["指标", "数值", "分子", "分母", "比率", "上期", "变化"]
    assert metrics["收集问题"][1] == issues["collected"]
    assert metrics["收集问题"][5] == data["previous"]["issues"]["collected"]
    numerator, denominator = issues["fractions"]["on_time_rate"]
    assert metrics["按时办结率"][2:5] == [numerator, denominator, issues["on_time_rate"]]
    assert metrics["办结时长中位数（小时）"][1] == issues["median_resolution_hours"]
    by_category = calamine(book, "工单分类统计")
    assert by_category[0] == ["类别", "收集", "已处理", "处理率"]
    for row in by_category[1:-1]:
        key = next(k for k, (_, zh) in ISSUE_CATEGORIES.items() if zh == row[0])
        value = issues["by_category"][key]
        assert row[1:3] == [value["collected"], value["handled"]]
        assert row[3] == pytest.approx(value["handled"] / value["collected"])
    total = by_category[-1]
    assert total[:3] == ["合计", issues["collected"], issues["handled"]]
    grids = {cell_text(row[0]): row[1:3] for row in calamine(book, "工单分网格统计")[1:-1]}
    assert grids == {k: [v["collected"], v["handled"]] for k, v in issues["by_grid"].items()}
    courses = calamine(book, "公益课程")
    assert courses[-1] == ["合计", data["courses"]["classes"], data["courses"]["attendance"]]
    activities = calamine(book, "活动与服务")
    served = sum(v["enterprises_served"] for v in data["activities"]["by_kind"].values())
    assert activities[-1][0] == "合计" and activities[-1][2] == served
    # Rates are numbers shown as percentages; the totals row is bold; the header frozen.
    workbook = load_workbook(book)
    sheet = workbook["问题工单"]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    rate = next(row[4] for row in sheet.iter_rows(min_row=2) if row[0].value == "按时办结率")
    assert rate.number_format == "0.0%"
    category_sheet = workbook["工单分类统计"]
    assert category_sheet.cell(row=category_sheet.max_row, column=1).font.b


def test_report_year_xlsx_has_the_months(demo: Cli, tmp_path: Path) -> None:
    data = report_json(demo, "--year", "2024")
    book = tmp_path / "year.xlsx"
    demo.ok("report", "--year", "2024", "--format", "xlsx", "--output", str(book))
    months = calamine(book, "Work orders per month")
    assert months[0] == ["Month", "Collected", "Handled", "Handling rate"]
    assert [row[:3] for row in months[1:]] == [
        [row["month"], row["collected"], row["handled"]] for row in data["monthly"]
    ]


def blocks(text: str) -> list[list[list[str]]]:
    found: list[list[list[str]]] = [[]]
    for row in read_csv(text):
        if not row:
            found.append([])
        else:
            found[-1].append(row)
    return found


def test_report_csv_in_chinese_is_one_table_per_section(demo: Cli, tmp_path: Path) -> None:
    args = ("--month", "2024-08", "--compare")
    text = demo.ok("report", *args, "--format", "csv", lang="zh").stdout
    parts = blocks(text)
    assert parts[0][0] == ["2024-08 月度工作报告"]
    book = tmp_path / "report.xlsx"
    demo.ok("report", *args, "--format", "xlsx", "--output", str(book), lang="zh")
    sheets = CalamineWorkbook.from_path(str(book)).sheet_names
    assert [part[0] for part in parts[1:]] == [[name] for name in sheets]
    for part, name in zip(parts[1:], sheets, strict=True):
        cells = calamine(book, name)
        assert len(part) - 1 == len(cells)
        for csv_row, sheet_row in zip(part[1:], cells, strict=True):
            for csv_cell, sheet_cell in zip(csv_row, sheet_row, strict=True):
                if isinstance(sheet_cell, float) and csv_cell.endswith("%"):
                    assert csv_cell == f"{sheet_cell * 100:.1f}%"
                else:
                    assert csv_cell == cell_text(sheet_cell)
    # --keys: the key paths scripts read, as the English CSV has them.
    keyed = demo.ok("report", *args, "--format", "csv", "--keys", lang="zh").stdout
    assert keyed == demo.ok("report", *args, "--format", "csv").stdout
    assert dict(read_csv(keyed))["issues.collected"] == "14"
