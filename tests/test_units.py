"""`beiwen units add/list/show/edit/retire`: the register of units through the real CLI."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from typing import Any

import pytest

from beiwen.parsing import credit_code_check_char
from conftest import Cli


def code_for(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


CODE_A = code_for("91500109MA5U2QAX6")
CODE_B = code_for("92500109MA60LJ0G1")


def add(cli: Cli, name: str, *options: str) -> int:
    result = cli.ok("units", "add", name, *options)
    assert result.stderr == f"added unit {result.stdout.strip()}\n"
    return int(result.stdout)


def listed(cli: Cli, *options: str) -> list[dict[str, Any]]:
    result = cli.ok("units", "list", "--format", "json", *options)
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def names(cli: Cli, *options: str) -> list[str]:
    return [unit["name"] for unit in listed(cli, *options)]


def shown(cli: Cli, ref: str) -> dict[str, Any]:
    data = json.loads(cli.ok("units", "show", ref, "--format", "json").stdout)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def register(ready: Cli) -> Cli:
    """Five units of several kinds, grids and trades; one of them on the council."""
    add(ready, "北碚区市场监督管理局", "--kind", "agency", "--council", "--grid", "1")
    add(ready, "重庆农商行北碚支行", "--kind", "银行", "--code", CODE_A, "--grid", "2")
    add(
        ready,
        "嘉陵小面馆",
        "--kind",
        "merchant",
        "--category",
        "餐饮",
        "--grid",
        "2",
        "--address",
        "嘉陵风情步行街12号",
        "--contact",
        "王芳",
        "--phone",
        "13812341234",
        "--opened",
        "2019年3月5日",
    )
    add(ready, "云清咖啡", "--kind", "商户", "--category", "coffee", "--grid", "3")
    add(ready, "北碚服饰店", "--kind", "merchant", "--category", "clothing", "--grid", "3")
    return ready


# --- add --------------------------------------------------------------------------------


def test_add_prints_the_id_on_stdout_and_stores_every_field(ready: Cli) -> None:
    unit_id = add(
        ready,
        "嘉陵小面馆",
        "--kind",
        "merchant",
        "--code",
        CODE_B.lower(),
        "--category",
        "美食",
        "--grid",
        "第2网格",
        "--address",
        "嘉陵风情步行街12号",
        "--contact",
        "王芳",
        "--phone",
        "023-68281234",
        "--opened",
        "2019/3/5",
    )
    assert unit_id == 1
    unit = shown(ready, "1")
    assert {k: unit[k] for k in list(unit) if not k.endswith("_at") and k != "council_since"} == {
        "id": 1,
        "code": CODE_B,
        "name": "嘉陵小面馆",
        "kind": "merchant",
        "category": "catering",
        "grid": 2,
        "address": "嘉陵风情步行街12号",
        "contact": "王芳",
        "phone": "023-68281234",
        "opened": "2019-03-05",
        "council": 0,
        "rotation_order": None,
        "aliases": [],
    }
    assert unit["retired_at"] is None
    assert unit["created_at"].endswith("+08:00")


@pytest.mark.parametrize("opened", ["2019-03-05", "2019/3/5", "2019年3月5日", "20190305"])
def test_add_accepts_each_date_form(ready: Cli, opened: str) -> None:
    add(ready, "店", "--kind", "merchant", "--opened", opened)
    assert shown(ready, "1")["opened"] == "2019-03-05"


@pytest.mark.parametrize("phone", ["13812341234", "023-68281234", "02368281234", "0571-88886666"])
def test_phones_are_stored_exactly_as_given_with_leading_zero(ready: Cli, phone: str) -> None:
    add(ready, "店", "--kind", "merchant", "--phone", phone)
    assert shown(ready, "1")["phone"] == phone


def test_council_member_gets_a_join_time(ready: Cli) -> None:
    add(ready, "北碚区商务委员会", "--kind", "agency", "--council")
    unit = shown(ready, "1")
    assert unit["council"] == 1
    assert unit["council_since"].endswith("+08:00")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            ["--code", "91500109MA5U2QAX6" + "0"],
            'Error: code: "91500109MA5U2QAX60" fails the GB 32100 check (last character '
            f'should be "{CODE_A[-1]}"); check the code',
        ),
        (
            ["--code", CODE_A[:17]],
            f'Error: code: "{CODE_A[:17]}" has 17 characters; a unified social credit code has 18',
        ),
        (
            ["--code", CODE_A[:10] + "O" + CODE_A[11:]],
            f'Error: code: "{CODE_A[:10]}O{CODE_A[11:]}" contains "O", which a credit code '
            "never uses (I, O, Z, S, V are excluded)",
        ),
        (
            ["--phone", "1381234123"],
            'Error: phone: "1381234123" is not a phone number; use an 11-digit mobile '
            "(13812345678) or a landline with area code (023-68281234)",
        ),
        (
            ["--opened", "2019-02-30"],
            'Error: opened: "2019-02-30" is not a date; use 2019-03-05, 2019/3/5 or 2019年3月5日',
        ),
        (
            ["--grid", "9"],
            'Error: unknown grid "9"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list',
        ),
        (
            ["--category", "茶楼"],
            'Error: category: unknown value "茶楼"; use one of: catering (餐饮), retail (零售)',
        ),
    ],
)
def test_add_rejects_each_invalid_field_and_writes_nothing(
    ready: Cli, options: list[str], message: str
) -> None:
    result = ready.fails("units", "add", "店", "--kind", "merchant", *options)
    assert result.stderr.startswith(message)
    assert result.stdout == ""
    assert listed(ready, "--all") == []


def test_add_rejects_an_unknown_kind_listing_the_kinds(ready: Cli) -> None:
    result = ready.fails("units", "add", "店", "--kind", "shop")
    assert result.stderr == (
        'Error: kind: unknown value "shop"; use one of: agency (机关), institution (事业单位), '
        "enterprise (企业), bank (银行), merchant (商户), association (协会商会), "
        "station (非公联络站), community (社区)\n"
    )


def test_add_reports_every_bad_field_one_per_line(ready: Cli) -> None:
    result = ready.fails(
        "units", "add", "店", "--kind", "merchant", "--phone", "1", "--opened", "2019-13-01"
    )
    lines = result.stderr.splitlines()
    assert lines[0].startswith('Error: phone: "1" is not a phone number')
    assert lines[1].startswith('opened: "2019-13-01" is not a date')
    assert len(lines) == 2


@pytest.mark.parametrize("name", ["", "   "])
def test_add_needs_a_name(ready: Cli, name: str) -> None:
    assert ready.fails("units", "add", name, "--kind", "merchant").stderr == (
        "Error: name: is required\n"
    )


def test_add_without_kind_is_a_usage_error(ready: Cli) -> None:
    result = ready("units", "add", "店")
    assert result.exit_code == 2
    assert "Missing option '--kind'" in result.stderr


def test_a_credit_code_belongs_to_one_unit(ready: Cli) -> None:
    add(ready, "甲", "--kind", "enterprise", "--code", CODE_A)
    result = ready.fails("units", "add", "乙", "--kind", "enterprise", "--code", CODE_A.lower())
    assert result.stderr == f"Error: code: {CODE_A} already belongs to unit 1 (甲)\n"
    assert names(ready) == ["甲"]


# --- list ------------------------------------------------------------------------------


def test_list_filters(register: Cli) -> None:
    everyone = [
        "北碚区市场监督管理局",
        "重庆农商行北碚支行",
        "嘉陵小面馆",
        "云清咖啡",
        "北碚服饰店",
    ]
    assert names(register) == everyone
    assert names(register, "--kind", "merchant") == ["嘉陵小面馆", "云清咖啡", "北碚服饰店"]
    assert names(register, "--kind", "银行") == ["重庆农商行北碚支行"]
    assert names(register, "--council") == ["北碚区市场监督管理局"]
    assert names(register, "--grid", "2") == ["重庆农商行北碚支行", "嘉陵小面馆"]
    assert names(register, "--grid", "5") == []
    assert names(register, "--category", "餐饮") == ["嘉陵小面馆"]
    assert names(register, "--category", "coffee") == ["云清咖啡"]
    assert names(register, "--search", "北碚") == [
        "北碚区市场监督管理局",
        "重庆农商行北碚支行",
        "北碚服饰店",
    ]
    # The search looks in the address, the contact and the code too.
    assert names(register, "--search", "步行街12") == ["嘉陵小面馆"]
    assert names(register, "--search", "王芳") == ["嘉陵小面馆"]
    assert names(register, "--search", CODE_A[4:12]) == ["重庆农商行北碚支行"]
    assert names(register, "--search", "%") == []
    assert names(register, "--kind", "merchant", "--grid", "3", "--category", "服装") == [
        "北碚服饰店"
    ]


def test_list_hides_retired_units_unless_all(register: Cli) -> None:
    register.ok("units", "retire", "云清咖啡")
    assert "云清咖啡" not in names(register)
    assert "云清咖啡" in names(register, "--all")
    assert names(register, "--all", "--category", "coffee") == ["云清咖啡"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--kind", "shop"], 'Error: --kind: unknown value "shop"; use one of: agency (机关)'),
        (["--category", "茶"], 'Error: --category: unknown value "茶"; use one of: catering'),
        (["--grid", "x"], 'Error: unknown grid "x"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid'),
        (
            ["--format", "xml"],
            'Error: --format: unknown format "xml"; use one of: table, json, csv',
        ),
    ],
)
def test_list_rejects_bad_filters(register: Cli, options: list[str], message: str) -> None:
    assert register.fails("units", "list", *options).stderr.startswith(message)


def test_table_masks_phones_unless_show_pii(register: Cli) -> None:
    table = register.ok("units", "list").stdout
    assert "138****1234" in table
    assert "13812341234" not in table
    assert "13812341234" in register.ok("units", "list", "--show-pii").stdout
    record = register.ok("units", "show", "嘉陵小面馆").stdout
    assert "138****1234" in record
    assert "13812341234" not in record
    assert "13812341234" in register.ok("units", "show", "嘉陵小面馆", "--show-pii").stdout


def test_json_is_exactly_json_with_chinese_unescaped_and_phones_whole(register: Cli) -> None:
    raw = register.ok("units", "list", "--format", "json").stdout
    assert "嘉陵小面馆" in raw
    assert "\\u" not in raw
    data = json.loads(raw)
    noodle = next(unit for unit in data if unit["name"] == "嘉陵小面馆")
    assert noodle["phone"] == "13812341234"
    assert noodle["category"] == "catering"
    assert noodle["kind"] == "merchant"


def test_csv_starts_with_a_bom_and_carries_phones_whole(register: Cli) -> None:
    # CliRunner turns the \r\n that csv writes into \n; test_cli_meta checks the raw bytes.
    raw = register.ok("units", "list", "--format", "csv").stdout
    assert raw.startswith("\ufeffid,code,name,kind,category,grid,contact,phone,council\n")
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert [row["name"] for row in rows][:2] == ["北碚区市场监督管理局", "重庆农商行北碚支行"]
    assert rows[2]["phone"] == "13812341234"
    assert rows[0]["council"] == "1"


def test_table_shows_labels_in_the_chosen_language(register: Cli) -> None:
    english = register.ok("units", "list", "--kind", "merchant").stdout
    assert "catering" in english
    assert "Name" in english
    chinese = register.ok("units", "list", "--kind", "merchant", lang="zh").stdout
    assert "餐饮" in chinese
    assert "名称" in chinese
    assert "商户" in chinese


def test_empty_list_says_none_in_tables_and_is_empty_data_otherwise(ready: Cli) -> None:
    assert ready.ok("units", "list").stdout.strip() == "(none)"
    assert ready.ok("units", "list", lang="zh").stdout.strip() == "（无）"
    assert ready.ok("units", "list", "--format", "json").stdout.strip() == "[]"
    assert ready.ok("units", "list", "--format", "csv").stdout == (
        "\ufeffid,code,name,kind,category,grid,contact,phone,council\n"
    )


# --- show ------------------------------------------------------------------------------


def test_show_by_id_code_or_exact_name(register: Cli) -> None:
    assert shown(register, "2")["name"] == "重庆农商行北碚支行"
    assert shown(register, CODE_A)["id"] == 2
    assert shown(register, CODE_A.lower())["id"] == 2
    assert shown(register, "嘉陵小面馆")["id"] == 3


def test_show_unknown_unit_says_how_to_find_it(register: Cli) -> None:
    # A name that contains 面馆 is taken for it now (issue 16; tests/test_unit_lookup.py).
    assert register.fails("units", "show", "烤鸭店").stderr == (
        'Error: unknown unit "烤鸭店"; find it with: beiwen units list --search TEXT\n'
    )
    assert register.fails("units", "show", "99").stderr.startswith('Error: unknown unit "99"')


def test_show_an_ambiguous_name_lists_the_ids(register: Cli) -> None:
    add(register, "云清咖啡", "--kind", "merchant")
    assert register.fails("units", "show", "云清咖啡").stderr == (
        'Error: "云清咖啡" names 2 units (ids 4, 6); use the id or the credit code\n'
    )


def test_show_refuses_csv(register: Cli) -> None:
    assert register.fails("units", "show", "1", "--format", "csv").stderr.startswith(
        'Error: --format: unknown format "csv"; use one of: table, json'
    )


# --- edit ------------------------------------------------------------------------------


def test_edit_changes_only_the_given_fields(register: Cli) -> None:
    before = shown(register, "3")
    result = register.ok(
        "units",
        "edit",
        "嘉陵小面馆",
        "--phone",
        "023-68281234",
        "--grid",
        "4",
        "--category",
        "零售",
    )
    assert result.stdout == ""
    assert result.stderr == "updated unit 3\n"
    after = shown(register, "3")
    assert after["phone"] == "023-68281234"
    assert after["grid"] == 4
    assert after["category"] == "retail"
    unchanged = ("name", "kind", "address", "contact", "opened", "code", "council", "created_at")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}


def test_edit_clears_optional_fields_with_empty_text(register: Cli) -> None:
    register.ok("units", "edit", "3", "--phone", "", "--grid", "", "--category", "")
    unit = shown(register, "3")
    assert (unit["phone"], unit["grid"], unit["category"]) == (None, None, None)


@pytest.mark.parametrize("option", ["--name", "--kind"])
def test_edit_never_clears_name_or_kind(register: Cli, option: str) -> None:
    field = option.removeprefix("--")
    assert register.fails("units", "edit", "3", option, " ").stderr == (
        f"Error: {field}: is required\n"
    )
    assert shown(register, "3")["name"] == "嘉陵小面馆"


def test_edit_validates_like_add(register: Cli) -> None:
    assert register.fails("units", "edit", "3", "--opened", "2019-02-30").stderr.startswith(
        'Error: opened: "2019-02-30" is not a date'
    )
    assert register.fails("units", "edit", "3", "--grid", "7").stderr.startswith(
        'Error: unknown grid "7"; grids are 1, 2, 3, 4, 5, 6'
    )
    assert register.fails("units", "edit", "3", "--code", CODE_A).stderr == (
        f"Error: code: {CODE_A} already belongs to unit 2 (重庆农商行北碚支行)\n"
    )
    # The unit's own code is not a clash.
    register.ok("units", "edit", "2", "--code", CODE_A.lower(), "--name", "农商行北碚支行")
    assert shown(register, "2")["code"] == CODE_A


def test_edit_with_nothing_to_change(register: Cli) -> None:
    assert register.fails("units", "edit", "3").stderr == (
        "Error: nothing to change; pass at least one option, see: beiwen units edit --help\n"
    )


def test_edit_unknown_unit(register: Cli) -> None:
    assert register.fails("units", "edit", "99", "--name", "x").stderr.startswith(
        'Error: unknown unit "99"'
    )


def test_joining_and_leaving_the_council(register: Cli) -> None:
    register.ok("units", "edit", "2", "--council")
    bank = shown(register, "2")
    assert bank["council"] == 1
    assert bank["council_since"] is not None
    assert names(register, "--council") == ["北碚区市场监督管理局", "重庆农商行北碚支行"]
    register.ok("units", "edit", "2", "--no-council")
    assert names(register, "--council") == ["北碚区市场监督管理局"]


# --- retire ----------------------------------------------------------------------------


def test_retire_is_soft_and_only_once(register: Cli) -> None:
    result = register.ok("units", "retire", "云清咖啡")
    assert result.stderr == "retired unit 4 (云清咖啡)\n"
    unit = shown(register, "4")
    assert unit["retired_at"].endswith("+08:00")
    assert register.fails("units", "retire", "4").stderr == (
        "Error: unit 4 (云清咖啡) is already retired\n"
    )


def test_retire_unknown_unit(register: Cli) -> None:
    assert register.fails("units", "retire", "nobody").stderr.startswith(
        'Error: unknown unit "nobody"'
    )


def test_messages_in_chinese(register: Cli) -> None:
    assert register.ok("units", "retire", "4", lang="zh").stderr == "单位 4（云清咖啡）已退出\n"
    assert register.fails("units", "show", "99", lang="zh").stderr == (
        "错误：找不到单位“99”；可用 beiwen units list --search 关键词 查找\n"
    )
    assert register.fails(
        "units", "add", "x", "--kind", "商户", "--phone", "1", lang="zh"
    ).stderr == (
        "错误：联系电话：“1”不是有效电话；"
        "请用 11 位手机号（13812345678）或带区号的座机（023-68281234）\n"
    )


def test_a_failed_write_leaves_the_file_untouched(register: Cli) -> None:
    def dump() -> list[str]:
        conn = sqlite3.connect(register.db)
        try:
            return list(conn.iterdump())
        finally:
            conn.close()

    before = dump()
    register.fails("units", "add", "x", "--kind", "merchant", "--code", CODE_A)
    register.fails("units", "edit", "3", "--code", CODE_A)
    register.fails("units", "retire", "99")
    assert dump() == before
