"""Units are found by what people call them, mistakes can be removed, phones can be searched
(issue 16, items 4, 6 and 8), all through the CLI.

- `units remove`, `course remove`: delete what nothing refers to, else say what does;
  `course term edit` changes a term's fields.
- `refs.unit`: id, credit code, exact name; then an alias (`units alias add`); then a name
  containing the text, or its characters in order (城管局 -> 北碚区城市管理局), taken when it
  is the only one, with a notice on stderr.
- `--search` with a phone's digits in `issue list`, `units list` and `grid member list`.

The demo: unit 2 is 北碚区城市管理局 (023-68283730), unit 5 北碚区司法局, unit 12
重庆市公安局北碚区分局北温泉派出所; work order 1 was reported from 13911177961; member 1 is
韩磊 (13946149626).
"""

from __future__ import annotations

import json
import sqlite3

from conftest import Cli

TAKEN_CITY = "“城管局”按单位 2（北碚区城市管理局）处理\n"


def new_order(cli: Cli) -> str:
    return cli.ok("issue", "add", "占道经营", "--category", "vendor", "--grid", "2").stdout.strip()


def count(cli: Cli, sql: str) -> int:
    conn = sqlite3.connect(cli.db)
    try:
        found: int = conn.execute(sql).fetchone()[0]
        return found
    finally:
        conn.close()


# --- units remove ---------------------------------------------------------------------------


def test_a_unit_nothing_refers_to_is_removed_with_its_aliases(demo: Cli) -> None:
    unit_id = demo.ok("units", "add", "误录的商户", "--kind", "merchant").stdout.strip()
    demo.ok("units", "alias", "add", unit_id, "误录")
    removed = demo.ok("units", "remove", "误录", lang="zh")
    assert removed.stdout == ""
    assert removed.stderr == f"已删除单位 {unit_id}（误录的商户）\n"
    assert demo.fails("units", "show", unit_id).stderr.startswith(
        f'Error: unknown unit "{unit_id}"'
    )
    assert count(demo, "SELECT count(*) FROM unit_aliases") == 0
    assert count(demo, "SELECT count(*) FROM units") == 1438


def test_a_unit_in_use_is_kept_and_the_message_names_what_refers_to_it(demo: Cli) -> None:
    refused = demo.fails("units", "remove", "2", lang="zh")
    assert refused.stderr == (
        "错误：单位 2（北碚区城市管理局）仍被引用（工单办理记录 52 条、工单承办单位 26 条、"
        "联席会出席单位 12 条、联席会议定事项 3 条、联席会 1 条、党员名册 1 条、"
        "人员 1 条、轮值安排 2 条、轮值变更记录 2 条），不能删除；"
        "可改为登记退出：beiwen units retire 2\n"
    )
    english = demo.fails("units", "remove", "北碚区城市管理局").stderr
    assert english.startswith("Error: unit 2 (北碚区城市管理局) cannot be removed: issue_events 52")
    assert english.endswith("retire it instead with: beiwen units retire 2\n")
    assert demo.ok("units", "show", "2", "--format", "json").stdout


def test_units_remove_of_an_unknown_unit(demo: Cli) -> None:
    assert demo.fails("units", "remove", "99999").stderr == (
        'Error: unknown unit "99999"; find it with: beiwen units list --search TEXT\n'
    )


# --- course remove, course term edit --------------------------------------------------------


def test_course_remove_and_term_edit(ready: Cli) -> None:
    course = ready.ok("course", "add", "误录课程").stdout.strip()
    ready.ok("course", "term", "add", course, "第一期", "--start", "2024-03-01")
    ready.ok("course", "term", "add", course, "第二期", "--start", "2024-09-01")
    edited = ready.ok(
        "course", "term", "edit", course, "第一期", "--name", "春季班", "--end", "2024-05-31"
    )
    assert edited.stderr == "updated term 1 (春季班)\n"
    terms = json.loads(ready.ok("course", "show", course, "--format", "json").stdout)["term_list"]
    assert [(t["name"], t["start_date"], t["end_date"]) for t in terms] == [
        ("春季班", "2024-03-01", "2024-05-31"),
        ("第二期", "2024-09-01", None),
    ]
    order = ready.fails("course", "term", "edit", course, "春季班", "--start", "2024-06-01")
    assert order.stderr == "Error: --end 2024-05-31 is before --start 2024-06-01\n"
    taken = ready.fails("course", "term", "edit", course, "2", "--name", "春季班")
    assert taken.stderr == 'Error: course "误录课程" already has a term "春季班" (id 1)\n'
    nothing = ready.fails("course", "term", "edit", course, "2")
    assert nothing.stderr.startswith("Error: nothing to change")
    ready.ok("course", "term", "edit", course, "春季班", "--end", "")
    terms = json.loads(ready.ok("course", "show", course, "--format", "json").stdout)["term_list"]
    assert terms[0]["end_date"] is None

    removed = ready.ok("course", "remove", "误录课程", lang="zh")
    assert removed.stderr == f"已删除课程 {course}（误录课程）\n"
    assert count(ready, "SELECT count(*) FROM course_terms") == 0
    assert ready.fails("course", "show", course).stderr.startswith("Error: unknown course")


def test_a_course_with_classes_is_not_removed(demo: Cli) -> None:
    refused = demo.fails("course", "remove", "1", lang="zh").stderr
    assert refused.startswith("错误：课程 1（")
    assert "课堂 " in refused and "条" in refused and refused.endswith("不能删除\n")
    assert demo.ok("course", "show", "1", "--format", "json").stdout


# --- aliases --------------------------------------------------------------------------------


def test_an_alias_finds_its_unit_everywhere(demo: Cli) -> None:
    added = demo.ok("units", "alias", "add", "北碚区城市管理局", "城管", lang="zh")
    assert added.stderr == "已添加简称“城管”：单位 2（北碚区城市管理局）\n"
    shown = json.loads(demo.ok("units", "show", "城管", "--format", "json").stdout)
    assert (shown["id"], shown["aliases"]) == (2, ["城管"])
    assert "Aliases      城管" in demo.ok("units", "show", "2").stdout
    order = new_order(demo)
    dispatched = demo.ok("issue", "dispatch", order, "--unit", "城管")
    assert "took unit" not in dispatched.stderr  # an alias is no guess
    detail = json.loads(demo.ok("issue", "show", order, "--format", "json").stdout)
    assert [d["unit_id"] for d in detail["units"]] == [2]

    taken = demo.fails("units", "alias", "add", "5", "城管", lang="zh")
    assert taken.stderr == (
        "错误：简称“城管”已属于单位 2（北碚区城市管理局）；"
        "如需改用，请先执行 beiwen units alias remove 城管\n"
    )
    name = demo.fails("units", "alias", "add", "5", "北碚区城市管理局").stderr
    assert name == (
        'Error: "北碚区城市管理局" is the name of unit 2 (北碚区城市管理局); '
        "an alias differs from every unit's name\n"
    )
    digits = demo.fails("units", "alias", "add", "5", "12").stderr
    assert digits == 'Error: alias "12": a name made only of digits would read as a unit id\n'

    removed = demo.ok("units", "alias", "remove", "城管", lang="zh")
    assert removed.stderr == "已删除单位 2（北碚区城市管理局）的简称“城管”\n"
    again = demo.fails("units", "alias", "remove", "城管").stderr
    assert again.startswith('Error: no unit has the alias "城管"')


def test_an_alias_takes_part_in_imports(demo: Cli, tmp_path: object) -> None:
    from pathlib import Path

    demo.ok("units", "alias", "add", "12", "北温泉所")
    roster = Path(str(tmp_path)) / "people.csv"
    roster.write_text("姓名,电话,单位,角色,网格\n赵所长,13700001111,北温泉所,网格员,6\n")
    demo.ok("grid", "member", "import", str(roster))
    people = json.loads(demo.ok("grid", "member", "list", "--format", "json").stdout)
    assert [p["unit"] for p in people if p["name"] == "赵所长"] == [
        "重庆市公安局北碚区分局北温泉派出所"
    ]


# --- a name that contains the typed characters ----------------------------------------------


def test_a_unique_guess_is_taken_and_the_command_says_which(demo: Cli) -> None:
    order = new_order(demo)
    dispatched = demo.ok("issue", "dispatch", order, "--unit", "城管局", lang="zh")
    assert dispatched.stderr.endswith(TAKEN_CITY)
    assert dispatched.stderr.count("按单位") == 1
    detail = json.loads(demo.ok("issue", "show", order, "--format", "json").stdout)
    assert [d["unit_id"] for d in detail["units"]] == [2]
    english = demo.ok("units", "show", "派出所", "--format", "json")
    assert json.loads(english.stdout)["id"] == 12
    assert english.stderr == 'took unit 12 (重庆市公安局北碚区分局北温泉派出所) for "派出所"\n'


def test_a_command_that_fails_after_a_guess_says_only_its_error(demo: Cli) -> None:
    """The guess is told once the command has done its work; a failure is one line."""
    for lang, prefix in (("zh", "错误："), ("en", "Error: ")):
        failed = demo.fails(
            "issue",
            "add",
            "测试",
            "--category",
            "vendor",
            "--unit",
            "城管",
            "--grid",
            "99",
            lang=lang,
        )
        assert failed.stderr.startswith(prefix) and len(failed.stderr.splitlines()) == 1
        assert "按单位" not in failed.stderr and "took unit" not in failed.stderr
    added = demo.ok("issue", "add", "测试", "--category", "vendor", "--unit", "城管", lang="zh")
    assert "“城管”按单位 2（北碚区城市管理局）处理\n" in added.stderr


def test_rotation_assign_takes_a_guess(demo: Cli) -> None:
    assigned = demo.ok("rotation", "assign", "2030-01", "司法局", lang="zh")
    assert "“司法局”按单位 5（北碚区司法局）处理\n" in assigned.stderr
    month = json.loads(demo.ok("rotation", "show", "--year", "2030", "--format", "json").stdout)
    assert [m["unit_id"] for m in month if m["month"] == "2030-01"] == [5]


def test_several_guesses_are_an_error_listing_them(demo: Cli) -> None:
    order = new_order(demo)
    refused = demo.fails("issue", "dispatch", order, "--unit", "北碚区局", lang="zh")
    first = refused.stderr.splitlines()[0]
    assert first.startswith("错误：“北碚区局”对应 ")
    assert "1 北碚区市场监督管理局、2 北碚区城市管理局、" in first
    assert first.endswith("；请改用编号或准确名称")
    assert "按单位" not in refused.stderr
    many = demo.fails("issue", "dispatch", order, "--unit", "火锅").stderr
    assert many.startswith('Error: "火锅" fits 58 units, the first ten: ')
    listed = many.split("the first ten: ", 1)[1].split("; give the id", 1)[0]
    assert len(listed.split(", ")) == 10
    assert all(entry.split(" ", 1)[0].isdigit() for entry in listed.split(", "))
    detail = json.loads(demo.ok("issue", "show", order, "--format", "json").stdout)
    assert detail["status"] == "open" and detail["units"] == []


def test_no_guess_is_the_not_found_message(demo: Cli) -> None:
    order = new_order(demo)
    assert demo.fails("issue", "dispatch", order, "--unit", "新开的烤肉店").stderr == (
        'Error: unknown unit "新开的烤肉店"; find it with: beiwen units list --search TEXT\n'
    )
    assert demo.fails("rotation", "assign", "2030-01", "不存在的局", lang="zh").stderr == (
        "错误：找不到单位“不存在的局”；可用 beiwen units list --search 关键词 查找\n"
    )


def test_exact_names_and_ids_need_no_guess(demo: Cli) -> None:
    exact = demo.ok("units", "show", "北碚区司法局", "--format", "json")
    assert exact.stderr == "" and json.loads(exact.stdout)["id"] == 5
    assert demo.ok("units", "show", "5", "--format", "json").stderr == ""


# --- phones in --search ---------------------------------------------------------------------


def test_issue_list_finds_a_reporter_by_phone_and_keeps_it_masked(demo: Cli) -> None:
    for typed in ("13911177961", "139 1117 7961", "139-1117-7961", "7961"):
        found = json.loads(demo.ok("issue", "list", "--search", typed, "--format", "json").stdout)
        assert 1 in [row["id"] for row in found], typed
        assert all("13911177961" not in json.dumps(row) for row in found)
    row = next(
        r
        for r in json.loads(
            demo.ok("issue", "list", "--search", "13911177961", "--format", "json").stdout
        )
        if r["id"] == 1
    )
    assert row["phone"] == "139****7961"
    assert "13911177961" not in demo.ok("issue", "list", "--search", "13911177961").stdout


def test_units_list_finds_a_phone_masked_in_the_table(demo: Cli) -> None:
    table = demo.ok("units", "list", "--search", "023 6828 3730").stdout
    assert "北碚区城市管理局" in table and "023-****3730" in table and "68283730" not in table
    found = json.loads(demo.ok("units", "list", "--search", "68283730", "--format", "json").stdout)
    assert [row["id"] for row in found] == [2]
    assert demo.ok("units", "list", "--search", "023-6828-0000").stdout.strip() in ("(none)", "")


def test_grid_member_list_searches_names_and_phones(demo: Cli) -> None:
    by_phone = demo.ok("grid", "member", "list", "--search", "139-4614-9626").stdout
    assert "韩磊" in by_phone and "139****9626" in by_phone and "13946149626" not in by_phone
    found = json.loads(
        demo.ok("grid", "member", "list", "--search", "139 4614 9626", "--format", "json").stdout
    )
    assert [row["id"] for row in found] == [1]
    assert found[0]["phone"] == "139****9626"
    by_name = json.loads(
        demo.ok("grid", "member", "list", "--search", "韩磊", "--format", "json").stdout
    )
    assert 1 in [row["id"] for row in by_name]
    # Fewer than four digits are not a phone: no member has 139 in the name.
    assert demo.ok("grid", "member", "list", "--search", "139", "--format", "json").stdout in (
        "[]\n",
    )
