"""`beiwen doctor`: every finding on a real file, its one-line fix, and that the fix works.

Each test also checks that the diagnosis left the database file byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from beiwen import migrations
from beiwen.services import doctor as doctor_service
from conftest import Cli

RESTORE = "restore a backup: beiwen db restore BACKUP.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def findings(cli: Cli, **kwargs: str) -> list[str]:
    """Run doctor expecting problems: one line each on stdout, one Error line, exit 1."""
    result = cli.fails("doctor", **kwargs)  # type: ignore[arg-type]
    lines = result.stdout.splitlines()
    assert (
        result.stderr
        == f"Error: {len(lines)} problem(s) found in {cli.db}; fix them as shown above\n"
    )
    return lines


def test_a_sound_database_gets_one_all_clear_line(ready: Cli) -> None:
    before = digest(ready.db)
    result = ready.ok("doctor")
    schema = migrations.STEPS[-1].__name__
    assert result.stdout.startswith(f"{ready.db}: no problems found (")
    assert f"schema {schema}, WAL, mode 0600;" in result.stdout
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""
    assert digest(ready.db) == before


def test_a_missing_file_is_reported_and_not_created(cli: Cli) -> None:
    assert findings(cli) == [
        f"{cli.db} does not exist; create it with: beiwen init (or pass --db with the right file)"
    ]
    assert not cli.db.exists()
    assert not Path(f"{cli.db}-wal").exists()


def test_a_folder_given_as_database(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "data.db"
    folder.mkdir()
    result = cli("doctor", db=folder)
    # Typer refuses a directory for --db before doctor runs: a usage error.
    assert result.exit_code == 2


def test_file_readable_by_others_names_the_chmod(ready: Cli) -> None:
    os.chmod(ready.db, 0o644)
    assert findings(ready) == [
        f"{ready.db} can be read or changed by other users (mode 0644); run: chmod 600 {ready.db}"
    ]
    os.chmod(ready.db, 0o600)
    ready.ok("doctor")


def test_loose_wal_and_shm_files_are_reported(ready: Cli) -> None:
    holder = sqlite3.connect(ready.db)  # keeps -wal and -shm in place while it is open
    try:
        holder.execute("SELECT count(*) FROM units").fetchone()
        wal, shm = Path(f"{ready.db}-wal"), Path(f"{ready.db}-shm")
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
        os.chmod(wal, 0o640)
        lines = findings(ready)
        assert lines == [
            f"{wal} can be read or changed by other users (mode 0640); run: chmod 600 {wal}"
        ]
        assert shm.exists()
    finally:
        holder.close()


def test_a_folder_others_can_write_to(cli: Cli, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    db = shared / "beiwen.db"
    cli.ok("init", db=db)
    result = cli.fails("doctor", db=db)
    assert result.stdout == (
        f"the folder {shared} can be changed by other users (mode 0777), who could replace the "
        f"database; run: chmod 700 {shared}\n"
    )
    # With the sticky bit (as on /tmp) others cannot replace our file.
    os.chmod(shared, 0o1777)
    cli.ok("doctor", db=db)
    os.chmod(shared, 0o700)
    cli.ok("doctor", db=db)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write any file")
def test_a_read_only_file_is_reported(ready: Cli) -> None:
    os.chmod(ready.db, 0o400)
    try:
        assert findings(ready) == [
            f"{ready.db} is read-only for you (mode 0400), so nothing can be recorded; "
            f"run: chmod 600 {ready.db}"
        ]
    finally:
        os.chmod(ready.db, 0o600)


def test_an_empty_file(cli: Cli) -> None:
    cli.db.touch(mode=0o600)
    assert findings(cli) == [
        f"{cli.db} is empty (0 bytes); create the database with: beiwen init, or {RESTORE}"
    ]
    assert cli.db.stat().st_size == 0
    cli.ok("init", db=cli.db)
    cli.ok("doctor")


def test_a_file_that_is_not_sqlite(cli: Cli) -> None:
    cli.db.write_bytes(b"name,phone\n\xe5\xbc\xa0\xe4\xb8\x89,13812345678\n")
    os.chmod(cli.db, 0o600)
    before = digest(cli.db)
    assert findings(cli) == [
        f"{cli.db} is not an SQLite database; check --db and BEIWEN_DB, or {RESTORE}"
    ]
    assert digest(cli.db) == before


def test_an_sqlite_file_of_another_program(cli: Cli) -> None:
    conn = sqlite3.connect(cli.db)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    os.chmod(cli.db, 0o600)
    lines = findings(cli)
    assert lines[0] == (
        f"{cli.db} is an SQLite database but not a beiwen one (it has no migrations table); "
        "check --db and BEIWEN_DB"
    )
    assert (
        not sqlite3.connect(cli.db)
        .execute("SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'")
        .fetchone()
    )


def test_an_sqlite_file_without_tables(cli: Cli) -> None:
    conn = sqlite3.connect(cli.db)
    conn.execute("PRAGMA user_version = 1")  # writes the header page: a valid, empty database
    conn.close()
    os.chmod(cli.db, 0o600)
    assert findings(cli)[0] == f"{cli.db} holds no tables yet; create the schema with: beiwen init"


def _swap_index_roots(path: Path) -> None:
    """Point two indexes at each other's b-tree: a damage integrity_check reports row by row."""
    conn = sqlite3.connect(path, isolation_level=None)
    roots = dict(
        conn.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE name IN ('units_name', 'units_grid')"
        ).fetchall()
    )
    conn.execute("PRAGMA writable_schema = 1")
    conn.execute(
        "UPDATE sqlite_master SET rootpage = ? WHERE name = 'units_name'", (roots["units_grid"],)
    )
    conn.execute(
        "UPDATE sqlite_master SET rootpage = ? WHERE name = 'units_grid'", (roots["units_name"],)
    )
    conn.close()


def test_integrity_problems_are_listed_with_the_restore_fix(ready: Cli) -> None:
    for number in range(1, 4):
        ready.ok("units", "add", f"商户{number}", "--kind", "merchant", "--grid", str(number))
    _swap_index_roots(ready.db)
    before = digest(ready.db)
    lines = findings(ready)
    assert lines[:2] == [
        f"integrity: row 1 missing from index units_grid; {RESTORE}",
        f"integrity: row 1 missing from index units_name; {RESTORE}",
    ]
    assert len(lines) == 6
    assert lines[5] == f"... and 1 more of the same kind; {RESTORE}"
    assert digest(ready.db) == before
    # db check agrees that the file is damaged.
    assert ready.fails("db", "check").stderr.startswith("Error: the database has 6 problem(s)")


def test_a_malformed_file_is_reported_without_a_traceback(ready: Cli) -> None:
    conn = sqlite3.connect(ready.db)
    conn.executemany(
        "INSERT INTO units (name, kind, created_at, updated_at) VALUES (?, 'merchant', 'x', 'x')",
        [(f"商户{number}" * 20,) for number in range(2000)],
    )
    conn.commit()
    conn.close()
    size = ready.db.stat().st_size
    with ready.db.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(b"\xff" * 8192)
    lines = findings(ready)
    assert lines == [f"{ready.db} is damaged (database disk image is malformed); {RESTORE}"]


def test_a_broken_foreign_key(ready: Cli) -> None:
    unit = ready.ok("units", "add", "商户", "--kind", "merchant", "--grid", "2").stdout.strip()
    conn = sqlite3.connect(ready.db, isolation_level=None)  # foreign keys off: what other tools do
    conn.execute("DELETE FROM grids WHERE number = 2")
    conn.close()
    assert findings(ready) == [
        f"foreign key: units row {unit} points to a missing grids; {RESTORE}"
    ]


def test_a_pending_migration_is_reported_not_applied(
    ready: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def m999_doctor_test(db: object) -> None:
        raise AssertionError("doctor must not migrate")

    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, m999_doctor_test])
    before = digest(ready.db)
    assert findings(ready) == [
        f"{ready.db} lacks 1 schema upgrade(s) (m999_doctor_test); back it up with: beiwen db "
        "backup COPY.db, then run: beiwen init"
    ]
    assert digest(ready.db) == before


def test_a_file_from_a_newer_beiwen(ready: Cli) -> None:
    conn = sqlite3.connect(ready.db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('beiwen', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    lines = findings(ready)
    assert lines == [
        f"{ready.db} was written by a newer beiwen (migration m999_future); upgrade beiwen"
    ]


def test_a_file_out_of_wal_mode_and_the_fix(ready: Cli) -> None:
    conn = sqlite3.connect(ready.db)
    assert conn.execute("PRAGMA journal_mode = delete").fetchone() == ("delete",)
    conn.close()
    assert findings(ready) == [
        f"{ready.db} is in delete journal mode, not WAL, so concurrent beiwen commands may fail "
        'with "database is locked"; run: beiwen init (it switches the file back to WAL)'
    ]
    ready.ok("init")
    ready.ok("doctor")


def test_a_large_log_left_by_a_killed_process_and_the_fix(
    ready: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A process that writes and dies without closing leaves its log behind.
    script = (
        "import os, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "conn.execute('BEGIN IMMEDIATE')\n"
        "for n in range(300):\n"
        '    conn.execute("INSERT INTO units (name, kind, created_at, updated_at) '
        "VALUES (?, 'merchant', 'x', 'x')\", ('商户' * 50 + str(n),))\n"
        "conn.execute('COMMIT')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(ready.db)], check=True)
    wal = Path(f"{ready.db}-wal")
    assert wal.stat().st_size > 100_000
    monkeypatch.setattr(doctor_service, "WAL_WARN_BYTES", 100_000)
    lines = findings(ready)
    assert len(lines) == 1
    assert re.match(
        rf"the write-ahead log {re.escape(str(wal))} holds \d+ KB not yet folded", lines[0]
    )
    assert lines[0].endswith("then run: beiwen db check (the last process to finish folds it in)")
    ready.ok("db", "check")
    assert not wal.exists() or wal.stat().st_size == 0
    ready.ok("doctor")
    assert ready.ok("units", "list", "--format", "json").stdout.count('"kind": "merchant"') == 300


def test_findings_in_chinese(cli: Cli) -> None:
    result = cli.fails("doctor", lang="zh")
    assert result.stdout == f"{cli.db} 不存在；请用 beiwen init 创建（或用 --db 指定正确的文件）\n"
    assert result.stderr == f"错误：{cli.db} 中发现 1 个问题；请按上面的提示修复\n"


def test_several_findings_each_on_its_own_line(ready: Cli) -> None:
    os.chmod(ready.db, 0o664)
    conn = sqlite3.connect(ready.db)
    conn.execute("PRAGMA journal_mode = delete")
    conn.close()
    lines = findings(ready)
    assert len(lines) == 2
    assert lines[0].startswith(f"{ready.db} can be read or changed by other users (mode 0664)")
    assert lines[1].startswith(f"{ready.db} is in delete journal mode, not WAL")


LEAVE_LOG = (
    "import os, sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
    "conn.execute(\"UPDATE units SET name = name || '（改）'\")\n"
    "os._exit(0)\n"
)


def names(cli: Cli, db: Path | None = None) -> list[str]:
    listed = cli.ok("units", "list", "--format", "json", db=db or cli.db).stdout
    return [unit["name"] for unit in json.loads(listed)]


def test_restoring_a_backup_as_the_readme_says(ready: Cli, tmp_path: Path) -> None:
    ready.ok("units", "add", "备份前商户", "--kind", "merchant")
    backup = tmp_path / "backup.db"
    ready.ok("db", "backup", str(backup))
    ready.ok("units", "add", "备份后商户", "--kind", "merchant")
    # A process dies holding changes in the -wal; then the file is found damaged.
    subprocess.run([sys.executable, "-c", LEAVE_LOG, str(ready.db)], check=True)
    wal, shm = Path(f"{ready.db}-wal"), Path(f"{ready.db}-shm")
    assert wal.stat().st_size > 0
    # What the README warns against: copying the backup over the file but leaving the -wal.
    careless = tmp_path / "careless"
    careless.mkdir(mode=0o700)
    for file in (ready.db, wal, shm):
        shutil.copy(file, careless / file.name)
    shutil.copy(backup, careless / ready.db.name)
    assert "备份后商户（改）" in names(ready, careless / ready.db.name)  # the restore was undone
    # The README's step: beiwen db restore moves the file aside with its -wal, then puts the
    # verified backup in place.
    restored = ready.ok("db", "restore", str(backup))
    assert "the replaced database is kept as" in restored.stderr
    assert not wal.exists()
    assert ready.ok("doctor").stdout.startswith(f"{ready.db}: no problems found")
    assert names(ready) == ["备份前商户"]
    (kept,) = ready.db.parent.glob(f"{ready.db.name}.before-restore-*[0-9]")
    assert "备份后商户（改）" in names(ready, kept)  # nothing lost: the later rows are kept


def test_a_path_with_spaces_and_uri_characters(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "数据 #1?x%20"
    folder.mkdir(mode=0o700)
    db = folder / "北温 库.db"
    cli.ok("init", db=db)
    assert cli.ok("doctor", db=db).stdout.startswith(f"{db}: no problems found")
    os.chmod(db, 0o640)
    result = cli.fails("doctor", db=db)
    assert result.stdout == (
        f"{db} can be read or changed by other users (mode 0640); run: chmod 600 {db}\n"
    )
