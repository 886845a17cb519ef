"""`beiwen course …`: courses, terms, classes, attendance and planning through the real CLI."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beiwen.errors import InvalidInputError
from beiwen.parsing import parse_time, parse_weekday
from beiwen.services import holidays
from conftest import Cli

FUTURE = "2999-01-04 10:00"


def json_of(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "--format", "json").stdout)


def add_course(cli: Cli, name: str, *options: str) -> int:
    result = cli.ok("course", "add", name, *options)
    return int(result.stdout)


def add_class(cli: Cli, course: str, when: str, *options: str) -> int:
    result = cli.ok("course", "class", "add", course, "--date", when, *options)
    return int(result.stdout)


def classes(cli: Cli, *options: str) -> list[dict[str, Any]]:
    data = json_of(cli, "course", "class", "list", *options)
    assert isinstance(data, list)
    return data


def course_row(cli: Cli, name: str) -> dict[str, Any]:
    rows = [row for row in json_of(cli, "course", "list") if row["name"] == name]
    assert len(rows) == 1
    return rows[0]


@pytest.fixture
def studio(ready: Cli) -> Cli:
    """A database with a partner unit and a vocal course of 40 seats with two terms."""
    ready.ok("units", "add", "北碚区民政局", "--kind", "agency", "--council")
    add_course(
        ready,
        "歌声飞扬唱响夕阳",
        "--category",
        "声乐",
        "--partner",
        "北碚区民政局",
        "--teacher",
        "王秀兰",
        "--venue",
        "云清路社区活动室",
        "--capacity",
        "40",
    )
    ready.ok(
        "course",
        "term",
        "add",
        "歌声飞扬唱响夕阳",
        "第一期",
        "--start",
        "2024-03-01",
        "--end",
        "2024-05-31",
    )
    ready.ok("course", "term", "add", "1", "第二期", "--start", "2024年9月1日")
    return ready


# Courses ---------------------------------------------------------------------------------


def test_add_course_with_partner_unit_prints_id_and_resolves_partner(studio: Cli) -> None:
    course = json_of(studio, "course", "show", "1")
    assert course["name"] == "歌声飞扬唱响夕阳"
    assert course["category"] == "music"
    assert course["partner_unit_id"] == 1
    assert course["partner_text"] is None
    assert course["partner"] == "北碚区民政局"
    assert (course["teacher"], course["venue"], course["capacity"]) == (
        "王秀兰",
        "云清路社区活动室",
        40,
    )


def test_add_course_partner_outside_register_is_kept_as_text(ready: Cli) -> None:
    result = ready.ok("course", "add", "配音课堂", "--partner", "云清社会工作服务中心")
    assert result.stdout == "1\n"
    assert result.stderr == (
        'partner "云清社会工作服务中心" is not in the unit register; kept as text\nadded course 1\n'
    )
    course = json_of(ready, "course", "show", "配音课堂")
    assert (course["partner_unit_id"], course["partner_text"]) == (None, "云清社会工作服务中心")


def test_add_course_errors_write_nothing(ready: Cli) -> None:
    ready.ok("units", "add", "同名单位", "--kind", "merchant")
    ready.ok("units", "add", "同名单位", "--kind", "merchant")
    cases = [
        (("--category", "cooking"), 'category: unknown value "cooking"; use one of: dance (舞蹈)'),
        (("--capacity", "0"), 'capacity: "0" is not a whole number of at least 1'),
        (("--capacity", "-3"), 'capacity: "-3" is not a whole number of at least 1'),
        (("--partner", "99"), 'unknown unit "99"'),
        (("--partner", "同名单位"), '"同名单位" names 2 units (ids 1, 2)'),
    ]
    for options, message in cases:
        result = ready.fails("course", "add", "篮球教学", *options)
        assert message in result.stderr
        assert result.stderr.count("\n") == 1
    assert json_of(ready, "course", "list") == []
    assert "name: is required" in ready.fails("course", "add", " ").stderr


def test_course_name_is_unique(studio: Cli) -> None:
    result = studio.fails("course", "add", "歌声飞扬唱响夕阳")
    assert result.stderr == (
        'Error: a course named "歌声飞扬唱响夕阳" already exists (id 1); change it with: '
        "beiwen course edit 1\n"
    )


def test_edit_course(studio: Cli) -> None:
    result = studio.ok("course", "edit", "1", "--capacity", "45", "--teacher", "")
    assert result.stderr == "updated course 1\n"
    course = json_of(studio, "course", "show", "1")
    assert (course["capacity"], course["teacher"]) == (45, None)
    studio.ok("course", "edit", "歌声飞扬唱响夕阳", "--partner", "某慈善基金会")
    course = json_of(studio, "course", "show", "1")
    assert (course["partner_unit_id"], course["partner_text"]) == (None, "某慈善基金会")
    studio.ok("course", "edit", "1", "--partner", "")
    assert json_of(studio, "course", "show", "1")["partner"] is None


def test_edit_course_errors(studio: Cli) -> None:
    add_course(studio, "篮球教学")
    assert "nothing to change" in studio.fails("course", "edit", "1").stderr
    assert 'unknown course "9"' in studio.fails("course", "edit", "9", "--venue", "x").stderr
    taken = studio.fails("course", "edit", "2", "--name", "歌声飞扬唱响夕阳")
    assert 'a course named "歌声飞扬唱响夕阳" already exists (id 1)' in taken.stderr
    assert "name: is required" in studio.fails("course", "edit", "2", "--name", "").stderr
    assert json_of(studio, "course", "show", "2")["name"] == "篮球教学"


def test_course_list_and_filters(studio: Cli) -> None:
    add_course(studio, "篮球教学", "--category", "sports", "--capacity", "20")
    rows = json_of(studio, "course", "list")
    assert [row["name"] for row in rows] == ["歌声飞扬唱响夕阳", "篮球教学"]
    assert rows[0]["terms"] == 2
    assert [row["name"] for row in json_of(studio, "course", "list", "--category", "体育")] == [
        "篮球教学"
    ]
    table = studio.ok("course", "list").stdout
    assert "歌声飞扬唱响夕阳" in table and "vocal music" in table
    assert "声乐" in studio.ok("course", "list", lang="zh").stdout
    csv_text = studio.ok("course", "list", "--format", "csv").stdout
    assert csv_text.startswith("\ufeffid,name,category,partner")
    assert "unknown format" in studio.fails("course", "list", "--format", "xml").stderr
    assert "category" in studio.fails("course", "list", "--category", "x").stderr


def test_course_show_table_and_unknown(studio: Cli) -> None:
    add_class(studio, "1", "2024-03-05 14:30", "--attendance", "36")
    out = studio.ok("course", "show", "歌声飞扬唱响夕阳").stdout
    for text in ("王秀兰", "第一期", "第二期", "2024-03-05 14:30 Tue", "90.0%", "Fill rate"):
        assert text in out
    result = studio.fails("course", "show", "舞蹈")
    assert result.stderr == 'Error: unknown course "舞蹈"; see: beiwen course list\n'
    assert "找不到课程" in studio.fails("course", "show", "舞蹈", lang="zh").stderr


# Terms -----------------------------------------------------------------------------------


def test_term_add_and_errors(studio: Cli) -> None:
    terms = json_of(studio, "course", "show", "1")["term_list"]
    assert [(t["name"], t["start_date"], t["end_date"]) for t in terms] == [
        ("第一期", "2024-03-01", "2024-05-31"),
        ("第二期", "2024-09-01", None),
    ]
    taken = studio.fails("course", "term", "add", "1", "第一期", "--start", "2024-03-01")
    assert taken.stderr == 'Error: course "歌声飞扬唱响夕阳" already has a term "第一期" (id 1)\n'
    order = studio.fails(
        "course", "term", "add", "1", "第三期", "--start", "2024-12-01", "--end", "2024-11-01"
    )
    assert order.stderr == "Error: --end 2024-11-01 is before --start 2024-12-01\n"
    bad = studio.fails("course", "term", "add", "1", "第三期", "--start", "2024.12.32")
    assert '--start: "2024.12.32" is not a date' in bad.stderr
    assert (
        "unknown course"
        in studio.fails("course", "term", "add", "x", "第三期", "--start", "2024-12-01").stderr
    )
    assert len(json_of(studio, "course", "show", "1")["term_list"]) == 2


# Classes ---------------------------------------------------------------------------------


def test_class_add_picks_the_term_by_date(studio: Cli) -> None:
    result = studio.ok(
        "course",
        "class",
        "add",
        "1",
        "--date",
        "2024-03-05 14:30",
        "--attendance",
        "36",
        "--note",
        "首课",
    )
    assert result.stdout == "1\n"
    assert result.stderr == "recorded class 1\n"
    autumn = add_class(studio, "歌声飞扬唱响夕阳", "2024-09-03 14:30")
    summer = add_class(studio, "1", "2024-07-02 14:30", "--venue", "红色驿站")
    rows = {row["id"]: row for row in classes(studio)}
    assert (rows[1]["term"], rows[1]["status"], rows[1]["attendance"]) == ("第一期", "held", 36)
    assert rows[1]["attendance_source"] == "count"
    assert (rows[1]["venue"], rows[1]["note"]) == ("云清路社区活动室", "首课")
    assert rows[1]["starts_at"] == "2024-03-05T14:30:00+08:00"
    assert rows[autumn]["term"] == "第二期"
    assert (rows[summer]["term"], rows[summer]["venue"]) == (None, "红色驿站")
    assert rows[summer]["attendance"] is None


def test_class_add_with_term_by_name_or_id_and_outside_notice(studio: Cli) -> None:
    result = studio.ok(
        "course", "class", "add", "1", "--date", "2024-06-04 14:30", "--term", "第一期"
    )
    assert result.stderr == (
        'class 1: 2024-06-04 is outside term "第一期" (2024-03-01 to 2024-05-31)\n'
        "recorded class 1\n"
    )
    add_class(studio, "1", "2024-09-10 14:30", "--term", "2")
    assert [row["term"] for row in classes(studio)] == ["第一期", "第二期"]


def test_class_add_errors(studio: Cli) -> None:
    add_class(studio, "1", "2024-03-05 14:30")
    cases = [
        (("1", "--date", FUTURE), "--date: 2999-01-04 10:00 is in the future"),
        (("1", "--date", "2024-13-01"), '--date: "2024-13-01" is not a date and time'),
        (("1", "--date", "2024-03-06", "--attendance", "-1"), '--attendance: "-1" is not'),
        (("1", "--date", "2024-03-06", "--attendance", "ten"), '--attendance: "ten" is not'),
        (("9", "--date", "2024-03-06"), 'unknown course "9"'),
        (("1", "--date", "2024-03-06", "--term", "第九期"), 'has no term "第九期"'),
        (
            ("1", "--date", "2024-03-05 14:30"),
            'course "歌声飞扬唱响夕阳" already has a class at 2024-03-05 14:30 (class 1)',
        ),
    ]
    for args, message in cases:
        result = studio.fails("course", "class", "add", *args)
        assert message in result.stderr, result.stderr
    unknown_term = studio.fails(
        "course", "class", "add", "1", "--date", "2024-03-06", "--term", "第九期"
    )
    assert "its terms are: 第一期, 第二期" in unknown_term.stderr
    assert len(classes(studio)) == 1


def test_attendance_above_capacity_is_allowed_and_flagged(studio: Cli) -> None:
    result = studio.ok(
        "course", "class", "add", "1", "--date", "2024-03-07 14:30", "--attendance", "43"
    )
    assert result.stderr == (
        "class 1: attendance 43 is above the capacity of 40\nrecorded class 1\n"
    )
    add_class(studio, "1", "2024-03-05 14:30", "--attendance", "40")
    flags = {row["attendance"]: row["over_capacity"] for row in classes(studio)}
    assert flags == {43: True, 40: False}
    assert "yes" in studio.ok("course", "class", "show", "1").stdout


def test_class_list_filters_and_month_errors(studio: Cli) -> None:
    add_course(studio, "篮球教学")
    add_class(studio, "1", "2024-07-30 14:30", "--attendance", "30")
    add_class(studio, "1", "2024-08-01 14:30", "--attendance", "31")
    add_class(studio, "篮球教学", "2024-08-31 16:00", "--attendance", "20")
    add_class(studio, "篮球教学", "2024-09-01 16:00")
    august = classes(studio, "--month", "2024-08")
    assert [(row["course"], row["attendance"]) for row in august] == [
        ("歌声飞扬唱响夕阳", 31),
        ("篮球教学", 20),
    ]
    assert len(classes(studio, "--month", "2024年8月", "--course", "篮球教学")) == 1
    assert classes(studio, "--status", "planned") == []
    assert len(classes(studio, "--status", "已开课")) == 4
    table = studio.ok("course", "class", "list", "--month", "2024-08").stdout
    assert "Total" in table and "51" in table
    bad = studio.fails("course", "class", "list", "--month", "2024-8-1")
    assert bad.stderr.startswith('Error: --month: "2024-8-1" is not a month')
    assert "status" in studio.fails("course", "class", "list", "--status", "done").stderr
    assert "(none)" in studio.ok("course", "class", "list", "--month", "2023-01").stdout


def test_class_show_masks_phones_unless_asked(studio: Cli) -> None:
    class_id = add_class(studio, "1", "2024-03-05 14:30")
    studio.ok("course", "attend", str(class_id), "张三:13812345678", "李四")
    masked = studio.ok("course", "class", "show", "1").stdout
    assert "138****5678" in masked and "13812345678" not in masked
    assert "13812345678" in studio.ok("course", "class", "show", "1", "--show-pii").stdout
    # Attendees are people: masked in JSON too (beiwen.privacy), whole with --show-pii.
    masked_json = json_of(studio, "course", "class", "show", "1")
    assert [a["phone"] for a in masked_json["attendees"]] == ["138****5678", ""]
    shown = json_of(studio, "course", "class", "show", "1", "--show-pii")
    assert [(a["name"], a["phone"]) for a in shown["attendees"]] == [
        ("张三", "13812345678"),
        ("李四", ""),
    ]
    assert shown["attendance"] == 2
    assert "签到名单" in studio.ok("course", "class", "show", "1", lang="zh").stdout
    unknown = studio.fails("course", "class", "show", "77")
    assert unknown.stderr == (
        'Error: unknown class "77"; find its id with: beiwen course class list\n'
    )


def test_class_edit(studio: Cli) -> None:
    add_class(studio, "1", "2024-03-05 14:30", "--attendance", "30")
    result = studio.ok(
        "course",
        "class",
        "edit",
        "1",
        "--attendance",
        "33",
        "--note",
        "补记",
        "--date",
        "2024-03-05 15:00",
        "--venue",
        "红色驿站",
    )
    assert result.stderr == "updated class 1\n"
    row = classes(studio)[0]
    assert (row["attendance"], row["note"], row["venue"]) == (33, "补记", "红色驿站")
    assert row["starts_at"] == "2024-03-05T15:00:00+08:00"
    studio.ok("course", "class", "edit", "1", "--venue", "", "--term", "")
    row = classes(studio)[0]
    assert (row["venue"], row["term"]) == ("云清路社区活动室", None)
    studio.ok("course", "class", "edit", "1", "--status", "cancelled")
    assert classes(studio)[0]["status"] == "cancelled"
    assert course_row(studio, "歌声飞扬唱响夕阳")["held"] == 0


def test_class_edit_errors(studio: Cli) -> None:
    add_class(studio, "1", "2024-03-05 14:30")
    add_class(studio, "1", "2024-03-07 14:30")
    studio.ok("course", "attend", "2", "张三")
    cases = [
        (("1",), "nothing to change; pass at least one option"),
        (("9", "--note", "x"), 'unknown class "9"'),
        (("1", "--status", "done"), 'status: unknown value "done"'),
        (("1", "--date", FUTURE), "is in the future"),
        (
            ("1", "--date", "2024-03-07 14:30"),
            "already has a class at 2024-03-07 14:30 (class 2)",
        ),
        (("2", "--attendance", "5"), "class 2 has a roster of 1 names"),
        (("2", "--attendance", ""), "class 2 has a roster of 1 names"),
        (("2", "--status", "cancelled"), "class 2 has a roster of 1 names, so it was held"),
        (("1", "--term", "第九期"), 'has no term "第九期"'),
    ]
    for args, message in cases:
        result = studio.fails("course", "class", "edit", *args)
        assert message in result.stderr, result.stderr
    assert [row["status"] for row in classes(studio)] == ["held", "held"]


# Attendance ------------------------------------------------------------------------------


def test_attend_derives_attendance_from_the_roster(studio: Cli) -> None:
    class_id = add_class(studio, "1", "2024-03-05 14:30", "--attendance", "30")
    result = studio.ok(
        "course", "attend", str(class_id), "张三:13812345678", "李四", "王五：023-68281234"
    )
    assert result.stdout == ("class 1: 3 added, 0 already on the roster; attendance 3\n")
    assert result.stderr == (
        "class 1: attendance is now 3, counted from its roster (it was recorded as 30)\n"
    )
    again = studio.ok("course", "attend", "1", "李四", "赵六", "赵六")
    assert again.stdout == "class 1: 1 added, 1 already on the roster; attendance 4\n"
    assert again.stderr == ""
    row = classes(studio)[0]
    assert (row["attendance"], row["attendance_source"], row["roster"]) == (4, "roster", 4)
    assert course_row(studio, "歌声飞扬唱响夕阳")["attendance"] == 4
    # The stored head count follows the roster too, for readers of the table itself.
    conn = sqlite3.connect(studio.db)
    assert conn.execute("SELECT attendance FROM course_classes WHERE id = 1").fetchone() == (4,)
    conn.close()
    # The same name with another phone is another person.
    studio.ok("course", "attend", "1", "李四:13912345678")
    assert classes(studio)[0]["attendance"] == 5


def test_attend_errors_write_nothing(studio: Cli, tmp_path: Path) -> None:
    add_class(studio, "1", "2024-03-05 14:30")
    cancelled = add_class(studio, "1", "2024-03-07 14:30")
    studio.ok("course", "class", "edit", str(cancelled), "--status", "cancelled")
    roster = tmp_path / "roster.csv"
    roster.write_text("姓名\n张三\n", encoding="utf-8")
    cases = [
        (("1", "张三", "李四:12345"), 'phone: "12345" is not a phone number'),
        (("1", ":13812345678"), 'attendee ":13812345678": give a name, or NAME:PHONE'),
        (("1",), "give at least one attendee (NAME or NAME:PHONE) or --file roster.csv"),
        (("1", "张三", "--file", str(roster)), "either as arguments or with --file, not both"),
        ((str(cancelled), "张三"), f"class {cancelled} is cancelled; restore it first"),
        (("99", "张三"), 'unknown class "99"'),
    ]
    for args, message in cases:
        result = studio.fails("course", "attend", *args)
        assert message in result.stderr, result.stderr
    assert [row["roster"] for row in classes(studio)] == [0, 0]


def test_attend_from_roster_file(studio: Cli, tmp_path: Path) -> None:
    add_class(studio, "1", "2024-03-05 14:30")
    roster = tmp_path / "签到表.csv"
    # Chinese Excel's export: GB18030, Chinese headers, a numbering column.
    roster.write_bytes("序号,姓名,手机\r\n1,张三,13812345678\r\n2,李四,\r\n".encode("gb18030"))
    result = studio.ok("course", "attend", "1", "--file", str(roster))
    assert result.stdout == "class 1: 2 added, 0 already on the roster; attendance 2\n"
    assert f"{roster}: read as GB18030" in result.stderr
    again = studio.ok("course", "attend", "1", "--file", str(roster))
    assert again.stdout == "class 1: 0 added, 2 already on the roster; attendance 2\n"
    shown = json_of(studio, "course", "class", "show", "1", "--show-pii")
    assert [(a["name"], a["phone"]) for a in shown["attendees"]] == [
        ("张三", "13812345678"),
        ("李四", ""),
    ]


def test_attend_file_is_all_or_nothing_with_line_numbers(studio: Cli, tmp_path: Path) -> None:
    add_class(studio, "1", "2024-03-05 14:30")
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,phone\n张三,13812345678\n,13912345678\n李四,555\n张三,13812345678\n",
        encoding="utf-8",
    )
    result = studio.fails("course", "attend", "1", "--file", str(roster))
    assert result.stderr.splitlines() == [
        f"Error: {roster}: 3 of 4 rows are invalid; nothing was imported. Fix them, or pass "
        "--skip-invalid --rejects PATH",
        "line 3: name: is required",
        'line 4: phone: "555" is not a phone number; use an 11-digit mobile (13812345678) '
        "or a landline with area code (023-68281234)",
        'line 5: name: "张三:138****5678" already appears on line 2',
    ]
    assert classes(studio)[0]["roster"] == 0
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("姓名,年龄\n张三,60\n", encoding="utf-8")
    assert (
        'unknown column "年龄"'
        in studio.fails("course", "attend", "1", "--file", str(wrong)).stderr
    )
    missing = studio.fails("course", "attend", "1", "--file", str(tmp_path / "none.csv"))
    assert "no such file" in missing.stderr


def test_attend_links_a_known_person_by_name_and_phone(studio: Cli, db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "INSERT INTO people (name, phone, created_at) VALUES (?, ?, ?)",
            ("张三", "13812345678", "2024-01-01T00:00:00+08:00"),
        )
    conn.close()
    add_class(studio, "1", "2024-03-05 14:30")
    studio.ok("course", "attend", "1", "张三:13812345678", "张三")
    attendees = json_of(studio, "course", "class", "show", "1")["attendees"]
    assert [(a["name"], a["person_id"]) for a in attendees] == [("张三", 1), ("张三", None)]


# Planning --------------------------------------------------------------------------------


def plan(cli: Cli, *args: str) -> Any:
    return cli.ok("course", "plan", *args, "--format", "json")


def test_plan_generates_weekly_planned_classes(studio: Cli) -> None:
    result = plan(
        studio,
        "1",
        "--term",
        "第二期",
        "--weekly",
        "周二",
        "--weekly",
        "4",
        "--time",
        "14:30",
        "--from",
        "2024-09-01",
        "--count",
        "5",
    )
    planned = json.loads(result.stdout)
    assert [row["starts_at"] for row in planned] == [
        "2024-09-03T14:30:00+08:00",
        "2024-09-05T14:30:00+08:00",
        "2024-09-10T14:30:00+08:00",
        "2024-09-12T14:30:00+08:00",
        "2024-09-17T14:30:00+08:00",
    ]
    assert {(row["status"], row["term"]) for row in planned} == {("planned", "第二期")}
    assert result.stderr == "planned 5 classes\n"
    totals = course_row(studio, "歌声飞扬唱响夕阳")
    assert (totals["held"], totals["planned"], totals["attendance"]) == (0, 5, 0)


def test_plan_skips_holidays(studio: Cli) -> None:
    result = plan(
        studio,
        "1",
        "--weekly",
        "tue,thu",
        "--time",
        "9:30",
        "--from",
        "2024-09-24",
        "--count",
        "4",
        "--skip-holidays",
    )
    days = [row["starts_at"][:10] for row in json.loads(result.stdout)]
    assert days == ["2024-09-24", "2024-09-26", "2024-10-08", "2024-10-10"]
    assert result.stderr == (
        "skipped 2024-10-01: National Day\nskipped 2024-10-03: National Day\nplanned 4 classes\n"
    )
    zh = studio.ok(
        "course",
        "plan",
        "1",
        "--weekly",
        "星期一",
        "--time",
        "19:00",
        "--from",
        "2025-01-27",
        "--count",
        "2",
        "--skip-holidays",
        lang="zh",
    )
    assert "已跳过 2025-02-03：春节" in zh.stderr


def test_plan_without_skip_keeps_holidays(studio: Cli) -> None:
    result = plan(
        studio, "1", "--weekly", "tue", "--time", "09:30", "--from", "2024-10-01", "--count", "1"
    )
    assert [row["starts_at"][:10] for row in json.loads(result.stdout)] == ["2024-10-01"]


def test_plan_in_a_year_the_calendar_does_not_cover(studio: Cli) -> None:
    # 2023-10-03 was a National Day holiday, but 2023 is not in the calendar: not skipped.
    result = plan(
        studio,
        "1",
        "--weekly",
        "tue",
        "--time",
        "09:30",
        "--from",
        "2023-09-26",
        "--count",
        "2",
        "--skip-holidays",
    )
    days = [row["starts_at"][:10] for row in json.loads(result.stdout)]
    assert days == ["2023-09-26", "2023-10-03"]
    covered = holidays.covered_years()
    assert result.stderr == (
        f"the holiday calendar covers {covered[0]}-{covered[-1]} only; holidays were not "
        "skipped in 2023\nplanned 2 classes\n"
    )
    # A plan that crosses into a covered year skips there and says so about the other.
    mixed = plan(
        studio,
        "1",
        "--weekly",
        "mon",
        "--time",
        "09:30",
        "--from",
        "2023-12-25",
        "--count",
        "3",
        "--skip-holidays",
    )
    assert [row["starts_at"][:10] for row in json.loads(mixed.stdout)] == [
        "2023-12-25",
        "2024-01-08",
        "2024-01-15",
    ]
    assert "skipped 2024-01-01: New Year's Day" in mixed.stderr
    assert "holidays were not skipped in 2023" in mixed.stderr


def test_plan_errors_write_nothing(studio: Cli) -> None:
    base = ["--weekly", "tue", "--time", "09:30", "--from", "2024-09-03", "--count", "2"]

    def with_(**changes: str) -> list[str]:
        args = list(base)
        for option, value in changes.items():
            args[args.index(f"--{option}") + 1] = value
        return args

    add_class(studio, "1", "2024-09-10 09:30")
    cases = [
        (with_(weekly="funday"), '--weekly: "funday" is not a weekday'),
        (with_(weekly="8"), '--weekly: "8" is not a weekday'),
        (with_(time="9.30"), '--time: "9.30" is not a time of day; use HH:MM'),
        (with_(time="24:00"), '--time: "24:00" is not a time of day'),
        (with_(count="0"), '--count: "0" is not a whole number of at least 1'),
        (with_(count="367"), "--count: at most 366 classes can be planned at once"),
        (with_(**{"from": "next week"}), '--from: "next week" is not a date'),
        (
            base,
            'course "歌声飞扬唱响夕阳" already has a class at 2024-09-10 09:30 (class 1); '
            "nothing was planned",
        ),
    ]
    for args, message in cases:
        result = studio.fails("course", "plan", "1", *args)
        assert message in result.stderr, result.stderr
    assert studio.fails("course", "plan", "1", *base, "--term", "x").stderr.count("no term") == 1
    assert len(classes(studio)) == 1


def test_plan_notices_when_it_runs_past_the_term(studio: Cli) -> None:
    result = plan(
        studio,
        "1",
        "--term",
        "第一期",
        "--weekly",
        "fri",
        "--time",
        "14:00",
        "--from",
        "2024-05-24",
        "--count",
        "2",
    )
    assert "the last planned class (2024-05-31) is after" not in result.stderr
    late = plan(
        studio,
        "1",
        "--term",
        "第一期",
        "--weekly",
        "fri",
        "--time",
        "14:00",
        "--from",
        "2024-06-07",
        "--count",
        "1",
    )
    assert late.stderr.startswith(
        'the last planned class (2024-06-07) is after the end of term "第一期" (2024-05-31)\n'
    )


def test_planned_class_becomes_held_when_recorded(studio: Cli) -> None:
    plan(studio, "1", "--weekly", "tue", "--time", "14:30", "--from", "2024-09-03", "--count", "3")
    # Recorded by day only: the planned time is kept.
    assert add_class(studio, "1", "2024-09-03", "--attendance", "35") == 1
    # Recorded with another time: the class moves to it.
    assert add_class(studio, "1", "2024-09-10 15:00") == 2
    rows = classes(studio)
    assert [(r["id"], r["status"], r["starts_at"][11:16]) for r in rows] == [
        (1, "held", "14:30"),
        (2, "held", "15:00"),
        (3, "planned", "14:30"),
    ]
    assert rows[0]["attendance"] == 35
    # Attendance on a planned class in the past records it as held.
    result = studio.ok("course", "attend", "3", "张三")
    assert "class 3 was planned and is now recorded as held" in result.stderr
    assert classes(studio)[2]["status"] == "held"


def test_planned_future_class_takes_no_attendance(studio: Cli) -> None:
    plan(studio, "1", "--weekly", "mon", "--time", "14:30", "--from", "2999-01-01", "--count", "1")
    result = studio.fails("course", "attend", "1", "张三")
    assert result.stderr == (
        "Error: class 1 is planned for 2999-01-07 14:30; record its attendance once it has "
        "been held\n"
    )
    assert (
        "in the future" in studio.fails("course", "class", "edit", "1", "--status", "held").stderr
    )
    assert classes(studio)[0]["status"] == "planned"


def test_two_planned_classes_on_one_day_need_the_exact_time(studio: Cli) -> None:
    plan(studio, "1", "--weekly", "tue", "--time", "09:00", "--from", "2024-09-03", "--count", "1")
    plan(studio, "1", "--weekly", "tue", "--time", "15:00", "--from", "2024-09-03", "--count", "1")
    result = studio.fails("course", "class", "add", "1", "--date", "2024-09-03")
    assert "has 2 planned classes on 2024-09-03 (ids 1, 2); give the exact time" in result.stderr
    assert add_class(studio, "1", "2024-09-03 15:00") == 2


# Imports and the example data ---------------------------------------------------------------


def test_class_ledger_import_creates_terms_and_is_idempotent(studio: Cli, tmp_path: Path) -> None:
    add_course(studio, "繁花云清优雅前行", "--capacity", "30")
    ledger = tmp_path / "台账.csv"
    ledger.write_text(
        "课程,期次,上课时间,人数,地点,备注\n"
        "繁花云清优雅前行,第一期,2024-03-04 15:00,25,,\n"
        "繁花云清优雅前行,第一期,2024-03-20 15:00,28,红色驿站,\n"
        "繁花云清优雅前行,第二期,2024-08-05 15:00,31,,加座\n"
        "歌声飞扬唱响夕阳,,2024-03-05 14:30,36,,\n",
        encoding="utf-8-sig",
    )
    result = studio.ok("course", "class", "import", str(ledger))
    assert result.stdout == "4 inserted, 0 updated, 0 unchanged, 0 rejected\n"
    terms = json_of(studio, "course", "show", "繁花云清优雅前行")["term_list"]
    assert [(t["name"], t["start_date"], t["end_date"], t["held"]) for t in terms] == [
        ("第一期", "2024-03-04", "2024-03-20", 2),
        ("第二期", "2024-08-05", "2024-08-05", 1),
    ]
    assert [row["term"] for row in classes(studio, "--course", "1")] == ["第一期"]
    again = studio.ok("course", "class", "import", str(ledger))
    assert again.stdout == "0 inserted, 0 updated, 4 unchanged, 0 rejected\n"
    # A class with a roster keeps the roster's count when the ledger is read again.
    studio.ok("course", "attend", "1", "张三")
    studio.ok("course", "class", "import", str(ledger))
    assert classes(studio, "--course", "繁花云清优雅前行")[0]["attendance"] == 1


def test_class_ledger_import_rejects_bad_rows(studio: Cli, tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "course,date,attendance\n"
        "歌声飞扬唱响夕阳,2024-03-05 14:30,36\n"
        "舞蹈课,2024-03-06,10\n"
        f"歌声飞扬唱响夕阳,{FUTURE},10\n"
        "歌声飞扬唱响夕阳,2024-03-05 14:30,36\n",
        encoding="utf-8",
    )
    result = studio.fails("course", "class", "import", str(ledger))
    assert result.stderr.splitlines()[1:] == [
        'line 3: unknown course "舞蹈课"; see: beiwen course list',
        "line 4: date: 2999-01-04 10:00 is in the future; a class is recorded once it has been "
        "held (plan future classes with: beiwen course plan)",
        'line 5: course/date: "歌声飞扬唱响夕阳 2024-03-05 14:30" already appears on line 2',
    ]
    assert classes(studio) == []
    dry = studio.ok(
        "course",
        "class",
        "import",
        str(ledger),
        "--skip-invalid",
        "--rejects",
        str(tmp_path / "rejects.csv"),
        "--dry-run",
    )
    assert (
        dry.stdout == "dry run, nothing written: 1 inserted, 0 updated, 0 unchanged, 3 rejected\n"
    )
    assert classes(studio) == []


def test_course_catalogue_import(ready: Cli, tmp_path: Path) -> None:
    catalogue = tmp_path / "courses.csv"
    catalogue.write_text(
        "课程名称,类别,合作单位,容量\n篮球教学,篮球,共青团,24\n配音课堂,配音朗诵,,20\n",
        encoding="utf-8",
    )
    assert ready.ok("course", "import", str(catalogue)).stdout == (
        "2 inserted, 0 updated, 0 unchanged, 0 rejected\n"
    )
    rows = json_of(ready, "course", "list")
    assert [(r["name"], r["category"], r["partner"], r["capacity"]) for r in rows] == [
        ("篮球教学", "sports", "共青团", 24),
        ("配音课堂", "dubbing", None, 20),
    ]
    catalogue.write_text("name,capacity\n篮球教学,30\n配音课堂,0\n", encoding="utf-8")
    bad = ready.fails("course", "import", str(catalogue))
    assert 'line 3: capacity: "0" is not a whole number of at least 1' in bad.stderr
    assert course_row(ready, "篮球教学")["capacity"] == 24


def test_demo_has_the_article_figures(demo: Cli) -> None:
    rows = {row["name"]: row for row in json_of(demo, "course", "list")}
    held = {name: (row["held"], row["terms"]) for name, row in rows.items()}
    assert held == {
        "民族舞培训": (13, 0),
        "配音课堂": (10, 0),
        "篮球教学": (12, 0),
        "歌声飞扬唱响夕阳": (33, 2),
        "繁花云清优雅前行": (65, 2),
        "新媒体运营培训": (12, 0),
    }
    assert all(row["planned"] == 0 for row in rows.values())
    august = classes(demo, "--month", "2024-08")
    assert len({row["course"] for row in august}) >= 4
    assert all(row["starts_at"].startswith("2024-") for row in classes(demo))


def test_report_functions_count_held_classes_in_a_period(demo: Cli) -> None:
    from beiwen.db import open_db
    from beiwen.services.courses import held_by_course, held_totals

    conn = open_db(demo.db)
    try:
        year = held_by_course(conn, date(2024, 1, 1), date(2025, 1, 1))
        assert [(row["course"], row["classes"]) for row in year] == [
            ("民族舞培训", 13),
            ("配音课堂", 10),
            ("篮球教学", 12),
            ("歌声飞扬唱响夕阳", 33),
            ("繁花云清优雅前行", 65),
            ("新媒体运营培训", 12),
        ]
        vocal = year[3]
        assert (vocal["terms"], vocal["counted"]) == (2, 33)
        assert vocal["attendance"] == course_row(demo, "歌声飞扬唱响夕阳")["attendance"]
        totals = held_totals(conn, date(2024, 1, 1), date(2025, 1, 1))
        assert (totals["courses"], totals["classes"]) == (6, 145)
        august = held_totals(conn, date(2024, 8, 1), date(2024, 9, 1))
        assert august["classes"] == len(classes(demo, "--month", "2024-08"))
        assert held_totals(conn, date(2025, 1, 1), date(2025, 2, 1))["classes"] == 0
    finally:
        conn.close()


# Holidays and parsers --------------------------------------------------------------------


def test_holiday_calendar_is_consistent() -> None:
    assert holidays.covered_years() == [2024, 2025, 2026]
    assert holidays.holiday_on(date(2024, 2, 9)) is None  # New Year's Eve was not a day off
    assert holidays.holiday_on(date(2025, 1, 28)) == "spring_festival"  # from 2025 it is
    assert holidays.holiday_on(date(2025, 10, 8)) == "national_day"
    assert holidays.holiday_on(date(2026, 2, 23)) == "spring_festival"
    assert holidays.holiday_on(date(2024, 9, 14)) is None  # a make-up working Saturday
    for year in holidays.covered_years():
        assert holidays.holiday_on(date(year, 10, 1)) == "national_day"
        assert holidays.holiday_on(date(year, 5, 1)) == "labour_day"
        assert holidays.holiday_on(date(year, 1, 1)) == "new_year"
    assert not holidays.covers(2023)


WEEKDAY_FORMS = {
    0: ("mon", "Monday", "1", "周一", "星期一", "礼拜一"),
    6: ("sun", "SUNDAY", "7", "周日", "周天", "星期日", "星期天"),
}


def test_weekday_forms() -> None:
    for index, forms in WEEKDAY_FORMS.items():
        for form in forms:
            assert parse_weekday(form) == index
    for bad in ("0", "8", "周八", "mo", "星期", ""):
        with pytest.raises(InvalidInputError):
            parse_weekday(bad)


@given(st.integers(0, 23), st.integers(0, 59))
def test_parse_time_round_trips(hour: int, minute: int) -> None:
    parsed = parse_time(f"{hour:02d}:{minute:02d}")
    assert (parsed.hour, parsed.minute) == (hour, minute)
    assert parse_time(f"{hour}:{minute:02d}") == parsed


@given(st.text(max_size=8))
def test_parse_time_accepts_only_hh_mm(text: str) -> None:
    try:
        parsed = parse_time(text)
    except InvalidInputError:
        return
    assert text.strip() in (
        f"{parsed.hour:02d}:{parsed.minute:02d}",
        f"{parsed.hour}:{parsed.minute:02d}",
    )
