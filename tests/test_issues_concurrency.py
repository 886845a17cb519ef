"""Concurrent `beiwen issue add` from several processes: none fails, no number is given twice.

Each add holds one BEGIN IMMEDIATE transaction, so writers queue on SQLite's lock (up to
the busy timeout) and AUTOINCREMENT hands out the numbers. The first test runs 4 worker
processes that each call the real CLI entry point 50 times, every call opening its own
connection as a separate `beiwen` run does; the second starts real `python -m beiwen`
processes at the same moment.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import Cli, beiwen_process

WORKERS = 4
ADDS_PER_WORKER = 50

# A worker: wait for the start signal, then add work orders through beiwen.cli.main, the
# function the `beiwen` script runs (each call opens and closes its own connection);
# print one JSON line per add.
WORKER = """
import contextlib, functools, io, json, os, sys, time
import typer.main
from beiwen.cli import main

# typer rebuilds its click tree on every call (a one-off cost per real process); build it once.
typer.main.get_command = functools.cache(typer.main.get_command)

db, worker, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
open(f"{go}.ready.{worker}", "w").close()  # imported and about to wait: the barrier's arrival
while not os.path.exists(go):
    time.sleep(0.005)
for index in range(count):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["--db", db, "issue", "add", f"并发工单 {worker}-{index}",
                  "--category", "vendor", "--grid", "5"])
        except SystemExit as exit:
            code = exit.code or 0
    print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue()}), flush=True)
"""


def prepared(cli: Cli) -> Path:
    cli.ok("init")
    cli.ok("grid", "add", "5", "步行街中段网格")
    return cli.db


def stored(db: Path) -> list[tuple[int, str]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute("SELECT id, title FROM issues ORDER BY id"))
    finally:
        conn.close()


def test_concurrent_adds_from_four_processes(cli: Cli, tmp_path: Path) -> None:
    db = prepared(cli)
    go = tmp_path / "go"
    env = {**os.environ, "BEIWEN_LANG": "en"}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), str(n), str(ADDS_PER_WORKER), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(WORKERS)
    ]
    # A barrier: every worker has imported beiwen and waits, so they start writing together.
    ready = [tmp_path / f"go.ready.{n}" for n in range(WORKERS)]
    deadline = time.monotonic() + 120
    while not all(path.exists() for path in ready):
        assert time.monotonic() < deadline, "a worker never got ready"
        assert all(worker.poll() is None for worker in workers), "a worker died before the start"
        time.sleep(0.01)
    go.touch()
    numbers: list[int] = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        assert err == ""
        results = [json.loads(line) for line in out.splitlines()]
        assert len(results) == ADDS_PER_WORKER
        for result in results:
            assert result["code"] == 0, result
            assert "Error" not in result["err"], result
            numbers.append(int(result["out"]))
    total = WORKERS * ADDS_PER_WORKER
    assert len(numbers) == total
    assert len(set(numbers)) == total
    rows = stored(db)
    assert sorted(numbers) == [row[0] for row in rows]
    assert sorted(numbers) == list(range(1, total + 1))
    assert {row[1] for row in rows} == {
        f"并发工单 {w}-{i}" for w in range(WORKERS) for i in range(ADDS_PER_WORKER)
    }
    conn = sqlite3.connect(db)
    try:
        # Every order got exactly its one report event, in the same transaction.
        assert (
            conn.execute("SELECT count(*) FROM issue_events WHERE action = 'report'").fetchone()[0]
            == total
        )
    finally:
        conn.close()


def test_concurrent_real_beiwen_processes(cli: Cli) -> None:
    db = prepared(cli)

    def add(index: int) -> subprocess.CompletedProcess[str]:
        return beiwen_process(
            "--db", str(db), "issue", "add", f"进程工单 {index}", "--category", "游摊占道",
            timeout=120,
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(add, range(16)))
    for result in results:
        assert result.returncode == 0, result.stderr
        assert result.stderr.startswith("added work order ")
    numbers = [int(result.stdout) for result in results]
    assert sorted(numbers) == list(range(1, 17))
    assert [row[0] for row in stored(db)] == list(range(1, 17))
