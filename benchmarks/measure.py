"""Whole-process measurements: wall time and peak RSS of a command, run round-robin.

Each run is one fresh process, spawned by a tiny launcher and reaped with os.wait4, whose
rusage gives the process's peak resident set (ru_maxrss, KiB on Linux): the figures
`/usr/bin/time -f "%e %M"` prints, without needing that tool. Per-run set-up (a fresh copy
of the target database) happens before the clock starts.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Command:
    """One command of the benchmark: how to run it, and what to do before each run."""

    key: str
    label: str
    argv: list[str]
    setup: Callable[[], None] | None = None
    stdout: Path | None = None  # kept for checking; None discards it
    check: Callable[[Path | None], str | None] | None = None  # returns a problem or None
    env: dict[str, str] | None = None


@dataclass
class Sample:
    wall: float  # seconds
    rss_kib: int  # peak resident set size


@dataclass
class Result:
    command: Command
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    @property
    def wall(self) -> float | None:
        return statistics.median(s.wall for s in self.samples) if self.samples else None

    @property
    def rss_mib(self) -> float | None:
        if not self.samples:
            return None
        return statistics.median(s.rss_kib for s in self.samples) / 1024


# The launcher: a minimal Python (-I -S) that spawns the command and reports its wall time,
# peak RSS and exit code. The clock and wait4 live here rather than in the runner because
# Linux carries a forked child's pre-exec resident size into its ru_maxrss: spawned from
# the runner (which holds generated data), every command would show the runner's size.
# Spawned from this small process, the floor is the launcher's own few MiB.
LAUNCHER = """\
import os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_pid, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(result, "w") as handle:
    handle.write(f"{wall!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_once(command: Command, stderr_path: Path) -> tuple[Sample, int]:
    if command.setup is not None:
        command.setup()
    result_path = stderr_path.with_name("launcher-result.txt")
    result_path.unlink(missing_ok=True)
    stdout = command.stdout.open("wb") if command.stdout else subprocess.DEVNULL
    try:
        with stderr_path.open("wb") as stderr:
            subprocess.run(
                [sys.executable, "-I", "-S", "-c", LAUNCHER, str(result_path), *command.argv],
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                env=command.env,
                check=True,
            )
    finally:
        if stdout is not subprocess.DEVNULL:
            stdout.close()  # type: ignore[union-attr]
    wall, rss, code = result_path.read_text().split()
    return Sample(wall=float(wall), rss_kib=int(rss)), int(code)


def launcher_floor_mib() -> float:
    """The launcher's own peak RSS: no measured peak can be lower than this."""
    with tempfile.TemporaryDirectory() as folder:
        sample, _code = run_once(Command("true", "true", ["/bin/true"]), Path(folder) / "err")
    return sample.rss_kib / 1024


def failure(command: Command, code: int, stderr_path: Path) -> str | None:
    """Why a run does not count: a non-zero exit, or output that fails the command's check."""
    if code != 0:
        lines = stderr_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        return f"exit {code}: {lines[-1] if lines else '(no message)'}"
    if command.check is not None:
        return command.check(command.stdout)
    return None


def run_round_robin(
    commands: list[Command],
    runs: int,
    warmup: bool,
    scratch: Path,
    progress: Callable[[str], None],
) -> dict[str, Result]:
    """`runs` timed runs of every command, alternating them (A B C, B C A, C A B, …).

    A warm-up round (untimed) first fills the OS page cache and Python's bytecode caches
    and checks every command; a command that fails there or later is reported, not timed.
    """
    results = {command.key: Result(command) for command in commands}
    stderr_path = scratch / "stderr.txt"
    active = list(commands)
    if warmup:
        for command in list(active):
            _sample, code = run_once(command, stderr_path)
            problem = failure(command, code, stderr_path)
            if problem:
                results[command.key].error = problem
                active.remove(command)
                progress(f"{command.label}: {problem}")
    for round_number in range(runs):
        if not active:
            break
        shift = round_number % len(active)
        for command in active[shift:] + active[:shift]:
            sample, code = run_once(command, stderr_path)
            problem = failure(command, code, stderr_path)
            if problem:
                results[command.key].error = problem
                progress(f"{command.label}: {problem}")
                continue
            results[command.key].samples.append(sample)
            progress(
                f"run {round_number + 1}/{runs} {command.label}: {sample.wall:.3f} s, "
                f"{sample.rss_kib / 1024:.0f} MiB"
            )
        active = [c for c in active if results[c.key].error is None]
    return results


def machine() -> dict[str, str | int]:
    """What the figures were measured on."""
    import platform
    import sqlite3

    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) // 1024 // 1024} GiB"
                break
    except OSError:
        pass
    shell = ""
    try:
        shell = subprocess.run(
            ["sqlite3", "--version"], capture_output=True, text=True, check=False
        ).stdout.split(" ")[0]
    except OSError:
        pass
    return {
        "load_average": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "cpus": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count() or 0,
        "cpu_model": model,
        "memory": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "sqlite_library": sqlite3.sqlite_version,
        "sqlite3_shell": shell,
    }
