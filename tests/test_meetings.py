"""`beiwen meeting …`: the joint meeting (区域党建联席会), its attendance and its decisions,
through the real CLI on a real database file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

MARKET = "北碚区市场监督管理局"
CITY = "北碚区城市管理局"
BANK = "中国工商银行重庆北碚支行"
SHOP = "老街火锅店"


def json_of(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "--format", "json").stdout)


def dump(path: Path) -> list[str]:
    """Every row of the database, to show that a refused command wrote nothing."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def council(ready: Cli) -> Cli:
    """Three council units (1 market, 2 city, 3 bank), a merchant (4), the rotation of 2024
    (January market, February city, March bank, April market ...)."""
    for name, kind in ((MARKET, "agency"), (CITY, "agency"), (BANK, "bank")):
        ready.ok("units", "add", name, "--kind", kind, "--council")
    ready.ok("units", "add", SHOP, "--kind", "merchant")
    ready.ok("rotation", "plan", "--from", "2024-01", "--months", "12")
    return ready


def add_meeting(cli: Cli, *options: str) -> int:
    return int(cli.ok("meeting", "add", *options).stdout)


def test_the_host_defaults_to_the_duty_unit_and_always_attends(council: Cli) -> None:
    month = json_of(council, "rotation", "show", "--from", "2024-02", "--to", "2024-02")
    duty = month[0]["unit"]
    result = council.ok(
        "meeting", "add", "--date", "2024年2月22日", "--topic", "节后复工", "--attend", BANK
    )
    assert result.stdout == "1\n"
    assert f"host: {duty}, the duty unit of 2024-02" in result.stderr
    shown = json_of(council, "meeting", "show", "1")
    assert (shown["date"], shown["host_unit"], shown["topic"]) == ("2024-02-22", duty, "节后复工")
    assert [unit["name"] for unit in shown["attendee_list"]] == [duty, BANK]
    assert json_of(council, "meeting", "show", "2024-02-22")["id"] == 1


def test_a_host_given_by_hand_and_attendees_by_a_few_characters(council: Cli) -> None:
    meeting = add_meeting(
        council, "--date", "2024-08-15", "--host", BANK, "--topic", "融资", "--attend", "城市管理"
    )
    listed = json_of(council, "meeting", "list", "--year", "2024")
    assert [(m["id"], m["host_unit"], m["attended"]) for m in listed] == [(meeting, BANK, 2)]
    assert json_of(council, "meeting", "list", "--month", "2024-07") == []
    table = council.ok("meeting", "list", lang="zh").stdout
    assert "主持单位" in table and "融资" in table


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--date", "2024-08-15", "--topic", "x", "--host", "不存在的单位"), "不存在的单位"),
        (("--date", "2024-08-15", "--topic", "x", "--attend", "不存在的单位"), "不存在的单位"),
        (("--date", "2024-13-05", "--topic", "x"), "2024-13-05"),
        (("--date", "3000-01-01", "--topic", "x"), "3000-01-01"),
        (("--date", "2099-01-01", "--topic", "x"), "in the future"),
        (("--date", "2023-05-10", "--topic", "x"), "no duty unit is set for 2023-05"),
        (("--date", "2024-08-15", "--topic", " "), "--topic: is required"),
    ],
)
def test_bad_meetings_are_one_error_and_write_nothing(
    council: Cli, options: tuple[str, ...], message: str
) -> None:
    before = dump(council.db)
    result = council.fails("meeting", "add", *options)
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert dump(council.db) == before


def test_errors_in_chinese(council: Cli) -> None:
    result = council.fails("meeting", "add", "--date", "2099-01-01", "--topic", "x", lang="zh")
    assert result.stderr == "错误：--date：2099-01-01 尚未到来；联席会应在召开后登记\n"
    result = council.fails("meeting", "decision", "add", "9", "x", "--owner", MARKET, lang="zh")
    assert result.stderr.startswith("错误：找不到联席会“9”")


def test_decisions_are_added_listed_and_done(council: Cli) -> None:
    meeting = add_meeting(council, "--date", "2024-08-15", "--topic", "游摊占道")
    first = council.ok(
        "meeting",
        "decision",
        "add",
        str(meeting),
        "划定经营区",
        "--owner",
        CITY,
        "--due",
        "2024-09-15",
    )
    assert first.stdout == "1\n"
    council.ok("meeting", "decision", "add", "2024-08-15", "治安巡逻", "--owner", BANK)
    done = council.ok(
        "meeting", "decision", "done", "1", "--note", "划定 2 处", "--at", "2024-09-10"
    )
    assert "decision 1 done on 2024-09-10" in done.stderr
    listed = json_of(council, "meeting", "decision", "list")
    assert [(d["text"], d["owner_unit"], d["due"], d["done_note"]) for d in listed] == [
        ("划定经营区", CITY, "2024-09-15", "划定 2 处"),
        ("治安巡逻", BANK, None, None),
    ]
    assert [d["id"] for d in json_of(council, "meeting", "decision", "list", "--open")] == [2]
    assert [d["id"] for d in json_of(council, "meeting", "decision", "list", "--owner", CITY)] == [
        1
    ]
    shown = json_of(council, "meeting", "show", str(meeting))
    assert [d["id"] for d in shown["decision_list"]] == [1, 2]
    assert "划定经营区" in council.ok("meeting", "show", str(meeting), lang="zh").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("9", "x", "--owner", MARKET), 'unknown meeting "9"'),
        (("2024-09-01", "x", "--owner", MARKET), "no meeting was held on 2024-09-01"),
        (("1", "x", "--owner", "不存在的单位"), "不存在的单位"),
        (("1", "x", "--owner", MARKET, "--due", "2024-08-01"), "before the meeting of 2024-08-15"),
        (("1", "x", "--owner", MARKET, "--due", "2024-02-30"), "2024-02-30"),
        (("1", "x", "--owner", MARKET, "--as-issue", "--as-need"), "not both"),
        (("1", "x", "--owner", MARKET, "--category", "消防通道"), "--as-issue"),
        (("1", "x", "--owner", MARKET, "--as-issue", "--category", "火星"), "火星"),
        (("1", "x", "--owner", MARKET, "--as-need", "--kind", "火星"), "火星"),
    ],
)
def test_bad_decisions_are_one_error_and_write_nothing(
    council: Cli, args: tuple[str, ...], message: str
) -> None:
    add_meeting(council, "--date", "2024-08-15", "--topic", "游摊占道")
    before = dump(council.db)
    result = council.fails("meeting", "decision", "add", *args)
    assert message in result.stderr, result.stderr
    assert dump(council.db) == before


def test_done_twice_or_before_the_meeting_is_refused(council: Cli) -> None:
    add_meeting(council, "--date", "2024-08-15", "--topic", "游摊占道")
    council.ok("meeting", "decision", "add", "1", "划定经营区", "--owner", CITY)
    before = dump(council.db)
    assert (
        "before the meeting"
        in council.fails(
            "meeting", "decision", "done", "1", "--note", "x", "--at", "2024-08-01"
        ).stderr
    )
    assert (
        "unknown decision"
        in council.fails("meeting", "decision", "done", "7", "--note", "x").stderr
    )
    assert "--note" in council.fails("meeting", "decision", "done", "1", "--note", " ").stderr
    assert dump(council.db) == before
    council.ok("meeting", "decision", "done", "1", "--note", "已划定")
    assert "already done" in council.fails("meeting", "decision", "done", "1", "--note", "x").stderr


def test_a_decision_becomes_a_work_order_like_any_issue_add(council: Cli) -> None:
    add_meeting(council, "--date", "2024-08-15", "--topic", "消防安全")
    existing = int(council.ok("issue", "add", "井盖松动", "--category", "safety").stdout)
    result = council.ok(
        "meeting", "decision", "add", "1", "清理消防通道", "--owner", CITY,
        "--due", "2024-08-20", "--as-issue", "--category", "消防通道",
    )  # fmt: skip
    order = existing + 1
    assert f"decision 1 became work order {order}" in result.stderr
    issue = json_of(council, "issue", "show", str(order))
    assert (issue["title"], issue["category"], issue["source"]) == (
        "清理消防通道",
        "fire_lane",
        "other",
    )
    assert issue["reported_at"].startswith("2024-08-15") and issue["due_at"].startswith(
        "2024-08-20"
    )
    assert [event["action"] for event in issue["events"]] == ["report"]
    assert CITY in issue["description"]
    (decision,) = json_of(council, "meeting", "decision", "list")
    assert decision["issue_id"] == order


def test_a_decision_becomes_a_need_of_its_owner(council: Cli) -> None:
    add_meeting(council, "--date", "2024-11-14", "--topic", "融资难题")
    result = council.ok(
        "meeting", "decision", "add", "1", "为小微企业对接贷款", "--owner", BANK,
        "--as-need", "--kind", "融资",
    )  # fmt: skip
    (decision,) = json_of(council, "meeting", "decision", "list")
    assert decision["need_id"] is not None
    assert f"became need {decision['need_id']}" in result.stderr
    conn = sqlite3.connect(council.db)
    try:
        need = conn.execute(
            "SELECT n.title, n.kind, u.name FROM needs n JOIN units u ON u.id = n.from_unit_id "
            "WHERE n.id = ?",
            (decision["need_id"],),
        ).fetchone()
    finally:
        conn.close()
    assert need == ("为小微企业对接贷款", "funding", BANK)


def test_attendance_per_council_unit_over_a_period(council: Cli) -> None:
    add_meeting(council, "--date", "2024-01-18", "--topic", "一月", "--attend", CITY)
    add_meeting(council, "--date", "2024-02-22", "--topic", "二月", "--attend", MARKET)
    add_meeting(council, "--date", "2024-03-14", "--topic", "三月", "--attend", SHOP)
    data = json_of(council, "meeting", "attendance", "--year", "2024")
    assert [(u["unit"], u["attended"], u["meetings"], u["rate"]) for u in data] == [
        (MARKET, 2, 3, 0.6667),
        (CITY, 2, 3, 0.6667),
        (BANK, 1, 3, 0.3333),
    ]  # the merchant attended once but is no council unit
    table = council.ok("--wide", "meeting", "attendance", "--year", "2024").stdout
    assert "2/3 = 66.7%" in table and "5/9 = 55.6%" in table
    first = json_of(council, "meeting", "attendance", "--from", "2024-01-01", "--to", "2024-01-31")
    assert [u["meetings"] for u in first] == [1, 1, 1]
    none = json_of(council, "meeting", "attendance", "--month", "2024-06")
    assert [u["rate"] for u in none] == [None, None, None]
    assert "--month" in council.fails("meeting", "attendance").stderr


MEETINGS_CSV = (
    "序号,日期,主持单位,议题,参会单位,备注\n"
    f"1,2024-01-18,,年度部署,{CITY}、{BANK},通报工作\n"
    f"2,2024/2/22,{BANK},节后复工,{MARKET};城市管理,\n"
)
DECISIONS_CSV = (
    "会议日期,议定事项,责任单位,完成时限,完成时间,完成情况\n"
    f"2024-01-18,制定项目清单,{MARKET},2024-02-29,2024-02-26,已印发\n"
    f"2024-02-22,复工检查,{CITY},2024-03-15,,\n"
)


def test_import_and_export_round_trip(council: Cli, tmp_path: Path) -> None:
    meetings, decisions = tmp_path / "联席会.csv", tmp_path / "议定事项.csv"
    meetings.write_text(MEETINGS_CSV, encoding="gb18030")
    decisions.write_text(DECISIONS_CSV, encoding="utf-8-sig")
    assert "2" in council.ok("meeting", "import", str(meetings)).stdout
    council.ok("meeting", "decision", "import", str(decisions))
    listed = json_of(council, "meeting", "list")
    assert [(m["date"], m["host_unit"], m["attended"], m["decisions"]) for m in listed] == [
        ("2024-01-18", MARKET, 3, 1),
        ("2024-02-22", BANK, 3, 1),
    ]
    out = tmp_path / "导出.csv"
    council.ok("meeting", "export", "--output", str(out), lang="zh")
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "日期,主持单位,议题,参会单位,备注"
    before = dump(council.db)
    again = council.ok("meeting", "import", str(out), lang="zh").stdout
    assert again == "新增 0，更新 0，未变 2，拒绝 0\n"
    decisions_out = tmp_path / "议定事项导出.csv"
    council.ok("meeting", "decision", "export", "--output", str(decisions_out), lang="zh")
    again = council.ok("meeting", "decision", "import", str(decisions_out), lang="zh").stdout
    assert again == "新增 0，更新 0，未变 2，拒绝 0\n"
    rows = [line for line in dump(council.db) if 'INSERT INTO "imports"' not in line]
    assert rows == [line for line in before if 'INSERT INTO "imports"' not in line]
    exported = json.loads(council.ok("meeting", "decision", "export", "--format", "json").stdout)
    assert [(d["text"], d["done_note"]) for d in exported] == [
        ("制定项目清单", "已印发"),
        ("复工检查", None),
    ]
    sheet = tmp_path / "联席会.xlsx"
    council.ok("meeting", "export", "--format", "xlsx", "--output", str(sheet))
    assert sheet.stat().st_size > 0
    assert "--output" in council.fails("meeting", "export", "--format", "xlsx").stderr


def test_a_bad_import_row_is_reported_by_line_and_nothing_is_written(
    council: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "日期,议题,参会单位\n2024-01-18,一月,\n2024-02-30,二月,\n2024-03-14,三月,不存在的单位\n",
        encoding="utf-8",
    )
    before = dump(council.db)
    result = council.fails("meeting", "import", str(path))
    assert "line 3" in result.stderr and "line 4" in result.stderr, result.stderr
    assert dump(council.db) == before
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("会议日期,议定事项,责任单位\n2024-05-05,x,北碚区城市管理局\n", "utf-8")
    assert (
        "no meeting was held on 2024-05-05"
        in council.fails("meeting", "decision", "import", str(decisions)).stderr
    )
    assert dump(council.db) == before


def test_a_retired_unit_counts_for_the_meetings_before_it_retired(council: Cli) -> None:
    add_meeting(council, "--date", "2024-08-15", "--topic", "八月", "--attend", BANK)
    council.ok("units", "retire", BANK)
    today = json_of(council, "meeting", "list")[0]["created_at"][:10]
    before = dump(council.db)
    result = council.fails("meeting", "add", "--date", today, "--topic", "x", "--attend", BANK)
    assert f"{BANK} was retired on {today}" in result.stderr
    assert dump(council.db) == before
    assert add_meeting(council, "--date", "2024-09-19", "--topic", "九月", "--host", BANK) == 2
    hosted = json_of(council, "meeting", "list", "--host", BANK)
    assert [m["topic"] for m in hosted] == ["九月"]
    data = json_of(council, "meeting", "attendance", "--year", "2024")
    assert [(u["unit"], u["attended"], u["meetings"]) for u in data][2] == (BANK, 2, 2)
