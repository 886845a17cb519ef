"""kill -9 at random moments: nothing half-written, nothing acknowledged lost.

- A 200,000-row roster import is killed at 20 random moments (seeded): each time the file
  passes integrity_check and holds either the old rows and none of the new, or all of both.
- A loop of `issue add` is killed at random moments: every number it printed is stored,
  with its whole timeline entry.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Cli

SEED = 20_200_901  # the district's Party committee was set up in September 2020
ROWS = 200_000
OLD_ROWS = 40
KILLS = 20
PARALLEL = 2  # victims at once: one per core of the reference machine


def write_roster(path: Path, rows: int, prefix: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("名称,业态,地址,网格,联系人,联系电话\n")
        for n in range(rows):
            phone = f"1391234{n % 10000:04d}"
            handle.write(f"{prefix}{n:06d},零售,嘉陵风情步行街{n}号,{n % 6 + 1},李四,{phone}\n")


@pytest.fixture(scope="module")
def crash_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The 200,000-row roster and a base database with a few old units (built once)."""
    folder = tmp_path_factory.mktemp("crash")
    roster = folder / "roster.csv"
    write_roster(roster, ROWS, "新商户")
    base = folder / "base.db"
    cli = Cli(base)
    cli.ok("init")
    for number in range(1, 7):
        cli.ok("grid", "add", str(number), f"第{number}网格")
    old = folder / "old.csv"
    write_roster(old, OLD_ROWS, "老商户")
    cli.ok("units", "import", str(old))
    return base, roster, units_digest(base)


def units_digest(path: Path, limit: int = OLD_ROWS) -> str:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT * FROM units WHERE id <= ? ORDER BY id", (limit,)).fetchall()
    finally:
        conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def start_import(db: Path, roster: Path) -> subprocess.Popen[bytes]:
    with Path(f"{db}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "beiwen", "--db", str(db), "units", "import", str(roster)],
            stdout=log,
            stderr=log,
            env={**os.environ, "BEIWEN_LANG": "en"},
        )


def inspect(db: Path) -> tuple[str, int, list[tuple[object, ...]]]:
    """What the next user to open the file sees (opening replays or drops the WAL)."""
    conn = sqlite3.connect(db)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        count = conn.execute("SELECT count(*) FROM units").fetchone()[0]
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()
    return integrity, count, broken


def timed_run(*args: str) -> float:
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "beiwen", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "BEIWEN_LANG": "en"},
    )
    return time.monotonic() - started


@pytest.mark.slow
def test_import_killed_at_random_moments(
    crash_setup: tuple[Path, Path, str], tmp_path: Path
) -> None:
    base, roster, old_digest = crash_setup
    # How long the whole import takes here, estimated from a tenth of it.
    sample = tmp_path / "sample.csv"
    write_roster(sample, ROWS // 10, "样本商户")
    scratch = tmp_path / "scratch.db"
    shutil.copy(base, scratch)
    start_up = timed_run("--version")
    tenth = timed_run("--db", str(scratch), "units", "import", str(sample))
    duration = start_up + 10 * (tenth - start_up)

    chance = random.Random(SEED)
    delays = [chance.uniform(0.1, duration) for _ in range(KILLS)]
    outcomes: list[str] = []
    pending = list(range(KILLS))
    running: list[tuple[float, Path, subprocess.Popen[bytes]]] = []
    try:
        run_kills(base, roster, old_digest, delays, pending, running, outcomes, tmp_path)
    finally:
        for _, _, process in running:  # a failed assertion must not leave imports running
            if process.poll() is None:
                process.kill()
            process.wait()
    assert len(outcomes) == KILLS
    # Most moments fall inside the import; the test would prove nothing if none did.
    assert outcomes.count("old rows only") >= KILLS // 2, outcomes


def run_kills(
    base: Path,
    roster: Path,
    old_digest: str,
    delays: list[float],
    pending: list[int],
    running: list[tuple[float, Path, subprocess.Popen[bytes]]],
    outcomes: list[str],
    tmp_path: Path,
) -> None:
    while pending or running:
        # Keep PARALLEL imports going; start the next as soon as one has been killed.
        while pending and len(running) < PARALLEL:
            index = pending.pop(0)
            victim = tmp_path / f"victim{index}.db"
            shutil.copy(base, victim)
            process = start_import(victim, roster)
            running.append((time.monotonic() + delays[index], victim, process))
        running.sort(key=lambda item: item[0])
        deadline, victim, process = running.pop(0)
        time.sleep(max(0.0, deadline - time.monotonic()))
        finished_first = process.poll() is not None
        if not finished_first:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        log = Path(f"{victim}.log").read_text(encoding="utf-8", errors="replace")
        if finished_first:
            assert process.returncode == 0, log
        integrity, count, broken = inspect(victim)
        assert integrity == "ok", victim
        assert broken == []
        assert count in (OLD_ROWS, OLD_ROWS + ROWS), (victim, count)
        assert units_digest(victim) == old_digest  # the old rows are untouched
        if count == OLD_ROWS:
            assert not finished_first, "a finished import must have written everything"
            outcomes.append("old rows only")
        else:
            outcomes.append("all rows")
        victim.unlink()


# In-process adds (Typer's command tree built once): each opens its own connection and prints
# its number after the commit, as a separate `beiwen issue add` does.
ADD_LOOP = """
import sys
import typer
from beiwen.cli import app
command = typer.main.get_command(app)
for n in range(100_000):
    try:
        command.main(["--db", sys.argv[1], "issue", "add", f"巡查发现 {n}", "--category",
                      "vendor", "--grid", str(n % 6 + 1), "--phone", "13800001111"],
                     prog_name="beiwen")
    except SystemExit as exit:
        if exit.code:
            sys.exit(exit.code)
"""


@pytest.mark.slow
def test_adds_killed_at_random_moments_lose_no_printed_number(ready: Cli) -> None:
    chance = random.Random(SEED + 1)
    printed: list[int] = []
    for _ in range(6):
        # -u: every number reaches the pipe the moment the command prints it.
        process = subprocess.Popen(
            [sys.executable, "-u", "-c", ADD_LOOP, str(ready.db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "BEIWEN_LANG": "en"},
        )
        time.sleep(chance.uniform(0.8, 2.5))
        os.kill(process.pid, signal.SIGKILL)
        out, _ = process.communicate(timeout=60)
        lines = out.decode().split("\n")
        # The last piece may be a number cut off mid-write: only whole lines were printed.
        printed += [int(line) for line in lines[:-1]]
    assert len(printed) >= 6
    assert len(set(printed)) == len(printed)
    conn = sqlite3.connect(ready.db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in conn.execute("SELECT id FROM issues")}
        assert set(printed) <= stored
        # Each stored work order is whole: its report event came with it, in one transaction.
        orphans = conn.execute(
            "SELECT id FROM issues WHERE id NOT IN "
            "(SELECT issue_id FROM issue_events WHERE action = 'report')"
        ).fetchall()
        assert orphans == []
        # At most one add per kill can have committed without printing its number yet.
        assert len(stored) - len(printed) <= 6
    finally:
        conn.close()
