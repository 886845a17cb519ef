"""Files as an office makes them (issue 15): title rows above the header, two-level merged
headers, 序号 columns, total rows, GBK CSV, Excel's UTF-16 "Unicode text" named .txt,
real date and number cells, full-width and spaced phones, and the words people type."""

from __future__ import annotations

import datetime
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from beiwen.errors import InvalidInputError
from beiwen.parsing import parse_date, parse_datetime, parse_phone, parse_time
from conftest import Cli


def rows_of(cli: Cli, sql: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(cli.db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(row) for row in conn.execute(sql)]
    finally:
        conn.close()


def units(cli: Cli) -> list[dict[str, Any]]:
    return rows_of(
        cli, "SELECT name, category, grid, phone, opened, contact FROM units ORDER BY id"
    )


def write_xlsx(path: Path, rows: list[list[Any]], merged: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "商户名册"
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    book.save(path)
    return path


GBK_ROSTER = (
    "嘉陵风情步行街商户名册,,,,,\r\n"
    ",,,,,\r\n"
    "序号,商户名称,业态,网格,联系电话,开业日期\r\n"
    "1,嘉陵小面馆,餐饮,2,138 1234 5678,2019.3.5\r\n"
    "2,云清咖啡,咖啡,3,１３８２３４５６７８９,2021年4月15日\r\n"
    "3,天生服饰,服装,第五网格,023 6828 1234,43529\r\n"
    "合计：3户,,,,,\r\n"
)


def test_a_gbk_csv_with_a_title_row_a_running_number_and_a_total_row(
    ready: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "商户名册.csv"
    path.write_bytes(GBK_ROSTER.encode("gbk"))
    result = ready.ok("units", "import", str(path))
    assert "3 inserted" in result.stdout
    assert "line 3 taken as the header" in result.stderr
    assert "1 total or subtotal row(s) skipped, not imported: line 7" in result.stderr
    assert units(ready) == [
        {
            "name": "嘉陵小面馆",
            "category": "catering",
            "grid": 2,
            "phone": "13812345678",
            "opened": "2019-03-05",
            "contact": None,
        },
        {
            "name": "云清咖啡",
            "category": "coffee",
            "grid": 3,
            "phone": "13823456789",
            "opened": "2021-04-15",
            "contact": None,
        },
        {
            "name": "天生服饰",
            "category": "clothing",
            "grid": 5,
            "phone": "023-68281234",
            "opened": "2019-03-05",
            "contact": None,
        },
    ]


def test_the_notices_are_in_chinese_under_zh(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "商户名册.csv"
    path.write_bytes(GBK_ROSTER.encode("gbk"))
    result = ready.ok("units", "import", str(path), lang="zh")
    assert "以第 3 行为表头" in result.stderr
    assert "已跳过 1 个合计或小计行，未导入：第 7 行" in result.stderr
    assert not any("合计" in unit["name"] for unit in units(ready))


def test_a_merged_two_level_header_in_xlsx_with_date_and_number_cells(
    ready: Cli, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "名册.xlsx",
        [
            ["嘉陵风情步行街商户名册", None, None, None, None, None],
            ["序号", "基本信息", None, None, "联系方式", None],
            [None, "名称", "业态", "开业日期", "联系人", "电话"],
            [1, "嘉陵小面馆", "餐饮", datetime.datetime(2019, 3, 5), "王芳", 13812345678],
            [2, "云清咖啡", "咖啡", 43529, "李强", "138-1234-5679"],
            ["小计", None, None, None, None, None],
            ["合计：2户"],
        ],
        merged=("A1:F1", "A2:A3", "B2:D2", "E2:F2"),
    )
    result = ready.ok("units", "import", str(path))
    assert "2 inserted" in result.stdout
    assert "lines 2-3 taken as a two-level header" in result.stderr
    assert "2 total or subtotal row(s) skipped, not imported: line 6, 7" in result.stderr
    assert [(u["name"], u["phone"], u["opened"], u["contact"]) for u in units(ready)] == [
        ("嘉陵小面馆", "13812345678", "2019-03-05", "王芳"),
        ("云清咖啡", "13812345679", "2019-03-05", "李强"),
    ]


def test_a_title_that_is_taken_for_the_header_gets_a_hint(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_text("嘉陵风情步行街商户名册\n甲,乙\n1,2\n", encoding="utf-8")
    result = ready.fails("units", "import", str(path))
    assert "嘉陵风情步行街商户名册" in result.stderr
    assert "looks like a title" in result.stderr
    zh = ready.fails("units", "import", str(path), lang="zh")
    assert "像是表格标题" in zh.stderr


@pytest.mark.parametrize("name", ["成员.txt", "成员.csv"])
def test_excel_unicode_text_is_read_whatever_its_extension(
    ready: Cli, tmp_path: Path, name: str
) -> None:
    text = (
        "网格员花名册\r\n"
        "序号\t姓名\t角色\t网格\t电话\t加入日期\r\n"
        "1\t张敏\t网格员\t3\t138-1234-5678\t2021.10.22\r\n"
        "2\t李建华\t志愿者\t第五网格\t１３９ １１１７ ７９６１\t2022年5月1日\r\n"
        "合计\t2人\t\t\t\t\r\n"
    )
    path = tmp_path / name
    path.write_bytes(text.encode("utf-16"))  # with its byte-order mark, as Excel saves it
    result = ready.ok("grid", "member", "import", str(path))
    assert "2 inserted" in result.stdout
    assert "line 2 taken as the header" in result.stderr
    assert "line 5" in result.stderr
    people = rows_of(ready, "SELECT name, phone FROM people ORDER BY id")
    assert people == [
        {"name": "张敏", "phone": "13812345678"},
        {"name": "李建华", "phone": "13911177961"},
    ]
    grids = rows_of(ready, "SELECT grid, since FROM person_roles ORDER BY person_id")
    assert grids == [{"grid": 3, "since": "2021-10-22"}, {"grid": 5, "since": "2022-05-01"}]


def test_a_semicolon_separated_csv_is_sniffed(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("姓名;角色;网格\n王芳;志愿者;1\n", encoding="utf-8")
    ready.ok("grid", "member", "import", str(path))
    assert rows_of(ready, "SELECT name FROM people") == [{"name": "王芳"}]


def test_activities_from_a_sheet_with_real_cells_and_a_total_row(
    ready: Cli, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "活动台账.xlsx",
        [
            ["2024年活动台账"],
            [],
            ["序号", "活动名称", "活动类型", "日期", "服务企业数", "参与人数"],
            [1, "稳企惠企政策宣讲", "政策宣讲", datetime.date(2024, 2, 27), 15, 25.0],
            [2, "金融服务进企业", "金融服务进企业", 45400, 12, 20],
            ["合计", None, None, None, 27, 45],
        ],
    )
    result = ready.ok("activity", "import", str(path))
    assert "2 inserted" in result.stdout
    assert "line 3 taken as the header" in result.stderr
    assert "line 6" in result.stderr
    stored = rows_of(
        ready,
        "SELECT title, kind, date, enterprises_served, participants FROM activities ORDER BY id",
    )
    assert stored == [
        {
            "title": "稳企惠企政策宣讲",
            "kind": "policy_briefing",
            "date": "2024-02-27",
            "enterprises_served": 15,
            "participants": 25,
        },
        {
            "title": "金融服务进企业",
            "kind": "finance_visit",
            "date": "2024-04-18",
            "enterprises_served": 12,
            "participants": 20,
        },
    ]


def test_work_orders_with_datetime_cells_and_satisfaction_words(ready: Cli, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "工单.xlsx",
        [
            ["2024年工单台账"],
            [
                "标题",
                "类别",
                "网格",
                "上报时间",
                "联系电话",
                "状态",
                "解决时间",
                "回访时间",
                "满意度",
            ],
            [
                "外墙瓷砖脱落",
                "物业纠纷",
                4,
                datetime.datetime(2024, 1, 8, 16, 25),
                "１３９ １１１７ ７９６１",
                "已回访",
                datetime.datetime(2024, 1, 10, 9, 5),
                datetime.datetime(2024, 1, 13, 16, 15),
                "非常满意",
            ],
            ["合计：1件"],
        ],
    )
    result = ready.ok("issue", "import", str(path))
    assert "1 inserted" in result.stdout
    assert "line 2 taken as the header" in result.stderr
    shown = json.loads(ready.ok("issue", "show", "1", "--format", "json").stdout)
    assert shown["reported_at"] == "2024-01-08T16:25:00+08:00"
    assert shown["satisfaction"] == "satisfied"
    assert rows_of(ready, "SELECT count(*) AS n FROM issues") == [{"n": 1}]


def test_a_value_still_not_understood_names_its_line_and_column(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_text("商户名册\n商户名称,联系电话\n嘉陵小面馆,138 1234\n", encoding="utf-8")
    result = ready.fails("units", "import", str(path), lang="zh")
    assert "以第 2 行为表头" in result.stderr
    assert "第 3 行" in result.stderr
    assert "138 1234" in result.stderr


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("１３８２３４５６７８９", "13823456789"),
        ("+86 138 1234 5678", "+86 13812345678"),
        ("023 6828 1234", "023-68281234"),
        ("０２３－６８２８１２３４", "023-68281234"),
        ("02368281234", "02368281234"),
    ],
)
def test_phones_as_people_type_them(typed: str, stored: str) -> None:
    assert parse_phone(typed) == stored


@pytest.mark.parametrize(
    "typed", ["2019.3.5", "2019年3月5日", "２０１９．３．５", "43529", "2019-03-05"]
)
def test_dates_as_people_type_them(typed: str) -> None:
    assert parse_date(typed) == datetime.date(2019, 3, 5)


def test_excel_serials_and_time_cells() -> None:
    assert parse_datetime("43529.5").isoformat() == "2019-03-05T12:00:00+08:00"
    assert parse_time("09:30:00") == datetime.time(9, 30)
    assert parse_date("20190305") == datetime.date(2019, 3, 5)  # eight digits: not a serial
    with pytest.raises(InvalidInputError):
        parse_date("2019")  # a year is never read as Excel's day 2019 (1905)


def test_a_running_number_column_on_the_first_row_and_no_notice(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("No.,名称,电话\n1,嘉陵小面馆,138 1234 5678\n", encoding="utf-8")
    result = ready.ok("units", "import", str(path))
    assert "taken as the header" not in result.stderr
    assert [(u["name"], u["phone"]) for u in units(ready)] == [("嘉陵小面馆", "13812345678")]


def test_json_is_a_program_s_file_without_titles_or_totals(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    path.write_text(json.dumps([{"name": "合计餐厅"}], ensure_ascii=False), encoding="utf-8")
    result = ready.ok("units", "import", str(path))
    assert "1 inserted" in result.stdout
    assert [u["name"] for u in units(ready)] == ["合计餐厅"]
