"""`beiwen rotation`: the planning rule as a plain function (property tests) and every
command through the real CLI on a real database file."""

from __future__ import annotations

import csv
import io
import itertools
import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beiwen.parsing import add_months, month_of, now
from beiwen.services.rotation import plan_sequence
from conftest import Cli

RETIRED = (901, 902)  # ids of units that left: they may hold kept months, never new ones


# --- the rule as a function ---------------------------------------------------------------


def neighbours(
    plan: list[int], index: int, before: int | None, after: int | None
) -> tuple[int | None, int | None]:
    left = before if index == 0 else plan[index - 1]
    right = after if index == len(plan) - 1 else plan[index + 1]
    return left, right


def totals(plan: list[int], order: list[int]) -> Counter[int]:
    counted = Counter(dict.fromkeys(order, 0))
    counted.update(unit for unit in plan if unit in order)
    return counted


def check_rules(
    plan: list[int],
    order: list[int],
    count: int,
    kept: dict[int, int],
    before: int | None,
    after: int | None,
) -> None:
    """What holds for every plan, whatever was kept."""
    assert len(plan) == count
    for index, unit in kept.items():
        assert plan[index] == unit
    counted = totals(plan, order)
    for index, unit in enumerate(plan):
        if index in kept:
            continue
        assert unit in order  # retired and non-council units never get a new month
        left, right = neighbours(plan, index, before, after)
        if unit in (left, right):
            # two months in a row only when every other unit borders this month too
            assert all(other in (left, right) for other in order), (index, plan)
        # no month could go to a unit with two fewer months that fits there
        for other in order:
            if other not in (left, right) and other != unit:
                assert counted[unit] - counted[other] < 2, (index, other, plan)


@st.composite
def councils(draw: st.DrawFn) -> tuple[list[int], int | None]:
    size = draw(st.integers(1, 30))
    order = draw(st.permutations(range(1, 31)))[:size]
    previous = draw(st.sampled_from([None, *order, *RETIRED]))
    return list(order), previous


@settings(max_examples=200, deadline=None)
@given(
    council=councils(),
    count=st.integers(1, 240),
    before_kind=st.sampled_from(["previous", "gap", "retired"]),
    after=st.one_of(st.none(), st.integers(1, 30), st.sampled_from(RETIRED)),
)
def test_plan_without_kept_months_is_round_robin_and_even(
    council: tuple[list[int], int | None], count: int, before_kind: str, after: int | None
) -> None:
    order, previous = council
    # The month before the range is held by `previous` (when still active), or is a gap,
    # or by a unit that has retired since.
    before = {"previous": previous, "gap": None, "retired": RETIRED[0]}[before_kind]
    plan = plan_sequence(order, count, previous=previous, before=before, after=after)
    check_rules(plan, order, count, {}, before, after)
    counted = totals(plan, order)
    assert max(counted.values()) - min(counted.values()) <= 1
    start = order.index(previous) + 1 if previous in order else 0
    round_robin = [order[(start + index) % len(order)] for index in range(count)]
    if round_robin[-1] != after or len(order) == 1:
        assert plan == round_robin
    if len(order) >= 3:
        assert all(plan[i] != plan[i + 1] for i in range(count - 1))
        assert plan[-1] != after


@st.composite
def plans_with_kept(
    draw: st.DrawFn,
) -> tuple[list[int], int, int | None, dict[int, int], int | None, int | None]:
    order, previous = draw(councils())
    count = draw(st.integers(1, 60))
    holders = st.sampled_from([*order, *RETIRED])
    kept = draw(st.dictionaries(st.integers(0, count - 1), holders, max_size=count))
    before = draw(st.one_of(st.none(), holders))
    after = draw(st.one_of(st.none(), holders))
    return order, count, previous, kept, before, after


@settings(max_examples=150, deadline=None)
@given(case=plans_with_kept())
def test_plan_with_kept_months_and_retired_units(
    case: tuple[list[int], int, int | None, dict[int, int], int | None, int | None],
) -> None:
    order, count, previous, kept, before, after = case
    plan = plan_sequence(order, count, previous=previous, kept=kept, before=before, after=after)
    check_rules(plan, order, count, kept, before, after)
    if len(order) >= 3:
        for index in range(count):
            if index not in kept:
                assert plan[index] not in neighbours(plan, index, before, after)


def is_even(
    plan: list[int],
    order: list[int],
    kept: dict[int, int],
    before: int | None,
    after: int | None,
) -> bool:
    for index, unit in enumerate(plan):
        if index not in kept and unit in neighbours(plan, index, before, after):
            return False
    counted = totals(plan, order)
    return max(counted.values()) - min(counted.values()) <= 1


@settings(max_examples=150, deadline=None)
@given(
    size=st.integers(2, 4),
    count=st.integers(1, 7),
    data=st.data(),
)
def test_an_even_plan_is_found_whenever_one_exists(size: int, count: int, data: Any) -> None:
    order = list(range(1, size + 1))
    holders = st.sampled_from([*order, RETIRED[0]])
    kept = data.draw(st.dictionaries(st.integers(0, count - 1), holders, max_size=count))
    before = data.draw(st.one_of(st.none(), holders))
    after = data.draw(st.one_of(st.none(), holders))
    plan = plan_sequence(order, count, previous=before, kept=kept, before=before, after=after)
    free = [index for index in range(count) if index not in kept]
    exists = False
    for choice in itertools.product(order, repeat=len(free)):
        candidate = [kept.get(index, 0) for index in range(count)]
        for index, unit in zip(free, choice, strict=True):
            candidate[index] = unit
        if is_even(candidate, order, kept, before, after):
            exists = True
            break
    if exists:
        assert is_even(plan, order, kept, before, after), plan


def test_plan_examples() -> None:
    # turns continue after the previous holder
    assert plan_sequence([1, 2, 3], 5, previous=1, before=1) == [2, 3, 1, 2, 3]
    # the last turn would border the month after: one swap at the end, counts stay even
    assert plan_sequence([1, 2, 3], 3, previous=3, before=3, after=3) == [1, 3, 2]
    # kept months stay and count: unit 3 already has one, so it gets no other
    assert plan_sequence([1, 2, 3], 3, previous=3, kept={1: 3}) == [1, 3, 2]
    # one unit: it holds every month
    assert plan_sequence([7], 3, previous=7, before=7) == [7, 7, 7]
    with pytest.raises(ValueError):
        plan_sequence([], 3)
    with pytest.raises(ValueError):
        plan_sequence([1, 2], 2, kept={5: 1})


def test_largest_plan_is_fast() -> None:
    import time

    order = list(range(1, 31))
    kept = {index: order[(index * 7) % 30] for index in range(0, 240, 3)}
    started = time.perf_counter()
    plan = plan_sequence(order, 240, previous=5, kept=kept, before=5, after=6)
    assert time.perf_counter() - started < 5
    check_rules(plan, order, 240, kept, 5, 6)


# --- the commands -------------------------------------------------------------------------


A, B, C = "市场监管局", "城市管理局", "商务委员会"


def add_unit(cli: Cli, name: str, *options: str) -> int:
    return int(cli.ok("units", "add", name, "--kind", "agency", *options).stdout)


@pytest.fixture(scope="session")
def council_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three council units (ids 1, 2, 3 in joining order) and one unit off the council (4),
    built once; tests copy the file (see `council`)."""
    cli = Cli(tmp_path_factory.mktemp("council") / "council.db")
    cli.ok("init")
    for name in (A, B, C):
        add_unit(cli, name, "--council")
    add_unit(cli, "北碚区税务局")
    return cli.db


@pytest.fixture
def council(council_template: Path, tmp_path: Path) -> Cli:
    copy = tmp_path / "council.db"
    source, target = sqlite3.connect(council_template), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return Cli(copy)


def schedule(cli: Cli, *options: str) -> list[dict[str, Any]]:
    data = json.loads(cli.ok("rotation", "show", "--format", "json", *options).stdout)
    assert isinstance(data, list)
    return data


def holders(cli: Cli, start: str, end: str) -> list[int | None]:
    return [entry["unit_id"] for entry in schedule(cli, "--from", start, "--to", end)]


def history(cli: Cli, *options: str) -> list[dict[str, Any]]:
    data = json.loads(cli.ok("rotation", "history", "--format", "json", *options).stdout)
    assert isinstance(data, list)
    return data


def table_counts(db: Path) -> tuple[int, int, str]:
    conn = sqlite3.connect(db)
    try:
        rotation = conn.execute("SELECT count(*) FROM rotation").fetchone()[0]
        logged = conn.execute("SELECT count(*) FROM rotation_history").fetchone()[0]
        orders = conn.execute("SELECT group_concat(rotation_order) FROM units").fetchone()[0]
    finally:
        conn.close()
    return rotation, logged, str(orders)


def this_month() -> str:
    return month_of(now().date())


def test_plan_assigns_in_turn_and_prints_the_schedule(council: Cli) -> None:
    result = council.ok(
        "rotation", "plan", "--from", "2024-01", "--months", "6", "--format", "json"
    )
    assert json.loads(result.stdout) == [
        {"month": "2024-01", "unit_id": 1, "unit": A, "note": None},
        {"month": "2024-02", "unit_id": 2, "unit": B, "note": None},
        {"month": "2024-03", "unit_id": 3, "unit": C, "note": None},
        {"month": "2024-04", "unit_id": 1, "unit": A, "note": None},
        {"month": "2024-05", "unit_id": 2, "unit": B, "note": None},
        {"month": "2024-06", "unit_id": 3, "unit": C, "note": None},
    ]
    assert result.stderr == "planned 2024-01 to 2024-06: 6 month(s) assigned, 0 kept\n"
    events = history(council)
    assert [(e["action"], e["month"], e["unit_id"], e["previous_unit_id"]) for e in events] == [
        ("plan", f"2024-0{index}", unit, None) for index, unit in enumerate([1, 2, 3, 1, 2, 3], 1)
    ]


def test_plan_table_is_a_year_grid_with_counts(council: Cli) -> None:
    result = council.ok("rotation", "plan", "--from", "2024-01", "--months", "12")
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "Rotating secretary 2024"
    assert "Q1" in result.stdout and "Q4" in result.stdout
    assert "Months per unit" in result.stdout
    for name in (A, B, C):
        assert any(name in line and line.rstrip("│ ").endswith(" 4") for line in lines), name
    assert "Gaps" not in result.stdout


def test_plan_continues_after_the_previous_holder(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "2")
    council.ok("rotation", "plan", "--from", "2024-03", "--months", "2")
    assert holders(council, "2024-01", "2024-04") == [1, 2, 3, 1]
    # After a gap the turns still continue after the last holder (2024-04: unit 1).
    council.ok("rotation", "plan", "--from", "2024-07", "--months", "2")
    assert holders(council, "2024-05", "2024-08") == [None, None, 2, 3]


def test_plan_keeps_assigned_months_and_counts_them(council: Cli) -> None:
    council.ok("rotation", "assign", "2024-02", C, "--note", "商务委申请")
    result = council.ok("rotation", "plan", "--from", "2024-01", "--months", "3")
    assert result.stderr == "planned 2024-01 to 2024-03: 2 month(s) assigned, 1 kept\n"
    entries = schedule(council, "--from", "2024-01", "--to", "2024-03")
    assert [e["unit_id"] for e in entries] == [1, 3, 2]
    assert entries[1]["note"] == "商务委申请"
    again = council.ok("rotation", "plan", "--from", "2024-01", "--months", "3")
    assert again.stderr.startswith("every month of 2024-01 to 2024-03 already has a duty unit")
    assert len(history(council)) == 3  # the assignment and two planned months


def test_plan_replace_plans_assigned_months_anew(council: Cli) -> None:
    council.ok("rotation", "assign", "2024-01", C)
    council.ok("rotation", "assign", "2024-02", C)
    result = council.ok("rotation", "plan", "--from", "2024-01", "--months", "3", "--replace")
    assert result.stderr == "planned 2024-01 to 2024-03: 3 month(s) assigned, 0 kept\n"
    assert holders(council, "2024-01", "2024-03") == [1, 2, 3]
    events = history(council, "--month", "2024-02")
    assert [(e["action"], e["unit_id"], e["previous_unit_id"]) for e in events] == [
        ("assign", 3, None),
        ("plan", 2, 3),
    ]


def test_plan_leaves_out_retired_and_non_council_units(council: Cli) -> None:
    council.ok("units", "retire", "2")
    council.ok("rotation", "plan", "--from", "2030-01", "--months", "12")
    assert set(holders(council, "2030-01", "2030-12")) == {1, 3}
    assert holders(council, "2030-01", "2030-04") == [1, 3, 1, 3]


def test_plan_past_months_enters_history(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2021-01", "--months", "24")
    entries = schedule(council, "--year", "2021")
    assert [e["unit_id"] for e in entries] == [1, 2, 3] * 4


@pytest.mark.parametrize("month", ["2025-03", "2025/3", "202503", "2025年3月", " 2025-3 "])
def test_months_accept_the_usual_forms(council: Cli, month: str) -> None:
    council.ok("rotation", "plan", "--from", month, "--months", "1")
    assert holders(council, "2025-03", "2025-03") == [1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["plan", "--from", "2025-13", "--months", "1"],
            'Error: --from: "2025-13" is not a month; use 2025-03, 2025/3, 202503 or 2025年3月\n',
        ),
        (["plan", "--from", "2025.08"], 'Error: --from: "2025.08" is not a month'),
        (["plan", "--from", "March"], 'Error: --from: "March" is not a month'),
        (
            ["plan", "--from", "2025-01", "--months", "0"],
            'Error: --months: "0" is not a whole number of at least 1\n',
        ),
        (["plan", "--from", "2025-01", "--months", "-3"], 'Error: --months: "-3" is not'),
        (["plan", "--from", "2025-01", "--months", "abc"], 'Error: --months: "abc" is not'),
        (
            ["plan", "--from", "2025-01", "--months", "241"],
            "Error: --months: 241 is more than 240 months; plan at most 240 at a time\n",
        ),
        (["swap", "2025-01", "2025-02"], "Error: 2025-01 has no duty unit; give it one with: "),
        (["swap", "2025-01", "2025/1"], "Error: both months are 2025-01"),
        (["swap", "2025-01", "2025.02"], 'Error: second month: "2025.02" is not a month'),
        (["assign", "2025-01", "不存在的单位"], 'Error: unknown unit "不存在的单位"'),
        (["assign", "2025-01", "4"], "Error: unit 4 (北碚区税务局) is not a member of the joint"),
        (["assign", "2025-13", "1"], 'Error: month: "2025-13" is not a month'),
        (["unassign", "2025-01"], "Error: 2025-01 has no duty unit"),
        (["current", "--month", "2025.08"], 'Error: --month: "2025.08" is not a month'),
        (["show", "--year", "2024", "--from", "2024-01"], "Error: --year cannot be combined"),
        (["show", "--from", "2024-05", "--to", "2024-01"], "Error: --from 2024-05 is after"),
        (["show", "--year", "24"], 'Error: --year: "24" is not a year'),
        (["show", "--format", "xml"], 'Error: --format: unknown format "xml"'),
        (["show", "--output", "x.json"], "Error: --output writes ics, json or csv"),
        (["order", "1", "1"], "Error: unit 1 (市场监管局) is listed twice"),
        (["order", "4"], "Error: unit 4 (北碚区税务局) is not an active council member"),
        (["history", "--unit", "99"], 'Error: unknown unit "99"'),
    ],
)
def test_errors_are_one_line_and_change_nothing(
    council: Cli, args: list[str], message: str
) -> None:
    before = table_counts(council.db)
    result = council.fails("rotation", *args)
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""
    assert table_counts(council.db) == before


def test_empty_council_is_an_error(cli: Cli) -> None:
    ready = cli
    ready.ok("init")
    add_unit(ready, "北碚区税务局")
    result = ready.fails("rotation", "plan", "--from", "2025-01", "--months", "3")
    assert result.stderr == (
        "Error: the joint meeting has no active member units to rotate; add one with: "
        "beiwen units edit UNIT --council\n"
    )
    assert table_counts(ready.db)[:2] == (0, 0)


def test_errors_in_chinese(council: Cli) -> None:
    result = council.fails("rotation", "plan", "--from", "2025.08", lang="zh")
    assert result.stderr == (
        "错误：--from：“2025.08”不是有效月份；请用 2025-03、2025/3、202503 或 2025年3月\n"
    )
    result = council.fails("rotation", "swap", "2025-01", "2025-02", lang="zh")
    assert result.stderr.startswith("错误：2025-01 尚无轮值单位；请用 beiwen rotation assign")


def test_show_json_csv_and_gaps(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "2")
    council.ok("rotation", "assign", "2024-04", "3", "--note", "换班")
    assert schedule(council, "--from", "2024-01", "--to", "2024-04") == [
        {"month": "2024-01", "unit_id": 1, "unit": A, "note": None},
        {"month": "2024-02", "unit_id": 2, "unit": B, "note": None},
        {"month": "2024-03", "unit_id": None, "unit": None, "note": None},
        {"month": "2024-04", "unit_id": 3, "unit": C, "note": "换班"},
    ]
    text = council.ok("rotation", "show", "--from", "2024-01", "--to", "2024-02", "--format", "csv")
    rows = list(csv.reader(io.StringIO(text.stdout.lstrip("\ufeff"))))
    assert rows == [
        ["month", "unit_id", "unit", "note"],
        ["2024-01", "1", A, ""],
        ["2024-02", "2", B, ""],
    ]
    table = council.ok("rotation", "show", "--from", "2024-01", "--to", "2024-04")
    assert "Rotating secretary 2024-01 - 2024-04" in table.stdout
    assert "(gap)" in table.stdout
    assert "Gaps (no duty unit): 2024-03" in table.stdout
    assert table.stderr == (
        "1 month(s) without a duty unit; fill them with: "
        "beiwen rotation plan --from 2024-03 --months 1\n"
    )
    year = council.ok("rotation", "show", "--year", "2024", lang="zh")
    assert "轮值书记 2024" in year.stdout
    assert "（空缺）" in year.stdout and "第1季度" in year.stdout and "8月" in year.stdout
    assert "空缺（无轮值单位）：2024-03, 2024-05" in year.stdout
    # --from alone covers twelve months; --to alone the twelve months up to it
    assert len(schedule(council, "--from", "2024-03")) == 12
    assert schedule(council, "--to", "2024-02")[0]["month"] == "2023-03"


def test_show_defaults_to_this_year(council: Cli) -> None:
    entries = schedule(council)
    year = this_month()[:4]
    assert [e["month"] for e in entries] == [f"{year}-{m:02d}" for m in range(1, 13)]


def test_show_colours_gaps_red_on_a_terminal(council: Cli) -> None:
    from rich.console import Console

    from beiwen.render_rotation import month_list as _month_list

    console = Console(force_terminal=True, color_system="standard", width=120)
    with console.capture() as captured:
        console.print(
            _month_list([{"month": "2024-03", "unit_id": None, "unit": None, "note": None}])
        )
    assert "\x1b[1;31m(gap)" in captured.get()


def test_show_ics_parses_back_one_event_per_month(council: Cli, tmp_path: Path) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "11")
    council.ok("rotation", "assign", "2024-05", "3", "--note", "因工作安排对调")
    result = council.ok("rotation", "show", "--year", "2024", "--format", "ics")
    calendar = icalendar.Calendar.from_ical(result.stdout)
    events = calendar.walk("VEVENT")
    assert len(events) == 11  # December is a gap: no event
    starts = [event.decoded("dtstart") for event in events]
    assert [day.isoformat() for day in starts] == [f"2024-{m:02d}-01" for m in range(1, 12)]
    for event in events:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert add_months(month_of(start), 1) == month_of(end) and end.day == 1
        assert not hasattr(start, "hour")  # all-day
    assert len({str(event["uid"]) for event in events}) == 11
    assert str(events[0]["summary"]) == f"Rotating secretary: {A}"
    assert str(events[4]["summary"]) == f"Rotating secretary: {C}"
    assert str(events[4]["description"]) == "因工作安排对调"

    path = tmp_path / "rotation.ics"
    written = council.ok(
        "rotation", "show", "--year", "2024", "--format", "ics", "--output", str(path), lang="zh"
    )
    assert written.stdout == ""
    assert written.stderr == f"已写入 11 个日程到 {path}\n"
    assert path.read_bytes().startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")  # RFC 5545 CRLF
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(events[0]["summary"]) == f"轮值书记：{A}"
    assert str(icalendar.Calendar.from_ical(path.read_bytes())["x-wr-calname"]) == "轮值书记"


def test_show_ics_of_an_empty_range(council: Cli) -> None:
    result = council.ok("rotation", "show", "--year", "2019", "--format", "ics")
    assert icalendar.Calendar.from_ical(result.stdout).walk("VEVENT") == []
    assert "no month from 2019-01 to 2019-12 has a duty unit" in result.stderr


def test_current_names_this_and_next_month(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2024-03", "--months", "1")
    result = council.ok("rotation", "current", "--month", "2024/3", "--format", "json")
    assert json.loads(result.stdout) == [
        {"month": "2024-03", "unit_id": 1, "unit": A, "note": None},
        {"month": "2024-04", "unit_id": None, "unit": None, "note": None},
    ]
    table = council.ok("rotation", "current", "--month", "2024-03")
    assert "This month" in table.stdout and "Next month" in table.stdout
    assert A in table.stdout and "(gap)" in table.stdout
    council.ok("rotation", "plan", "--from", this_month(), "--months", "2")
    today = json.loads(council.ok("rotation", "current", "--format", "json").stdout)
    assert [e["month"] for e in today] == [this_month(), add_months(this_month(), 1)]
    assert [e["unit_id"] for e in today] == [2, 3]


def test_swap_moves_units_between_months(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "6")
    result = council.ok(
        "rotation", "swap", "2024-02", "2024年6月", "--note", "城管局六月有任务", "--format", "json"
    )
    assert json.loads(result.stdout) == [
        {"month": "2024-02", "unit_id": 3, "unit": C, "note": "城管局六月有任务"},
        {"month": "2024-06", "unit_id": 2, "unit": B, "note": "城管局六月有任务"},
    ]
    assert result.stderr.startswith("swapped 2024-02 and 2024-06\n")
    assert holders(council, "2024-01", "2024-06") == [1, 3, 3, 1, 2, 2]
    events = [e for e in history(council) if e["action"] == "swap"]
    assert [
        (e["month"], e["unit_id"], e["previous_unit_id"], e["other_month"], e["note"])
        for e in events
    ] == [
        ("2024-02", 3, 2, "2024-06", "城管局六月有任务"),
        ("2024-06", 2, 3, "2024-02", "城管局六月有任务"),
    ]
    assert events[0]["at"].startswith(now().date().isoformat())


def test_swap_warns_about_two_months_in_a_row(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "6")
    result = council.ok("rotation", "swap", "2024-02", "2024-06")
    assert result.stderr == (
        "swapped 2024-02 and 2024-06\n"
        f"note: {C} now holds two months in a row (2024-02 and 2024-03)\n"
        f"note: {B} now holds two months in a row (2024-05 and 2024-06)\n"
    )


def test_swap_of_months_with_the_same_unit_is_refused(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "6")
    result = council.fails("rotation", "swap", "2024-01", "2024-04")
    assert result.stderr == (
        f"Error: 2024-01 and 2024-04 are both held by {A}; there is nothing to swap\n"
    )


def test_assign_replaces_and_logs_and_is_idempotent(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "3")
    result = council.ok("rotation", "assign", "2024-03", A, "--note", "  临时调整  ")
    assert result.stderr == f"2024-03: {A}\n"
    assert schedule(council, "--from", "2024-03", "--to", "2024-03")[0] == {
        "month": "2024-03",
        "unit_id": 1,
        "unit": A,
        "note": "临时调整",
    }
    again = council.ok("rotation", "assign", "2024-03", "1")
    assert again.stderr == f"2024-03 is already held by {A}; nothing changed\n"
    events = history(council, "--month", "2024-03")
    assert [(e["action"], e["unit_id"], e["previous_unit_id"], e["note"]) for e in events] == [
        ("plan", 3, None, None),
        ("assign", 1, 3, "临时调整"),
    ]
    assert [e["id"] for e in history(council, "--unit", C)] == [3, 4]


def test_assign_warns_about_two_months_in_a_row(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "3")
    result = council.ok("rotation", "assign", "2024-02", A)
    assert result.stderr == (
        f"2024-02: {A}\nnote: {A} now holds two months in a row (2024-01 and 2024-02)\n"
    )


def test_assign_refuses_retired_units_after_they_retired(council: Cli) -> None:
    council.ok("units", "retire", "3")
    result = council.fails("rotation", "assign", add_months(this_month(), 2), C)
    assert result.stderr == (
        f"Error: unit 3 ({C}) retired in {this_month()}; it can only hold months before that\n"
    )
    # history of earlier years may still name it
    council.ok("rotation", "assign", "2020-05", C, "--note", "补录")
    assert holders(council, "2020-05", "2020-05") == [3]


def test_unassign_leaves_a_gap(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "2")
    result = council.ok("rotation", "unassign", "2024-02", "--note", "待定")
    assert result.stderr == "2024-02 now has no duty unit\n"
    assert holders(council, "2024-01", "2024-02") == [1, None]
    last = history(council)[-1]
    assert (last["action"], last["unit_id"], last["previous_unit_id"], last["note"]) == (
        "unassign",
        None,
        2,
        "待定",
    )


def test_order_changes_who_comes_next(council: Cli) -> None:
    listed = json.loads(council.ok("rotation", "order", "--format", "json").stdout)
    assert [row["id"] for row in listed] == [1, 2, 3]
    result = council.ok("rotation", "order", C, "1", "--format", "json")
    assert [(row["position"], row["id"]) for row in json.loads(result.stdout)] == [
        (1, 3),
        (2, 1),
        (3, 2),
    ]
    assert result.stderr == "rotation order saved; months already planned keep their units\n"
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "4")
    assert holders(council, "2024-01", "2024-04") == [3, 1, 2, 3]
    # a unit that joins later queues at the end
    add_unit(council, "司法局", "--council")
    ids = [
        row["id"] for row in json.loads(council.ok("rotation", "order", "--format", "json").stdout)
    ]
    assert ids == [3, 1, 2, 5]
    units = json.loads(council.ok("units", "list", "--council", "--format", "json").stdout)
    assert [unit["id"] for unit in units] == [3, 1, 2, 5]


def test_retiring_a_unit_leaves_its_future_months_as_gaps(council: Cli) -> None:
    start = add_months(this_month(), -1)
    council.ok("rotation", "plan", "--from", start, "--months", "7")
    before = holders(council, start, add_months(start, 6))
    assert before == [1, 2, 3, 1, 2, 3, 1]
    result = council.ok("units", "retire", A)
    later = [add_months(start, 3), add_months(start, 6)]
    assert result.stderr == (
        f"retired unit 1 ({A})\n"
        f"{A} held these later months, now without a duty unit: {', '.join(later)}\n"
        f"plan them again with: beiwen rotation plan --from {later[0]} --months 4 --replace "
        "(without --replace only the gaps are filled)\n"
    )
    # the past month and the current month (which has begun) stay with it
    assert holders(council, start, add_months(start, 6)) == [1, 2, 3, None, 2, 3, None]
    gaps = [e for e in history(council) if e["action"] == "unassign"]
    assert [(e["month"], e["previous_unit_id"], e["note"]) for e in gaps] == [
        (month, 1, "the unit retired") for month in later
    ]
    # filling the gaps plans only them, with the units still on the council
    council.ok("rotation", "plan", "--from", later[0], "--months", "4")
    after = holders(council, start, add_months(start, 6))
    assert after[:3] == [1, 2, 3] and None not in after and 1 not in after[3:]


def test_leaving_the_council_leaves_gaps_too(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", add_months(this_month(), 1), "--months", "3")
    result = council.ok("units", "edit", B, "--no-council", lang="zh")
    month = add_months(this_month(), 2)
    assert result.stderr == (
        "已更新单位 2\n"
        f"{B} 原轮值的以下月份现已空缺：{month}\n"
        f"重新排班：beiwen rotation plan --from {month} --months 1 --replace"
        "（不加 --replace 则只补空缺）\n"
    )
    assert history(council)[-1]["note"] == "单位已退出联席会"
    replanned = council.ok("rotation", "plan", "--from", month, "--months", "1", "--replace")
    assert "1 month(s) assigned" in replanned.stderr
    assert holders(council, month, month) == [3]


def test_retiring_a_unit_without_future_months_says_nothing_more(council: Cli) -> None:
    council.ok("rotation", "plan", "--from", "2020-01", "--months", "3")
    result = council.ok("units", "retire", "1")
    assert result.stderr == f"retired unit 1 ({A})\n"
    assert holders(council, "2020-01", "2020-01") == [1]


def test_demo_plans_2024_and_2025(demo: Cli) -> None:
    demo = demo
    year = schedule(demo, "--year", "2024")
    assert len(year) == 12 and all(entry["unit_id"] is not None for entry in year)
    assert year[7] == {"month": "2024-08", "unit_id": 8, "unit": "北碚区总工会", "note": None}
    both = schedule(demo, "--from", "2024-01", "--to", "2025-12")
    counts = Counter(entry["unit_id"] for entry in both)
    assert sorted(counts) == list(range(1, 19))
    assert set(counts.values()) == {1, 2}
    assert all(both[i]["unit_id"] != both[i + 1]["unit_id"] for i in range(23))
    from beiwen.db import open_db
    from beiwen.services.rotation import duty_unit_for, duty_units

    conn = open_db(demo.db)
    try:
        assert duty_unit_for(conn, "2024-08") == {
            "month": "2024-08",
            "unit_id": 8,
            "unit": "北碚区总工会",
            "note": None,
        }
        assert duty_unit_for(conn, "2019-08") is None
        assert [row["month"] for row in duty_units(conn, "2024-11", "2025-02")] == [
            "2024-11",
            "2024-12",
            "2025-01",
            "2025-02",
        ]
    finally:
        conn.close()


def test_every_command_has_help(cli: Cli) -> None:
    cli = cli
    for command in ("plan", "show", "current", "swap", "assign", "unassign", "order", "history"):
        result = cli.ok("rotation", command, "--help")
        assert "Usage:" in result.stdout


def test_plan_replans_future_months_of_units_taken_off_by_an_import(
    council: Cli, tmp_path: Path
) -> None:
    start = add_months(this_month(), 1)
    council.ok("rotation", "plan", "--from", start, "--months", "3")
    roster = tmp_path / "roster.csv"
    roster.write_text(f"名称,单位类型,联席会成员\n{A},agency,否\n", encoding="utf-8")
    council.ok("units", "import", str(roster))
    # the import took unit 1 off the council without freeing its month
    assert holders(council, start, add_months(start, 2)) == [1, 2, 3]
    result = council.ok("rotation", "plan", "--from", start, "--months", "3")
    assert result.stderr == (
        f"planned {start} to {add_months(start, 2)}: 1 month(s) assigned, 2 kept\n"
        f"planned anew, their units are no longer on the council: {start}\n"
    )
    # the month before it (this month) is a gap, unit 2 follows: unit 3 takes the turn
    assert holders(council, start, add_months(start, 2)) == [3, 2, 3]


def test_swap_refuses_to_move_a_retired_unit_into_a_later_month(council: Cli) -> None:
    council.ok("rotation", "assign", "2020-01", A)
    later = add_months(this_month(), 1)
    council.ok("rotation", "assign", later, B)
    council.ok("units", "retire", A)
    before = table_counts(council.db)
    result = council.fails("rotation", "swap", "2020-01", later)
    assert result.stderr == (
        f"Error: unit 1 ({A}) is no longer an active council member; it cannot take {later}\n"
    )
    assert table_counts(council.db) == before


def test_show_writes_json_and_csv_files(council: Cli, tmp_path: Path) -> None:
    council.ok("rotation", "plan", "--from", "2024-01", "--months", "2")
    path = tmp_path / "rotation.json"
    result = council.ok(
        "rotation", "show", "--year", "2024", "--format", "json", "--output", str(path)
    )
    assert result.stdout == ""
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data) == 12 and data[1] == {
        "month": "2024-02",
        "unit_id": 2,
        "unit": B,
        "note": None,
    }
    path = tmp_path / "rotation.csv"
    council.ok("rotation", "show", "--year", "2024", "--format", "csv", "--output", str(path))
    assert path.read_text(encoding="utf-8-sig").splitlines()[1] == f"2024-01,1,{A},"
