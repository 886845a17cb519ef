"""The database file: where it is, how it is created and opened, migrations, backups, checks,
and the demo district. Everything runs on real files; a few checks use real processes."""

from __future__ import annotations

import json
import re
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.testing

from beiwen import db, migrations
from beiwen.cli import app
from conftest import Cli, beiwen_process

ROOT = Path(__file__).resolve().parents[1]
NO_DATABASE = "Error: no database at {path}; create it with: beiwen init\n"


def invoke(*args: str, env: dict[str, str | None]) -> typer.testing.Result:
    """The CLI without the fixture's --db, to see where the database is looked for."""
    return typer.testing.CliRunner().invoke(app, list(args), env={"BEIWEN_LANG": "en", **env})


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def count(path: Path, sql: str) -> Any:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


# --- where the database is ------------------------------------------------------------


def test_db_option_wins(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen.db"
    result = invoke("--db", str(chosen), "db", "path", env={"BEIWEN_DB": str(tmp_path / "env.db")})
    assert result.exit_code == 0
    assert result.stdout == f"{chosen}\n"


def test_beiwen_db_variable_is_next(tmp_path: Path) -> None:
    result = invoke("db", "path", env={"BEIWEN_DB": str(tmp_path / "env.db")})
    assert result.stdout == f"{tmp_path / 'env.db'}\n"


def test_default_is_the_user_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from platformdirs import user_data_dir

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("BEIWEN_DB", raising=False)
    expected = Path(user_data_dir("beiwen")) / "beiwen.db"
    assert expected == tmp_path / "data" / "beiwen" / "beiwen.db"
    result = invoke("db", "path", env={"BEIWEN_DB": None})
    assert result.stdout == f"{expected}\n"
    assert not expected.parent.exists()
    # init creates the directory for the owner only, and the file for the owner only.
    assert invoke("init", env={"BEIWEN_DB": None}).exit_code == 0
    assert mode(expected.parent) == 0o700
    assert mode(expected) == 0o600


def test_db_path_in_a_real_process(tmp_path: Path) -> None:
    data = tmp_path / "xdg"
    process = beiwen_process("db", "path", env={"BEIWEN_DB": "", "XDG_DATA_HOME": str(data)})
    assert process.returncode == 0
    assert process.stdout == f"{data / 'beiwen' / 'beiwen.db'}\n"


# --- creating and opening ------------------------------------------------------------


def test_init_creates_the_file_0600_and_missing_parents_0700(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "beiwen.db"
    result = Cli(path).ok("init")
    assert result.stdout == ""
    assert result.stderr == f"database ready at {path}\n"
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    # Running it again is harmless: the schema is already up to date.
    Cli(path).ok("init")
    assert count(path, "SELECT count(*) FROM _sqlite_migrations") == len(migrations.STEPS)


def test_init_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "beiwen.db"
    assert Cli(path).ok("init", lang="zh").stderr == f"数据库已就绪：{path}\n"


def test_init_where_nothing_can_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = Cli(blocker / "beiwen.db").fails("init")
    assert result.stderr.startswith(f"Error: cannot write {blocker / 'beiwen.db'} (")
    assert result.stderr.endswith("); choose another path\n")


@pytest.mark.parametrize(
    "args",
    [
        ["units", "list"],
        ["units", "add", "店", "--kind", "merchant"],
        ["units", "show", "1"],
        ["units", "export"],
        ["grid", "list"],
        ["db", "check"],
        ["db", "backup", "{tmp}/backup.db"],
    ],
)
def test_every_command_on_a_missing_database_fails_and_creates_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    path = tmp_path / "missing" / "beiwen.db"
    result = Cli(path).fails(*(arg.format(tmp=tmp_path) for arg in args))
    assert result.stderr == NO_DATABASE.format(path=path)
    assert result.stdout == ""
    assert not path.parent.exists()
    assert sorted(tmp_path.iterdir()) == []


def test_import_on_a_missing_database_fails_and_creates_nothing(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("name\n店\n", encoding="utf-8")
    path = tmp_path / "beiwen.db"
    assert Cli(path).fails("units", "import", str(roster)).stderr == NO_DATABASE.format(path=path)
    assert sorted(tmp_path.iterdir()) == [roster]


def test_db_path_needs_no_database(tmp_path: Path) -> None:
    path = tmp_path / "beiwen.db"
    assert Cli(path).ok("db", "path").stdout == f"{path}\n"
    assert not path.exists()


def test_missing_database_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "beiwen.db"
    process = beiwen_process("--db", str(path), "units", "list")
    assert process.returncode == 1
    assert process.stderr == NO_DATABASE.format(path=path)
    assert process.stdout == ""
    assert not path.parent.exists()


def test_open_db_sets_the_pragmas(tmp_path: Path) -> None:
    path = tmp_path / "beiwen.db"
    for create in (True, False):
        conn = db.open_db(path, create=create)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 30000
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
            assert conn.isolation_level is None
        finally:
            conn.close()


def test_foreign_keys_are_enforced(ready: Cli) -> None:
    conn = db.open_db(ready.db)
    try:
        with pytest.raises(sqlite3.IntegrityError), db.write(conn):
            conn.execute(
                "INSERT INTO units (name, kind, grid, created_at, updated_at) "
                "VALUES ('x', 'merchant', 99, '', '')"
            )
    finally:
        conn.close()
    assert count(ready.db, "SELECT count(*) FROM units") == 0


def test_write_rolls_back_everything_on_failure(ready: Cli) -> None:
    before = dump(ready.db)
    conn = db.open_db(ready.db)
    try:
        with pytest.raises(RuntimeError), db.write(conn):
            conn.execute("UPDATE grids SET name = 'changed'")
            raise RuntimeError("boom")
        assert not conn.in_transaction
    finally:
        conn.close()
    assert dump(ready.db) == before


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list\n" * 100)
    result = Cli(path).fails("units", "list")
    assert result.stderr == (
        f"Error: {path} is not a beiwen database (file is not a database); "
        "check --db or BEIWEN_DB\n"
    )
    assert path.read_text() == "shopping list\n" * 100


# --- schema and migrations -----------------------------------------------------------


def test_readable_schema_is_the_packaged_one() -> None:
    assert (ROOT / "data" / "schema.sql").read_bytes() == (
        ROOT / "src" / "beiwen" / "schema.sql"
    ).read_bytes()


def test_the_first_migration_creates_every_table_and_index_of_the_schema(tmp_path: Path) -> None:
    text = (ROOT / "src" / "beiwen" / "schema.sql").read_text(encoding="utf-8")
    declared = set(re.findall(r"^CREATE (?:TABLE|INDEX|TRIGGER) (\w+)", text, re.MULTILINE))
    assert {"grids", "units", "issues"} <= declared
    conn = db.open_db(tmp_path / "new.db", create=True)
    try:
        created = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        }
    finally:
        conn.close()
    assert declared <= created


def _old_database(path: Path) -> sqlite3.Connection:
    """A database as the first release left it: m001 only, with rows in it."""
    conn = sqlite3.connect(path, isolation_level=None)
    with db.write(conn):
        migrations.apply_pending(conn, steps=[migrations.m001_schema])
        conn.execute("INSERT INTO grids (number, name, created_at) VALUES (1, '第1网格', 't')")
        conn.execute(
            "INSERT INTO units (name, kind, grid, phone, created_at, updated_at) "
            "VALUES ('嘉陵小面馆', 'merchant', 1, '023-68281234', 't', 't')"
        )
    return conn


def m900_units_website(database: Any) -> None:
    database.execute("ALTER TABLE units ADD COLUMN website TEXT")
    database.execute("UPDATE units SET website = 'https://example.cn/' || id")


def m901_broken(database: Any) -> None:
    database.execute("ALTER TABLE grids ADD COLUMN colour TEXT")
    database.execute("UPDATE grids SET name = 'half done'")
    raise sqlite3.OperationalError("this step fails half way")


def applied(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]


def test_a_new_step_upgrades_an_old_database_keeping_its_rows(tmp_path: Path) -> None:
    conn = _old_database(tmp_path / "old.db")
    assert migrations.pending_names(conn) == [s.__name__ for s in migrations.STEPS[1:]]
    with db.write(conn):
        migrations.apply_pending(conn, steps=[migrations.m001_schema, m900_units_website])
    assert applied(conn) == ["m001_schema", "m900_units_website"]
    assert conn.execute("SELECT name, phone, website FROM units").fetchall() == [
        ("嘉陵小面馆", "023-68281234", "https://example.cn/1")
    ]
    # Applying again does nothing: each step runs once.
    with db.write(conn):
        migrations.apply_pending(conn, steps=[migrations.m001_schema, m900_units_website])
    assert applied(conn) == ["m001_schema", "m900_units_website"]
    conn.close()


def test_opening_an_old_database_applies_the_pending_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    _old_database(path).close()
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, m900_units_website])
    data = json.loads(Cli(path).ok("units", "list", "--format", "json").stdout)
    assert [(u["name"], u["phone"], u["website"]) for u in data] == [
        ("嘉陵小面馆", "023-68281234", "https://example.cn/1")
    ]
    conn = sqlite3.connect(path)
    assert applied(conn)[-1] == "m900_units_website"
    conn.close()


def test_a_failing_step_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_database(path).close()
    before = dump(path)
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="half way"), db.write(conn):
        migrations.apply_pending(conn, steps=[migrations.m001_schema, m901_broken])
    assert not conn.in_transaction
    conn.close()
    assert dump(path) == before


def test_a_failing_step_through_open_db_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    _old_database(path).close()
    before = dump(path)
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, m901_broken])
    result = Cli(path).fails("units", "list")
    assert "this step fails half way" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert dump(path) == before


def test_a_database_from_a_newer_beiwen_is_refused(ready: Cli) -> None:
    conn = sqlite3.connect(ready.db)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('beiwen', 'm999_future', '2030-01-01')"
        )
    conn.close()
    assert ready.fails("units", "list").stderr == (
        f"Error: {ready.db} was written by a newer beiwen (migration m999_future); upgrade beiwen\n"
    )


# --- backup -------------------------------------------------------------------------


def test_backup_is_a_private_consistent_copy(ready: Cli, tmp_path: Path) -> None:
    ready.ok("units", "add", "嘉陵小面馆", "--kind", "merchant", "--phone", "023-68281234")
    target = tmp_path / "copies" / "backup.db"
    result = ready.ok("db", "backup", str(target))
    assert result.stdout == ""
    assert result.stderr == f"backup written to {target} ({target.stat().st_size} bytes)\n"
    assert mode(target) == 0o600
    assert dump(target) == dump(ready.db)
    assert Cli(target).ok("db", "check").stdout.startswith("database is sound:")


def test_backup_refuses_an_existing_file(ready: Cli, tmp_path: Path) -> None:
    target = tmp_path / "precious.db"
    target.write_bytes(b"do not overwrite")
    assert ready.fails("db", "backup", str(target)).stderr == (
        f"Error: {target} already exists; choose a new file name for the backup\n"
    )
    assert target.read_bytes() == b"do not overwrite"


def test_backup_while_another_process_is_writing(ready: Cli, tmp_path: Path) -> None:
    writer = sqlite3.connect(ready.db, isolation_level=None)
    writer.execute("PRAGMA journal_mode = wal")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO units (name, kind, created_at, updated_at) "
        "VALUES ('未提交', 'merchant', '', '')"
    )
    target = tmp_path / "backup.db"
    try:
        ready.ok("db", "backup", str(target))
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    # The copy holds what was committed, never half a transaction.
    assert count(target, "SELECT count(*) FROM units") == 0
    assert count(target, "SELECT count(*) FROM grids") == 6


# --- check --------------------------------------------------------------------------


def test_check_of_a_sound_database(ready: Cli) -> None:
    result = ready.ok("db", "check")
    assert result.stdout.startswith("database is sound: ")
    assert "grids 6" in result.stdout
    assert "units 0" in result.stdout
    assert "_sqlite_migrations" not in result.stdout
    assert result.stderr == ""


def test_check_reports_a_broken_reference_and_exits_1(ready: Cli) -> None:
    raw = sqlite3.connect(ready.db)
    raw.execute("PRAGMA foreign_keys = OFF")
    with raw:
        raw.execute(
            "INSERT INTO units (id, name, kind, grid, created_at, updated_at) "
            "VALUES (7, '孤儿', 'merchant', 42, '', '')"
        )
    raw.close()
    result = ready.fails("db", "check")
    assert result.stdout == ""
    assert result.stderr == (
        "Error: the database has 1 problem(s); run: beiwen doctor (it says what to fix, or "
        "to restore a backup with: beiwen db restore BACKUP.db)\n"
        "foreign key: units row 7 points to a missing grids\n"
    )
    assert ready.fails("db", "check", lang="zh").stderr == (
        "错误：数据库有 1 个问题；请运行：beiwen doctor（它会说明如何修复，"
        "或用 beiwen db restore 备份.db 从备份恢复）\n"
        "外键：单位表第 7 行引用的网格不存在\n"
    )


# --- the demo district ---------------------------------------------------------------


def test_demo_has_six_grids_eighteen_council_units_and_1400_merchants(demo: Cli) -> None:
    grids = json.loads(demo.ok("grid", "list", "--format", "json").stdout)
    assert [grid["number"] for grid in grids] == [1, 2, 3, 4, 5, 6]
    council = json.loads(demo.ok("units", "list", "--council", "--format", "json").stdout)
    assert len(council) == 18
    assert all(unit["code"] for unit in council)
    merchants = json.loads(
        demo.ok("units", "list", "--kind", "merchant", "--format", "json").stdout
    )
    assert len(merchants) >= 1400
    assert {unit["grid"] for unit in merchants} == {1, 2, 3, 4, 5, 6}
    assert all(unit["category"] for unit in merchants)
    assert demo.ok("db", "check").stdout.startswith("database is sound:")


def test_demo_into_a_database_with_data_is_refused(demo: Cli) -> None:
    before = dump(demo.db)
    assert demo.fails("init", "--demo").stderr == (
        f"Error: {demo.db} already holds data; load the demo into a new file: "
        "beiwen --db NEW.db init --demo\n"
    )
    assert dump(demo.db) == before


def test_demo_into_a_database_with_only_grids_is_refused(ready: Cli) -> None:
    before = dump(ready.db)
    assert ready.fails("init", "--demo").stderr.startswith(f"Error: {ready.db} already holds data")
    assert dump(ready.db) == before


# --- several processes at once ---------------------------------------------------------


def test_concurrent_writers_queue_instead_of_failing(ready: Cli, tmp_path: Path) -> None:
    rosters = []
    for batch in range(2):
        roster = tmp_path / f"roster{batch}.csv"
        roster.write_text(
            "name,phone\n" + "".join(f"店{batch}-{i},13812345678\n" for i in range(600)),
            encoding="utf-8",
        )
        rosters.append(roster)
    commands: list[list[str]] = [["units", "import", str(roster)] for roster in rosters]
    commands.append(["units", "add", "新店", "--kind", "merchant"])
    results: list[Any] = [None] * len(commands)

    def run(index: int) -> Callable[[], None]:
        def target() -> None:
            results[index] = beiwen_process("--db", str(ready.db), *commands[index])

        return target

    threads = [threading.Thread(target=run(i)) for i in range(len(commands))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for process in results:
        assert process.returncode == 0, process.stderr
        assert "Traceback" not in process.stderr
    assert results[0].stdout == "600 inserted, 0 updated, 0 unchanged, 0 rejected\n"
    assert count(ready.db, "SELECT count(*) FROM units") == 1201


# --- the error translator ------------------------------------------------------------


def test_a_lock_held_too_long_is_one_line_saying_to_try_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from beiwen.cli import translate

    assert translate(sqlite3.OperationalError("database is locked")) == 1
    assert capsys.readouterr().err == (
        "Error: the database stayed locked by another beiwen process for 30 s; try again\n"
    )
    assert translate(sqlite3.DatabaseError("disk I/O error")) == 1
    assert capsys.readouterr().err == (  # an I/O error is named as such (issue 12 item 7)
        "Error: the disk holding the database reported an I/O error; nothing was written: "
        "check the disk, then run: beiwen doctor\n"
    )
    assert translate(sqlite3.DatabaseError("something else")) == 1
    assert capsys.readouterr().err.startswith(
        "Error: the database could not be read or written (something else); run: "
    )
    assert translate(KeyboardInterrupt()) == 130
    assert capsys.readouterr().err == "Error: interrupted; nothing was written\n"
    assert translate(ValueError("a bug")) is None  # bugs keep their traceback


# --- the one transaction helper ---------------------------------------------------------


def test_write_nests_the_outer_block_owns_the_commit_and_dry_run_rolls_back(ready: Cli) -> None:
    from beiwen.db import open_db, write

    conn = open_db(ready.db)
    count = "SELECT count(*) FROM grids"
    with write(conn):
        conn.execute("INSERT INTO grids (number, name, created_at) VALUES (7, '第7网格', '')")
        with pytest.raises(ValueError), write(conn):
            conn.execute("INSERT INTO grids (number, name, created_at) VALUES (8, '第8网格', '')")
            raise ValueError("the inner block fails")
        with write(conn):  # an inner block that succeeds is not committed on its own ...
            conn.execute("INSERT INTO grids (number, name, created_at) VALUES (9, '第9网格', '')")
        assert conn.in_transaction  # ... the outer block still holds the transaction
    assert [n for (n,) in conn.execute("SELECT number FROM grids WHERE number > 6")] == [7, 9]
    with write(conn, dry_run=True):
        conn.execute("DELETE FROM grids")
        assert conn.execute(count).fetchone()[0] == 0
    assert conn.execute(count).fetchone()[0] == 8
    with write(conn):
        with write(conn, dry_run=True):
            conn.execute("DELETE FROM grids WHERE number = 7")
        conn.execute("DELETE FROM grids WHERE number = 9")
    assert conn.execute(count).fetchone()[0] == 7
    conn.close()
