"""kill -9 at seeded random moments of every writer: nothing half-written is ever left.

- `db backup` of a large database: the backup is absent or passes `db check` with the
  source's counts; a leftover hidden `.beiwen-PID-….tmp` is swept by the next backup.
- `units export --format xlsx` and `issue export` of large data: the target holds its old
  bytes or the complete new file, and no `.beiwen-*` file is left beside it.
- `init --demo`: no file, or a sound file with no rows or all the demo's rows.
- `issue import`, `grid member import`, `activity import` of large files: the database
  passes integrity_check and holds all the old rows and none or all of the new ones.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Cli

SEED = 20_240_803  # the August 2024 street-vendor campaign
STALE = re.compile(r"^\.beiwen-\d+-[0-9a-f]+\.tmp(-journal|-wal|-shm)?$")
ENV = {**os.environ, "BEIWEN_LANG": "en", "COLUMNS": "200"}


def beiwen(*args: str) -> list[str]:
    return [sys.executable, "-m", "beiwen", *args]


def run_ok(*args: str) -> float:
    """Run beiwen to the end; return how long it took."""
    started = time.monotonic()
    result = subprocess.run(beiwen(*args), capture_output=True, text=True, env=ENV, timeout=120)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - started


def kill_after(args: list[str], delay: float, log: Path) -> bool:
    """Start beiwen, SIGKILL it after `delay` seconds; True if it was still running."""
    with log.open("wb") as handle:
        process = subprocess.Popen(beiwen(*args), stdout=handle, stderr=handle, env=ENV)
    try:
        time.sleep(delay)
        running = process.poll() is None
        if running:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if not running:
        assert process.returncode == 0, log.read_text(encoding="utf-8", errors="replace")
    return running


def delays(seed: int, duration: float, count: int) -> list[float]:
    chance = random.Random(seed)
    return [chance.uniform(0.15, duration) for _ in range(count)]


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
        }
    finally:
        conn.close()


def integrity(path: Path) -> tuple[str, list[object]]:
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("PRAGMA integrity_check").fetchone()[0],
            conn.execute("PRAGMA foreign_key_check").fetchall(),
        )
    finally:
        conn.close()


def digest(path: Path, table: str, limit: int) -> str:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(f"SELECT * FROM {table} WHERE rowid <= ? ORDER BY rowid", (limit,))
        return hashlib.sha256(repr(rows.fetchall()).encode()).hexdigest()
    finally:
        conn.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith(".beiwen-"))


def db_check(path: Path) -> str:
    result = subprocess.run(
        beiwen("--db", str(path), "db", "check"), capture_output=True, text=True, env=ENV
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


NOW = "2024-08-01T09:00:00+08:00"


def add_bulk(path: Path, units: int, issues: int, description: str = "") -> None:
    """Many rows quickly, straight through sqlite3 (the schema's required columns)."""
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO units (name, kind, category, grid, address, contact, phone, created_at, "
        "updated_at) VALUES (?, 'merchant', '零售', ?, ?, '李四', ?, ?, ?)",
        (
            (
                f"批量商户{n:06d}",
                n % 6 + 1,
                f"嘉陵风情步行街{n}号",
                f"1391234{n % 10000:04d}",
                NOW,
                NOW,
            )
            for n in range(units)
        ),
    )
    conn.executemany(
        "INSERT INTO issues (title, description, category, source, grid, reporter, phone, "
        "status, reported_at, created_at, updated_at) "
        "VALUES (?, ?, 'vendor', 'patrol', ?, '王女士', '13911177961', 'open', ?, ?, ?)",
        (
            (
                f"批量工单{n:06d}",
                f"{description}{n}",
                n % 6 + 1,
                "2024-08-03T09:30:00+08:00",
                NOW,
                NOW,
            )
            for n in range(issues)
        ),
    )
    conn.commit()
    conn.close()


def copy_db(source: Path, target: Path) -> None:
    a, b = sqlite3.connect(source), sqlite3.connect(target)
    a.backup(b)
    a.close()
    b.close()


@pytest.fixture(scope="module")
def big(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo district with 40,000 more units and 60,000 more work orders."""
    path = tmp_path_factory.mktemp("big") / "big.db"
    copy_db(demo_template, path)
    add_bulk(path, 40_000, 60_000)
    return path


# -- (a) db backup ---------------------------------------------------------------------------


@pytest.mark.slow
def test_backup_killed_at_random_moments(demo_template: Path, tmp_path: Path) -> None:
    source = tmp_path / "large.db"
    copy_db(demo_template, source)
    add_bulk(source, 10_000, 60_000, description="摊位占道，群众反映强烈，请尽快处理。" * 8)
    expected = db_check(source)
    folder = tmp_path / "backups"
    folder.mkdir()
    duration = run_ok("--db", str(source), "db", "backup", str(folder / "timed.db"))
    assert db_check(folder / "timed.db") == expected
    outcomes = []
    for index, delay in enumerate(delays(SEED, duration, 6)):
        target = folder / f"b{index}.db"
        killed = kill_after(
            ["--db", str(source), "db", "backup", str(target)], delay, tmp_path / "log"
        )
        if target.exists():
            assert db_check(target) == expected, "a backup that exists is a complete one"
            outcomes.append("complete")
        else:
            assert killed
            outcomes.append("absent")
        # Only whole backups and a killed backup's hidden temporary files are in the folder.
        for name in os.listdir(folder):
            assert re.fullmatch(r"(b\d+|timed)\.db", name) or STALE.match(name), name
    assert "absent" in outcomes, outcomes  # some kills did land inside a backup
    assert integrity(source) == ("ok", [])  # a backup reads the source, never changes it
    assert db_check(source) == expected
    run_ok("--db", str(source), "db", "backup", str(folder / "after.db"))
    assert leftovers(folder) == [], "the next backup sweeps what killed ones left"
    assert db_check(folder / "after.db") == expected


# -- (b) exports -----------------------------------------------------------------------------


def xlsx_parts(path: Path) -> tuple[bytes, bytes]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        return (
            archive.read("xl/worksheets/sheet1.xml"),
            archive.read("xl/sharedStrings.xml"),
        )


EXPORTS: dict[str, tuple[list[str], Callable[[Path], object]]] = {
    "units-xlsx": (["units", "export", "--format", "xlsx", "--output"], xlsx_parts),
    "issues-csv": (["issue", "export", "--output"], lambda path: path.read_bytes()),
}


@pytest.mark.slow
@pytest.mark.parametrize("export", list(EXPORTS))
def test_export_killed_at_random_moments(big: Path, tmp_path: Path, export: str) -> None:
    command, content = EXPORTS[export]
    reference = tmp_path / "reference.out"
    duration = run_ok("--db", str(big), *command, str(reference))
    expected = content(reference)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "export.out"
    outcomes = []
    for delay in delays(SEED + len(export), duration, 4):
        target.write_bytes(b"last month's export\n")
        killed = kill_after(["--db", str(big), *command, str(target)], delay, tmp_path / "log")
        if target.read_bytes() == b"last month's export\n":
            assert killed
            outcomes.append("old")
        else:
            assert content(target) == expected, "the target is the old file or the whole new one"
            outcomes.append("new")
        assert leftovers(folder) == [], "a killed export leaves no temporary file"
        assert os.listdir(folder) == ["export.out"]
    assert "old" in outcomes, outcomes
    assert integrity(big) == ("ok", [])


@pytest.mark.slow
def test_an_export_killed_while_a_temporary_name_exists_leaves_nothing(
    big: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "issues.csv"
    log = tmp_path / "log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            beiwen("--db", str(big), "issue", "export", "--output", str(target)),
            stdout=handle,
            stderr=handle,
            env=ENV,
        )
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if leftovers(folder):  # the moment a temporary name appears: kill
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert leftovers(folder) == []


# -- (c) init --demo -------------------------------------------------------------------------


def demo_state(victim: Path, full: dict[str, int]) -> str:
    """What a killed `init --demo` left: nothing, or a sound file (integrity, foreign keys)."""
    if not victim.exists() or victim.stat().st_size == 0:
        return "no database"
    assert integrity(victim) == ("ok", [])
    found = counts(victim)
    if found == full:
        return "the whole demo"
    # issue_deadlines are the schema's defaults, there before the demo's first row.
    loaded = {name for name, count in found.items() if count and name != "issue_deadlines"}
    loaded.discard("_sqlite_migrations")
    # Each demo step is one import, all or nothing: no table holds more than the demo's rows.
    assert all(found[name] <= full[name] for name in loaded), found
    return "schema only" if not loaded else "part of the demo: " + ", ".join(sorted(loaded))


@pytest.mark.slow
def test_init_demo_killed_at_random_moments(tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    duration = run_ok("--db", str(reference), "init", "--demo")
    full = counts(reference)
    assert full["units"] > 1000 and full["issues"] > 50
    outcomes = []
    for index, delay in enumerate(delays(SEED + 7, duration, 6)):
        victim = tmp_path / f"demo{index}.db"
        killed = kill_after(["--db", str(victim), "init", "--demo"], delay, tmp_path / "log")
        outcome = demo_state(victim, full)
        assert killed or outcome == "the whole demo"
        outcomes.append(outcome)
    assert set(outcomes) - {"the whole demo"}, outcomes


@pytest.mark.slow
def test_init_demo_killed_after_its_first_rows_leaves_all_or_nothing(tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    run_ok("--db", str(reference), "init", "--demo")
    full = counts(reference)
    victim = tmp_path / "demo.db"
    with (tmp_path / "log").open("wb") as handle:
        process = subprocess.Popen(
            beiwen("--db", str(victim), "init", "--demo"), stdout=handle, stderr=handle, env=ENV
        )
    try:
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            try:  # the moment the first demo units are visible to another reader: kill
                conn = sqlite3.connect(f"file:{victim}?mode=ro", uri=True, timeout=0.01)
                try:
                    seen = conn.execute("SELECT count(*) FROM units").fetchone()[0]
                finally:
                    conn.close()
            except sqlite3.Error:
                continue
            if seen:
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert demo_state(victim, full) in ("no database", "schema only", "the whole demo")
    if counts(victim) != full:
        run_ok("--db", str(victim), "init", "--demo")  # the command can simply be run again
        assert counts(victim) == full


# -- (d) imports -----------------------------------------------------------------------------


def work_orders(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("标题,类别,网格,来源,上报时间,反映人,联系电话,问题描述\n")
        for n in range(rows):
            handle.write(
                f"导入工单{n:06d},游摊占道,{n % 6 + 1},网格巡查,2024-08-03 09:30,王女士,"
                f"13911177961,第{n}号摊位占道\n"
            )


def people(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("姓名,角色,网格,技能,电话\n")
        for n in range(rows):
            handle.write(f"志愿者{n:06d},志愿者,{n % 6 + 1},便民服务,139{n:08d}\n")


def activities(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("活动名称,活动类型,日期,牵头单位,服务企业数,解决企业数,参与人数,成效\n")
        for n in range(rows):
            handle.write(
                f"政策宣讲第{n:06d}场,政策宣讲,2024-{n % 12 + 1:02d}-{n % 28 + 1:02d},"
                "北碚区市场监督管理局,3,1,20,现场答疑\n"
            )


# command, file generator, rows (each import takes about a second here), main table
IMPORTS: dict[str, tuple[list[str], Callable[[Path, int], None], int, str]] = {
    "work-orders": (["issue", "import"], work_orders, 3_000, "issues"),
    "people": (["grid", "member", "import"], people, 12_000, "people"),
    "activities": (["activity", "import"], activities, 8_000, "activities"),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(IMPORTS))
def test_import_killed_at_random_moments(demo_template: Path, tmp_path: Path, kind: str) -> None:
    command, generate, rows, table = IMPORTS[kind]
    source = tmp_path / f"{kind}.csv"
    generate(source, rows)
    old = counts(demo_template)
    old_digest = digest(demo_template, table, old[table])
    scratch = tmp_path / "scratch.db"
    copy_db(demo_template, scratch)
    duration = run_ok("--db", str(scratch), *command, str(source))
    new = counts(scratch)
    assert new[table] == old[table] + rows
    outcomes = []
    for index, delay in enumerate(delays(SEED + rows, duration, 4)):
        victim = tmp_path / f"victim{index}.db"
        copy_db(demo_template, victim)
        killed = kill_after(["--db", str(victim), *command, str(source)], delay, tmp_path / "log")
        assert integrity(victim) == ("ok", [])
        found = counts(victim)
        assert found in (old, new), (found[table], old[table], new[table])
        assert digest(victim, table, old[table]) == old_digest  # the old rows are untouched
        if found == old:
            assert killed
            outcomes.append("old rows only")
        else:
            outcomes.append("all rows")
        assert leftovers(tmp_path) == []
        victim.unlink()
    assert "old rows only" in outcomes, outcomes


def test_bulk_rows_are_valid_beiwen_rows(tmp_path: Path) -> None:
    """The generated rows satisfy the schema: the kill tests start from a sound database."""
    cli = Cli(tmp_path / "bulk.db")
    cli.ok("init")
    for number in range(1, 7):
        cli.ok("grid", "add", str(number), f"第{number}网格")
    add_bulk(cli.db, 50, 50)
    cli.ok("db", "check")
    assert "批量商户000049" in cli.ok("units", "export", "--format", "json").stdout
    assert "批量工单000049" in cli.ok("issue", "export", "--format", "json").stdout
    shutil.copy(cli.db, tmp_path / "copy.db")
    assert counts(tmp_path / "copy.db")["units"] == 50
