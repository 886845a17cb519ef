"""`beiwen imports list` and `beiwen imports undo` (issue 16, item 5) through the real CLI:
every import is recorded with its file, SHA-256 and counts; undo puts the database back
exactly as it was before the import, or refuses (listing the rows changed since, by line)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Cli

# What undo leaves as it is on purpose: the history itself, and the AUTOINCREMENT counter
# (a work-order number once given is never given again, not even after an undo).
NOT_COMPARED = ("imports", "import_changes", "sqlite_sequence", "_sqlite_migrations")


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (rowids included), in rowid order; the search index by its
    documents (the FTS5 shadow tables are its internals: an undo may store the same
    documents in other segments)."""
    conn = sqlite3.connect(path)
    try:
        names = [
            row[1]
            for row in conn.execute("PRAGMA main.table_list")
            if row[2] in ("table", "virtual")
            and row[1] not in NOT_COMPARED
            and not row[1].startswith("sqlite_")  # the schema itself
        ]
        return {
            name: conn.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall()
            for name in sorted(names)
        }
    finally:
        conn.close()


def history(cli: Cli) -> list[dict[str, Any]]:
    found = json.loads(cli.ok("imports", "list", "--format", "json").stdout)
    assert isinstance(found, list)
    return found


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


UNITS = [
    "商户名称,业态,经营地址,网格",
    "嘉陵小面馆,餐饮,北碚区中山路1号,1",
    "缙云茶社,零售,北碚区中山路2号,2",
]
MEMBERS = ["姓名,角色,网格,电话", "韩磊,网格员,1,13946149626", "吴洋涛,志愿者,2,15156609091"]
ISSUES = [
    "标题,类别,网格,上报时间,状态,解决时间",
    "占道经营,占道经营,1,2024-08-03 09:30,已解决,2024-08-04 10:00",
    "噪音扰民,其他,2,2024-08-05 14:00,待派单,",
]
ACTIVITIES = [
    "活动名称,活动类型,日期,参与人数",
    "政策宣讲进商圈,政策宣讲,2024-08-10,30",
    "消费维权志愿服务,志愿服务,2024-08-15,45",
]
IMPORTS = {
    "units": (("units", "import"), UNITS, "units"),
    "members": (("grid", "member", "import"), MEMBERS, "people"),
    "issues": (("issue", "import"), ISSUES, "issues"),
    "activities": (("activity", "import"), ACTIVITIES, "activities"),
}


# --- the history ---------------------------------------------------------------------------


def test_each_import_is_listed_with_its_file_sha256_and_counts(ready: Cli, tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "merchants.csv", UNITS)
    assert history(ready) == []
    ready.ok("units", "import", str(roster))
    [entry] = history(ready)
    assert {key: entry[key] for key in ("id", "kind", "file", "inserted", "updated")} == {
        "id": 1,
        "kind": "units",
        "file": str(roster),
        "inserted": 2,
        "updated": 0,
    }
    assert entry["sha256"] == hashlib.sha256(roster.read_bytes()).hexdigest()
    assert entry["undone"] is False and entry["at"].endswith("+08:00")
    # The same file again: every row matches, nothing changes, nothing is recorded.
    assert "0 inserted, 0 updated, 2 unchanged" in ready.ok("units", "import", str(roster)).stdout
    assert len(history(ready)) == 1
    one_more = write_csv(tmp_path / "more.csv", [*UNITS, "北温泉书店,零售,北碚区温泉路8号,3"])
    ready.ok("units", "import", str(one_more))
    assert [(e["id"], e["inserted"], e["unchanged"]) for e in history(ready)][1] == (2, 1, 2)
    table = ready.ok("imports", "list").stdout
    assert "merchants.csv" in table and "units" in table
    assert "单位" in ready.ok("imports", "list", lang="zh").stdout


def test_a_dry_run_or_a_refused_import_records_nothing(ready: Cli, tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "merchants.csv", UNITS)
    ready.ok("units", "import", str(roster), "--dry-run")
    bad = write_csv(tmp_path / "bad.csv", ["商户名称,网格", "好店,1", "坏店,99"])
    ready.fails("units", "import", str(bad))
    assert history(ready) == []


# --- undo ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(IMPORTS))
def test_undo_puts_the_database_back_as_it_was(ready: Cli, tmp_path: Path, name: str) -> None:
    command, lines, kind = IMPORTS[name]
    ready.ok("units", "add", "北碚区市场监督管理局", "--kind", "agency")
    before = snapshot(ready.db)
    ready.ok(*command, str(write_csv(tmp_path / f"{name}.csv", lines)))
    assert snapshot(ready.db) != before
    [entry] = history(ready)
    assert (entry["kind"], entry["inserted"]) == (kind, 2)
    dry = ready.ok("imports", "undo", "1", "--dry-run").stdout
    assert dry.startswith("dry run, nothing written: undoing import 1")
    assert snapshot(ready.db) != before  # a dry run changes nothing
    result = ready.ok("imports", "undo", "1")
    assert result.stdout.startswith(f"import 1 ({tmp_path / name}.csv) undone: ")
    assert snapshot(ready.db) == before
    assert history(ready)[0]["undone"] is True


def test_undo_of_a_work_order_import_removes_its_timeline(ready: Cli, tmp_path: Path) -> None:
    """The events are append-only for every command; undo takes the import's own away."""
    before = snapshot(ready.db)
    ready.ok("issue", "import", str(write_csv(tmp_path / "orders.csv", ISSUES)))
    assert len(snapshot(ready.db)["issue_events"]) > 2
    ready.ok("imports", "undo", "1")
    assert snapshot(ready.db) == before
    # The numbers given stay given: the next work order does not take number 1 again.
    assert ready.ok("issue", "add", "井盖缺失", "--category", "safety").stdout.strip() == "3"


def test_undo_restores_the_previous_values_of_updated_rows(ready: Cli, tmp_path: Path) -> None:
    ready.ok("units", "add", "嘉陵小面馆", "--kind", "merchant", "--address", "旧地址")
    before = snapshot(ready.db)
    result = ready.ok("units", "import", str(write_csv(tmp_path / "m.csv", UNITS)))
    assert "1 inserted, 1 updated" in result.stdout
    shown = json.loads(ready.ok("units", "show", "嘉陵小面馆", "--format", "json").stdout)
    assert shown["address"] == "北碚区中山路1号"
    assert "1 rows deleted, 1 restored" in ready.ok("imports", "undo", "1").stdout
    assert snapshot(ready.db) == before


def test_undo_after_a_partial_change_is_refused_listing_the_lines(
    ready: Cli, tmp_path: Path
) -> None:
    roster = write_csv(tmp_path / "merchants.csv", UNITS)
    ready.ok("units", "import", str(roster))
    ready.ok("units", "edit", "缙云茶社", "--address", "北碚区中山路3号")
    changed = snapshot(ready.db)
    for lang, first, line in (
        ("en", "Error: Import 1 cannot be undone; nothing was changed:", "line 3 (units row 2)"),
        ("zh", "错误：导入 1 不能撤销，未做任何更改：", "第 3 行（单位第 2 条）"),
    ):
        result = ready.fails("imports", "undo", "1", lang=lang)
        lines = result.stderr.splitlines()
        assert lines[0] == first
        assert len(lines) == 2 and lines[1].startswith(line), lines  # line 2 is unchanged
    ready.fails("imports", "undo", "1", "--dry-run")
    assert snapshot(ready.db) == changed
    assert history(ready)[0]["undone"] is False


def test_undo_is_refused_while_a_later_row_refers_to_an_imported_one(
    ready: Cli, tmp_path: Path
) -> None:
    ready.ok("units", "import", str(write_csv(tmp_path / "m.csv", UNITS)))
    ready.ok("issue", "add", "油烟扰民", "--category", "other", "--unit", "嘉陵小面馆")
    changed = snapshot(ready.db)
    result = ready.fails("imports", "undo", "1")
    assert "issues row 1 refers to a row of units that the import added" in result.stderr
    assert snapshot(ready.db) == changed


def test_undo_twice_and_unknown_imports_are_refused(ready: Cli, tmp_path: Path) -> None:
    ready.ok("units", "import", str(write_csv(tmp_path / "m.csv", UNITS)))
    ready.ok("imports", "undo", "1")
    again = ready.fails("imports", "undo", "1")
    assert again.stderr.startswith("Error: Import 1 was already undone at ")
    assert ready.fails("imports", "undo", "7").stderr == (
        "Error: No import 7; see beiwen imports list\n"
    )
    refused = ready.fails("imports", "undo", "7", lang="zh").stderr
    assert refused.startswith("错误：找不到导入记录 7")


def test_an_older_import_can_be_undone_once_the_later_one_is(ready: Cli, tmp_path: Path) -> None:
    before = snapshot(ready.db)
    ready.ok("units", "import", str(write_csv(tmp_path / "a.csv", UNITS)))
    second = ["商户名称,业态,经营地址,网格", "嘉陵小面馆,餐饮,北碚区新址9号,1"]
    ready.ok("units", "import", str(write_csv(tmp_path / "b.csv", second)))
    assert "line 2 (units row 1)" in ready.fails("imports", "undo", "1").stderr
    ready.ok("imports", "undo", "2")
    ready.ok("imports", "undo", "1")
    assert snapshot(ready.db) == before


def test_demo_imports_are_in_the_history(demo: Cli) -> None:
    kinds = [entry["kind"] for entry in history(demo)]
    assert kinds == [
        "grids", "units", "units", "issues", "people", "courses", "classes", "activities",
        "needs", "resources", "party", "meetings", "decisions", "service_records",
    ]  # fmt: skip
    before = snapshot(demo.db)
    demo.ok("imports", "undo", "14")  # the service records: nothing refers to them
    after = snapshot(demo.db)
    assert after["service_records"] == [] and before["service_records"]
    assert after["activities"] == before["activities"]


# --- the property: import, then undo, is no change at all ----------------------------------

NAMES = st.sampled_from(["面馆", "茶社", "书店", "花店", "药房", "超市", "火锅店", "理发店"])
UNIT_ROWS = st.lists(
    st.tuples(
        NAMES,
        st.sampled_from(["", "餐饮", "零售", "生活服务"]),
        st.text(alphabet="中山路一二三号", max_size=6),
        st.sampled_from(["", "1", "2", "3"]),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda row: row[0],
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=UNIT_ROWS, second=UNIT_ROWS)
def test_import_then_undo_leaves_the_database_as_it_was(
    ready: Cli, tmp_path: Path, first: list[tuple[str, ...]], second: list[tuple[str, ...]]
) -> None:
    """Whatever the file (new rows, rows that update stored ones, rows left unchanged), an
    import followed by its undo leaves every table's rows exactly as they were."""
    header = "商户名称,业态,经营地址,网格"
    for rows in (first, second):  # the second import meets what the first one left
        before = snapshot(ready.db)
        roster = write_csv(tmp_path / "roster.csv", [header, *(",".join(row) for row in rows)])
        known = len(history(ready))
        ready.ok("units", "import", str(roster))
        recorded = history(ready)
        if len(recorded) == known:  # every row matched: nothing changed, nothing to undo
            assert snapshot(ready.db) == before
        else:
            ready.ok("imports", "undo", str(recorded[-1]["id"]))
            assert snapshot(ready.db) == before
        ready.ok("units", "import", str(roster))  # and kept, for the next round
