"""`beiwen rollup`: one row per committee's file and a total row, for a month, a year or
any range.

Design: each file is opened read-only in turn (`db.open_read_only`: refused, unchanged,
when it is not SQLite, another program's database or from a newer beiwen; no -wal/-shm
left beside it) and its figures are computed by the report's own functions
(`services.report.issue_section`, the courses' and activities' totals), then the file is
closed. No SQLite ATTACH: attaching would need a second copy of every report query with
schema-qualified names, and the contract is that each row equals what `beiwen report`
prints for that file alone; running the same code guarantees it. The cost beside 17
`beiwen report` runs is one start-up instead of 17, and only the figures the rollup shows.

Files at an older schema are read as they are, never migrated: the report's SQL sees the
work-order columns m002 and m014 added as NULL through a TEMP view (repository/rollup.py),
which gives the figures the same file gives once migrated; everything else the rollup
reads exists since m001. The lists (needs and projects, m009) are the report's `lists` section where
the file has their tables, and null where it does not (the total sums the files that have
them). Totals are sums of numerators and denominators: a rate of the
totals, never an average of rates.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beiwen.db import Connection, open_read_only
from beiwen.errors import InvalidInputError
from beiwen.i18n import t
from beiwen.migrations import MIGRATION_SET, MIGRATIONS_TABLE, STEPS
from beiwen.parsing import CHINA_TZ, iso, now
from beiwen.repository import rollup as repo
from beiwen.repository import settings as settings_repo
from beiwen.services.period import Period
from beiwen.services.report import explain, issue_section, metric_key, rate

# The rates of a row, each with the fraction it is made of (`fractions`, as in the report).
RATES = ("handling_rate", "on_time_rate", "satisfaction_rate")
# The counts of a row: (section, key) in the committee's JSON, the same key in the total.
ISSUE_COUNTS = ("collected", "handled", "overdue")
OTHER_COUNTS = (
    ("activities", "count", "activities"),
    ("activities", "participants", "participants"),
    ("activities", "enterprises_served", "enterprises_served"),
    ("courses", "classes", "classes"),
    ("courses", "attendance", "attendance"),
)
# The tables the report's lists section reads (m009_lists): counted where the file has them.
LIST_TABLES = ("needs", "need_events", "projects", "project_needs")


@dataclass(frozen=True)
class Committee:
    """One file given on the command line: where it is and the name the rollup shows."""

    path: Path
    name: str
    schema: str  # the last migration the file has
    current: bool  # it has every migration this beiwen knows


def check_files(paths: list[Path]) -> list[Path]:
    """At least one file, none given twice (it would count twice)."""
    if not paths:
        raise InvalidInputError(t("rollup.no_files"))
    seen: dict[str, Path] = {}
    for path in paths:
        key = os.path.realpath(path)
        if key in seen:
            raise InvalidInputError(t("rollup.same_file", path=path, first=seen[key]))
        seen[key] = path
    return paths


@contextmanager
def inputs_protected(paths: list[Path]) -> Iterator[None]:
    """No --output may overwrite one of the files being read (or their sidecars): io.files
    refuses them while the rollup runs, as it refuses the database in use."""
    from beiwen.io.files import protect, unprotect

    with ExitStack() as stack:
        for path in paths:
            protect(path, "rollup_input", sidecars=True)
            stack.callback(unprotect, path, sidecars=True)
        yield


@contextmanager
def opened(path: Path) -> Iterator[tuple[Connection, Committee]]:
    """The file read-only, made readable by the report's SQL, closed (sidecars it made
    removed) when done; every problem is one error naming the file."""
    conn = open_read_only(path)
    try:
        applied = repo.applied_migrations(conn, MIGRATION_SET, MIGRATIONS_TABLE)
        issue_columns = repo.columns_of(conn, "issues")
        missing = [name for name in repo.ISSUE_COLUMNS_ADDED if name not in issue_columns]
        if missing:
            repo.stand_in_issue_columns(conn, missing)
        stored = settings_repo.stored_settings(conn)
        committee = Committee(
            path=path,
            name=stored.get("org.name") or path.stem,
            schema=applied[-1] if applied else "",
            current=len(applied) >= len(STEPS),
        )
        yield conn, committee
    finally:
        conn.close()


def committee_figures(conn: Connection, committee: Committee, period: Period) -> dict[str, Any]:
    """The committee's row: the report's own figures for `period` (the same functions as
    `beiwen report`, so each equals what the report prints for that file)."""
    from beiwen.services.activities import totals_by_kind
    from beiwen.services.courses import held_by_course

    issues = issue_section(conn, period)
    classes = held_by_course(conn, period.start, period.end)
    kinds = totals_by_kind(conn, period.start, period.end)
    row: dict[str, Any] = {
        "file": str(committee.path),
        "name": committee.name,
        "schema": committee.schema,
        "schema_current": committee.current,
        "issues": {
            **{key: issues[key] for key in ISSUE_COUNTS},
            **{key: issues[key] for key in RATES},
            "fractions": {key: list(issues["fractions"][key]) for key in RATES},
        },
        "activities": {
            "count": sum(kind["activities"] for kind in kinds),
            "participants": sum(kind["participants"] or 0 for kind in kinds),
            "enterprises_served": sum(kind["enterprises_served"] or 0 for kind in kinds),
        },
        "courses": {
            "classes": sum(course["classes"] for course in classes),
            "attendance": sum(course["attendance"] for course in classes),
        },
        "lists": _lists(conn, period),
    }
    return row


def _lists(conn: Connection, period: Period) -> dict[str, int] | None:
    """The report's `lists` section (needs and projects, services/report_lists.py) where the
    file has their tables (m009_lists); None for an older file."""
    if not all(repo.has_table(conn, table) for table in LIST_TABLES):
        return None
    from beiwen.services.report_lists import lists_section

    return dict(lists_section(conn, period))


def rollup(paths: list[Path], period: Period) -> dict[str, Any]:
    """Every file's row, in the order given, and the total row."""
    committees = []
    for path in check_files(paths):
        with opened(path) as (conn, committee):
            committees.append(committee_figures(conn, committee, period))
    return {
        "period": period.as_json(),
        "committees": committees,
        "total": total_row(committees),
        "generated_at": iso(now().astimezone(CHINA_TZ)),
    }


def total_row(committees: list[dict[str, Any]]) -> dict[str, Any]:
    """Sums of the counts, and each rate as the sum of its numerators over the sum of its
    denominators (`73/77 = 94.8%` of the district, not an average of the committees')."""
    total: dict[str, Any] = {
        key: sum(row["issues"][key] for row in committees) for key in ISSUE_COUNTS
    }
    fractions: dict[str, list[int]] = {}
    for key in RATES:
        numerator = sum(row["issues"]["fractions"][key][0] for row in committees)
        denominator = sum(row["issues"]["fractions"][key][1] for row in committees)
        fractions[key] = [numerator, denominator]
        total[key] = rate(numerator, denominator)
    for section, key, name in OTHER_COUNTS:
        total[name] = sum(row[section][key] for row in committees)
    # The lists: sums over the files that have them; None when none of them has.
    with_lists = [row["lists"] for row in committees if row["lists"] is not None]
    keys = dict.fromkeys(key for lists in with_lists for key in lists)
    total["lists"] = (
        {key: sum(lists.get(key, 0) for lists in with_lists) for key in keys}
        if with_lists
        else None
    )
    total["committees"] = len(committees)
    total["fractions"] = fractions
    return total


def rollup_explain(paths: list[Path], period: Period, metric: str) -> dict[str, Any]:
    """`--explain METRIC`: per file, the work orders behind the figure (the report's
    explain), and the totals of their numerators and denominators."""
    key = metric_key(metric)
    committees = []
    for path in check_files(paths):
        with opened(path) as (conn, committee):
            found = explain(conn, period, key)
            committees.append({"file": str(path), "name": committee.name, **found})
    denominators = [row["denominator"] for row in committees]
    return {
        "metric": key,
        "period": period.as_json(),
        "numerator": sum(row["numerator"] for row in committees),
        "denominator": None if None in denominators else sum(denominators),
        "committees": committees,
    }
