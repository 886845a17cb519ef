"""Start-up stays light: the daily commands must not import the heavy libraries.

A structural check, not a timing: `python -X importtime` lists every module a real
`beiwen` process imports, and none of the heavy ones may be among them for `--version`,
`--help`, `issue add --help` and a plain `issue add`. Commands import what they use inside
their functions; these paths use none of them. (The benchmark in benchmarks/ measures the
time; see benchmarks/README.md.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import Cli

# Top-level packages that each cost tens of milliseconds or more to import.
HEAVY = (
    "pydantic",
    "pydantic_core",
    "sqlite_utils",
    "openpyxl",
    "python_calamine",
    "dateutil",
    "docx",
    "icalendar",
)


def imported_modules(*args: str) -> set[str]:
    """Every module a real `beiwen *args` process imports (it must succeed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEIWEN_")}
    env.update({"BEIWEN_LANG": "en", "COLUMNS": "200"})
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "beiwen", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    # The listing was read: the CLI itself is in it (else the check would pass vacuously).
    assert "beiwen.cli" in modules, result.stderr[-2000:]
    return modules


def heavy_among(modules: set[str]) -> list[str]:
    """The heavy top-level packages among `modules`."""
    return sorted({name.split(".")[0] for name in modules} & set(HEAVY))


def test_the_listing_sees_a_heavy_import() -> None:
    """The parser above does catch a heavy module when one is imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import dateutil.parser"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    assert heavy_among(names) == ["dateutil"]


@pytest.mark.parametrize(
    "args",
    [("--version",), ("--help",), ("issue", "add", "--help")],
    ids=["version", "help", "issue-add-help"],
)
def test_start_up_imports_no_heavy_module(args: tuple[str, ...]) -> None:
    assert heavy_among(imported_modules(*args)) == []


def test_issue_add_imports_no_heavy_module(ready: Cli, db_path: Path) -> None:
    modules = imported_modules(
        "--db",
        str(db_path),
        "issue",
        "add",
        "占道经营",
        "--category",
        "vendor",
        "--grid",
        "3",
        "--reporter",
        "张伟",
        "--phone",
        "13800000000",
    )
    assert heavy_among(modules) == []
    assert "beiwen.commands.issues" in modules
    # the rooms of services.issues load when asked for: not the import, export, corrections
    assert "beiwen.services.issues.moves" in modules
    assert {
        "beiwen.services.issues.exchange",
        "beiwen.services.issues.corrections",
    } & modules == set()


def orders_file(ready: Cli) -> None:
    """One work order whistled and resolved: `issue show` and `report` have data to read."""
    ready.ok("units", "add", "北碚区城市管理局", "--kind", "agency")
    ready.ok("issue", "add", "占道经营", "--category", "vendor", "--grid", "3")
    ready.ok("issue", "dispatch", "1", "--unit", "北碚区城市管理局")
    ready.ok("issue", "accept", "1", "--unit", "北碚区城市管理局")
    ready.ok("issue", "resolve", "1", "--note", "已劝离")


@pytest.mark.parametrize(
    "args",
    [
        ("issue", "add", "井盖松动", "--category", "safety", "--grid", "2"),
        ("issue", "show", "1", "--format", "json"),
        ("report", "--year", "2024", "--format", "json"),
        ("issue", "list", "--format", "json"),
    ],
    ids=["issue-add", "issue-show", "report-json", "issue-list-json"],
)
def test_a_migrated_file_is_opened_without_the_migration_machinery(
    ready: Cli, db_path: Path, args: tuple[str, ...]
) -> None:
    """Issue 20: on a file with nothing to migrate, the daily commands import neither the
    migrations' resource reader (importlib.resources) nor sqlite_utils, nor any heavy
    module, nor the renderers of tables when they print JSON."""
    orders_file(ready)
    modules = imported_modules("--db", str(db_path), *args)
    assert heavy_among(modules) == []
    assert "importlib.resources" not in modules
    if "json" in args:
        assert "rich" not in {name.split(".")[0] for name in modules}
