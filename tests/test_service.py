"""`beiwen service …`: service records (志愿服务记录) through the real CLI: logging hours, the
day's limit, sign-in sheets through the import pipeline, lists, totals and certificates."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

ID_NUMBER = "500109199208167857"


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def json_of(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "--format", "json").stdout)


@pytest.fixture
def district(ready: Cli) -> Cli:
    """Three people (1 韩磊 with an ID number, grid 1; 2 朱萍秀, grid 2; 3 and 4 both 王芳),
    activity 1 on 2024-03-15, class 1 on 2024-04-02, work order 1."""
    ready.ok(
        "grid", "member", "add", "韩磊", "--role", "volunteer", "--grid", "1",
        "--phone", "13946149626", "--id-number", ID_NUMBER, "--since", "2023-05-15",
    )  # fmt: skip
    ready.ok("grid", "member", "add", "朱萍秀", "--role", "grid_worker", "--grid", "2")
    ready.ok("grid", "member", "add", "王芳", "--role", "volunteer", "--phone", "13812345678")
    ready.ok("grid", "member", "add", "王芳", "--role", "volunteer", "--phone", "13987654321")
    ready.ok(
        "activity", "add", "“3·15”消费维权志愿服务", "--kind", "volunteer", "--date", "2024-03-15"
    )
    ready.ok("course", "add", "配音课堂")
    ready.ok("course", "class", "add", "配音课堂", "--date", "2024-04-02 14:30")
    ready.ok("issue", "add", "流动摊贩占用消防通道", "--category", "vendor", "--grid", "1")
    return ready


def log(cli: Cli, *args: str) -> int:
    return int(cli.ok("service", "log", *args).stdout)


def test_log_prints_the_id_and_says_what_was_logged(district: Cli) -> None:
    result = district.ok("service", "log", "韩磊", "--hours", "3", "--activity", "1", lang="zh")
    assert result.stdout == "1\n"
    assert result.stderr == "已登记 韩磊 于 2024-03-15 的志愿服务 3 小时（记录 1）\n"
    [record] = json_of(district, "service", "list")
    assert record["person_id"] == 1
    assert record["date"] == "2024-03-15"  # the activity's day
    assert record["hours"] == 3
    assert record["activity_id"] == 1
    assert record["served_at"] == "activity 1 “3·15”消费维权志愿服务"


def test_decimals_ids_phones_and_every_reference(district: Cli) -> None:
    assert log(district, "1", "--hours", "1.5", "--date", "2024-08-03", "--note", "巡查") == 1
    assert log(district, "13812345678", "--hours", "０.５", "--class", "1") == 2
    assert log(district, "朱萍秀", "--hours", "2小时", "--issue", "#1", "--date", "2024-08-05") == 3
    records = json_of(district, "service", "list")
    assert [(r["person_id"], r["date"], r["hours"]) for r in records] == [
        (3, "2024-04-02", 0.5),
        (1, "2024-08-03", 1.5),
        (2, "2024-08-05", 2),
    ]
    assert records[0]["class_id"] == 1 and records[0]["course"] == "配音课堂"
    assert records[2]["issue_id"] == 1 and records[1]["note"] == "巡查"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("韩磊", "--hours", "0", "--date", "2024-08-03"), '--hours: "0" is not a number of more'),
        (("韩磊", "--hours", "-1", "--date", "2024-08-03"), '--hours: "-1" is not a number'),
        (("韩磊", "--hours", "25", "--date", "2024-08-03"), "at most 24"),
        (("韩磊", "--hours", "1.125", "--date", "2024-08-03"), "two decimals at most"),
        (("韩磊", "--hours", "两", "--date", "2024-08-03"), "is not a number"),
        (("无名氏", "--hours", "1", "--date", "2024-08-03"), 'unknown member "无名氏"'),
        (("王芳", "--hours", "1", "--date", "2024-08-03"), '"王芳" names 2 members (ids 3, 4)'),
        (("韩磊", "--hours", "1", "--date", "2999-01-01"), "2999-01-01 is in the future"),
        (("韩磊", "--hours", "1", "--date", "3000-01-01"), "outside the dates beiwen accepts"),
        (("韩磊", "--hours", "1", "--date", "2024-02-30"), "is not a date"),
        (("韩磊", "--hours", "1", "--activity", "9"), 'unknown activity "9"'),
        (("韩磊", "--hours", "1", "--class", "9"), 'unknown class "9"'),
        (("韩磊", "--hours", "1", "--issue", "9", "--date", "2024-08-03"), 'work order "9"'),
        (("韩磊", "--hours", "1", "--activity", "1", "--class", "1"), "give one of --activity"),
        (("韩磊", "--hours", "1"), "give --date"),
        (("韩磊", "--hours", "1", "--issue", "1"), "give --date"),
    ],
)
def test_bad_input_is_one_error_and_writes_nothing(
    district: Cli, args: tuple[str, ...], message: str
) -> None:
    before = dump(district.db)
    result = district.fails("service", "log", *args)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert dump(district.db) == before


def test_a_day_holds_24_hours_counting_what_is_logged(district: Cli) -> None:
    log(district, "韩磊", "--hours", "20", "--activity", "1")
    log(district, "韩磊", "--hours", "3.5", "--date", "2024-03-15")
    before = dump(district.db)
    result = district.fails("service", "log", "韩磊", "--hours", "1", "--date", "2024-03-15")
    assert result.stderr == (
        "Error: 韩磊 (id 1) would have more than 24 hours on 2024-03-15: 23.5 logged already, "
        "1 more given; check the hours\n"
    )
    assert dump(district.db) == before
    log(district, "韩磊", "--hours", "0.5", "--date", "2024-03-15")  # exactly 24
    log(district, "朱萍秀", "--hours", "24", "--date", "2024-03-15")  # another person
    log(district, "韩磊", "--hours", "24", "--date", "2024-03-16")  # another day


def test_a_removed_activity_and_a_cancelled_class_are_refused(district: Cli) -> None:
    district.ok("activity", "remove", "1")
    district.ok("course", "class", "edit", "1", "--status", "cancelled")
    assert (
        "activity 1 was removed"
        in district.fails("service", "log", "韩磊", "--hours", "1", "--activity", "1").stderr
    )
    assert (
        "class 1 is cancelled"
        in district.fails("service", "log", "韩磊", "--hours", "1", "--class", "1").stderr
    )


def test_chinese_errors(district: Cli) -> None:
    result = district.fails("service", "log", "韩磊", "--hours", "0", lang="zh")
    assert (
        result.stderr == "错误：--hours：“0”应为大于 0、不超过 24 的数，最多两位小数，如 2 或 1.5\n"
    )
    result = district.fails("service", "log", "韩磊", "--hours", "1", lang="zh")
    assert result.stderr.startswith("错误：请给出 --date")


def test_list_filters_and_totals(district: Cli) -> None:
    log(district, "韩磊", "--hours", "3", "--activity", "1")
    log(district, "朱萍秀", "--hours", "3", "--activity", "1")
    log(district, "韩磊", "--hours", "1.5", "--date", "2024-08-03")
    log(district, "13812345678", "--hours", "2", "--date", "2024-08-04")
    log(district, "朱萍秀", "--hours", "8", "--date", "2023-12-31")
    assert [r["id"] for r in json_of(district, "service", "list", "--month", "2024-08")] == [3, 4]
    assert [r["id"] for r in json_of(district, "service", "list", "--person", "韩磊")] == [1, 3]
    assert len(json_of(district, "service", "list", "--year", "2024")) == 4
    table = district.ok("service", "list", "--year", "2024", lang="zh").stdout
    assert "合计 4" in table and "9.5" in table
    totals = json_of(district, "service", "total", "--year", "2024")
    assert [(r["rank"], r["person"], r["hours"], r["points"]) for r in totals] == [
        (1, "韩磊", 4.5, 4.5),
        (2, "朱萍秀", 3, 3),
        (3, "王芳", 2, 2),
    ]
    assert totals[0]["records"] == 2 and totals[0]["days"] == 2
    points = json_of(district, "service", "total", "--year", "2024", "--points-per-hour", "10")
    assert [r["points"] for r in points] == [45, 30, 20]
    everything = json_of(district, "service", "total")
    assert [(r["rank"], r["person"], r["hours"]) for r in everything] == [
        (1, "朱萍秀", 11),
        (2, "韩磊", 4.5),
        (3, "王芳", 2),
    ]
    csv_text = district.ok("service", "total", "--year", "2024", "--format", "csv").stdout
    assert "韩磊" in csv_text
    district.fails("service", "total", "--month", "2024-08", "--year", "2024")
    district.fails("service", "total", "--points-per-hour", "0")


def test_equal_hours_share_a_rank(district: Cli) -> None:
    log(district, "韩磊", "--hours", "2", "--date", "2024-08-03")
    log(district, "朱萍秀", "--hours", "2", "--date", "2024-08-03")
    log(district, "13812345678", "--hours", "1", "--date", "2024-08-03")
    ranks = [r["rank"] for r in json_of(district, "service", "total", "--year", "2024")]
    assert ranks == [1, 1, 3]


def test_remove_takes_a_record_out_of_lists_and_totals(district: Cli) -> None:
    log(district, "韩磊", "--hours", "20", "--date", "2024-08-03")
    result = district.ok("service", "remove", "1")
    assert result.stderr == "removed service record 1: 韩磊, 20 hours on 2024-08-03\n"
    assert json_of(district, "service", "list") == []
    assert json_of(district, "service", "total") == []
    log(district, "韩磊", "--hours", "24", "--date", "2024-08-03")  # the day is free again
    assert "is removed already" in district.fails("service", "remove", "1").stderr
    assert 'unknown service record "9"' in district.fails("service", "remove", "9").stderr


SHEET = "序号,姓名,电话,时长,备注\n1,韩磊,,,引导\n2,王芳,13987654321,2.5,\n3,朱萍秀,,,\n"


def test_a_sign_in_sheet_logs_everyone_at_once(district: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "签到表.csv"
    sheet.write_text(SHEET, encoding="utf-8-sig")
    result = district.ok("service", "log-sheet", str(sheet), "--activity", "1", "--hours", "3")
    assert "3 inserted" in result.stdout
    records = json_of(district, "service", "list")
    assert [(r["person_id"], r["hours"], r["date"], r["activity_id"]) for r in records] == [
        (1, 3, "2024-03-15", 1),
        (4, 2.5, "2024-03-15", 1),
        (2, 3, "2024-03-15", 1),
    ]
    assert records[0]["note"] == "引导"
    again = district.ok("service", "log-sheet", str(sheet), "--activity", "1", "--hours", "3")
    assert "0 inserted" in again.stdout and "3 unchanged" in again.stdout
    assert len(json_of(district, "service", "list")) == 3
    district.ok("imports", "undo", "1")
    assert json_of(district, "service", "list") == []


def test_a_bad_sheet_writes_nothing_and_names_every_line(district: Cli, tmp_path: Path) -> None:
    log(district, "朱萍秀", "--hours", "22", "--date", "2024-04-02")
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "姓名,时长\n韩磊,1\n王芳,1\n无名氏,1\n朱萍秀,3\n韩磊,1\n韩磊,0\n", encoding="utf-8"
    )
    before = dump(district.db)
    result = district.fails("service", "log-sheet", str(sheet), "--class", "1")
    assert "line 3" in result.stderr and '"王芳" names 2 members' in result.stderr
    assert "line 4" in result.stderr and 'unknown member "无名氏"' in result.stderr
    assert "line 5" in result.stderr and "would have more than 24 hours" in result.stderr
    assert "line 6" in result.stderr  # the same person twice
    assert "line 7" in result.stderr and '"0" is not a number' in result.stderr
    assert dump(district.db) == before


def test_a_sheet_needs_its_activity_or_class_and_hours(district: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("姓名\n韩磊\n", encoding="utf-8")
    before = dump(district.db)
    assert (
        "give --activity or --class"
        in district.fails("service", "log-sheet", str(sheet), "--hours", "2").stderr
    )
    assert (
        "no hours" in district.fails("service", "log-sheet", str(sheet), "--activity", "1").stderr
    )
    assert (
        'unknown activity "5"'
        in district.fails(
            "service", "log-sheet", str(sheet), "--activity", "5", "--hours", "1"
        ).stderr
    )
    dry = district.ok(
        "service", "log-sheet", str(sheet), "--activity", "1", "--hours", "1", "--dry-run"
    )
    assert "1 inserted" in dry.stdout
    assert dump(district.db) == before


def test_certificate_refuses_a_year_without_service(district: Cli, tmp_path: Path) -> None:
    target = tmp_path / "证明.docx"
    result = district.fails(
        "service", "certificate", "韩磊", "--year", "2024", "--output", str(target)
    )
    assert "has no service logged in 2024" in result.stderr
    assert not target.exists()


def test_feedback_lists_a_units_in_service_members(district: Cli) -> None:
    """在职党员 of one unit: a member all year, one who left in June (her July record is not
    the unit's), one with no service (a row of 0 hours), one of another unit (left out)."""
    district.ok("units", "add", "北碚区市场监督管理局", "--kind", "agency")
    district.ok("units", "add", "北碚区税务局", "--kind", "agency")
    for name, phone, unit, since in (
        ("韩磊", "13946149626", "1", "2023-10-09"),
        ("朱萍秀", None, "1", "2024-02-01"),
        ("王芳", "13812345678", "1", "2024-01-05"),
        ("王芳", "13987654321", "2", "2024-01-05"),
    ):
        district.ok(
            "party", "add", name, "--branch", "1", "--in-service", "--unit", unit,
            "--reported-on", since, "--since", since, *(("--phone", phone) if phone else ()),
        )  # fmt: skip
    assert len(json_of(district, "grid", "member", "list")) == 4  # the same people
    district.ok("party", "leave", "朱萍秀", "--date", "2024-06-30", "--to", "北碚区委组织部")
    log(district, "韩磊", "--hours", "3", "--activity", "1")
    log(district, "朱萍秀", "--hours", "2", "--date", "2024-06-30")
    log(district, "朱萍秀", "--hours", "4", "--date", "2024-07-02")
    log(district, "13987654321", "--hours", "5", "--date", "2024-05-01")
    log(district, "韩磊", "--hours", "1", "--date", "2023-12-01")
    data = json_of(district, "service", "feedback", "市场监督管理局", "--year", "2024")
    assert data["unit"] == {"id": 1, "name": "北碚区市场监督管理局"}
    assert data["members"] == 3 and data["hours"] == 5
    assert [(r["person"], r["date"], r["hours"]) for r in data["rows"]] == [
        ("朱萍秀", "2024-06-30", 2),
        ("王芳", None, 0),
        ("韩磊", "2024-03-15", 3),
    ]
    result = district.ok("service", "feedback", "1", "--year", "2024", lang="zh")
    assert result.stderr == "北碚区市场监督管理局 2024 年：在职党员 3 名，志愿服务共 5 小时\n"
    assert "合计 3" in result.stdout and "13812345678" not in result.stdout
    none = district.ok("service", "feedback", "2", "--year", "2023")
    assert "has no in-service Party members" in none.stderr
    assert (
        "unknown unit" in district.fails("service", "feedback", "no such", "--year", "2024").stderr
    )


LEDGER = (
    "志愿服务台账\n"
    "序号,姓名,电话,日期,时长,活动编号,课堂编号,工单号,备注\n"
    "1,韩磊,,,3,1,,,引导\n"
    "2,王芳,13812345678,2024-08-03,1.5,,,,巡查\n"
    "3,朱萍秀,,,2,,1,,\n"
    "4,朱萍秀,,2024-08-05,2,,,1,\n"
    "合计,,,,8.5,,,,\n"
)


def test_a_ledger_imports_every_record_once(district: Cli, tmp_path: Path) -> None:
    ledger = tmp_path / "志愿服务台账.csv"
    ledger.write_text(LEDGER, encoding="gb18030")
    result = district.ok("service", "import", str(ledger))
    assert "4 inserted" in result.stdout
    records = json_of(district, "service", "list")
    assert [(r["person_id"], r["date"], r["hours"]) for r in records] == [
        (1, "2024-03-15", 3),
        (2, "2024-04-02", 2),
        (3, "2024-08-03", 1.5),
        (2, "2024-08-05", 2),
    ]
    assert (records[1]["class_id"], records[3]["issue_id"]) == (1, 1)
    again = district.ok("service", "import", str(ledger))
    assert "0 inserted" in again.stdout and "4 unchanged" in again.stdout
    [entry] = json_of(district, "imports", "list")[-1:]
    assert entry["kind"] == "service_records"


def test_a_bad_ledger_writes_nothing(district: Cli, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "姓名,日期,时长,活动编号,工单号\n"
        "韩磊,2024-08-03,20,,\n"
        "韩磊,2024-08-03,5,,\n"  # 25 hours that day, counting the row above
        "韩磊,,2,,\n"  # no day
        "韩磊,2024-08-04,2,1,1\n"  # two references
        "韩磊,2999-01-01,2,,\n"
        "韩磊,2024-08-06,0,,\n",
        encoding="utf-8",
    )
    before = dump(district.db)
    result = district.fails("service", "import", str(ledger))
    for line, text in (
        (3, "would have more than 24 hours"),
        (4, "give --date"),
        (5, "give one of --activity"),
        (6, "is in the future"),
        (7, '"0" is not a number'),
    ):
        assert f"line {line}" in result.stderr and text in result.stderr, (line, text)
    assert "line 2" not in result.stderr
    assert dump(district.db) == before
