"""`beiwen grid member …`: the grids' "N" forces through the real CLI; the resident-ID
validator (with property tests); assigning people to work orders through the service."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beiwen.db import open_db
from beiwen.errors import ConflictError, InvalidInputError, NotFoundError
from beiwen.parsing import id_number_check_char, mask_id_number, now, parse_id_number
from conftest import EXAMPLES, Cli

ID_A = "11010519491231002X"  # the standard's own example
ID_B = "500109198507110362"
PHONE_A = "13812345678"


def add(cli: Cli, name: str, *options: str) -> int:
    result = cli.ok("grid", "member", "add", name, *options)
    assert result.stderr == f"added member {result.stdout.strip()} ({name})\n"
    return int(result.stdout)


def members(cli: Cli, *options: str) -> list[dict[str, Any]]:
    data = json.loads(cli.ok("grid", "member", "list", "--format", "json", *options).stdout)
    assert isinstance(data, list)
    return data


def member(cli: Cli, ref: str, *options: str) -> dict[str, Any]:
    data = json.loads(cli.ok("grid", "member", "show", ref, "--format", "json", *options).stdout)
    assert isinstance(data, dict)
    return data


def count_people(cli: Cli) -> int:
    with sqlite3.connect(cli.db) as conn:
        return int(conn.execute("SELECT count(*) FROM people").fetchone()[0])


# --- add -----------------------------------------------------------------------------


def test_add_stores_roles_grids_skills_and_prints_the_id(ready: Cli) -> None:
    person = add(
        ready,
        "张明",
        "--role",
        "网格员",
        "--role",
        "volunteer",
        "--grid",
        "1",
        "--grid",
        "第3网格",
        "--skill",
        "调解、巡查",
        "--skill",
        "法律/劳动",
        "--phone",
        PHONE_A,
        "--id-number",
        ID_A.lower(),
        "--since",
        "2024年3月5日",
        "--note",
        "老网格员",
    )
    assert person == 1
    assert member(ready, "1", "--show-pii") == {
        "id": 1,
        "name": "张明",
        "roles": ["grid_worker", "volunteer"],
        "grids": [1, 3],
        "skills": ["调解", "巡查", "法律", "劳动"],
        "phone": PHONE_A,
        "id_number": ID_A,
        "unit_id": None,
        "unit": None,
        "mobile_party_member": False,
        "since": "2024-03-05",
        "open_assignments": 0,
        "note": "老网格员",
        "removed_at": None,
        "assignments": [],
    }


def test_without_a_grid_a_person_serves_the_whole_district(ready: Cli) -> None:
    add(ready, "周律师", "--role", "律师", "--skill", "法律")
    ready.ok("units", "add", "北碚区司法局", "--kind", "agency")
    add(ready, "吴律师", "--role", "lawyer", "--unit", "北碚区司法局")
    listed = members(ready)
    assert [(p["name"], p["grids"], p["unit"]) for p in listed] == [
        ("周律师", [], None),
        ("吴律师", [], "北碚区司法局"),
    ]
    table = ready.ok("grid", "member", "list").stdout
    assert "whole district" in table
    assert "全商圈" in ready.ok("grid", "member", "list", lang="zh").stdout


def test_a_mobile_party_member_by_flag_or_by_role_word(ready: Cli) -> None:
    add(ready, "卢平", "--role", "party_member", "--grid", "1", "--mobile-party-member")
    add(ready, "冯娜", "--role", "流动党员", "--role", "志愿者", "--grid", "4")
    add(ready, "高云", "--role", "在职党员", "--grid", "4")
    listed = members(ready, "--mobile-party-member")
    assert [(p["name"], p["roles"], p["mobile_party_member"]) for p in listed] == [
        ("卢平", ["party_member"], True),
        ("冯娜", ["volunteer", "party_member"], True),
    ]
    assert [p["name"] for p in members(ready, "--role", "party_member")] == ["卢平", "冯娜", "高云"]
    table = ready.ok("grid", "member", "list", "--grid", "4", lang="zh").stdout
    assert "志愿者、流动党员" in table
    assert "在职党员" in table  # 高云, who is not mobile


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--role", "厨师"],
            'Error: role: unknown value "厨师"; use one of: grid_worker (网格员), grid_leader '
            "(网格长), volunteer (志愿者), party_member (在职党员), merchant_rep (商家代表), "
            "lawyer (律师), mediator (调解员), social_worker (社工)\n",
        ),
        (
            ["--role", "volunteer", "--grid", "9"],
            'Error: unknown grid "9"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list\n',
        ),
        (
            ["--role", "volunteer", "--phone", "12345"],
            'Error: phone: "12345" is not a phone number; use an 11-digit mobile (13812345678) '
            "or a landline with area code (023-68281234)\n",
        ),
        (
            ["--role", "volunteer", "--id-number", "110105194912310021"],
            "Error: id_number: 1101**********0021 fails the GB 11643 check (last character "
            'should be "X"); check the number\n',
        ),
        (
            ["--role", "volunteer", "--id-number", "110105194902300028"],
            "Error: id_number: 1101**********0028 has no real birth date in positions 7-14; "
            "check the number\n",
        ),
        (
            ["--role", "volunteer", "--id-number", "11010519491231002"],
            "Error: id_number: 1101*********1002 has 17 characters; a resident ID number has 18 "
            "(17 digits and a check digit or X)\n",
        ),
        (
            ["--role", "volunteer", "--id-number", "1101051949123100XX"],
            "Error: id_number: 1101**********00XX must be 17 digits followed by a digit or X\n",
        ),
        (
            ["--role", "volunteer", "--unit", "不存在的单位"],
            'Error: unknown unit "不存在的单位"; find it with: beiwen units list --search TEXT\n',
        ),
        (
            ["--role", "volunteer", "--since", "2024-02-30"],
            'Error: since: "2024-02-30" is not a date; use 2019-03-05, 2019/3/5 or 2019年3月5日\n',
        ),
    ],
)
def test_add_rejects_bad_values_and_writes_nothing(
    ready: Cli, options: list[str], message: str
) -> None:
    result = ready.fails("grid", "member", "add", "张明", *options)
    assert result.stderr == message
    assert result.stdout == ""
    assert count_people(ready) == 0


def test_an_id_number_born_in_the_future_is_refused(ready: Cli) -> None:
    tomorrow = now().date() + timedelta(days=1)
    first17 = f"500109{tomorrow:%Y%m%d}123"
    number = first17 + id_number_check_char(first17)
    result = ready.fails("grid", "member", "add", "张明", "--role", "志愿者", "--id-number", number)
    assert "has no real birth date in positions 7-14" in result.stderr


def test_several_bad_fields_are_reported_one_per_line(ready: Cli) -> None:
    result = ready.fails(
        "grid", "member", "add", "张明", "--role", "厨师", "--grid", "9", "--phone", "1"
    )
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith('Error: role: unknown value "厨师"')
    assert lines[1].startswith('unknown grid "9"')
    assert lines[2].startswith('phone: "1" is not a phone number')


def test_add_needs_a_role(ready: Cli) -> None:
    result = ready("grid", "member", "add", "张明")
    assert result.exit_code == 2
    assert "Missing option '--role'" in result.stderr


def test_duplicate_members_are_refused(ready: Cli) -> None:
    first = add(ready, "张明", "--role", "志愿者", "--phone", PHONE_A, "--id-number", ID_A)
    result = ready.fails("grid", "member", "add", "张明", "--role", "网格员", "--phone", PHONE_A)
    assert result.stderr == (
        f"Error: 张明 with this phone is already member {first}; change them with: "
        f"beiwen grid member edit {first}\n"
    )
    result = ready.fails("grid", "member", "add", "张敏", "--role", "网格员", "--id-number", ID_A)
    assert result.stderr == (
        f"Error: ID number 1101**********002X already belongs to member {first} (张明)\n"
    )
    # Same name, different phone: another person.
    add(ready, "张明", "--role", "志愿者", "--phone", "13912345678")
    # Same name and neither has a phone: cannot be told apart.
    add(ready, "李华", "--role", "志愿者")
    result = ready.fails("grid", "member", "add", "李华", "--role", "志愿者")
    assert "李华 without a phone is already member 3; give --phone or --id-number" in result.stderr
    assert count_people(ready) == 3


# --- list and masking ----------------------------------------------------------------


@pytest.fixture
def forces(ready: Cli) -> Cli:
    """Five people across grids and roles."""
    add(
        ready,
        "张明",
        "--role",
        "网格员",
        "--grid",
        "1",
        "--skill",
        "调解、巡查",
        "--phone",
        PHONE_A,
        "--id-number",
        ID_A,
    )
    add(ready, "李华", "--role", "volunteer", "--grid", "1", "--grid", "2", "--skill", "摄影")
    add(ready, "王芳", "--role", "lawyer", "--skill", "法律、劳动法", "--phone", "023-68281234")
    add(ready, "赵强", "--role", "网格员", "--grid", "2", "--skill", "环境卫生")
    add(ready, "孙丽", "--role", "mediator", "--grid", "2", "--skill", "人民调解")
    return ready


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], ["张明", "李华", "王芳", "赵强", "孙丽"]),
        (["--grid", "2"], ["李华", "赵强", "孙丽"]),
        (["--role", "网格员"], ["张明", "赵强"]),
        (["--role", "grid_worker", "--grid", "1"], ["张明"]),
        (["--skill", "调解"], ["张明", "孙丽"]),
        (["--skill", "法律"], ["王芳"]),
    ],
)
def test_list_filters(forces: Cli, options: list[str], expected: list[str]) -> None:
    assert [p["name"] for p in members(forces, *options)] == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--grid", "7"], 'Error: unknown grid "7"; grids are 1, 2, 3, 4, 5, 6'),
        (["--role", "boss"], 'Error: --role: unknown value "boss"'),
        (
            ["--format", "xml"],
            'Error: --format: unknown format "xml"; use one of: table, json, csv',
        ),
    ],
)
def test_list_rejects_bad_filters(forces: Cli, options: list[str], message: str) -> None:
    assert forces.fails("grid", "member", "list", *options).stderr.startswith(message)


def test_phones_and_id_numbers_are_masked_unless_show_pii(forces: Cli) -> None:
    table = forces.ok("grid", "member", "list").stdout
    assert "1101**********002X" in table
    assert "138****5678" in table
    assert "023-****1234" in table
    assert ID_A not in table and PHONE_A not in table
    whole = forces.ok("grid", "member", "list", "--show-pii").stdout
    assert ID_A in whole and PHONE_A in whole

    first = members(forces)[0]
    assert (first["phone"], first["id_number"]) == ("138****5678", "1101**********002X")
    first = members(forces, "--show-pii")[0]
    assert (first["phone"], first["id_number"]) == (PHONE_A, ID_A)

    csv_text = forces.ok("grid", "member", "list", "--format", "csv").stdout
    assert csv_text.startswith("\ufeffid,name,roles,grids,skills,phone,id_number,unit,")
    assert "1,张明,grid_worker,1,调解、巡查,138****5678,1101**********002X," in csv_text
    assert ID_A not in csv_text

    shown = forces.ok("grid", "member", "show", "张明").stdout
    assert "1101**********002X" in shown and ID_A not in shown
    assert ID_A in forces.ok("grid", "member", "show", "张明", "--show-pii").stdout


def test_list_labels_follow_the_language(forces: Cli) -> None:
    english = forces.ok("grid", "member", "list", "--grid", "2").stdout
    assert "volunteer" in english and "grid worker" in english and "Open assignments" in english
    chinese = forces.ok("grid", "member", "list", "--grid", "2", lang="zh").stdout
    assert "志愿者" in chinese and "网格员" in chinese and "在办工单" in chinese


def test_empty_list(ready: Cli) -> None:
    assert ready.ok("grid", "member", "list").stdout == "(none)\n"
    assert ready.ok("grid", "member", "list", "--format", "json").stdout == "[]\n"


# --- show, edit, remove ----------------------------------------------------------------


def test_show_by_id_name_or_phone_and_unknown_or_ambiguous(forces: Cli) -> None:
    assert member(forces, "1")["name"] == "张明"
    assert member(forces, "李华")["id"] == 2
    assert member(forces, PHONE_A)["id"] == 1
    result = forces.fails("grid", "member", "show", "无名")
    assert (
        result.stderr == 'Error: unknown member "无名"; find them with: beiwen grid member list\n'
    )
    add(forces, "李华", "--role", "志愿者", "--phone", "13900000000")
    result = forces.fails("grid", "member", "show", "李华")
    assert result.stderr == 'Error: "李华" names 2 members (ids 2, 6); use the id\n'


def test_edit_fields_roles_grids_and_skills(forces: Cli) -> None:
    result = forces.ok(
        "grid",
        "member",
        "edit",
        "张明",
        "--phone",
        "",
        "--add-role",
        "志愿者",
        "--add-grid",
        "3",
        "--remove-grid",
        "1",
        "--add-skill",
        "法律",
        "--remove-skill",
        "巡查",
        "--note",
        "调往第3网格",
    )
    assert result.stderr == "updated member 1 (张明)\n"
    assert result.stdout == ""
    person = member(forces, "1", "--show-pii")
    assert person["phone"] is None
    assert person["roles"] == ["grid_worker", "volunteer"]
    assert person["grids"] == [3]
    assert person["skills"] == ["调解", "法律"]
    assert person["note"] == "调往第3网格"
    assert person["id_number"] == ID_A
    assert [p["name"] for p in members(forces, "--grid", "1")] == ["李华"]


def test_removing_the_last_grid_leaves_the_whole_district(forces: Cli) -> None:
    forces.ok("grid", "member", "edit", "赵强", "--remove-grid", "2")
    assert member(forces, "赵强")["grids"] == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--remove-role", "网格员"],
            "Error: member 1 (张明) would have no role left; to end their service use: "
            "beiwen grid member remove 1\n",
        ),
        (
            ["--remove-role", "lawyer"],
            "Error: member 1 (张明) does not serve as lawyer; their roles: grid worker\n",
        ),
        (["--add-role", "网格员"], "Error: member 1 (张明) already serves as grid worker\n"),
        (
            ["--remove-grid", "2"],
            "Error: member 1 (张明) does not serve grid 2; their grids: 1\n",
        ),
        (["--add-grid", "1"], "Error: member 1 (张明) already serves grid 1\n"),
        (
            ["--add-grid", "8"],
            'Error: unknown grid "8"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list\n',
        ),
        (
            ["--remove-skill", "摄影"],
            'Error: member 1 (张明) has no skill "摄影"; their skills: 调解、巡查\n',
        ),
        (["--name", ""], "Error: --name: is required\n"),
        (
            ["--id-number", "123"],
            "Error: --id-number: *** has 3 characters; a resident ID number has 18 "
            "(17 digits and a check digit or X)\n",
        ),
        (
            [],
            "Error: nothing to change; pass at least one option, see: "
            "beiwen grid member edit --help\n",
        ),
    ],
)
def test_edit_errors_change_nothing(forces: Cli, options: list[str], message: str) -> None:
    before = member(forces, "1", "--show-pii")
    assert forces.fails("grid", "member", "edit", "1", *options).stderr == message
    assert member(forces, "1", "--show-pii") == before


def test_edit_into_a_duplicate_is_refused(forces: Cli) -> None:
    result = forces.fails("grid", "member", "edit", "李华", "--name", "张明", "--phone", PHONE_A)
    assert result.stderr.startswith("Error: 张明 with this phone is already member 1")
    result = forces.fails("grid", "member", "edit", "李华", "--id-number", ID_A)
    assert (
        result.stderr == "Error: ID number 1101**********002X already belongs to member 1 (张明)\n"
    )


def test_mobile_flag_can_be_set_and_cleared(forces: Cli) -> None:
    forces.ok("grid", "member", "edit", "李华", "--mobile-party-member")
    assert member(forces, "李华")["mobile_party_member"] is True
    forces.ok("grid", "member", "edit", "李华", "--no-mobile-party-member")
    assert member(forces, "李华")["mobile_party_member"] is False


def test_remove_is_soft_and_only_once(forces: Cli) -> None:
    result = forces.ok("grid", "member", "remove", "李华")
    assert result.stderr == "removed member 2 (李华)\n"
    assert "李华" not in [p["name"] for p in members(forces)]
    removed = [p for p in members(forces, "--all") if p["name"] == "李华"]
    assert removed[0]["removed_at"] is not None
    assert member(forces, "2")["removed_at"] is not None  # history still finds them by id
    result = forces.fails("grid", "member", "remove", "2")
    assert result.stderr.startswith("Error: member 2 (李华) was already removed on ")
    result = forces.fails("grid", "member", "edit", "2", "--note", "x")
    assert result.stderr.startswith("Error: member 2 (李华) was removed on ")
    assert forces.fails("grid", "member", "remove", "李华").stderr.startswith(
        'Error: unknown member "李华"'
    )
    # The same person may be added again later.
    add(forces, "李华", "--role", "志愿者")


def test_messages_in_chinese(forces: Cli) -> None:
    result = forces.fails("grid", "member", "add", "张明", "--role", "厨师", lang="zh")
    assert result.stderr.startswith("错误：角色：未知取值“厨师”；可用：grid_worker (网格员)")
    result = forces.fails("grid", "member", "show", "无名", lang="zh")
    assert result.stderr == "错误：找不到人员“无名”；可用 beiwen grid member list 查找\n"
    result = forces.ok("grid", "member", "add", "钱多", "--role", "商家代表", lang="zh")
    assert result.stderr == "已添加人员 6（钱多）\n"


# --- import ----------------------------------------------------------------------------

HEADER = "姓名,角色,网格,技能,电话,身份证号,流动党员\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_import_chinese_headers_multi_valued_cells_and_gb18030(ready: Cli, tmp_path: Path) -> None:
    roster = write(
        tmp_path / "people.csv",
        HEADER
        + f"张明,网格员、志愿者,1、2,调解；巡查,{PHONE_A},{ID_A.lower()},\n"
        + "卢平,流动党员,第3网格,文艺,13900000001,,是\n"
        + "王芳,金牌调解员,,调解/法律,023-68281234,,否\n",
        "gb18030",
    )
    result = ready.ok("grid", "member", "import", str(roster))
    assert result.stdout == "3 inserted, 0 updated, 0 unchanged, 0 rejected\n"
    assert result.stderr == f"{roster}: read as GB18030\n"
    assert [
        (p["name"], p["roles"], p["grids"], p["skills"], p["mobile_party_member"])
        for p in members(ready)
    ] == [
        ("张明", ["grid_worker", "volunteer"], [1, 2], ["调解", "巡查"], False),
        ("卢平", ["party_member"], [3], ["文艺"], True),
        ("王芳", ["mediator"], [], ["调解", "法律"], False),
    ]
    assert members(ready, "--show-pii")[0]["id_number"] == ID_A


def test_import_again_updates_matched_people(ready: Cli, tmp_path: Path) -> None:
    first = HEADER + f"张明,网格员,1,调解,{PHONE_A},{ID_A},\n" + "李华,志愿者,2,摄影,,,\n"
    ready.ok("grid", "member", "import", str(write(tmp_path / "a.csv", first)))
    same = ready.ok("grid", "member", "import", str(write(tmp_path / "b.csv", first)))
    assert same.stdout == "0 inserted, 0 updated, 2 unchanged, 0 rejected\n"
    # Matched by ID number although the phone changed; by name and (no) phone for 李华.
    changed = (
        HEADER
        + f"张明,网格员,1、3,调解、法律,13900000009,{ID_A},\n"
        + "李华,志愿者,2,摄影,,,\n"
        + "赵强,网格员,4,,,,\n"
    )
    result = ready.ok("grid", "member", "import", str(write(tmp_path / "c.csv", changed)))
    assert result.stdout == "1 inserted, 1 updated, 1 unchanged, 0 rejected\n"
    person = member(ready, "张明", "--show-pii")
    assert (person["phone"], person["grids"], person["skills"]) == (
        "13900000009",
        [1, 3],
        ["调解", "法律"],
    )
    assert count_people(ready) == 3


def test_import_reports_every_bad_row_by_line_and_writes_nothing(
    ready: Cli, tmp_path: Path
) -> None:
    roster = write(
        tmp_path / "bad.csv",
        HEADER
        + "张明,网格员,1,,13812345678,,\n"
        + "李华,厨师,1,,,,\n"
        + "王芳,志愿者,9,,,,\n"
        + f"赵强,志愿者,1,,,{ID_A[:-1]}1,\n"
        + ",志愿者,1,,,,\n"
        + "孙丽,志愿者,1,,,,也许\n"
        + "张明,志愿者,2,,13812345678,,\n",
    )
    result = ready.fails("grid", "member", "import", str(roster))
    assert result.stderr.splitlines() == [
        f"Error: {roster}: 6 of 7 rows are invalid; nothing was imported. Fix them, or pass "
        "--skip-invalid --rejects PATH",
        'line 3: role: unknown value "厨师"; use one of: grid_worker (网格员), '
        "grid_leader (网格长), volunteer (志愿者), party_member (在职党员), "
        "merchant_rep (商家代表), lawyer (律师), mediator (调解员), social_worker (社工)",
        'line 4: unknown grid "9"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list',
        "line 5: id_number: 1101**********0021 fails the GB 11643 check (last character should "
        'be "X"); check the number',
        "line 6: name: is required",
        'line 7: mobile_party_member: "也许" is not yes/no; use 1/0, yes/no or 是/否',
        'line 8: name+phone: "张明 138****5678" already appears on line 2',
    ]
    assert result.stdout == ""
    assert count_people(ready) == 0


def test_import_skip_invalid_keeps_the_good_rows(ready: Cli, tmp_path: Path) -> None:
    roster = write(tmp_path / "mixed.csv", HEADER + "张明,网格员,1,,,,\n" + "李华,厨师,1,,,,\n")
    rejects = tmp_path / "rejects.csv"
    result = ready.ok(
        "grid", "member", "import", str(roster), "--skip-invalid", "--rejects", str(rejects)
    )
    assert result.stdout == "1 inserted, 0 updated, 0 unchanged, 1 rejected\n"
    assert "李华,厨师" in rejects.read_text(encoding="utf-8-sig")
    assert [p["name"] for p in members(ready)] == ["张明"]


def test_import_dry_run_and_header_errors(ready: Cli, tmp_path: Path) -> None:
    roster = write(tmp_path / "ok.csv", HEADER + "张明,网格员,1,,,,\n")
    result = ready.ok("grid", "member", "import", str(roster), "--dry-run")
    assert (
        result.stdout
        == "dry run, nothing written: 1 inserted, 0 updated, 0 unchanged, 0 rejected\n"
    )
    assert count_people(ready) == 0
    no_role = write(tmp_path / "norole.csv", "姓名,网格\n张明,1\n")
    result = ready.fails("grid", "member", "import", str(no_role))
    assert (
        result.stderr == 'Error: the header has no column for role (for example "角色"); add it\n'
    )
    odd = write(tmp_path / "odd.csv", "姓名,角色,爱好\n张明,网格员,钓鱼\n")
    result = ready.fails("grid", "member", "import", str(odd))
    assert result.stderr.startswith('Error: unknown column "爱好" in the header; accepted columns')


def test_import_refuses_a_row_matching_two_people(ready: Cli, tmp_path: Path) -> None:
    add(ready, "张明", "--role", "志愿者", "--id-number", ID_A)
    add(ready, "李华", "--role", "志愿者", "--phone", PHONE_A)
    roster = write(tmp_path / "two.csv", HEADER + f"李华,志愿者,1,,{PHONE_A},{ID_A},\n")
    result = ready.fails("grid", "member", "import", str(roster))
    assert result.stderr.splitlines()[1] == (
        "line 2: id_number matches member 1 but name and phone match member 2; check the row"
    )


def test_the_example_roster_loads_after_the_units(ready: Cli) -> None:
    ready.ok("units", "import", str(EXAMPLES / "council_units.csv"))
    ready.ok("units", "import", str(EXAMPLES / "merchants.csv"))
    result = ready.ok("grid", "member", "import", str(EXAMPLES / "people.csv"))
    assert result.stdout == "55 inserted, 0 updated, 0 unchanged, 0 rejected\n"
    people = members(ready, "--show-pii")
    by_role = {
        role: [p for p in people if role in p["roles"]]
        for role in ("grid_worker", "lawyer", "mediator", "social_worker", "merchant_rep")
    }
    assert len(by_role["lawyer"]) == 3
    assert len(by_role["mediator"]) == 2
    assert len(by_role["merchant_rep"]) == 6
    assert len(by_role["social_worker"]) == 3
    assert len([p for p in people if p["mobile_party_member"]]) == 4
    for grid in range(1, 7):
        workers = [p for p in by_role["grid_worker"] if grid in p["grids"]]
        assert 2 <= len(workers) <= 3
    numbers = [p["id_number"] for p in people if p["id_number"]]
    assert len(numbers) >= 20
    assert all(parse_id_number(n) == n for n in numbers)


# --- the ID validator (GB 11643) -------------------------------------------------------


def make_id(region: str, born: date, sequence: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_number_check_char(first17)


regions = st.integers(min_value=110000, max_value=829999).map(str)
births = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


@given(regions, births, sequences)
def test_every_well_formed_number_is_accepted_in_either_case(
    region: str, born: date, sequence: int
) -> None:
    number = make_id(region, born, sequence)
    assert parse_id_number(number) == number
    assert parse_id_number(f"  {number.lower()} ") == number


@given(regions, births, sequences, st.sampled_from("0123456789X"))
def test_any_other_check_character_is_refused(
    region: str, born: date, sequence: int, wrong: str
) -> None:
    number = make_id(region, born, sequence)
    if wrong == number[-1]:
        return
    with pytest.raises(InvalidInputError, match="fails the GB 11643 check"):
        parse_id_number(number[:-1] + wrong)


@given(st.text(max_size=25))
def test_arbitrary_text_is_refused_with_a_message_never_a_crash(text: str) -> None:
    try:
        number = parse_id_number(text)
    except InvalidInputError as error:
        assert error.message.startswith("id_number: ")
    else:
        assert len(number) == 18 and number[-1] == id_number_check_char(number[:17])


@given(regions, births, sequences)
def test_masks_keep_four_and_four(region: str, born: date, sequence: int) -> None:
    number = make_id(region, born, sequence)
    masked = mask_id_number(number)
    assert masked == number[:4] + "*" * 10 + number[-4:]
    assert mask_id_number(None) == "" and mask_id_number("1234") == "****"


def test_known_numbers() -> None:
    assert id_number_check_char("11010519491231002") == "X"
    assert parse_id_number("11010519491231002x") == ID_A
    assert parse_id_number(ID_B) == ID_B
    with pytest.raises(InvalidInputError, match="birth date"):
        parse_id_number(make_id("500109", date(1899, 12, 31), 1))


# --- assigning people to work orders (service functions the issue commands call) -------


def add_issue(db: Path, **fields: Any) -> int:
    row = {
        "title": "占道经营",
        "category": "dispute",
        "grid": 2,
        "status": "open",
        "reported_at": "2024-08-01T09:00:00+08:00",
        "created_at": "2024-08-01T09:00:00+08:00",
        "updated_at": "2024-08-01T09:00:00+08:00",
        **fields,
    }
    with sqlite3.connect(db) as conn:
        cursor = conn.execute(
            f"INSERT INTO issues ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def test_assign_records_an_event_and_counts_open_assignments(forces: Cli) -> None:
    from beiwen.services.people import assign_person

    first = add_issue(forces.db)
    second = add_issue(forces.db, category="labour")
    done = add_issue(forces.db, status="resolved", resolved_at="2024-08-02T09:00:00+08:00")
    conn = open_db(forces.db)
    try:
        result = assign_person(conn, first, "孙丽", "协助调解", "2024-08-01 10:00")
        assert result["issue_id"] == first and result["person_id"] == 5
        assert result["at"] == "2024-08-01T10:00:00+08:00"
        assert result["open_assignments"] == 1
        assign_person(conn, str(second), "5", None, None)
        event = conn.execute(
            "SELECT action, person_id, note, at FROM issue_events WHERE issue_id = ?", (first,)
        ).fetchall()
        assert event == [("assign", 5, "协助调解", "2024-08-01T10:00:00+08:00")]
        with pytest.raises(ConflictError, match="already assigned to work order"):
            assign_person(conn, first, "孙丽", None, None)
        with pytest.raises(ConflictError, match=f"work order {done} is resolved"):
            assign_person(conn, done, "孙丽", None, None)
        with pytest.raises(NotFoundError, match='unknown work order "999"'):
            assign_person(conn, 999, "孙丽", None, None)
        with pytest.raises(NotFoundError, match='unknown member "无名"'):
            assign_person(conn, first, "无名", None, None)
        with pytest.raises(InvalidInputError, match="is earlier than the report of work order"):
            assign_person(conn, first, "王芳", None, "2024-07-31 10:00")
        with pytest.raises(InvalidInputError, match="is in the future"):
            assign_person(conn, first, "王芳", None, "2999-01-01 10:00")
    finally:
        conn.close()
    assert member(forces, "孙丽")["open_assignments"] == 2
    shown = member(forces, "孙丽")
    assert [a["issue_id"] for a in shown["assignments"]] == [second, first]
    # A handled work order no longer counts as an open assignment.
    with sqlite3.connect(forces.db) as raw:
        raw.execute("UPDATE issues SET status = 'closed' WHERE id = ?", (first,))
    assert member(forces, "孙丽")["open_assignments"] == 1
    table = forces.ok("grid", "member", "show", "孙丽").stdout
    assert "Work orders assigned" in table and "占道经营" in table


def test_removing_a_member_with_open_work_orders_warns(forces: Cli) -> None:
    from beiwen.services.people import assign_person

    issue = add_issue(forces.db)
    conn = open_db(forces.db)
    try:
        assign_person(conn, issue, "孙丽", None, None)
    finally:
        conn.close()
    result = forces.ok("grid", "member", "remove", "孙丽")
    assert result.stderr == (
        "removed member 5 (孙丽)\n"
        "note: 孙丽 still had 1 open work order(s); assign someone else with: "
        "beiwen issue suggest ID\n"
    )


def test_suggestions_for_a_work_order_use_its_category_and_grid(forces: Cli) -> None:
    from beiwen.services.people import suggest_for_issue

    dispute = add_issue(forces.db, category="dispute", grid=2)
    other = add_issue(forces.db, category="sanitation", grid=1)
    conn = open_db(forces.db)
    try:
        found = suggest_for_issue(conn, dispute)
        assert found["skills"] == ["调解", "法律"]
        # 孙丽 serves grid 2; 王芳 the whole district; 张明 grid 1.
        assert [(p["name"], p["place"]) for p in found["people"]] == [
            ("孙丽", "this_grid"),
            ("王芳", "district"),
            ("张明", "other_grid"),
        ]
        found = suggest_for_issue(conn, other)
        assert found["skills"] == ["环境卫生", "巡查"]
        assert [(p["name"], p["place"]) for p in found["people"]] == [
            ("张明", "this_grid"),  # 巡查, grid 1
            ("赵强", "other_grid"),  # 环境卫生, grid 2
        ]
        with pytest.raises(NotFoundError):
            suggest_for_issue(conn, 12345)
    finally:
        conn.close()
