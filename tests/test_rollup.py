"""`beiwen rollup`: several committees' files, one row each and a total row (issue 22).

The files, built once for the module through the CLI and the migrations' own helpers:
  嘉陵.db    the demo (`init --demo`), its committee named with `settings set org.name`
  缙云.db    the demo plus orders of its own in August: one handled late, one still open
             and overdue, one voided (counted nowhere), one closed unsatisfied
  新建.db    `init` and six grids, one order in 2023: nothing in 2024
  旧版.db    the demo's rows in a file at m001 (the first release: no corrections columns,
             no settings), made with `migrations.apply_pending(steps=[m001_schema])`
  m005.db    the same at m005 (no report-in limits, no settings)
Every figure of a row is compared with `beiwen report --format json` of a copy of that file
(the report upgrades an old file; the rollup must not), the totals with the sums.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, older_copy

PERIODS = (
    ("--month", "2024-08"),
    ("--year", "2024"),
    ("--from", "2024-07-15", "--to", "2024-09-10"),
)


def copy_database(source: Path, target: Path) -> None:
    origin = sqlite3.connect(source)
    copy = sqlite3.connect(target)
    origin.backup(copy)
    origin.close()
    copy.close()


def add(cli: Cli, title: str, category: str, grid: str, at: str) -> str:
    return cli.ok(
        "issue", "add", title, "--category", category, "--grid", grid, "--reported-at", at
    ).stdout.strip()


@pytest.fixture(scope="module")
def folder(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("rollup")
    jialing = here / "嘉陵.db"
    copy_database(demo_template, jialing)
    Cli(jialing).ok("settings", "set", "org.name", "嘉陵风情步行街商圈党委")
    jinyun = here / "缙云.db"
    copy_database(demo_template, jinyun)
    cli = Cli(jinyun)
    late = add(cli, "占道经营", "vendor", "1", "2024-08-05 09:00")
    cli.ok("issue", "resolve", late, "--note", "已清理", "--at", "2024-08-28 09:00")
    cli.ok("issue", "close", late, "--satisfaction", "unsatisfied", "--at", "2024-08-29 09:00")
    add(cli, "电梯停运", "property", "2", "2024-08-10 09:00")  # open and overdue at the end
    mistake = add(cli, "录错了", "other", "3", "2024-08-11 09:00")
    cli.ok("issue", "void", mistake, "--note", "手误")
    fresh = here / "新建.db"
    cli = Cli(fresh)
    cli.ok("init")
    for number in range(1, 7):
        cli.ok("grid", "add", str(number), f"第{number}网格")
    add(cli, "去年的工单", "vendor", "1", "2023-05-05 09:00")
    older_copy(demo_template, here / "旧版.db", 1)
    older_copy(jinyun, here / "m005.db", 5)
    for path in here.iterdir():  # the files as they are kept: no -wal or -shm beside them
        if path.suffix == ".db":
            conn = sqlite3.connect(path)
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.close()
    return here


FILES = ("嘉陵.db", "缙云.db", "新建.db", "旧版.db", "m005.db")
OLDER = ("旧版.db", "m005.db")


def paths(folder: Path, names: tuple[str, ...] = FILES) -> list[str]:
    return [str(folder / name) for name in names]


def state(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file of `folder`: its size and the SHA-256 of its bytes."""
    return {
        entry.name: (entry.stat().st_size, hashlib.sha256(entry.read_bytes()).hexdigest())
        for entry in sorted(folder.iterdir())
        if entry.is_file()
    }


def look(path: Path) -> sqlite3.Connection:
    """A look at `path` that leaves nothing beside it (immutable: no -wal, no -shm)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)


def applied(path: Path) -> list[str]:
    conn = look(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()


def rollup(folder: Path, *args: str, lang: str = "en") -> Any:
    result = Cli(folder / "unused.db").ok("rollup", *args, "--format", "json", lang=lang)
    return json.loads(result.stdout)


# The files the older ones took their rows from. `beiwen report` of an older file would
# upgrade it first, and upgrading through m013_search takes minutes on the demo's rows today;
# the upgraded file holds the same rows as its source and NULL in m002's columns, so its
# report is its source's.
SOURCE_OF = {"旧版.db": "嘉陵.db", "m005.db": "缙云.db"}


def own_report(folder: Path, name: str, period: tuple[str, ...], scratch: Path) -> Any:
    """`beiwen report` of a copy of the file (of its source, for an older file)."""
    name = SOURCE_OF.get(name, name)
    copy = scratch / f"copy-{name}"
    copy.unlink(missing_ok=True)
    copy_database(folder / name, copy)
    return json.loads(Cli(copy).ok("report", *period, "--format", "json").stdout)


@pytest.mark.parametrize("period", PERIODS, ids=["month", "year", "range"])
def test_every_figure_equals_the_files_own_report(
    folder: Path, period: tuple[str, ...], tmp_path: Path
) -> None:
    data = rollup(folder, *period, *paths(folder))
    assert [row["file"] for row in data["committees"]] == paths(folder)
    for name, row in zip(FILES, data["committees"], strict=True):
        report = own_report(folder, name, period, tmp_path)
        issues = report["issues"]
        for key in ("collected", "handled", "overdue", "handling_rate", "on_time_rate"):
            assert row["issues"][key] == issues[key], (name, key)
        assert row["issues"]["satisfaction_rate"] == issues["satisfaction_rate"]
        for key in ("handling_rate", "on_time_rate", "satisfaction_rate"):
            assert row["issues"]["fractions"][key] == issues["fractions"][key], (name, key)
        kinds = report["activities"]["by_kind"].values()
        assert row["activities"] == {
            "count": report["activities"]["count"],
            "participants": sum(kind["participants"] for kind in kinds),
            "enterprises_served": sum(kind["enterprises_served"] for kind in kinds),
        }
        assert row["courses"] == {
            "classes": report["courses"]["classes"],
            "attendance": report["courses"]["attendance"],
        }
        if name in OLDER:  # no needs or projects before m009_lists (the report's copy: zeros)
            assert row["lists"] is None
        else:
            assert row["lists"] == report["lists"]
        assert data["period"] == report["period"]


def test_the_rows_differ_where_the_files_do(folder: Path) -> None:
    rows = {
        row["file"]: row
        for row in rollup(folder, "--month", "2024-08", *paths(folder))["committees"]
    }
    jialing, jinyun, fresh, old, m005 = (rows[path] for path in paths(folder))
    assert jialing["name"] == "嘉陵风情步行街商圈党委"  # from its settings
    assert jinyun["name"] == "缙云" and old["name"] == "旧版"  # else the file's name
    # 缙云 has two orders more than the demo (the voided one counts nowhere), one overdue.
    assert jinyun["issues"]["collected"] == jialing["issues"]["collected"] + 2
    assert jinyun["issues"]["overdue"] == jialing["issues"]["overdue"] + 1
    assert old["issues"] == jialing["issues"]  # the same rows, read at m001
    assert m005["issues"] == jinyun["issues"]  # 缙云's rows at m005 (its void kept: m002 is in)
    assert fresh["issues"]["collected"] == 0
    assert fresh["issues"]["handling_rate"] is None  # 0/0: no rate
    assert fresh["issues"]["fractions"]["handling_rate"] == [0, 0]
    assert (old["schema"], old["schema_current"]) == ("m001_schema", False)
    assert jialing["schema_current"] is True


@pytest.mark.parametrize("period", PERIODS[:2], ids=["month", "year"])
def test_totals_are_sums_of_numerators_and_denominators(
    folder: Path, period: tuple[str, ...]
) -> None:
    data = rollup(folder, *period, *paths(folder))
    rows, total = data["committees"], data["total"]
    for key in ("collected", "handled", "overdue"):
        assert total[key] == sum(row["issues"][key] for row in rows)
    for key in ("handling_rate", "on_time_rate", "satisfaction_rate"):
        numerator = sum(row["issues"]["fractions"][key][0] for row in rows)
        denominator = sum(row["issues"]["fractions"][key][1] for row in rows)
        assert total["fractions"][key] == [numerator, denominator]
        assert total[key] == round(numerator / denominator, 4)
    assert total["activities"] == sum(row["activities"]["count"] for row in rows)
    assert total["participants"] == sum(row["activities"]["participants"] for row in rows)
    assert total["classes"] == sum(row["courses"]["classes"] for row in rows)
    assert total["attendance"] == sum(row["courses"]["attendance"] for row in rows)
    assert total["committees"] == len(FILES)
    with_lists = [row["lists"] for row in rows if row["lists"] is not None]
    assert len(with_lists) == 3  # the current files; not those at m001 and m005
    assert total["lists"] == {key: sum(lists[key] for lists in with_lists) for key in with_lists[0]}


def test_a_rate_of_totals_is_not_an_average_of_rates(folder: Path) -> None:
    data = rollup(folder, "--month", "2024-08", *paths(folder, ("嘉陵.db", "缙云.db")))
    rates = [row["issues"]["on_time_rate"] for row in data["committees"]]
    assert rates[0] != rates[1]
    on_time, due = data["total"]["fractions"]["on_time_rate"]
    assert data["total"]["on_time_rate"] == round(on_time / due, 4)
    assert data["total"]["on_time_rate"] != round(sum(rates) / 2, 4)


def test_nothing_is_written_and_no_file_is_upgraded(folder: Path, tmp_path: Path) -> None:
    before = state(folder)
    old_steps = applied(folder / "旧版.db")
    cli = Cli(folder / "unused.db")
    for fmt in ("table", "json", "csv", "md"):
        cli.ok("rollup", "--month", "2024-08", *paths(folder), "--format", fmt)
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"汇总.{fmt}"
        cli.ok("rollup", "--year", "2024", *paths(folder), "--format", fmt, "--output", str(out))
    cli.ok("rollup", "--month", "2024-08", *paths(folder), "--explain", "overdue")
    assert state(folder) == before  # no -wal, -shm, journal or copy left, no byte changed
    assert applied(folder / "旧版.db") == old_steps == ["m001_schema"]
    assert not (folder / "unused.db").exists()  # --db is not used


def test_an_older_file_without_settings_or_limits_is_read_as_it_is(folder: Path) -> None:
    conn = look(folder / "旧版.db")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    columns = {row[1] for row in conn.execute("PRAGMA table_info(issues)")}
    conn.close()
    assert "settings" not in tables and "voided_at" not in columns
    data = rollup(folder, "--month", "2024-08", str(folder / "旧版.db"))
    assert data["committees"][0]["issues"]["collected"] > 0


def test_seventeen_files(folder: Path, tmp_path: Path) -> None:
    names = []
    for number in range(1, 18):
        name = f"第{number}街道.db"
        copy_database(folder / ("缙云.db" if number % 2 else "嘉陵.db"), tmp_path / name)
        names.append(str(tmp_path / name))
    data = rollup(folder, "--month", "2024-08", *names)
    assert len(data["committees"]) == 17
    single = rollup(folder, "--month", "2024-08", *paths(folder, ("嘉陵.db", "缙云.db")))
    one, other = (row["issues"]["collected"] for row in single["committees"])
    assert data["total"]["collected"] == 9 * other + 8 * one
    assert sorted(os.listdir(tmp_path)) == sorted(Path(name).name for name in names)


def test_the_table_shows_fractions_and_the_total(folder: Path) -> None:
    out = (
        Cli(folder / "unused.db")
        .ok("rollup", "--month", "2024-08", *paths(folder), lang="zh", columns=250)
        .stdout
    )
    data = rollup(folder, "--month", "2024-08", *paths(folder))
    handled, collected = data["total"]["fractions"]["handling_rate"]
    assert f"{handled}/{collected} = {handled / collected * 100:.1f}%" in out
    for word in (
        "委员会",
        "收集问题",
        "问题处理率",
        "按时办结率",
        "期末超期",
        "回访满意率",
        "合计",
    ):
        assert word in out
    assert "嘉陵风情步行街商圈党委" in out and "0/0 = -" in out
    assert "收集需求" in out and "完成项目" in out  # the lists, where the files have them
    result = Cli(folder / "unused.db").ok("rollup", "--month", "2024-08", *paths(folder))
    notes = result.stderr.splitlines()
    assert len(notes) == 2 and all("no needs or projects in this file" in n for n in notes)
    assert "旧版" in notes[0] and "m005" in notes[1]


def test_markdown_and_csv(folder: Path) -> None:
    cli = Cli(folder / "unused.db")
    md = cli.ok("rollup", "--month", "2024-08", *paths(folder), "--format", "md").stdout
    assert md.startswith("# Rollup of 5 committees, 2024-08")
    assert md.count("\n| ") == len(FILES) + 2  # header, five committees, the total
    text = cli.ok("rollup", "--month", "2024-08", *paths(folder), "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    data = rollup(folder, "--month", "2024-08", *paths(folder))
    assert rows[0][:4] == ["File", "Committee", "Collected", "Handled"]
    assert [row[0] for row in rows[1:-1]] == paths(folder)
    assert rows[-1][1] == "Total"
    assert int(rows[-1][2]) == data["total"]["collected"]
    handling = rows[0].index("Handling rate")
    assert float(rows[-1][handling]) == data["total"]["handling_rate"]


def test_xlsx_and_docx(folder: Path, tmp_path: Path) -> None:
    import docx
    import openpyxl

    cli = Cli(folder / "unused.db")
    data = rollup(folder, "--month", "2024-08", *paths(folder))
    sheet_path = tmp_path / "汇总.xlsx"
    cli.ok(
        "rollup",
        "--month",
        "2024-08",
        *paths(folder),
        "--format",
        "xlsx",
        "--output",
        str(sheet_path),
    )
    sheet = openpyxl.load_workbook(sheet_path).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("File", "Committee", "Collected")
    assert values[-1][1] == "Total" and values[-1][2] == data["total"]["collected"]
    word_path = tmp_path / "汇总.docx"
    cli.ok(
        "rollup",
        "--month",
        "2024-08",
        *paths(folder),
        "--format",
        "docx",
        "--output",
        str(word_path),
        lang="zh",
    )
    document = docx.Document(str(word_path))
    table = document.tables[0]
    assert len(table.rows) == len(FILES) + 2
    assert table.rows[-1].cells[0].text == "合计"
    assert document.paragraphs[0].text == "2024年8月各商圈党委工作情况汇总"


def test_explain_names_the_file_and_the_orders(folder: Path, tmp_path: Path) -> None:
    result = Cli(folder / "unused.db").ok(
        "rollup", "--month", "2024-08", *paths(folder), "--explain", "overdue", "--format", "json"
    )
    data = json.loads(result.stdout)
    assert data["metric"] == "overdue"
    assert [row["file"] for row in data["committees"]] == paths(folder)
    for name, row in zip(FILES, data["committees"], strict=True):
        copy = tmp_path / f"copy-{name}"
        copy_database(folder / SOURCE_OF.get(name, name), copy)
        own = json.loads(
            Cli(copy)
            .ok("report", "--month", "2024-08", "--explain", "overdue", "--format", "json")
            .stdout
        )
        assert row["numerator"] == own["numerator"]
        assert [order["id"] for order in row["issues"]] == [order["id"] for order in own["issues"]]
    assert data["numerator"] == sum(row["numerator"] for row in data["committees"])
    table = Cli(folder / "unused.db").ok(
        "rollup",
        "--month",
        "2024-08",
        *paths(folder, ("缙云.db",)),
        "--explain",
        "逾期",
        lang="zh",
    )
    assert "电梯停运" in table.stdout and "缙云" in table.stdout
    assert "缙云（" in table.stderr and "分子 " in table.stderr


def bad_file(kind: str, folder: Path, demo: Path) -> Path:
    """A file the rollup refuses, in `folder`; `demo`: a current beiwen file to start from."""
    path = folder / f"{kind}.db"
    if kind == "text":
        path.write_text("名册,不是数据库\n", encoding="utf-8")
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        copy_database(demo, path)
        conn = sqlite3.connect(path)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('beiwen', 'm999_future', '2030-01-01')"
        )
        conn.commit()
        conn.close()
    elif kind == "empty":
        path.write_bytes(b"")
    return path


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("text", "is not a beiwen database"),
        ("foreign", "is an SQLite database of another program"),
        ("newer", "was written by a newer beiwen (migration m999_future)"),
        ("missing", "no such file"),
        ("empty", "holds no beiwen tables"),
    ],
)
def test_a_bad_file_is_one_error_naming_it(
    folder: Path, tmp_path: Path, kind: str, says: str
) -> None:
    bad = bad_file(kind, tmp_path, folder / "嘉陵.db")
    for name in FILES[:2]:
        copy_database(folder / name, tmp_path / name)
    before = state(tmp_path)
    out = tmp_path / "out.md"
    result = Cli(tmp_path / "unused.db").fails(
        "rollup",
        "--month",
        "2024-08",
        *paths(tmp_path, FILES[:2]),
        str(bad),
        "--format",
        "md",
        "--output",
        str(out),
    )
    assert says in result.stderr and str(bad) in result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stdout == ""
    assert state(tmp_path) == before  # nothing written: no output, no sidecar, no change


def test_errors_in_chinese(folder: Path, tmp_path: Path) -> None:
    bad = bad_file("foreign", tmp_path, folder / "嘉陵.db")
    result = Cli(tmp_path / "unused.db").fails("rollup", "--month", "2024-08", str(bad), lang="zh")
    assert result.stderr.startswith("错误：") and "其他程序的 SQLite 数据库" in result.stderr


def test_an_output_that_is_an_input_is_refused(folder: Path, tmp_path: Path) -> None:
    for name in FILES[:2]:
        copy_database(folder / name, tmp_path / name)
    before = state(tmp_path)
    cli = Cli(tmp_path / "unused.db")
    for target in ("嘉陵.db", "缙云.db-wal"):
        result = cli.fails(
            "rollup",
            "--month",
            "2024-08",
            *paths(tmp_path, FILES[:2]),
            "--format",
            "xlsx",
            "--output",
            str(tmp_path / target),
        )
        assert "a file being rolled up" in result.stderr
    assert state(tmp_path) == before


def test_usage_mistakes(folder: Path) -> None:
    cli = Cli(folder / "unused.db")
    same = cli.fails(
        "rollup", "--month", "2024-08", str(folder / "嘉陵.db"), str(folder / "." / "嘉陵.db")
    )
    assert "is the same file as" in same.stderr
    assert "exactly one period" in cli.fails("rollup", str(folder / "嘉陵.db")).stderr
    needs = cli.fails("rollup", "--month", "2024-08", str(folder / "嘉陵.db"), "--format", "docx")
    assert "--output" in needs.stderr
    assert cli("rollup", "--month", "2024-08").exit_code == 2  # no file at all
    unknown = cli.fails(
        "rollup", "--month", "2024-08", str(folder / "嘉陵.db"), "--explain", "nonsense"
    )
    assert "nonsense" in unknown.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_file_that_is_no_committee_file_is_named_as_such(tmp_path: Path, lang: str) -> None:
    """The inputs are files named on the command line: their errors say to check that name,
    never --db (which names the user's own database)."""
    text = tmp_path / "笔记.db"
    text.write_text("not a database\n", encoding="utf-8")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    empty = tmp_path / "empty.db"
    empty.touch()
    cli = Cli(tmp_path / "unused.db")
    for path in (text, other, empty):
        failed = cli.fails("rollup", str(path), "--month", "2024-08", lang=lang)
        assert str(path) in failed.stderr
        assert ("check the file name" if lang == "en" else "请检查文件名") in failed.stderr
        assert "--db" not in failed.stderr and "BEIWEN_DB" not in failed.stderr
        assert len(failed.stderr.splitlines()) == 1
    assert not (tmp_path / "unused.db").exists()
