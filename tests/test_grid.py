"""`beiwen grid add/edit/list/show/stats/suggest` through the real CLI on a real file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from beiwen.db import open_db
from beiwen.services.grids import format_rate
from conftest import Cli


def add_member(cli: Cli, name: str, *options: str) -> int:
    return int(cli.ok("grid", "member", "add", name, *options).stdout)


def as_json(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "--format", "json").stdout)


def add_issue(db: Path, **fields: Any) -> int:
    """A work order written straight into the issues table (the issue commands are
    another module's; these tests need exact times and states)."""
    reported = fields.get("reported_at", "2024-08-01T09:00:00+08:00")
    row = {
        "title": "占道经营",
        "category": "vendor",
        "grid": 1,
        "status": "open",
        "reported_at": reported,
        "created_at": reported,
        "updated_at": reported,
        **fields,
    }
    with sqlite3.connect(db) as conn:
        cursor = conn.execute(
            f"INSERT INTO issues ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid


def assign(db: Path, issue: int, person: str) -> None:
    from beiwen.services.people import assign_person

    conn = open_db(db)
    try:
        assign_person(conn, issue, person, None, None)
    finally:
        conn.close()


# --- add, edit, list -------------------------------------------------------------------


def test_add_keeps_its_behaviour(cli: Cli) -> None:
    cli.ok("init")
    result = cli.ok(
        "grid", "add", "1", "嵩达广场网格", "--branch", "第一网格党支部", "--area", "嵩达广场"
    )
    assert (result.stdout, result.stderr) == ("1\n", "added grid 1\n")
    result = cli.fails("grid", "add", "1", "重复")
    assert result.stderr == (
        "Error: grid 1 already exists (嵩达广场网格); change it with: beiwen grid edit 1\n"
    )
    assert cli.fails("grid", "add", "x", "坏").stderr == (
        'Error: grid number "x" must be a whole number from 1 to 999\n'
    )


def test_edit_changes_and_clears_fields(ready: Cli) -> None:
    result = ready.ok("grid", "edit", "2", "--name", "国泽广场网格", "--area", "国泽广场")
    assert (result.stdout, result.stderr) == ("", "updated grid 2\n")
    ready.ok("grid", "edit", "2", "--branch", "")
    grid = as_json(ready, "grid", "list")[1]
    assert (grid["number"], grid["name"], grid["branch"], grid["area"]) == (
        2,
        "国泽广场网格",
        None,
        "国泽广场",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["9", "--name", "x"],
            'Error: unknown grid "9"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list\n',
        ),
        (["2", "--name", " "], "Error: grid name must not be empty\n"),
        (
            ["2"],
            "Error: nothing to change; pass --name, --branch or --area, see: "
            "beiwen grid edit --help\n",
        ),
    ],
)
def test_edit_errors(ready: Cli, args: list[str], message: str) -> None:
    assert ready.fails("grid", "edit", *args).stderr == message
    assert as_json(ready, "grid", "list")[1]["name"] == "第2网格"


def test_list_counts_units_grid_workers_and_people(ready: Cli) -> None:
    ready.ok("units", "add", "嘉陵小面", "--kind", "merchant", "--grid", "1")
    add_member(ready, "张明", "--role", "网格员", "--role", "志愿者", "--grid", "1", "--grid", "2")
    add_member(ready, "李华", "--role", "网格员", "--grid", "1")
    add_member(ready, "王芳", "--role", "志愿者", "--grid", "1")
    add_member(ready, "周律师", "--role", "律师")
    gone = add_member(ready, "赵强", "--role", "网格员", "--grid", "1")
    ready.ok("grid", "member", "remove", str(gone))
    grids = as_json(ready, "grid", "list")
    assert [(g["number"], g["units"], g["grid_workers"], g["people"]) for g in grids] == [
        (1, 1, 2, 3),
        (2, 0, 1, 1),
        (3, 0, 0, 0),
        (4, 0, 0, 0),
        (5, 0, 0, 0),
        (6, 0, 0, 0),
    ]
    table = ready.ok("grid", "list", lang="zh").stdout
    assert "网格员" in table and "人员数" in table and "第1网格党支部" in table


# --- show ------------------------------------------------------------------------------


@pytest.fixture
def grid_two(ready: Cli) -> Cli:
    """Grid 2 with people of several roles, units of several kinds, and work orders."""
    ready.ok("units", "add", "北碚区城市管理局", "--kind", "agency", "--grid", "2")
    for name, category in [("嘉陵小面", "餐饮"), ("碚城火锅", "餐饮"), ("云清咖啡", "咖啡")]:
        ready.ok("units", "add", name, "--kind", "merchant", "--category", category, "--grid", "2")
    ready.ok("units", "add", "别处超市", "--kind", "merchant", "--category", "零售", "--grid", "3")
    add_member(ready, "朱萍", "--role", "网格员", "--grid", "2", "--phone", "13812345678")
    add_member(ready, "余超", "--role", "网格员", "--role", "志愿者", "--grid", "2")
    add_member(ready, "邓勇", "--role", "在职党员", "--grid", "2")
    add_member(ready, "冯娜", "--role", "流动党员", "--grid", "2")
    add_member(ready, "周律师", "--role", "律师")
    add_member(ready, "别人", "--role", "网格员", "--grid", "3")
    add_issue(
        ready.db, grid=2, status="in_progress", due_at="2024-08-05T09:00:00+08:00", title="游摊占道"
    )
    add_issue(
        ready.db, grid=2, status="dispatched", due_at="2999-01-01T09:00:00+08:00", title="噪音扰民"
    )
    add_issue(ready.db, grid=2, status="resolved", resolved_at="2024-08-02T09:00:00+08:00")
    add_issue(ready.db, grid=2, status="cancelled", cancelled_at="2024-08-02T09:00:00+08:00")
    add_issue(ready.db, grid=3, status="open", due_at="2024-08-05T09:00:00+08:00")
    return ready


def test_show_json_has_people_units_and_open_work_orders(grid_two: Cli) -> None:
    grid = as_json(grid_two, "grid", "show", "2")
    assert {k: grid[k] for k in ("number", "name", "branch", "people", "units")} == {
        "number": 2,
        "name": "第2网格",
        "branch": "第2网格党支部",
        "people": 4,
        "units": 4,
    }
    assert {role: [p["name"] for p in group] for role, group in grid["people_by_role"].items()} == {
        "grid_worker": ["朱萍", "余超"],
        "party_member": ["邓勇", "冯娜"],
        "volunteer": ["余超"],
    }
    assert grid["people_by_role"]["grid_worker"][0]["phone"] == "138****5678"
    assert grid["people_by_role"]["party_member"][1]["mobile_party_member"] is True
    assert grid["district_people"] == 1
    assert grid["units_by_kind"] == {"agency": 1, "merchant": 3}
    assert grid["merchants_by_category"] == {"catering": 2, "coffee": 1}
    assert (grid["open_work_orders"], grid["overdue_work_orders"]) == (2, 1)
    assert [(o["title"], o["status"], o["overdue"]) for o in grid["work_orders"]] == [
        ("游摊占道", "in_progress", True),
        ("噪音扰民", "dispatched", False),
    ]
    whole = as_json(grid_two, "grid", "show", "2", "--show-pii")
    assert whole["people_by_role"]["grid_worker"][0]["phone"] == "13812345678"


def test_show_table_in_both_languages(grid_two: Cli) -> None:
    result = grid_two.ok("grid", "show", "2")
    english = result.stdout
    for text in (
        "People by role",
        "grid worker",
        "mobile Party member",
        "Merchants by category",
        "catering",
        "Open work orders",
        "游摊占道",
        "2024-08-05 09:00",
    ):
        assert text in english, text
    assert "13812345678" not in english
    assert result.stderr == "1 more serve the whole district: beiwen grid member list\n"
    chinese = grid_two.ok("grid", "show", "2", lang="zh").stdout
    for text in (
        "人员（按角色）",
        "网格员",
        "流动党员",
        "在职党员",
        "商户（按业态）",
        "餐饮",
        "未办结工单",
        "办理中",
    ):
        assert text in chinese, text
    empty = grid_two.ok("grid", "show", "5").stdout
    assert "People by role: (none)" in empty and "Open work orders: (none)" in empty


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["7"], 'Error: unknown grid "7"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list\n'),
        (["two"], 'Error: unknown grid "two"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list\n'),
        (
            ["2", "--format", "csv"],
            'Error: --format: unknown format "csv"; use one of: table, json\n',
        ),
    ],
)
def test_show_errors(grid_two: Cli, args: list[str], message: str) -> None:
    result = grid_two.fails("grid", "show", *args)
    assert (result.stdout, result.stderr) == ("", message)


# --- stats -----------------------------------------------------------------------------


@pytest.fixture
def august(ready: Cli) -> Cli:
    """Work orders around August 2024 and people who joined and left around it."""
    db = ready.db
    at = "2024-08-{}T09:00:00+08:00".format
    # Grid 1: five collected in August (one cancelled does not count).
    add_issue(db, reported_at=at("02"), status="resolved", resolved_at=at("05"), due_at=at("09"))
    add_issue(db, reported_at=at("10"), status="closed", resolved_at=at("12"), closed_at=at("15"))
    add_issue(db, reported_at=at("20"), status="in_progress", due_at=at("25"))  # overdue
    add_issue(db, reported_at=at("28"), status="open", due_at="2024-09-04T09:00:00+08:00")
    add_issue(db, reported_at=at("15"), status="cancelled", cancelled_at=at("16"))
    add_issue(
        db,
        reported_at=at("30"),
        status="resolved",
        resolved_at="2024-09-02T09:00:00+08:00",
        due_at="2024-09-06T09:00:00+08:00",
    )
    # Grid 2: one in July, one in August.
    add_issue(
        db, grid=2, reported_at="2024-07-30T09:00:00+08:00", status="resolved", resolved_at=at("02")
    )
    add_issue(db, grid=2, reported_at=at("05"), status="resolved", resolved_at=at("06"))
    # No grid.
    add_issue(db, grid=None, reported_at=at("07"), status="resolved", resolved_at=at("08"))

    add_member(ready, "甲", "--role", "网格员", "--grid", "1", "--since", "2024-01-01")
    add_member(
        ready, "乙", "--role", "志愿者", "--grid", "1", "--grid", "2", "--since", "2024-08-31"
    )
    add_member(ready, "丙", "--role", "志愿者", "--grid", "1", "--since", "2024-09-01")
    add_member(ready, "丁", "--role", "网格员", "--grid", "2", "--since", "2024-01-01")
    add_member(ready, "戊", "--role", "律师", "--since", "2024-01-01")
    add_member(ready, "己", "--role", "社工", "--grid", "2", "--since", "2024-01-01")
    ready.ok("grid", "member", "remove", "丁")
    ready.ok("grid", "member", "edit", "己", "--remove-grid", "2")
    return ready


def rows_of(stats: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (r["grid"], r["collected"], r["handled"], r["rate"], r["overdue"], r["people"])
        for r in [*stats["grids"], stats["total"]]
    ]


def test_stats_for_a_month(august: Cli) -> None:
    stats = as_json(august, "grid", "stats", "--month", "2024-08")
    assert stats["period"] == "2024-08"
    assert rows_of(stats) == [
        (1, 5, 2, "2/5 = 40.0%", 1, 2),
        (2, 1, 1, "1/1 = 100.0%", 0, 3),
        (3, 0, 0, "-", 0, 0),
        (4, 0, 0, "-", 0, 0),
        (5, 0, 0, "-", 0, 0),
        (6, 0, 0, "-", 0, 0),
        (None, 1, 1, "1/1 = 100.0%", 0, 1),
        (None, 7, 4, "4/7 = 57.1%", 1, 5),
    ]
    assert stats["grids"][0]["handling_rate"] == 40.0
    assert stats["grids"][2]["handling_rate"] is None
    assert stats["grids"][0]["name"] == "第1网格"


def test_stats_for_all_time_and_for_a_year(august: Cli) -> None:
    stats = as_json(august, "grid", "stats")
    assert stats["period"] is None
    # People: those serving now (丙 joined in September; 丁 was removed; 己 serves the district).
    assert rows_of(stats)[:2] + rows_of(stats)[-2:] == [
        (1, 5, 3, "3/5 = 60.0%", 2, 3),
        (2, 2, 2, "2/2 = 100.0%", 0, 1),
        (None, 1, 1, "1/1 = 100.0%", 0, 2),
        (None, 8, 6, "6/8 = 75.0%", 2, 5),
    ]
    year = as_json(august, "grid", "stats", "--year", "2024")
    assert rows_of(year)[-1] == (None, 8, 6, "6/8 = 75.0%", 2, 6)
    assert as_json(august, "grid", "stats", "--year", "2023")["total"]["collected"] == 0


def test_stats_table_has_a_total_row(august: Cli) -> None:
    table = august.ok("grid", "stats", "--month", "2024-08").stdout
    assert table.splitlines()[0].strip() == "Work orders and people by grid, 2024-08"
    lines = [line for line in table.splitlines() if "│" in line]
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines]
    assert cells[0] == ["1", "第1网格", "5", "2", "2/5 = 40.0%", "1", "2"]
    assert cells[-2] == ["whole district", "", "1", "1", "1/1 = 100.0%", "0", "1"]
    assert cells[-1] == ["total", "", "7", "4", "4/7 = 57.1%", "1", "5"]
    chinese = august.ok("grid", "stats", lang="zh").stdout
    assert "各网格工单与人员，全部时间" in chinese and "合计" in chinese and "处理率" in chinese


def test_stats_csv_ends_with_the_total(august: Cli) -> None:
    text = august.ok("grid", "stats", "--month", "2024-08", "--format", "csv").stdout
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "grid,name,collected,handled,handling_rate,overdue,people"
    assert lines[1] == "1,第1网格,5,2,40.0,1,2"
    assert lines[-1] == "total,,7,4,57.1,1,5"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--month", "2024-13"],
            'Error: --month: "2024-13" is not a month; use 2025-03, 2025/3, 202503 or 2025年3月\n',
        ),
        (["--year", "24"], 'Error: --year: "24" is not a year; use four digits such as 2024\n'),
        (
            ["--month", "2024-08", "--year", "2024"],
            "Error: --month and --year cannot be combined; give one of them\n",
        ),
    ],
)
def test_stats_errors(ready: Cli, args: list[str], message: str) -> None:
    assert ready.fails("grid", "stats", *args).stderr == message


def test_rates_round_half_up_to_one_decimal() -> None:
    assert format_rate(73, 77) == "73/77 = 94.8%"
    assert format_rate(1, 16) == "1/16 = 6.3%"
    assert format_rate(2, 3) == "2/3 = 66.7%"
    assert format_rate(0, 5) == "0/5 = 0.0%"
    assert format_rate(0, 0) == "-"


# --- suggest ---------------------------------------------------------------------------


@pytest.fixture
def helpers(ready: Cli) -> Cli:
    """People who can mediate, in and around grid 2, with some work already on them."""
    add_member(ready, "甲", "--role", "网格员", "--grid", "2", "--skill", "调解")  # 1
    add_member(ready, "乙", "--role", "调解员", "--grid", "2", "--skill", "人民调解")  # 2
    add_member(ready, "丙", "--role", "律师", "--skill", "调解、法律")  # 3: whole district
    add_member(ready, "丁", "--role", "志愿者", "--grid", "1", "--skill", "调解")  # 4
    add_member(ready, "戊", "--role", "网格员", "--grid", "1", "--grid", "2", "--skill", "调解")
    add_member(ready, "己", "--role", "网格员", "--grid", "2", "--skill", "巡查")  # 6: no skill
    add_member(ready, "庚", "--role", "网格员", "--grid", "2", "--skill", "调解")  # 7: removed
    ready.ok("grid", "member", "remove", "庚")
    busy = add_issue(ready.db, grid=2)
    finished = add_issue(ready.db, grid=2)
    assign(ready.db, busy, "甲")
    assign(ready.db, finished, "乙")
    with sqlite3.connect(ready.db) as conn:
        conn.execute("UPDATE issues SET status = 'resolved' WHERE id = ?", (finished,))
    return ready


def test_suggest_puts_the_grid_first_then_the_district_then_others(helpers: Cli) -> None:
    found = as_json(helpers, "grid", "suggest", "--skill", "调解", "--grid", "2")
    assert [(p["name"], p["place"], p["open_assignments"]) for p in found] == [
        ("乙", "this_grid", 0),
        ("戊", "this_grid", 0),
        ("甲", "this_grid", 1),
        ("丙", "district", 0),
        ("丁", "other_grid", 0),
    ]
    table = helpers.ok("grid", "suggest", "--skill", "调解", "--grid", "2").stdout
    assert "Where" in table and "this grid" in table and "whole district" in table


def test_suggest_without_a_grid_orders_by_workload_then_matches(helpers: Cli) -> None:
    found = as_json(helpers, "grid", "suggest", "--skill", "调解", "--skill", "法律")
    assert [(p["name"], p["open_assignments"]) for p in found] == [
        ("丙", 0),  # two of the skills
        ("乙", 0),
        ("丁", 0),
        ("戊", 0),
        ("甲", 1),
    ]
    assert found[0]["matched_skills"] == ["调解", "法律"]
    assert "Where" not in helpers.ok("grid", "suggest", "--skill", "调解").stdout


def test_suggest_with_nobody_and_errors(helpers: Cli) -> None:
    result = helpers.ok("grid", "suggest", "--skill", "烹饪", "--format", "json")
    assert result.stdout == "[]\n"
    assert result.stderr == (
        'nobody has a skill matching "烹饪"; see the skills with: beiwen grid member list\n'
    )
    assert helpers.fails("grid", "suggest", "--skill", "调解", "--grid", "8").stderr == (
        'Error: unknown grid "8"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list\n'
    )
    assert helpers.fails("grid", "suggest", "--skill", " ").stderr == (
        "Error: --skill: give a skill, such as 调解 or 法律\n"
    )
    assert helpers("grid", "suggest").exit_code == 2


def test_phones_in_suggestions_are_masked_unless_show_pii(ready: Cli) -> None:
    add_member(ready, "甲", "--role", "网格员", "--skill", "调解", "--phone", "13812345678")
    assert as_json(ready, "grid", "suggest", "--skill", "调解")[0]["phone"] == "138****5678"
    whole = as_json(ready, "grid", "suggest", "--skill", "调解", "--show-pii")
    assert whole[0]["phone"] == "13812345678"
    assert "138****5678" in ready.ok("grid", "suggest", "--skill", "调解").stdout
