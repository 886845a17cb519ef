"""One resolver per kind of reference (services/refs.py), through the real CLI.

Every command and importer that takes a grid accepts `5`, `第5网格`, `5网格`, `第五网格`, `５`
and the grid's name for the same grid; every command that takes a work order accepts `12`,
`#12`, `＃12`, `12号`, `12 号` and `１２`; units, members, courses, classes and activities are
found the same way everywhere. A digit other than 0-9 (`①`, `²`) is one `Error:` line and
exit 1, never a traceback, and each kind has one "not found" sentence.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from beiwen.parsing import credit_code_check_char
from conftest import Cli

CODE = "91500109MA5U2QAX6" + credit_code_check_char("91500109MA5U2QAX6")
GRID_NAME = "步行街中段网格"
GRID_FORMS = ["5", "第5网格", "5网格", "第五网格", "５", GRID_NAME]
BAD_DIGITS = ["①", "²"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
MERCHANT, AGENCY = "1", "2"  # unit ids in the `district` fixture


def order_forms(number: int) -> list[str]:
    return [
        str(number),
        f"#{number}",
        f"＃{number}",
        f"{number}号",
        f"{number} 号",
        str(number).translate(FULL_WIDTH),
    ]


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "--format", "json").stdout)


def one_error_line(result: Any) -> str:
    """The single line a refused reference prints (cli.fails checks exit 1, no traceback)."""
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == ""
    return str(result.stderr)


@pytest.fixture
def district(ready: Cli) -> Cli:
    """Six grids (grid 5 named 步行街中段网格), a merchant in grid 5, an agency on the
    joint meeting, and one member serving grid 5."""
    ready.ok("grid", "edit", "5", "--name", GRID_NAME)
    ready.ok("units", "add", "嘉陵小面", "--kind", "merchant", "--code", CODE, "--grid", "5")
    ready.ok("units", "add", "北碚区城市管理局", "--kind", "agency", "--council", "--grid", "2")
    ready.ok("grid", "member", "add", "张三", "--role", "mediator", "--skill", "调解",
             "--grid", "5", "--phone", "13812345678")  # fmt: skip
    return ready


def add_issue(cli: Cli, *options: str) -> int:
    result = cli.ok("issue", "add", "占道经营", "--category", "vendor", *options,
                    "--reported-at", "2024-08-01 09:00")  # fmt: skip
    return int(result.stdout)


def issue(cli: Cli, number: int) -> dict[str, Any]:
    data: dict[str, Any] = as_json(cli, "issue", "show", str(number))
    return data


# --- grids --------------------------------------------------------------------------------


@pytest.mark.parametrize("form", GRID_FORMS)
def test_issue_add_and_list_take_every_grid_form(district: Cli, form: str) -> None:
    other = add_issue(district, "--grid", "2")
    number = add_issue(district, "--grid", form)
    assert issue(district, number)["grid"] == 5
    listed = as_json(district, "issue", "list", "--grid", form)
    assert [row["id"] for row in listed] == [number]
    assert other not in [row["id"] for row in listed]


@pytest.mark.parametrize("form", GRID_FORMS)
def test_grid_show_edit_and_suggest_take_every_grid_form(district: Cli, form: str) -> None:
    shown = as_json(district, "grid", "show", form)
    assert (shown["number"], shown["name"]) == (5, GRID_NAME)
    district.ok("grid", "edit", form, "--area", "步行街中段")
    grids = as_json(district, "grid", "list")
    assert [g["number"] for g in grids if g["area"] == "步行街中段"] == [5]
    helpers = as_json(district, "grid", "suggest", "--skill", "调解", "--grid", form)
    assert [(p["name"], p["place"]) for p in helpers] == [("张三", "this_grid")]


@pytest.mark.parametrize("form", GRID_FORMS)
def test_grid_members_take_every_grid_form(district: Cli, form: str) -> None:
    added = district.ok("grid", "member", "add", "李四", "--role", "volunteer", "--grid", form)
    person = added.stdout.strip()
    served = as_json(district, "grid", "member", "list", "--grid", form)
    assert sorted(p["name"] for p in served) == ["张三", "李四"]
    district.ok("grid", "member", "edit", person, "--remove-grid", form)
    assert as_json(district, "grid", "member", "show", person)["grids"] == []
    district.ok("grid", "member", "edit", person, "--add-grid", form)
    assert as_json(district, "grid", "member", "show", person)["grids"] == [5]


@pytest.mark.parametrize("form", GRID_FORMS)
def test_units_take_every_grid_form(district: Cli, form: str) -> None:
    added = district.ok("units", "add", "云清咖啡", "--kind", "merchant", "--grid", form)
    unit = added.stdout.strip()
    assert as_json(district, "units", "show", unit)["grid"] == 5
    listed = as_json(district, "units", "list", "--grid", form)
    assert [u["name"] for u in listed] == ["嘉陵小面", "云清咖啡"]
    district.ok("units", "edit", AGENCY, "--grid", form)
    assert as_json(district, "units", "show", AGENCY)["grid"] == 5


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


IMPORTS: dict[str, tuple[list[str], str, Callable[[str], str]]] = {
    # command, header, one row with the grid cell filled in
    "units": (["units", "import"], "名称,网格", lambda grid: f"云清咖啡,{grid}"),
    "issues": (
        ["issue", "import"],
        "title,category,grid,reported_at",
        lambda grid: f"消防通道堵塞,fire_lane,{grid},2024-08-01 10:00",
    ),
    "members": (["grid", "member", "import"], "姓名,角色,网格", lambda grid: f"王五,志愿者,{grid}"),
}


@pytest.mark.parametrize("kind", sorted(IMPORTS))
@pytest.mark.parametrize("form", GRID_FORMS)
def test_imports_take_every_grid_form(district: Cli, tmp_path: Path, kind: str, form: str) -> None:
    command, header, row = IMPORTS[kind]
    district.ok(*command, str(write(tmp_path / "rows.csv", header, row(form))))
    if kind == "units":
        found = [u["grid"] for u in as_json(district, "units", "list") if u["name"] == "云清咖啡"]
    elif kind == "issues":
        found = [i["grid"] for i in as_json(district, "issue", "list")]
    else:
        found = [g for p in as_json(district, "grid", "member", "list") for g in p["grids"]]
        found = found[1:]  # 张三 serves grid 5 already
    assert found == [5]


@pytest.mark.parametrize("kind", sorted(IMPORTS))
@pytest.mark.parametrize("bad", [*BAD_DIGITS, "第①网格", "7"])
def test_imports_refuse_a_bad_grid_by_line(
    district: Cli, tmp_path: Path, kind: str, bad: str
) -> None:
    command, header, row = IMPORTS[kind]
    path = write(tmp_path / "rows.csv", header, row("1"), row(bad))
    result = district.fails(*command, str(path))
    lines = result.stderr.splitlines()
    assert [line for line in lines if line.startswith("Error:")] == [lines[0]]
    if bad == "7":
        assert (
            'line 3: unknown grid "7"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list' in lines
        )
    else:
        assert any(
            line.startswith("line 3: ") and "digits other than 0-9" in line for line in lines
        )


GRID_COMMANDS = [
    ["issue", "add", "占道经营", "--category", "vendor", "--grid", "{g}"],
    ["issue", "list", "--grid", "{g}"],
    ["grid", "show", "{g}"],
    ["grid", "edit", "{g}", "--area", "x"],
    ["grid", "suggest", "--skill", "调解", "--grid", "{g}"],
    ["grid", "member", "add", "李四", "--role", "volunteer", "--grid", "{g}"],
    ["grid", "member", "list", "--grid", "{g}"],
    ["grid", "member", "edit", "1", "--add-grid", "{g}"],
    ["grid", "member", "edit", "1", "--remove-grid", "{g}"],
    ["units", "add", "云清咖啡", "--kind", "merchant", "--grid", "{g}"],
    ["units", "list", "--grid", "{g}"],
    ["units", "edit", "1", "--grid", "{g}"],
]


@pytest.mark.parametrize("bad", BAD_DIGITS)
@pytest.mark.parametrize("command", GRID_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_grid_with_other_digits_is_one_error_line(
    district: Cli, command: list[str], bad: str
) -> None:
    result = district.fails(*(arg.replace("{g}", bad) for arg in command))
    assert "digits other than 0-9" in one_error_line(result)


@pytest.mark.parametrize("command", GRID_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_an_unknown_grid_reads_the_same_everywhere(district: Cli, command: list[str]) -> None:
    result = district.fails(*(arg.replace("{g}", "第七网格") for arg in command))
    assert one_error_line(result) == (
        'Error: unknown grid "第七网格"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list\n'
    )


def test_a_new_grid_number_refuses_other_digits(district: Cli) -> None:
    assert "digits other than 0-9" in one_error_line(district.fails("grid", "add", "①", "坏"))
    district.ok("grid", "add", "７", "第七网格")
    assert as_json(district, "grid", "show", "第七网格")["number"] == 7


# --- work orders --------------------------------------------------------------------------

# command -> (steps that put a fresh order in a state allowing it, the command's options)
ORDER_COMMANDS: dict[str, tuple[list[list[str]], list[str]]] = {
    "show": ([], ["--format", "json"]),
    "suggest": ([], ["--format", "json"]),
    "comment": ([], ["电话联系了反映人"]),
    "assign": ([], ["--person", "张三"]),
    "dispatch": ([], ["--unit", AGENCY]),
    "accept": ([["dispatch", "--unit", AGENCY]], ["--unit", AGENCY]),
    "transfer": ([], ["--to", AGENCY, "--note", "转城管"]),
    "resolve": ([], ["--note", "已劝离"]),
    "close": ([["resolve", "--note", "已劝离"]], ["--satisfaction", "satisfied"]),
    "reopen": ([["resolve", "--note", "已劝离"]], ["--note", "再次反映"]),
    "cancel": ([], ["--note", "重复"]),
}


@pytest.mark.parametrize("command", sorted(ORDER_COMMANDS))
def test_every_work_order_command_takes_every_number_form(district: Cli, command: str) -> None:
    steps, options = ORDER_COMMANDS[command]
    for form_index in range(len(order_forms(1))):
        number = add_issue(district, "--grid", "5")
        for step in steps:
            district.ok("issue", step[0], str(number), *step[1:])
        form = order_forms(number)[form_index]
        before = len(issue(district, number)["events"])
        result = district.ok("issue", command, form, *options)
        events = issue(district, number)["events"]
        if command == "show":
            assert json.loads(result.stdout)["id"] == number
        elif command == "suggest":
            assert f"work order {number} " in result.stderr
        else:
            assert len(events) == before + 1, (command, form)
            assert events[-1]["action"] == command, (command, form)


@pytest.mark.parametrize("bad", [*BAD_DIGITS, "#②", "１²号"])
@pytest.mark.parametrize("command", sorted(ORDER_COMMANDS))
def test_a_work_order_with_other_digits_is_one_error_line(
    district: Cli, command: str, bad: str
) -> None:
    add_issue(district)
    result = district.fails("issue", command, bad, *ORDER_COMMANDS[command][1])
    assert "digits other than 0-9" in one_error_line(result)


@pytest.mark.parametrize("ref", ["99", "#99", "abc", "0"])
def test_an_unknown_work_order_reads_the_same_in_every_command(district: Cli, ref: str) -> None:
    add_issue(district)
    expected = f'Error: unknown work order "{ref}"; find it with: beiwen issue list --search TEXT\n'
    for command, (_, options) in ORDER_COMMANDS.items():
        assert one_error_line(district.fails("issue", command, ref, *options)) == expected, command


def test_assigning_is_a_move_of_the_state_machine(district: Cli) -> None:
    number = add_issue(district)
    district.ok("issue", "assign", f"#{number}", "--person", "张三", "--at", "2024-08-01 10:00")
    district.ok("issue", "resolve", f"{number}号", "--note", "已劝离")
    done = district.fails("issue", "assign", str(number), "--person", "13812345678")
    assert one_error_line(done) == (
        f"Error: work order {number} is resolved; people can only be assigned to unfinished "
        "work orders\n"
    )
    early = district.fails(
        "issue", "assign", str(add_issue(district)), "--person", "1", "--at", "2024-07-31 10:00"
    )
    assert "is earlier than the report of work order" in one_error_line(early)
    events = issue(district, number)["events"]
    assert [(e["action"], e["person_name"]) for e in events] == [
        ("report", None),
        ("assign", "张三"),
        ("resolve", None),
    ]


# --- units --------------------------------------------------------------------------------

UNIT_FORMS = [MERCHANT, "１", CODE, CODE.lower(), "嘉陵小面"]


@pytest.mark.parametrize("form", UNIT_FORMS)
def test_every_unit_command_takes_every_unit_form(district: Cli, form: str) -> None:
    assert as_json(district, "units", "show", form)["id"] == 1
    district.ok("units", "edit", form, "--contact", "王老板")
    assert as_json(district, "units", "show", MERCHANT)["contact"] == "王老板"
    number = add_issue(district, "--unit", form)
    assert issue(district, number)["unit_id"] == 1
    assert [row["id"] for row in as_json(district, "issue", "list", "--unit", form)] == [number]
    district.ok("issue", "dispatch", str(number), "--unit", form)
    assert [u["unit_id"] for u in issue(district, number)["units"]] == [1]
    person = district.ok("grid", "member", "add", "李四", "--role", "merchant_rep", "--unit", form)
    assert as_json(district, "grid", "member", "show", person.stdout.strip())["unit_id"] == 1
    activity = district.ok("activity", "add", "政策宣讲", "--kind", "policy_briefing",
                           "--date", "2024-08-03", "--lead-unit", form)  # fmt: skip
    assert as_json(district, "activity", "show", activity.stdout.strip())["lead_unit_id"] == 1


UNIT_COMMANDS = [
    ["units", "show", "{u}"],
    ["units", "edit", "{u}", "--contact", "x"],
    ["units", "retire", "{u}"],
    ["issue", "add", "占道经营", "--category", "vendor", "--unit", "{u}"],
    ["issue", "list", "--unit", "{u}"],
    ["issue", "dispatch", "1", "--unit", "{u}"],
    ["issue", "transfer", "1", "--to", "{u}", "--note", "x"],
    ["grid", "member", "add", "李四", "--role", "volunteer", "--unit", "{u}"],
    ["grid", "member", "edit", "1", "--unit", "{u}"],
    ["rotation", "assign", "2024-01", "{u}"],
    ["rotation", "history", "--unit", "{u}"],
    ["activity", "add", "宣讲", "--kind", "training", "--date", "2024-08-03", "--lead-unit", "{u}"],
    ["course", "add", "配音课堂", "--partner", "{u}"],
]


@pytest.mark.parametrize("bad", BAD_DIGITS)
@pytest.mark.parametrize("command", UNIT_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_unit_with_other_digits_is_one_error_line(
    district: Cli, command: list[str], bad: str
) -> None:
    add_issue(district)
    result = district.fails(*(arg.replace("{u}", bad) for arg in command))
    assert "digits other than 0-9" in one_error_line(result)


def test_rotation_takes_every_unit_form(district: Cli) -> None:
    for month, form in (("2024-01", AGENCY), ("2024-02", "２"), ("2024-03", "北碚区城市管理局")):
        district.ok("rotation", "assign", month, form)
    months = as_json(district, "rotation", "history", "--unit", "２")
    assert len(months) == 3


# --- members, courses, classes, activities ------------------------------------------------


@pytest.mark.parametrize("form", ["1", "１", "张三", "13812345678"])
def test_member_commands_take_every_member_form(district: Cli, form: str) -> None:
    assert as_json(district, "grid", "member", "show", form)["id"] == 1
    district.ok("grid", "member", "edit", form, "--note", "金牌调解员")
    assert as_json(district, "grid", "member", "show", "1")["note"] == "金牌调解员"
    number = add_issue(district)
    district.ok("issue", "assign", str(number), "--person", form)
    assert issue(district, number)["events"][-1]["person_name"] == "张三"


def test_other_references_with_other_digits_are_one_error_line(district: Cli) -> None:
    district.ok("course", "add", "配音课堂")
    district.ok("course", "class", "add", "配音课堂", "--date", "2024-03-06 19:00")
    district.ok("activity", "add", "宣讲", "--kind", "training", "--date", "2024-08-03",
                "--lead-unit", AGENCY)  # fmt: skip
    assert as_json(district, "course", "show", "１")["name"] == "配音课堂"
    assert as_json(district, "course", "class", "show", "１")["course_id"] == 1
    assert as_json(district, "activity", "show", "１")["title"] == "宣讲"
    for command in (
        ["grid", "member", "show", "①"],
        ["grid", "member", "edit", "①", "--note", "x"],
        ["grid", "member", "remove", "①"],
        ["issue", "assign", "1", "--person", "①"],
        ["course", "show", "①"],
        ["course", "edit", "①", "--venue", "x"],
        ["course", "term", "add", "①", "第一期", "--start", "2024-03-01"],
        ["course", "class", "show", "²"],
        ["course", "attend", "²", "张三"],
        ["activity", "show", "①"],
        ["activity", "edit", "①", "--title", "x"],
        ["activity", "remove", "²"],
    ):
        if command[:2] == ["issue", "assign"]:
            add_issue(district)
        result = district.fails(*command)
        assert "digits other than 0-9" in one_error_line(result), command
