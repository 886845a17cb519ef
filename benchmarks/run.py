"""beiwen's benchmark against its real peers: `make bench` (= .venv/bin/python benchmarks/run.py).

Generates its own data in benchmarks/data/ (reused between runs; --fresh remakes it), then
measures whole processes side by side, alternating the commands, and prints the medians and
the target ratios of issue 8 as tables (or JSON with --json):

  quick commands  python -c pass · a stdlib one-row insert · `sqlite-utils insert` of one
                  row · beiwen --version · beiwen issue add · beiwen report --month and
                  beiwen issue list --month on 1M work orders (and on 10M with --large)
  imports         a 200,000-row GB18030 roster with Chinese headers: `beiwen units import`
                  vs `sqlite3 .import --csv` and `sqlite-utils insert --csv
                  --no-detect-types` of the same rows in UTF-8, each on a fresh database

Options: --quick (small data, 1-2 runs: a smoke check), --large (adds the 10,000,000-order
database), --fresh, --runs N, --import-runs N, --only quick|import, --json, --show FILE
(print the tables of a saved run: every run is saved as benchmarks/data/<profile>/last.json).
Progress goes to stderr; the tables (or the JSON) to stdout. No figure is asserted here or
in the test suite: the targets are reported as met or not met.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import datagen  # noqa: E402
from measure import Command, Result, launcher_floor_mib, machine, run_round_robin  # noqa: E402

BIN = Path(sys.executable).parent
BEIWEN = BIN / "beiwen"
SQLITE_UTILS = BIN / "sqlite-utils"
REPORT_MONTH = datagen.LAST_MONTH
MONTHS = 36
MONTH_SIZE_1M = 1_000_000


@dataclass(frozen=True)
class Profile:
    name: str
    roster_rows: int
    orders: int
    large_orders: int
    runs: int
    import_runs: int


FULL = Profile("full", 200_000, MONTH_SIZE_1M, 10 * MONTH_SIZE_1M, runs=10, import_runs=5)
QUICK = Profile("quick", 5_000, 36_000, 360_000, runs=2, import_runs=1)


@dataclass(frozen=True)
class Target:
    key: str
    what: str
    numerator: str  # a command key, or "rss:<key>" for its peak memory in MiB
    denominator: str | None  # a command key; None: the numerator is compared as is
    limit: float
    unit: str = "×"


# The targets of issue 20, each a ratio of two commands of the same round-robin run.
TARGETS = [
    Target(
        "import_vs_floor",
        "roster import (GB18030, every row validated) vs the plain-Python floor script",
        "beiwen_import",
        "floor_import",
        1.25,
    ),
    Target(
        "import_vs_sqlite_utils",
        "roster import vs sqlite-utils insert --csv --no-detect-types",
        "beiwen_import",
        "sqlite_utils_import",
        0.9,
    ),
    Target(
        "import_memory", "peak memory of the roster import", "rss:beiwen_import", None, 90, "MiB"
    ),
    Target(
        "issue_list_1m",
        "beiwen issue list --month … --format json, {orders} orders, vs sqlite3 -json",
        "beiwen_issue_list_1m",
        "sqlite3_json_list_1m",
        2.5,
    ),
    Target(
        "issue_list_memory",
        "peak memory of that issue list",
        "rss:beiwen_issue_list_1m",
        None,
        40,
        "MiB",
    ),
    Target(
        "report_1m",
        "beiwen report --month … --format json, {orders} orders, vs --version",
        "beiwen_report_1m",
        "beiwen_version",
        2.5,
    ),
    Target(
        "report_10m",
        "the same report on {large} orders vs on {orders} (same month size)",
        "beiwen_report_10m",
        "beiwen_report_1m",
        1.1,
    ),
    Target(
        "issue_add",
        "beiwen issue add vs sqlite-utils insert (one row)",
        "beiwen_issue_add",
        "sqlite_utils_insert",
        0.55,
    ),
    Target(
        "issue_add_1m",
        "beiwen issue add on the {orders}-order file vs on the small one",
        "beiwen_issue_add_1m",
        "beiwen_issue_add",
        1.05,
    ),
]

STDLIB_INSERT = """\
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("CREATE TABLE IF NOT EXISTS issues (id INTEGER PRIMARY KEY, title TEXT, "
             "category TEXT, grid INTEGER, source TEXT, reporter TEXT, phone TEXT, "
             "description TEXT, reported_at TEXT)")
conn.execute("INSERT INTO issues (title, category, grid, source, reporter, phone, description, "
             "reported_at) VALUES (?, ?, ?, ?, ?, ?, ?, datetime('now'))",
             ("占道经营", "vendor", 3, "patrol", "张伟", "13800000000", "出店经营，占用人行道"))
conn.commit()
"""
ONE_ROW = {
    "title": "占道经营",
    "category": "vendor",
    "grid": 3,
    "source": "patrol",
    "reporter": "张伟",
    "phone": "13800000000",
    "description": "出店经营，占用人行道",
}


def log(message: str) -> None:
    sys.stderr.write(f"[bench] {message}\n")
    sys.stderr.flush()


def child_env() -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE would make every run compile beiwen's sources again (the
    # warm-up round is there to write the bytecode caches, as an installed beiwen has them)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("BEIWEN_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update({"BEIWEN_LANG": "en", "NO_COLOR": "1"})
    return env


# --------------------------------------------------------------------------- output checks


def json_rows(expected_key: str | None = None) -> Callable[[Path | None], str | None]:
    """The command printed valid JSON (a non-empty list, or an object with `expected_key`)."""

    def check(path: Path | None) -> str | None:
        assert path is not None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            return f"stdout is not JSON ({error})"
        if expected_key is None:
            return None if isinstance(data, list) and data else "expected a non-empty JSON list"
        return (
            None
            if isinstance(data, dict) and expected_key in data
            else (f"expected a JSON object with {expected_key!r}")
        )

    return check


def row_count(db: Path, table: str, expected: int) -> Callable[[Path | None], str | None]:
    def check(_path: Path | None) -> str | None:
        conn = sqlite3.connect(db)
        try:
            found = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        finally:
            conn.close()
        return None if found == expected else f"{table} has {found} rows, expected {expected}"

    return check


# --------------------------------------------------------------------------- the commands


def size_label(count: int) -> str:
    return f"{count // 1_000_000}M" if count % 1_000_000 == 0 else f"{count // 1000}k"


def quick_commands(
    scratch: Path,
    grids_db: Path,
    profile: Profile,
    orders_1m: Path,
    orders_10m: Path | None,
) -> list[Command]:
    env = child_env()
    daily = scratch / "daily.db"
    datagen.copy_database(grids_db, daily)
    stdlib_db = scratch / "stdlib.db"
    peer_db = scratch / "peer.db"
    row_json = scratch / "row.json"
    row_json.write_text(json.dumps(ONE_ROW, ensure_ascii=False), encoding="utf-8")
    commands = [
        Command("python_pass", "python -c pass", [sys.executable, "-c", "pass"], env=env),
        Command(
            "stdlib_insert",
            "python: sqlite3 one-row insert",
            [sys.executable, "-c", STDLIB_INSERT, str(stdlib_db)],
            env=env,
        ),
        Command(
            "sqlite_utils_insert",
            "sqlite-utils insert (one row)",
            [str(SQLITE_UTILS), "insert", str(peer_db), "issues", str(row_json)],
            env=env,
        ),
        Command("beiwen_version", "beiwen --version", [str(BEIWEN), "--version"], env=env),
        Command(
            "beiwen_issue_add",
            "beiwen issue add",
            [
                str(BEIWEN),
                "--db",
                str(daily),
                "issue",
                "add",
                ONE_ROW["title"],
                "--category",
                "vendor",
                "--grid",
                "3",
                "--source",
                "patrol",
                "--reporter",
                "张伟",
                "--phone",
                "13800000000",
                "--description",
                str(ONE_ROW["description"]),
            ],
            env=env,
        ),
    ]
    add_argv = commands[-1].argv
    commands.append(
        # Appends to the reused 1M file: today's orders, outside the month measured.
        Command(
            "beiwen_issue_add_1m",
            f"beiwen issue add ({size_label(profile.orders)}-order file)",
            [add_argv[0], "--db", str(orders_1m), *add_argv[3:]],
            env=env,
        )
    )
    commands.append(
        Command(
            "sqlite3_json_list_1m",
            f"sqlite3 -json: the same month's rows ({size_label(profile.orders)})",
            [shutil.which("sqlite3") or "sqlite3", "-json", str(orders_1m), list_sql()],
            stdout=scratch / "sqlite3-list-1m.json",
            check=json_rows(),
            env=env,
        )
    )
    targets = [("1m", orders_1m, profile.orders)]
    if orders_10m:
        targets.append(("10m", orders_10m, profile.large_orders))
    for size, db, count in targets:
        commands.append(
            Command(
                f"beiwen_report_{size}",
                f"beiwen report --month {REPORT_MONTH} --format json ({size_label(count)})",
                [
                    str(BEIWEN),
                    "--db",
                    str(db),
                    "report",
                    "--month",
                    REPORT_MONTH,
                    "--format",
                    "json",
                ],
                stdout=scratch / f"report-{size}.json",
                check=json_rows("issues"),
                env=env,
            )
        )
    commands.append(
        Command(
            "beiwen_issue_list_1m",
            f"beiwen issue list --month {REPORT_MONTH} --format json "
            f"({size_label(profile.orders)})",
            [
                str(BEIWEN),
                "--db",
                str(orders_1m),
                "issue",
                "list",
                "--month",
                REPORT_MONTH,
                "--format",
                "json",
            ],
            stdout=scratch / "issue-list-1m.json",
            check=json_rows(),
            env=env,
        )
    )
    return commands


def list_sql() -> str:
    """What `beiwen issue list --month REPORT_MONTH` reads (repository.issues.list_issues):
    the month's orders, neither cancelled nor voided, with the unit, the grid's name and the
    departments holding each, oldest report first."""
    start, end = datagen.month_bounds(1)[0][1:]
    clock = datagen.Clock()
    return f"""
    SELECT i.*, u.name AS unit_name, u.address AS unit_address, g.name AS grid_name,
        (SELECT group_concat(name, '、') FROM (
            SELECT un.name FROM issue_units iu JOIN units un ON un.id = iu.unit_id
            WHERE iu.issue_id = i.id AND iu.released_at IS NULL
            ORDER BY iu.dispatched_at, un.id)) AS departments
    FROM issues i LEFT JOIN units u ON u.id = i.unit_id LEFT JOIN grids g ON g.number = i.grid
    WHERE i.reported_at >= '{clock(start)[:10]}T00:00:00+08:00'
        AND i.reported_at < '{clock(end)[:10]}T00:00:00+08:00'
        AND i.status <> 'cancelled' AND i.voided_at IS NULL
    ORDER BY i.reported_at, i.id
    """


def import_commands(
    scratch: Path, grids_db: Path, roster_gb: Path, roster_utf8: Path, rows: int
) -> list[Command]:
    env = child_env()
    beiwen_db = scratch / "import-beiwen.db"
    sqlite3_db = scratch / "import-sqlite3.db"
    utils_db = scratch / "import-sqlite-utils.db"
    floor_db = scratch / "import-floor.db"
    return [
        Command(
            "floor_import",
            "plain-Python floor script (GB18030, same rules)",
            [sys.executable, str(HERE / "floor_import.py"), str(floor_db), str(roster_gb)],
            setup=lambda: datagen.copy_database(grids_db, floor_db),
            check=row_count(floor_db, "units", rows),
            env=env,
        ),
        Command(
            "beiwen_import",
            "beiwen units import (GB18030)",
            [str(BEIWEN), "--db", str(beiwen_db), "units", "import", str(roster_gb)],
            setup=lambda: datagen.copy_database(grids_db, beiwen_db),
            check=row_count(beiwen_db, "units", rows),
            env=env,
        ),
        Command(
            "sqlite3_import",
            "sqlite3 .import --csv (UTF-8)",
            [
                shutil.which("sqlite3") or "sqlite3",
                str(sqlite3_db),
                f".import --csv {roster_utf8} merchants",
            ],
            setup=lambda: datagen.remove_database(sqlite3_db),
            check=row_count(sqlite3_db, "merchants", rows),
            env=env,
        ),
        Command(
            "sqlite_utils_import",
            "sqlite-utils insert --csv --no-detect-types (UTF-8)",
            [
                str(SQLITE_UTILS),
                "insert",
                str(utils_db),
                "merchants",
                str(roster_utf8),
                "--csv",
                "--no-detect-types",
            ],
            setup=lambda: datagen.remove_database(utils_db),
            check=row_count(utils_db, "merchants", rows),
            env=env,
        ),
    ]


# --------------------------------------------------------------------------- results


def figure(results: dict[str, Result], ref: str) -> float | None:
    if ref.startswith("rss:"):
        result = results.get(ref[4:])
        return result.rss_mib if result else None
    result = results.get(ref)
    return result.wall if result else None


def evaluate(results: dict[str, Result], large: bool, profile: Profile) -> list[dict[str, Any]]:
    sizes = {"orders": size_label(profile.orders), "large": size_label(profile.large_orders)}
    rows = []
    for target in TARGETS:
        top = figure(results, target.numerator)
        bottom = figure(results, target.denominator) if target.denominator else 1.0
        value = top / bottom if top is not None and bottom else None
        if value is not None:
            status = "met" if value <= target.limit else "NOT met"
        elif target.key == "report_10m" and not large:
            status = "not measured (needs --large)"
        else:
            missing = [
                results[k.removeprefix("rss:")].error
                for k in (target.numerator, target.denominator)
                if k and k.removeprefix("rss:") in results and results[k.removeprefix("rss:")].error
            ]
            status = "failed: " + missing[0] if missing else "not measured"
        rows.append(
            {
                "key": target.key,
                "what": target.what.format(**sizes),
                "value": None if value is None else round(value, 3),
                "unit": target.unit,
                "target": target.limit,
                "met": value is not None and value <= target.limit,
                "status": status,
            }
        )
    return rows


def command_rows(results: dict[str, Result]) -> list[dict[str, Any]]:
    rows = []
    for key, result in results.items():
        walls = [s.wall for s in result.samples]
        rows.append(
            {
                "key": key,
                "command": result.command.label,
                "runs": len(walls),
                "wall_median_s": None if result.wall is None else round(result.wall, 4),
                "wall_min_s": round(min(walls), 4) if walls else None,
                "wall_max_s": round(max(walls), 4) if walls else None,
                "peak_rss_mib": None if result.rss_mib is None else round(result.rss_mib, 1),
                "error": result.error,
            }
        )
    return rows


def print_tables(report: dict[str, Any]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(150, shutil.get_terminal_size().columns), highlight=False)
    info = report["machine"]
    console.print(
        f"beiwen benchmark ({report['profile']}): {info['cpus']} CPUs, {info['cpu_model']}, "
        f"{info['memory']}, Python {info['python']}, SQLite {info['sqlite_library']} "
        f"(shell {info['sqlite3_shell']}); load average {info['load_average_at_start']} at "
        f"the start, {info['load_average']} at the end; peak RSS below "
        f"{report['rss_floor_mib']:.0f} MiB reads as that floor (the launcher's own size)"
    )
    commands = Table(title="Whole-process medians", box=box.SIMPLE_HEAD, title_justify="left")
    for name, justify in (
        ("command", "left"),
        ("runs", "right"),
        ("median s", "right"),
        ("min–max s", "right"),
        ("peak RSS MiB", "right"),
    ):
        commands.add_column(name, justify=justify)
    for row in report["commands"]:
        if row["error"]:
            commands.add_row(row["command"], str(row["runs"]), "—", row["error"], "—")
            continue
        commands.add_row(
            row["command"],
            str(row["runs"]),
            f"{row['wall_median_s']:.3f}",
            f"{row['wall_min_s']:.3f}–{row['wall_max_s']:.3f}",
            f"{row['peak_rss_mib']:.0f}",
        )
    console.print(commands)
    targets = Table(title="Targets", box=box.SIMPLE_HEAD, title_justify="left")
    for name, justify in (
        ("what", "left"),
        ("measured", "right"),
        ("target", "right"),
        ("", "left"),
    ):
        targets.add_column(name, justify=justify)
    for row in report["targets"]:
        value = "—" if row["value"] is None else f"{row['value']:.2f} {row['unit']}"
        targets.add_row(row["what"], value, f"≤ {row['target']:g} {row['unit']}", row["status"])
    console.print(targets)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, 1-2 runs: a smoke check")
    parser.add_argument("--large", action="store_true", help="also the 10M-work-order database")
    parser.add_argument("--fresh", action="store_true", help="regenerate the data")
    parser.add_argument("--runs", type=int, help="timed runs of each quick command")
    parser.add_argument("--import-runs", type=int, help="timed runs of each import")
    parser.add_argument("--only", choices=("quick", "import"), help="one group of commands")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument(
        "--show", type=Path, metavar="FILE", help="print the tables of a saved run (last.json)"
    )
    args = parser.parse_args(argv)
    if args.show:
        print_tables(json.loads(args.show.read_text(encoding="utf-8")))
        return 0
    profile = QUICK if args.quick else FULL
    runs = args.runs or profile.runs
    import_runs = args.import_runs or profile.import_runs
    for tool, hint in ((BEIWEN, "make test installs it"), (SQLITE_UTILS, "a dependency")):
        if not tool.exists():
            parser.error(f"{tool} is missing ({hint}); run make bench from the repository")
    if shutil.which("sqlite3") is None:
        parser.error("the sqlite3 shell is not installed (apt-get install sqlite3)")

    load_at_start = " ".join(f"{value:.2f}" for value in os.getloadavg())
    data = HERE / "data" / profile.name
    data.mkdir(parents=True, exist_ok=True)
    grids_db = datagen.make_grids_db(data, "grids.db", BEIWEN, args.fresh)
    results: dict[str, Result] = {}
    with tempfile.TemporaryDirectory(prefix="beiwen-bench-", dir=data) as scratch_name:
        scratch = Path(scratch_name)
        if args.only in (None, "quick"):
            orders_1m = datagen.make_orders_db(
                data,
                f"orders-{size_label(profile.orders).lower()}.db",
                profile.orders,
                MONTHS,
                True,
                grids_db,
                args.fresh,
            )
            orders_10m = None
            if args.large:
                orders_10m = datagen.make_orders_db(
                    data,
                    f"orders-{size_label(profile.large_orders).lower()}.db",
                    profile.large_orders,
                    MONTHS * 10,
                    False,
                    grids_db,
                    args.fresh,
                )
            commands = quick_commands(scratch, grids_db, profile, orders_1m, orders_10m)
            log(f"quick commands: {runs} runs each, round-robin, after one warm-up round")
            results.update(run_round_robin(commands, runs, True, scratch, log))
        if args.only in (None, "import"):
            roster_gb, roster_utf8 = datagen.make_roster(data, profile.roster_rows, args.fresh)
            commands = import_commands(
                scratch, grids_db, roster_gb, roster_utf8, profile.roster_rows
            )
            log(f"imports of {profile.roster_rows:,} rows: {import_runs} runs each, round-robin")
            results.update(run_round_robin(commands, import_runs, False, scratch, log))
    report = {
        "profile": profile.name,
        "machine": {**machine(), "load_average_at_start": load_at_start},
        "rss_floor_mib": round(launcher_floor_mib(), 1),
        "data": {
            "roster_rows": profile.roster_rows,
            "orders": profile.orders,
            "large_orders": profile.large_orders if args.large else None,
            "report_month": REPORT_MONTH,
        },
        "commands": command_rows(results),
        "targets": evaluate(results, args.large, profile),
    }
    # Kept beside the data (git-ignored) so that a run can be printed again with --show.
    (data / "last.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    if args.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        print_tables(report)
    if args.only is None and not args.json:  # then the rollup of 17 files vs 17 reports
        from rollup import main as rollup_main  # benchmarks/rollup.py

        return rollup_main(["--quick"] if args.quick else [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
