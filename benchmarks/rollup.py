"""`beiwen rollup` of 17 committees' files against 17 separate `beiwen report` runs (issue 22).

    .venv/bin/python benchmarks/rollup.py            # 17 files of 1,000 orders, 5 paired runs
    .venv/bin/python benchmarks/rollup.py --quick    # 2 runs
    .venv/bin/python benchmarks/rollup.py --files 17 --orders 1000 --runs 7 --fresh --json

Each file is one year of one committee: a real `beiwen init` file with six grids and about
1,000 work orders over the 12 months ending datagen.LAST_MONTH (with their departments and
event log, the council units, merchants, rotation, courses and activities: datagen's
recipe), made once in benchmarks/data/rollup/ and reused. Both sides cover the same year
(`--from`/`--to`) and print JSON:

  rollup    one process: `beiwen rollup --from … --to … FILE×17 --format json`
  reports   one shell running `beiwen --db FILE report --from … --to … --format json` for
            each of the 17 files in turn (what the department does without the rollup)

They run alternately (measure.run_round_robin: one untimed warm-up round, then A B, B A, …);
the medians and their ratio are printed (target: well under 1). `make bench` runs it after
its own tables (benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import datagen  # noqa: E402
from measure import Command, run_round_robin  # noqa: E402

BIN = Path(sys.executable).parent
BEIWEN = BIN / "beiwen"
MONTHS = 12


def log(message: str) -> None:
    sys.stderr.write(f"[rollup] {message}\n")
    sys.stderr.flush()


def year_bounds() -> tuple[str, str]:
    """First and last day of the 12 months the files cover."""
    bounds = datagen.month_bounds(MONTHS)
    first = bounds[0][0] + "-01"
    last_month = bounds[-1][0]
    year, month = int(last_month[:4]), int(last_month[5:])
    import calendar

    return first, f"{last_month}-{calendar.monthrange(year, month)[1]:02d}"


def make_files(count: int, orders: int, fresh: bool) -> list[Path]:
    data = HERE / "data" / "rollup"
    data.mkdir(parents=True, exist_ok=True)
    grids_db = datagen.make_grids_db(data, "grids.db", BEIWEN, fresh)
    return [
        # orders + number: each file its own seed, so that no two committees are the same
        datagen.make_orders_db(
            data, f"committee-{number:02d}.db", orders + number, MONTHS, True, grids_db, fresh
        )
        for number in range(1, count + 1)
    ]


def committees_json(expected: int) -> object:
    def check(path: Path | None) -> str | None:
        assert path is not None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            return f"stdout is not JSON ({error})"
        found = len(data.get("committees", []))
        return None if found == expected else f"{found} committees, expected {expected}"

    return check


def commands(files: list[Path], scratch: Path) -> list[Command]:
    start, end = year_bounds()
    env = {"BEIWEN_LANG": "en", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"}
    period = ["--from", start, "--to", end]
    loop = " && ".join(
        shlex.join([str(BEIWEN), "--db", str(path), "report", *period, "--format", "json"])
        + " >/dev/null"
        for path in files
    )
    return [
        Command(
            "rollup",
            f"beiwen rollup ({len(files)} files)",
            [str(BEIWEN), "rollup", *period, *map(str, files), "--format", "json"],
            stdout=scratch / "rollup.json",
            check=committees_json(len(files)),  # type: ignore[arg-type]
            env=env,
        ),
        Command(
            "reports",
            f"{len(files)} x beiwen report",
            ["/bin/sh", "-c", loop],
            env=env,
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=17, help="committees' files (17)")
    parser.add_argument("--orders", type=int, default=1000, help="work orders per file (1000)")
    parser.add_argument("--runs", type=int, help="timed runs of each side (5; --quick: 2)")
    parser.add_argument("--quick", action="store_true", help="2 runs")
    parser.add_argument("--fresh", action="store_true", help="regenerate the files")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if not BEIWEN.exists():
        parser.error(f"{BEIWEN} is missing; run from the repository's .venv (make test)")
    runs = args.runs or (2 if args.quick else 5)
    files = make_files(args.files, args.orders, args.fresh)
    with tempfile.TemporaryDirectory(prefix="beiwen-rollup-") as scratch_name:
        log(f"{len(files)} files of about {args.orders:,} orders: {runs} runs each, alternating")
        results = run_round_robin(
            commands(files, Path(scratch_name)), runs, True, Path(scratch_name), log
        )
    rollup, reports = results["rollup"], results["reports"]
    ratio = (
        rollup.wall / reports.wall
        if rollup.wall is not None and reports.wall is not None and reports.wall
        else None
    )
    summary = {
        "files": len(files),
        "orders_per_file": args.orders,
        "period": list(year_bounds()),
        "runs": runs,
        "rollup_s": rollup.wall,
        "reports_s": reports.wall,
        "ratio": None if ratio is None else round(ratio, 3),
        "errors": {key: result.error for key, result in results.items() if result.error},
    }
    if args.json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        print(f"\nbeiwen rollup of {len(files)} files vs {len(files)} separate beiwen report runs")
        print(f"  {'command':<40} {'runs':>5} {'median s':>10} {'min–max s':>15}")
        for result in (rollup, reports):
            walls = [sample.wall for sample in result.samples]
            spread = f"{min(walls):.3f}–{max(walls):.3f}" if walls else "-"
            median = f"{result.wall:.3f}" if result.wall is not None else (result.error or "-")
            print(f"  {result.command.label:<40} {len(walls):>5} {median:>10} {spread:>15}")
        shown = "-" if ratio is None else f"{ratio:.2f} ×"
        verdict = "" if ratio is None else ("  met" if ratio < 0.5 else "  NOT met")
        print(f"  rollup / separate reports: {shown}   target: well under 1 (< 0.5 ×){verdict}")
    return 0 if not summary["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
