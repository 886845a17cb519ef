"""`beiwen party` (issue 19): the Party member register. A member is a person of the grid
roster (one record, whichever command came first); leaving keeps the row; sessions of Party
life take attendance; bad input is one clear error and writes nothing."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Cli

GOOD_ID = "500109199208167857"  # a valid GB 11643 number (examples/people.csv)
BAD_CHECK = "500109199208167858"  # the same with a wrong check digit


def rows(cli: Cli, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(cli.db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def digest(cli: Cli) -> str:
    """The data of every table: equal before and after a refused command."""
    conn = sqlite3.connect(cli.db)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        text = repr([(t, conn.execute(f"SELECT * FROM {t}").fetchall()) for t in tables])
    finally:
        conn.close()
    return hashlib.sha256(text.encode()).hexdigest()


def members(cli: Cli, *args: str) -> list[dict[str, object]]:
    return json.loads(cli.ok("party", "list", "--format", "json", *args).stdout)


def test_a_grid_member_who_is_a_party_member_is_one_person(ready: Cli) -> None:
    person = ready.ok(
        "grid",
        "member",
        "add",
        "张敏",
        "--role",
        "网格员",
        "--grid",
        "3",
        "--phone",
        "13812345678",
    ).stdout.strip()
    added = ready.ok("party", "add", "张敏", "--branch", "3", "--phone", "13812345678", lang="zh")
    assert "即已有的人员 " + person in added.stderr
    assert rows(ready, "SELECT count(*) FROM people") == [(1,)]
    [member] = members(ready)
    assert member["person_id"] == int(person) and member["branch"] == "第3网格党支部"
    # The other way round: a Party member added to the grid roster later is not copied
    # either (the roster import matches by name and phone as for any grid member).
    ready.ok("party", "add", "李红", "--branch", "第1网格党支部", "--id-number", GOOD_ID)
    roster = ready.db.parent / "roster.csv"
    roster.write_text(f"姓名,角色,网格,身份证号\n李红,志愿者,1,{GOOD_ID}\n", encoding="utf-8")
    ready.ok("grid", "member", "import", str(roster))
    assert rows(ready, "SELECT count(*) FROM people WHERE name = '李红'") == [(1,)]
    shown = json.loads(ready.ok("party", "show", "李红", "--format", "json").stdout)
    assert shown["name"] == "李红" and shown["id_number"] == "5001**********7857"


def test_a_mobile_member_keeps_the_flag_of_the_person_in_step(ready: Cli) -> None:
    ready.ok("grid", "member", "add", "卢平", "--role", "志愿者", "--grid", "1")
    number = ready.ok(
        "party", "add", "卢平", "--branch", "1", "--mobile", "--home-org", "南充市某街道党工委"
    ).stdout.strip()
    assert rows(ready, "SELECT mobile_party_member FROM people") == [(1,)]
    # The register decides: the roster cannot say otherwise while they are a member.
    refused = ready.fails("grid", "member", "edit", "卢平", "--no-mobile-party-member")
    assert f"party edit {number}" in refused.stderr
    ready.ok("party", "edit", number, "--no-mobile")
    assert rows(ready, "SELECT mobile_party_member FROM people") == [(0,)]
    assert rows(ready, "SELECT mobile, home_org FROM party_members") == [(0, None)]


def test_an_in_service_member_with_unit_and_report_in(ready: Cli) -> None:
    ready.ok("units", "add", "北碚区市场监督管理局", "--kind", "agency")
    ready.ok(
        "party",
        "add",
        "潘琳婷",
        "--branch",
        "第1网格党支部",
        "--in-service",
        "--unit",
        "北碚区市场监督管理局",
        "--reported-on",
        "2024-03-05",
        "--since",
        "2024-03-05",
    )
    [member] = members(ready, "--in-service")
    assert (member["unit"], member["reported_on"], member["in_service"]) == (
        "北碚区市场监督管理局",
        "2024-03-05",
        1,
    )
    assert members(ready, "--mobile") == []


def test_leaving_keeps_the_history_and_coming_back_is_a_new_row(ready: Cli) -> None:
    ready.ok("grid", "member", "add", "冯婷娜", "--role", "党员", "--grid", "4")
    ready.ok("party", "add", "冯婷娜", "--branch", "4", "--since", "2024-01-28")
    left = ready.ok("party", "leave", "冯婷娜", "--date", "2024-06-15", "--to", "遵义市某街道")
    assert "2024-06-15" in left.stderr
    assert members(ready) == []
    [gone] = members(ready, "--all")
    assert (gone["left_on"], gone["left_to"]) == ("2024-06-15", "遵义市某街道")
    # She no longer serves the grid as a Party member; her person stays.
    assert rows(ready, "SELECT until FROM person_roles WHERE role = 'party_member'") == [
        ("2024-06-15",)
    ]
    again = ready.fails("party", "leave", "冯婷娜", "--date", "2024-07-01")
    assert "2024-06-15" in again.stderr
    ready.ok("party", "add", "冯婷娜", "--branch", "5", "--since", "2024-09-01")
    history = json.loads(ready.ok("party", "show", "冯婷娜", "--format", "json").stdout)
    assert [(h["branch"], h["left_on"]) for h in history["history"]] == [
        ("第5网格党支部", None),
        ("第4网格党支部", "2024-06-15"),
    ]
    assert rows(ready, "SELECT count(*) FROM people") == [(1,)]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--branch", "不存在的支部"), ["不存在的支部", "第1网格党支部", "第6网格党支部"]),
        (("--branch", "1", "--id-number", BAD_CHECK), ["5001**********7858"]),
        (("--branch", "1", "--mobile", "--in-service"), ["--mobile", "--in-service"]),
        (("--branch", "1", "--in-service"), ["--unit"]),
        (("--branch", "1", "--home-org", "某党委"), ["--mobile"]),
        (("--branch", "1", "--since", "2999-01-01"), ["2999-01-01"]),
    ],
)
def test_bad_input_is_one_clear_error_and_writes_nothing(
    ready: Cli, args: tuple[str, ...], words: list[str]
) -> None:
    before = digest(ready)
    failed = ready.fails("party", "add", "王刚", *args, lang="zh")
    assert failed.stderr.count("错误：") == 1 and not failed.stdout, failed.stderr
    assert all(word in failed.stderr for word in words), failed.stderr
    assert BAD_CHECK not in failed.stderr  # an ID number is never shown whole in a message
    assert digest(ready) == before


def test_a_bad_import_row_writes_nothing(ready: Cli, tmp_path: Path) -> None:
    sheet = tmp_path / "党员花名册.csv"
    sheet.write_text(
        "姓名,党支部,流动党员,原组织关系所在,身份证号\n"
        f"赵刚,第2网格党支部,是,重庆市合川区某党委,{GOOD_ID}\n"
        f"钱芳,第9网格党支部,,,{BAD_CHECK}\n",
        encoding="utf-8",
    )
    before = digest(ready)
    failed = ready.fails("party", "import", str(sheet), lang="zh")
    assert "第9网格党支部" in failed.stderr and "5001**********7858" in failed.stderr
    assert BAD_CHECK not in failed.output
    assert digest(ready) == before
    sheet.write_text(
        f"姓名,党支部,流动党员,原组织关系所在,身份证号\n赵刚,第2网格党支部,是,合川某党委,{GOOD_ID}\n",
        encoding="utf-8",
    )
    ready.ok("party", "import", str(sheet))
    [member] = members(ready, "--mobile")
    assert (member["name"], member["home_org"], member["id_number"]) == (
        "赵刚",
        "合川某党委",
        "5001**********7857",
    )
    shown = members(ready, "--show-pii")
    assert shown[0]["id_number"] == GOOD_ID


def test_phones_and_id_numbers_are_masked_unless_show_pii(ready: Cli) -> None:
    ready.ok(
        "party", "add", "周伟", "--branch", "2", "--phone", "13900001111", "--id-number", GOOD_ID
    )
    for fmt in ("table", "csv", "json"):
        out = ready.ok("party", "list", "--format", fmt).stdout
        assert "13900001111" not in out and GOOD_ID not in out
    shown = ready.ok("party", "show", "周伟").stdout
    assert "139****1111" in shown and GOOD_ID not in shown
    record = ready.ok("party", "show", "周伟", "--format", "json").stdout
    assert "13900001111" not in record and GOOD_ID not in record  # its history too
    whole = ready.ok("party", "show", "周伟", "--format", "json", "--show-pii").stdout
    assert json.loads(whole)["history"][0]["id_number"] == GOOD_ID
    assert "13900001111" in ready.ok("party", "list", "--format", "csv", "--show-pii").stdout
    # A message never shows them whole, whatever the options.
    again = ready.fails("party", "add", "周伟", "--branch", "2", "--phone", "13900001111")
    assert "13900001111" not in again.stderr


def test_unit_branches_are_added_explicitly(ready: Cli) -> None:
    ready.ok("units", "add", "中国工商银行重庆北碚支行", "--kind", "bank")
    ready.fails("party", "add", "董桂娜", "--branch", "工行北碚支行党支部")
    ready.ok("party", "branch", "add", "工行北碚支行党支部", "--unit", "中国工商银行重庆北碚支行")
    ready.fails("party", "branch", "add", "工行北碚支行党支部")
    ready.ok("party", "add", "董桂娜", "--branch", "工行北碚支行党支部")
    branches = json.loads(ready.ok("party", "branch", "list", "--format", "json").stdout)
    assert branches[-1] == {
        "branch": "工行北碚支行党支部",
        "grid": None,
        "unit": "中国工商银行重庆北碚支行",
        "members": 1,
    }
    assert len(branches) == 7


def test_theme_days_take_attendance_and_show_lists_it(ready: Cli, tmp_path: Path) -> None:
    for name in ("卢平", "彭洋", "袁琴"):
        ready.ok("party", "add", name, "--branch", "5", "--since", "2024-01-01")
    salon = ready.ok(
        "activity", "add", "商户沙龙", "--kind", "salon", "--date", "2024-08-01"
    ).stdout.strip()
    day = ready.ok(
        "activity", "add", "8月主题党日", "--kind", "party_day", "--date", "2024-08-27"
    ).stdout.strip()
    lecture = ready.ok(
        "activity", "add", "专题党课", "--kind", "主题党日", "--date", "2024-09-10"
    ).stdout.strip()
    ready.fails("party", "attend", salon, "卢平")  # not a session of Party life
    before = digest(ready)
    failed = ready.fails("party", "attend", day, "卢平", "无名氏")
    assert "无名氏" in failed.stderr and digest(ready) == before  # all or nothing
    done = ready.ok("party", "attend", day, "卢平", "彭洋", "卢平")
    assert "2 attendance(s) recorded, 2 in all" in done.stderr
    sheet = tmp_path / "签到表.csv"
    sheet.write_text("序号,姓名\n1,卢平\n2,袁琴\n", encoding="utf-8")
    ready.ok("party", "sign-in", lecture, str(sheet), "--session", "党课")
    shown = json.loads(ready.ok("party", "show", "卢平", "--format", "json").stdout)
    assert [(a["title"], a["session"]) for a in shown["attended"]] == [
        ("专题党课", "party_lecture"),
        ("8月主题党日", "theme_day"),
    ]
    assert "专题党课" in ready.ok("party", "show", "卢平", lang="zh").stdout
    # A member who had left by the day is refused.
    ready.ok("party", "leave", "袁琴", "--date", "2024-08-20")
    refused = ready.fails("party", "attend", day, "袁琴")
    assert "2024-08-27" in refused.stderr


def test_the_migration_registers_the_people_the_grids_knew(demo: Cli) -> None:
    # A database from before m011: Party members were a role and a flag of people.
    conn = sqlite3.connect(demo.db)
    for table in ("party_attendance", "party_meetings", "party_members", "party_branches"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm011_party'")
    conn.commit()
    conn.close()
    registered = members(demo)
    # The 10 在职党员 of examples/people.csv, and the 5 people flagged 流动党员 (冯婷娜, who
    # left in June, is flagged no longer and serves no longer).
    assert len(registered) == 15
    mobile = [m for m in registered if m["mobile"]]
    assert len(mobile) == 5 and all(m["branch"].endswith("网格党支部") for m in registered)
    serving = [m for m in registered if m["in_service"]]
    assert len(serving) == 10 and all(m["unit"] and m["reported_on"] for m in serving)
