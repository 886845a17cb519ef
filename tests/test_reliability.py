"""What beiwen promises about its database file, tested on real files and real processes.

- every way of opening sets WAL, foreign keys, the busy timeout and synchronous=FULL, and
  the database, its WAL and its backups are created 0600 whatever the umask;
- a migration that fails leaves the file as it was; an upgrade keeps every row;
- `db backup` taken while another process writes is a consistent, checked copy;
- concurrent `issue add` runs queue instead of failing, and a long import does not make
  adds fail or reports wait.

The crash tests (kill -9) are in test_crash.py.
"""

from __future__ import annotations

import ast
import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from beiwen import db, migrations
from conftest import Cli

SRC = Path(__file__).resolve().parents[1] / "src" / "beiwen"

# A worker process that runs beiwen commands in a loop in-process: each call parses its
# arguments and opens its own connection (open_db: pragmas, migration check, BEGIN IMMEDIATE),
# exactly as a separate `beiwen` process does, without paying Python's start-up (and Typer's
# building of the command tree, done once here) for every command. It prints one JSON line
# per command.
WORKER = textwrap.dedent(
    """
    import contextlib, io, json, sys, time
    import typer
    from beiwen.cli import app

    command = typer.main.get_command(app)

    def run(argv):
        out, err = io.StringIO(), io.StringIO()
        code = 0
        started = time.time()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                command.main(args=argv, prog_name="beiwen")
            except SystemExit as exit:
                code = exit.code if isinstance(exit.code, int) else 1
        line = {"code": code, "out": out.getvalue(), "err": err.getvalue(),
                "started": started, "ended": time.time()}
        sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\\n")
        sys.stdout.flush()
        return code, out.getvalue()
    """
)


STARTED: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def reap_workers() -> Iterator[None]:
    """A failed assertion must not leave worker processes running."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
        process.communicate()


def start_worker(body: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "BEIWEN_LANG": "en", "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER + textwrap.dedent(body), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    STARTED.append(process)
    return process


def finish(worker: subprocess.Popen[str], timeout: float = 900) -> list[dict[str, Any]]:
    out, err = worker.communicate(timeout=timeout)
    assert worker.returncode == 0, err
    assert "Traceback" not in err, err
    return [json.loads(line) for line in out.splitlines()]


def dump(path: Path) -> list[str]:
    """Schema and every row, in a stable order: equal dumps mean equal databases."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_zero() -> Iterator[None]:
    """The loosest umask: files must still be private, because beiwen sets their modes."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


# --- 10. pragmas and file modes ------------------------------------------------------------


@pytest.mark.parametrize("existing", [False, True], ids=["new file", "existing file"])
def test_open_db_sets_the_documented_pragmas(tmp_path: Path, existing: bool) -> None:
    path = tmp_path / "beiwen.db"
    if existing:
        db.open_db(path, create=True).close()
    conn = db.open_db(path, create=not existing)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert conn.execute("PRAGMA busy_timeout").fetchone() == (db.BUSY_TIMEOUT_MS,)
        assert db.BUSY_TIMEOUT_MS == 30_000
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        # No implicit transactions (Python 3.11's default would open one before each write).
        assert conn.isolation_level is None
        assert not conn.in_transaction
        conn.execute("SELECT count(*) FROM units").fetchone()
        assert not conn.in_transaction
    finally:
        conn.close()


def test_foreign_keys_are_enforced_on_every_connection(ready: Cli) -> None:
    conn = db.open_db(ready.db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            with db.write(conn):
                conn.execute(
                    "INSERT INTO units (name, kind, grid, created_at, updated_at) "
                    "VALUES ('x', 'merchant', 99, 'x', 'x')"
                )
        assert not conn.in_transaction
        assert conn.execute("SELECT count(*) FROM units").fetchone() == (0,)
    finally:
        conn.close()


def test_write_is_one_immediate_transaction_that_rolls_back(ready: Cli) -> None:
    conn = db.open_db(ready.db)
    other = sqlite3.connect(ready.db, timeout=0)
    try:
        with pytest.raises(RuntimeError):
            with db.write(conn):
                # IMMEDIATE: the write lock is taken at BEGIN, before the first write, so two
                # writers queue at BEGIN instead of failing half-way through.
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
                conn.execute(
                    "INSERT INTO units (name, kind, created_at, updated_at) "
                    "VALUES ('x', 'merchant', 'x', 'x')"
                )
                raise RuntimeError("stop")
        assert not conn.in_transaction
        assert conn.execute("SELECT count(*) FROM units").fetchone() == (0,)
    finally:
        other.close()
        conn.close()


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


def _name(call: ast.Call) -> str:
    return ast.unparse(call.func)


def test_only_open_db_opens_the_database() -> None:
    """Every command reaches the file through db.open_db(); the two other connects are the
    backup's target file and doctor's read-only look."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls(tree):
            name = _name(call)
            if (
                name.endswith(("sqlite3.connect", "Database"))
                or name == "connect"
                and any(
                    isinstance(n, ast.ImportFrom) and n.module == "sqlite3" for n in ast.walk(tree)
                )
            ):
                found.setdefault(str(path.relative_to(SRC)), []).append(ast.unparse(call))
    assert set(found) == {"db.py", "services/doctor.py", "migrations.py"}, found
    assert len(found["db.py"]) == 2
    assert found["migrations.py"] == ["Database(conn)"]  # wraps open_db's connection
    (doctor_connect,) = found["services/doctor.py"]
    assert "uri=True" in doctor_connect
    assert '"?mode=ro"' in (SRC / "services" / "doctor.py").read_text(encoding="utf-8")


def test_only_db_write_and_the_import_pipeline_open_transactions() -> None:
    """No module bypasses db.write(): BEGIN, COMMIT and ROLLBACK appear only in db.py (the
    import pipeline holds its one transaction over a whole file through db.write too)."""
    allowed = {"db.py"}
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = str(path.relative_to(SRC))
        if relative in allowed:
            continue
        for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if call.args and isinstance(call.args[0], ast.Constant):
                words = str(call.args[0].value).strip().upper().split()
                if words and words[0] in ("BEGIN", "COMMIT", "ROLLBACK", "END"):
                    offenders.append(f"{relative}: {ast.unparse(call)}")
            if _name(call).endswith((".commit", ".rollback")):
                offenders.append(f"{relative}: {ast.unparse(call)}")
    assert offenders == []


def test_files_are_private_whatever_the_umask(cli: Cli, tmp_path: Path, umask_zero: None) -> None:
    path = tmp_path / "fresh" / "nested" / "beiwen.db"
    cli.ok("init", db=path)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    holder = sqlite3.connect(path)  # keeps the -wal and -shm files while beiwen writes
    try:
        holder.execute("SELECT 1 FROM units").fetchall()
        cli.ok("grid", "add", "1", "第一网格", db=path)
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.stat().st_size > 0
        assert mode(wal) == 0o600
        assert mode(shm) == 0o600
        backup = tmp_path / "copy.db"
        cli.ok("db", "backup", str(backup), db=path)
        assert mode(backup) == 0o600
    finally:
        holder.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("copy.db")] == ["copy.db"]
    assert "grids 1" in cli.ok("db", "check", db=backup).stdout


def test_the_file_stays_in_wal_mode(ready: Cli) -> None:
    header = ready.db.read_bytes()[:20]
    assert header[:16] == b"SQLite format 3\x00"
    assert (header[18], header[19]) == (2, 2)  # WAL read and write versions


def test_a_writer_waits_for_the_lock_instead_of_failing(ready: Cli) -> None:
    holder = sqlite3.connect(ready.db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO grids (number, name, created_at) VALUES (50, '临时', 'x')")
    # (the grid is not used below: units add checks grids before it queues for the lock)
    release = threading.Timer(1.5, lambda: holder.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        result = ready.ok("units", "add", "等锁商户", "--kind", "merchant")
    finally:
        release.join()
        holder.close()
    assert time.monotonic() - started >= 1.4
    assert result.stdout.strip().isdigit()


def test_a_lock_held_past_the_timeout_is_a_clear_error(
    ready: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setitem(db.PRAGMAS, "busy_timeout", "300")
    holder = sqlite3.connect(ready.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        before = dump(ready.db)
        result = ready.fails("units", "add", "等锁商户", "--kind", "merchant")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.stderr.startswith("Error: the database stayed locked by another beiwen process")
    assert dump(ready.db) == before


# --- 9. migrations --------------------------------------------------------------------------


def m999_breaks_halfway(database: Any) -> None:
    """A migration that changes a lot and then fails on the data, as a real one could."""
    database.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY, note TEXT)")
    database.execute("INSERT INTO scratch (note) VALUES ('half done')")
    database.execute("ALTER TABLE units ADD COLUMN note TEXT")
    database.execute("UPDATE units SET note = 'migrated', name = name || '*'")
    database.execute("UPDATE grids SET branch = NULL")
    database.execute(
        "INSERT INTO units (id, name, kind, created_at, updated_at) "
        "VALUES (1, 'duplicate id', 'merchant', 'x', 'x')"
    )


def test_a_failing_migration_leaves_the_database_as_it_was(
    demo: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(demo.db)
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, m999_breaks_halfway])
    result = demo.fails("units", "list")
    assert result.stderr == (
        f"Error: upgrading {demo.db} failed at m999_breaks_halfway (UNIQUE constraint failed: "
        "units.id); nothing was changed: keep using the previous beiwen version and report "
        "this message\n"
    )
    assert result.stdout == ""
    assert dump(demo.db) == before
    monkeypatch.setattr(migrations, "STEPS", migrations.STEPS[:-1])
    demo.ok("db", "check")


def test_a_migration_that_raises_a_bug_also_rolls_back(demo: Cli) -> None:
    def m999_bug(database: Any) -> None:
        database.execute("UPDATE units SET name = 'gone'")
        raise ZeroDivisionError("a bug in the migration")

    before = dump(demo.db)
    conn = db.open_db(demo.db)
    try:
        with pytest.raises(ZeroDivisionError):
            with db.write(conn):
                migrations.apply_pending(conn, [*migrations.STEPS, m999_bug])
        assert not conn.in_transaction
    finally:
        conn.close()
    assert dump(demo.db) == before


def m999_rebuild_units(database: Any) -> None:
    """The riskiest kind of upgrade: rebuild a table other tables point at (sqlite-utils'
    transform copies it into a new table, drops the old one and renames the new)."""
    database["units"].transform(types={"council": int}, defaults={"council": 0})
    database.execute("ALTER TABLE units ADD COLUMN website TEXT")
    database.execute("CREATE INDEX units_kind ON units (kind)")


def table_rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> "
                "'_sqlite_migrations' AND name NOT LIKE 'sqlite%' ORDER BY name"
            )
        ]
        # the search index (FTS5) by its rows; its shadow tables are its internals
        shadow = {row[1] for row in conn.execute("PRAGMA main.table_list") if row[2] == "shadow"}
        result = {}
        for name in [name for name in names if name not in shadow]:
            columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')]
            kept = [c for c in columns if c != "website"]
            select = ", ".join(f'"{c}"' for c in kept)
            result[name] = conn.execute(f'SELECT {select} FROM "{name}" ORDER BY rowid').fetchall()
        return result
    finally:
        conn.close()


def test_upgrading_an_old_database_keeps_every_row(
    demo: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The demo file stands for a database of the previous version; m999 is the next one."""
    demo.ok("issue", "add", "消防通道被占", "--category", "fire_lane", "--grid", "1", "--unit", "1")
    old = tmp_path / "old-version.db"
    demo.ok("db", "backup", str(old))
    before = table_rows(old)
    assert sum(len(rows) for rows in before.values()) > 1000
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, m999_rebuild_units])
    demo.ok("db", "check", db=old)  # any command upgrades the file it opens
    assert table_rows(old) == before
    conn = sqlite3.connect(old)
    try:
        applied = [row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")]
        assert applied[-1] == "m999_rebuild_units"
        assert "website" in [row[1] for row in conn.execute("PRAGMA table_info(units)")]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # The work order still points at its unit through the rebuilt table.
        assert (
            conn.execute(
                "SELECT units.name FROM issues JOIN units ON units.id = issues.unit_id"
            ).fetchone()
            is not None
        )
    finally:
        conn.close()
    assert demo.ok("units", "show", "1", "--format", "json", db=old).stdout


def test_a_database_from_a_newer_beiwen_is_refused_untouched(demo: Cli) -> None:
    conn = sqlite3.connect(demo.db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('beiwen', 'm999_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()
    before = dump(demo.db)
    result = demo.fails("units", "add", "新商户", "--kind", "merchant")
    assert result.stderr == (
        f"Error: {demo.db} was written by a newer beiwen (migration m999_future); upgrade beiwen\n"
    )
    assert dump(demo.db) == before


# --- 8. backup while another process writes ------------------------------------------------

BATCH_WRITER = """
    import pathlib, sys
    db, folder = sys.argv[1], pathlib.Path(sys.argv[2])
    batch = 0
    while not (folder / "stop").exists() and batch < 400:
        roster = folder / f"batch{batch:03d}.csv"
        roster.write_text("名称,业态\\n" + "".join(
            f"批{batch:03d}-{row:03d},零售\\n" for row in range(200)), encoding="utf-8")
        code, _ = run(["--db", db, "units", "import", str(roster)])
        assert code == 0
        batch += 1
"""


@pytest.mark.slow
def test_backups_taken_during_imports_are_consistent(ready: Cli, tmp_path: Path) -> None:
    """Each import of 200 rows is one transaction: a consistent copy holds whole batches only,
    and the batches it holds are the first ones written."""
    writer = start_worker(BATCH_WRITER, str(ready.db), str(tmp_path))
    copies = []
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "batch002.csv").exists():
            assert time.monotonic() < deadline and writer.poll() is None
            time.sleep(0.05)
        for number in range(4):
            copy = tmp_path / f"copy{number}.db"
            assert writer.poll() is None  # the writer is still writing
            ready.ok("db", "backup", str(copy))
            copies.append(copy)
            time.sleep(0.3)
        assert writer.poll() is None
    finally:
        (tmp_path / "stop").touch()
        results = finish(writer)
    written = len(results)
    assert written >= 3
    held = []
    for copy in copies:
        assert mode(copy) == 0o600
        assert ready.ok("db", "check", db=copy).stdout.startswith("database is sound")
        conn = sqlite3.connect(copy)
        counts = dict(
            conn.execute(
                "SELECT substr(name, 1, 4), count(*) FROM units GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        conn.close()
        assert set(counts.values()) <= {200}, counts  # no half batch
        assert sorted(counts) == [f"批{n:03d}" for n in range(len(counts))]
        held.append(len(counts))
    assert held == sorted(held)
    assert 0 < held[-1] <= written
    live = sqlite3.connect(ready.db)
    assert live.execute("SELECT count(*) FROM units").fetchone() == (written * 200,)
    live.close()


# --- 1. concurrent adds --------------------------------------------------------------------

ADDER = """
    import pathlib, sys, time
    db, worker, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), pathlib.Path(sys.argv[4])
    while not go.exists():
        time.sleep(0.01)
    for n in range(count):
        run(["--db", db, "issue", "add", f"并发工单 {worker}-{n}", "--category", "vendor",
             "--grid", str(n % 6 + 1), "--phone", "13800001111"])
"""


def check_adds(cli: Cli, results: list[list[dict[str, Any]]], expected: int) -> None:
    lines = [line for worker in results for line in worker]
    assert len(lines) == expected
    failures = [line for line in lines if line["code"] != 0]
    assert failures == []
    numbers = [int(line["out"].strip()) for line in lines]
    assert len(set(numbers)) == expected
    stored = json.loads(cli.ok("issue", "list", "--all", "--format", "json").stdout)
    assert sorted(order["id"] for order in stored) == sorted(numbers)
    assert cli.ok("db", "check").stdout.startswith("database is sound")


@pytest.mark.slow
def test_four_processes_add_250_work_orders_each(ready: Cli, tmp_path: Path) -> None:
    go = tmp_path / "go"
    workers = [start_worker(ADDER, str(ready.db), str(w), "250", str(go)) for w in range(4)]
    go.touch()
    results = [finish(worker) for worker in workers]
    check_adds(ready, results, 1000)
    # The adds really overlapped: every worker started before any other finished.
    assert max(r[0]["started"] for r in results) < min(r[-1]["ended"] for r in results)


SHELL_ADDER = """
    for n in $(seq 1 {count}); do
        "{python}" -m beiwen --db "{db}" issue add "进程工单 {worker}-$n" --category vendor \\
            || echo "failed $n" >&2
    done
"""


@pytest.mark.slow
def test_separate_beiwen_processes_add_at_once(ready: Cli) -> None:
    """The same with a real process per add (fewer, since each costs Python's start-up)."""
    env = {**os.environ, "BEIWEN_LANG": "en"}
    loops = [
        subprocess.Popen(
            [
                "sh",
                "-c",
                SHELL_ADDER.format(count=10, python=sys.executable, db=ready.db, worker=w),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for w in range(4)
    ]
    STARTED.extend(loops)
    outputs = [loop.communicate(timeout=600) for loop in loops]
    numbers = [int(n) for out, _ in outputs for n in out.split()]
    assert [err for _, err in outputs if "failed" in err or "Error" in err] == []
    assert len(numbers) == 40 and len(set(numbers)) == 40
    stored = json.loads(ready.ok("issue", "list", "--all", "--format", "json").stdout)
    assert sorted(order["id"] for order in stored) == sorted(numbers)
    ready.ok("db", "check")


# --- 2. a long import while others add and report ------------------------------------------


def write_roster(path: Path, rows: int, prefix: str = "长导入商户") -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("名称,业态,地址,网格,联系人,联系电话\n")
        for n in range(rows):
            phone = f"1381234{n % 10000:04d}"
            handle.write(f"{prefix}{n:06d},餐饮,嘉陵风情步行街{n}号,{n % 6 + 1},张三,{phone}\n")


LOOPER = """
    import pathlib, sys, time
    db, stop = sys.argv[1], pathlib.Path(sys.argv[2])
    argv = sys.argv[3:]
    n = 0
    while not stop.exists():
        run(["--db", db, *[a.replace("{n}", str(n)) for a in argv]])
        n += 1
"""

IMPORT_ROWS = 120_000  # about 7 s on an idle 2-core machine; the busy timeout is 30 s


@pytest.mark.slow
def test_adds_and_reports_during_a_long_import(ready: Cli, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    write_roster(roster, IMPORT_ROWS)
    env = {**os.environ, "BEIWEN_LANG": "en"}
    started = time.time()
    # -u: the summary line, printed right after the COMMIT, reaches us at once.
    command = ["--db", str(ready.db), "units", "import", str(roster)]
    importer = subprocess.Popen(
        [sys.executable, "-u", "-m", "beiwen", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    STARTED.append(importer)
    stop = tmp_path / "stop"
    workers = []
    try:
        # Wait until the import holds the write lock, then start adding and reporting.
        probe = sqlite3.connect(ready.db, isolation_level=None, timeout=0)
        deadline = time.monotonic() + 60
        while True:
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError:
                break
            assert importer.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        probe.close()
        lock_taken = time.time()
        workers = [
            start_worker(
                LOOPER,
                str(ready.db),
                str(stop),
                *("issue", "add", "导入期间工单 {n}", "--category", "sanitation", "--grid", "2"),
            )
            for _ in range(2)
        ]
        workers.append(
            start_worker(LOOPER, str(ready.db), str(stop), "report", "--month", "2024-08")
        )
        assert importer.stdout is not None
        summary = importer.stdout.readline()
        committed = time.time()
        out, err = importer.communicate(timeout=300)
        time.sleep(1)  # let the queued adds through and a few more run after the import
    finally:
        stop.touch()
        results = [finish(worker) for worker in workers]
    assert importer.returncode == 0, err
    assert summary + out == f"{IMPORT_ROWS} inserted, 0 updated, 0 unchanged, 0 rejected\n"
    adds = results[0] + results[1]
    reports = results[2]
    assert [line for line in adds if line["code"] != 0] == []
    assert [line for line in reports if line["code"] != 0 or "Work orders" not in line["out"]] == []
    # Adds that started while the import held the lock were queued, not refused...
    assert len([line for line in adds if line["started"] < committed - 0.5]) >= 2
    # ...while reports kept answering during the import (in WAL, readers never wait).
    assert len([line for line in reports if line["ended"] < committed - 0.5]) >= 2
    stored = json.loads(ready.ok("issue", "list", "--all", "--format", "json").stdout)
    assert sorted(order["id"] for order in stored) == sorted(int(line["out"]) for line in adds)
    conn = sqlite3.connect(ready.db)
    assert conn.execute("SELECT count(*) FROM units").fetchone() == (IMPORT_ROWS,)
    conn.close()
    assert committed - lock_taken >= 2, "the import should be long next to an add"
    assert committed - started > 0
