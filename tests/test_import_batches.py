"""The compiled import pipeline writes a batch at a time (services.importing.BATCH_ROWS) and
must decide every row as if the rows before it were written: a row that changes a unit the
same file added, a name two rows of the file made ambiguous, a rename by credit code; the
import history names each change's line, and undo takes it all back. Every case is run with
batches of one row, of two rows (boundaries inside the file) and of the default size."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from beiwen.parsing import credit_code_check_char
from beiwen.services import importing
from conftest import Cli


def code_for(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


CODE_1 = code_for("92500109MA5U2QAX6")
CODE_2 = code_for("91500109MA60LJ0G1")
CODE_3 = code_for("92500109L12345678")
SIZES = [1, 2, importing.BATCH_ROWS]


def roster(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(["code,name,phone", *rows]) + "\n", encoding="utf-8")
    return path


def units(cli: Cli) -> list[tuple[int, str | None, str, str | None]]:
    with sqlite3.connect(cli.db) as conn:
        return conn.execute("SELECT id, code, name, phone FROM units ORDER BY id").fetchall()


def changes(cli: Cli) -> set[tuple[int, str, int]]:
    with sqlite3.connect(cli.db) as conn:
        found = conn.execute(
            "SELECT line, action, row_id FROM import_changes WHERE table_name = 'units'"
        ).fetchall()
    return {tuple(row) for row in found}


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


@pytest.mark.parametrize("size", SIZES)
def test_rows_see_the_rows_before_them(
    ready: Cli, tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_ROWS", size)
    rows = [
        f"{CODE_1},甲店,13800000001",  # line 2: a new unit
        ",甲店,13800000002",  # line 3: no code, the one unit of that name: line 2's
        f"{CODE_2},乙店,13800000003",  # line 4: new
        f"{CODE_3},乙店,13800000004",  # line 5: another code, so another unit
    ]
    bad = roster(tmp_path, "bad.csv", [*rows, ",乙店,13800000005"])
    before = dump(ready.db)
    assert ready.fails("units", "import", str(bad)).stderr.splitlines()[1] == (
        'line 6: name: "乙店" matches 2 units (ids 2, 3); add the credit code column, '
        "or rename one with: beiwen units edit ID --name NEW"
    )
    assert dump(ready.db) == before
    good = roster(tmp_path, "good.csv", rows)
    result = ready.ok("units", "import", str(good))
    assert result.stdout == "3 inserted, 1 updated, 0 unchanged, 0 rejected\n"
    assert units(ready) == [
        (1, CODE_1, "甲店", "13800000002"),
        (2, CODE_2, "乙店", "13800000003"),
        (3, CODE_3, "乙店", "13800000004"),
    ]
    assert changes(ready) == {
        (2, "insert", 1),
        (3, "update", 1),
        (4, "insert", 2),
        (5, "insert", 3),
    }
    ready.ok("imports", "undo", "1")
    assert units(ready) == []


@pytest.mark.parametrize("size", SIZES)
def test_a_rename_by_code_frees_the_old_name(
    ready: Cli, tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_ROWS", size)
    ready.ok("units", "import", str(roster(tmp_path, "first.csv", [f"{CODE_1},旧名,13800000001"])))
    second = roster(
        tmp_path,
        "second.csv",
        [
            f"{CODE_1},新名,13800000001",  # line 2: renamed by its code
            ",旧名,13800000002",  # line 3: the old name is free now: a new unit
            ",新名,13800000003",  # line 4: the renamed unit, found by its new name
        ],
    )
    result = ready.ok("units", "import", str(second))
    assert result.stdout == "1 inserted, 2 updated, 0 unchanged, 0 rejected\n"
    assert units(ready) == [(1, CODE_1, "新名", "13800000003"), (2, None, "旧名", "13800000002")]
    with sqlite3.connect(ready.db) as conn:
        lines = conn.execute(
            "SELECT line, action, row_id FROM import_changes WHERE import_id = 2 "
            "AND table_name = 'units' ORDER BY line"
        ).fetchall()
    assert lines == [(2, "update", 1), (3, "insert", 2), (4, "update", 1)]
    ready.ok("imports", "undo", "2")
    assert units(ready) == [(1, CODE_1, "旧名", "13800000001")]


@pytest.mark.parametrize("size", SIZES)
def test_a_duplicate_key_names_its_first_line_across_batches(
    ready: Cli, tmp_path: Path, size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "BATCH_ROWS", size)
    path = roster(
        tmp_path,
        "dup.csv",
        [f"{CODE_1},甲店,", ",乙店,", ",丙店,", f"{CODE_1},丁店,", ",乙店,"],
    )
    assert ready.fails("units", "import", str(path)).stderr.splitlines()[1:] == [
        f'line 5: code: "{CODE_1}" already appears on line 2',
        'line 6: name: "乙店" already appears on line 3',
    ]
    assert units(ready) == []
