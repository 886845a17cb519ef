"""Tables fit the screen: at 80 and 120 columns every list shows the columns that fit, in
their order of importance, wraps text instead of cutting it, and shows times as
`2024-08-03 09:30`; `--wide` shows every column; a very narrow screen gets one block per
record (issue 14, item 5)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from beiwen import render
from conftest import Cli

LISTS = [
    ("issue", "list", "--month", "2024-08"),
    ("units", "list", "--kind", "merchant"),
    ("units", "list", "--council"),
    ("grid", "member", "list"),
    ("grid", "list"),
    ("course", "list"),
    ("course", "class", "list"),
    ("activity", "list", "--year", "2024"),
    ("rotation", "show", "--year", "2024"),
    ("report", "--month", "2024-08"),
    ("report", "--month", "2024-08", "--compare"),
    ("report", "--year", "2024"),
]


@pytest.fixture(autouse=True)
def not_wide() -> None:
    render.WIDE = False  # the root's --wide sets it for the rest of a process


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("args", LISTS, ids=lambda args: " ".join(args))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_list_fits_the_screen_and_cuts_nothing(
    demo: Cli, args: tuple[str, ...], columns: int, lang: str
) -> None:
    page = demo.ok(*args, lang=lang, columns=columns).stdout
    lines = page.splitlines()
    assert lines, args
    widest = max(cell_len(line) for line in lines)
    assert widest <= columns, (widest, page)
    assert "…" not in page, page  # wrapped, never cut to three characters


def test_the_report_keeps_its_first_columns_and_wide_shows_all(demo: Cli) -> None:
    narrow = demo.ok("report", "--month", "2024-08", lang="zh", columns=80).stdout
    departments = narrow[narrow.index("部门吹哨报到情况") :]
    header = departments.splitlines()[2]
    for heading in ("排名", "部门", "得分", "吹哨"):  # ranked by its score: the score stays
        assert heading in header
    assert "报到时长中位数" not in header  # the rates and hours give way first
    wide = demo.ok("report", "--month", "2024-08", "--wide", lang="zh", columns=80).stdout
    header = wide[wide.index("部门吹哨报到情况") :].splitlines()[2]
    assert "报到时长中位数" in header and "满意" in header


def test_times_are_shown_as_date_and_minute(demo: Cli) -> None:
    page = demo.ok("issue", "list", "--month", "2024-08", lang="zh", columns=120).stdout
    assert "2024-08-02 09:30" in page
    assert "T09:30" not in page and "+08:00" not in page
    shown = demo.ok("issue", "show", "38", lang="zh", columns=120).stdout
    assert "2024-08-02 09:30" in shown and "+08:00" not in shown
    listed = demo.ok("issue", "list", "--month", "2024-08", "--format", "json").stdout
    assert "2024-08-02T09:30:00+08:00" in listed  # JSON keeps the stored form


def test_the_most_important_columns_stay_and_wide_shows_all(demo: Cli) -> None:
    args = ("issue", "list", "--month", "2024-08")
    narrow = demo.ok(*args, lang="zh", columns=80).stdout
    for heading in ("工单号", "类别", "标题", "状态"):
        assert heading in narrow
    assert "办理期限" not in narrow  # the least important columns give way first
    narrower = demo.ok(*args, lang="zh", columns=40).stdout
    header = next(line for line in narrower.splitlines() if "工单号" in line)
    assert "标题" in header and "状态" in header and "上报时间" not in header
    wide = demo.ok(*args, "--wide", lang="zh", columns=80).stdout
    header = next(line for line in wide.splitlines() if "工单号" in line)
    for heading in ("工单号", "上报时间", "类别", "网格", "标题", "状态", "承办单位", "办理期限"):
        assert heading in header  # every column, each heading whole on one line
    assert "流动摊贩占用步行街中心通道" in wide


def test_a_very_narrow_screen_gets_one_block_per_record(demo: Cli) -> None:
    page = demo.ok("issue", "list", "--month", "2024-08", lang="zh", columns=28).stdout
    assert "┃" not in page and "│" not in page
    assert "工单号：38" in page
    assert "上报时间：2024-08-02 09:30" in page
    assert "标题：流动摊贩占用步行街" in page
    assert max(cell_len(line) for line in page.splitlines()) <= 28


def test_whole_titles_survive_at_80_columns(demo: Cli) -> None:
    title = "流动摊贩占用步行街中心通道"
    page = demo.ok("issue", "list", "--month", "2024-08", lang="zh", columns=80).stdout
    # Wrapped over several lines of its cell, every character is there, in order.
    cells = [line.split("│")[5].strip() for line in page.splitlines() if line.count("│") > 5]
    joined = "".join(cells)
    assert title in joined
