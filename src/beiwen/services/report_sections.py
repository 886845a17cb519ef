"""The report's sections on who answered the whistle (吹哨/报到), where orders came from and
what the month's duty unit did: `issues.by_department`, `issues.by_source`,
`issues.overdue_list`, `issues.top_categories` and `duty`. Definitions (the README repeats
them):

- a department's orders of the period: the whistles (dispatches) blown to it in the period,
  of orders not cancelled by its end; `dispatched` counts them;
- `reported_in`: of those, reported in (报到) by the period's end; `reported_in_on_time`:
  within the report-in limit (`REPORT_IN_HOURS`, 24 hours) of the whistle. Its denominator
  (`fractions.reported_in_on_time`) is the orders that reported in or whose limit ran out by
  the end (or now), so a whistle blown an hour before the end does not count against it;
- `transferred`: of those, passed on by the department to another (转单) by the end; the
  others are the orders it kept: `handled` (resolved or closed by the end) and
  `handled_on_time` (by their due time), over the kept orders that were handled or fell due
  by the end (`fractions.handled_on_time`); `satisfied` (satisfied or basically satisfied)
  over `followed_up` (closed with a satisfaction by the end), of the handled;
- `overdue`: the orders the department held at the period's end that were open and past
  their due time then, whenever they were whistled (the overdue list's departments);
- `score` (0..100, one decimal) = 40% report-in on time + 40% handled on time + 20%
  satisfied, each the rate of its own fraction; a part whose denominator is 0 is left out
  and the others' weights scaled up to 100%. A department with no whistle in the period has
  no score and no rank; `rank` 1 is the best, equal scores share a rank.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter, defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from beiwen import vocab
from beiwen.repository import report as report_repo
from beiwen.repository import report_sections as repo

if TYPE_CHECKING:
    from beiwen.services.period import Period

REPORT_IN_HOURS = 24
SCORE_WEIGHTS = (
    ("reported_in_on_time", 0.4),
    ("handled_on_time", 0.4),
    ("satisfied", 0.2),
)
TOP_CATEGORIES = 3


def _rate(numerator: int, denominator: int) -> float | None:
    """The rule of services.report.rate (4 decimals, None over 0), which this module cannot
    import (services.report imports it)."""
    return round(numerator / denominator, 4) if denominator else None


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _before(value: str | None, end: str) -> bool:
    return value is not None and value < end


def department_entry(counts: dict[str, Any]) -> dict[str, Any]:
    """One department's figures from the counts of its whistles of the period
    (`repo.department_figures`: the definitions above, counted in SQL)."""
    fractions = {
        "reported_in_on_time": [counts["reported_in_on_time"], counts["report_in_due"]],
        "handled_on_time": [counts["handled_on_time"], counts["fell_due"]],
        "satisfied": [counts["satisfied"], counts["followed_up"]],
    }
    median = counts["median_report_in_hours"]
    return {
        "unit_id": counts["unit_id"],
        "unit": counts["unit"],
        "dispatched": counts["dispatched"],
        "reported_in": counts["reported_in"],
        "reported_in_on_time": counts["reported_in_on_time"],
        "median_report_in_hours": float(median) if median is not None else None,
        "transferred": counts["transferred"],
        "handled": counts["handled"],
        "handled_on_time": counts["handled_on_time"],
        "overdue": 0,
        "satisfied": counts["satisfied"],
        "followed_up": counts["followed_up"],
        "fractions": fractions,
        "score": score(fractions) if counts["dispatched"] else None,
        "rank": None,
    }


_NO_WHISTLE = dict.fromkeys(
    (
        "dispatched",
        "reported_in",
        "reported_in_on_time",
        "report_in_due",
        "transferred",
        "handled",
        "handled_on_time",
        "fell_due",
        "satisfied",
        "followed_up",
    ),
    0,
)


def score(fractions: dict[str, list[int]]) -> float | None:
    """The weighted rates of SCORE_WEIGHTS, 0..100 with one decimal; None when no part has a
    denominator."""
    parts = [
        (weight, fractions[key][0] / fractions[key][1])
        for key, weight in SCORE_WEIGHTS
        if fractions[key][1]
    ]
    total = sum(weight for weight, _ in parts)
    if not total:
        return None
    return round(100 * sum(weight * value for weight, value in parts) / total, 1)


def _ranked(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Best first: by score (competition ranking, equal scores share a rank), then the
    unranked by name."""
    scored = sorted(
        (entry for entry in entries if entry["score"] is not None),
        key=lambda entry: (-entry["score"], entry["unit"], entry["unit_id"]),
    )
    previous: tuple[float, int] | None = None
    for position, entry in enumerate(scored, start=1):
        if previous is not None and previous[0] == entry["score"]:
            entry["rank"] = previous[1]
        else:
            entry["rank"] = position
        previous = (entry["score"], entry["rank"])
    unscored = [entry for entry in entries if entry["score"] is None]
    return scored + sorted(unscored, key=lambda entry: (entry["unit"], entry["unit_id"]))


def overdue_list(
    conn: sqlite3.Connection,
    end: str,
    cutoff: str,
    backlog: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The orders open at `end` and past their due time at `cutoff` (the end, or now), oldest
    due first, with the departments holding them then. `days_overdue` counts a started day
    as a whole one. `backlog`: the orders open at `end` (`open_list`), when the caller has
    read them already."""
    if backlog is None:
        backlog = report_repo.open_list(conn, end, due_before=cutoff)
    else:
        backlog = [row for row in backlog if row["due_at"] is not None and row["due_at"] < cutoff]
    holding: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in repo.holders(conn, end, [row["id"] for row in backlog]):
        holding[row["issue_id"]].append({"unit_id": row["unit_id"], "unit": row["unit"]})
    names = repo.grid_names(conn)
    at = _moment(cutoff)
    listed = []
    for row in sorted(backlog, key=lambda row: (row["due_at"], row["id"])):
        late = (at - _moment(row["due_at"])).total_seconds() / 86400
        listed.append(
            {
                "id": row["id"],
                "title": row["title"],
                "category": row["category"],
                "grid": row["grid"],
                "grid_name": names.get(row["grid"]) if row["grid"] is not None else None,
                "due_at": row["due_at"],
                "days_overdue": max(1, math.ceil(late)),
                "departments": holding.get(row["id"], []),
            }
        )
    return listed


def by_department(
    conn: sqlite3.Connection, period: Period, cutoff: str, overdue: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    entries = {
        (row["unit_id"], row["unit"]): department_entry(row)
        for row in repo.department_figures(conn, period.start_at, period.end_at, cutoff)
    }
    held = Counter(
        (holder["unit_id"], holder["unit"]) for row in overdue for holder in row["departments"]
    )
    for key, count in held.items():
        if key not in entries:  # holds an overdue order, whistled before the period
            entries[key] = department_entry(
                {**_NO_WHISTLE, "unit_id": key[0], "unit": key[1], "median_report_in_hours": None}
            )
        entries[key]["overdue"] = count
    return _ranked(list(entries.values()))


def by_source(groups: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Collected and handled per source, in the vocabulary's order; only the sources with
    collected orders (summed from `repository.report.issue_groups`' rows)."""
    found: dict[str, dict[str, int]] = {}
    for row in groups:
        counts = found.setdefault(row["source"], {"collected": 0, "handled": 0})
        counts["collected"] += row["collected"]
        counts["handled"] += row["handled"]
    return {key: found[key] for key in vocab.ISSUE_SOURCES if key in found}


def top_categories(by_category: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """The TOP_CATEGORIES categories with the most collected orders (ties in the
    vocabulary's order), each with its share of all collected orders."""
    total = sum(counts["collected"] for counts in by_category.values())
    order = list(vocab.ISSUE_CATEGORIES)
    ranked = sorted(
        (key for key, counts in by_category.items() if counts["collected"]),
        key=lambda key: (-by_category[key]["collected"], order.index(key)),
    )
    return [
        {
            "category": key,
            "collected": by_category[key]["collected"],
            "share": _rate(by_category[key]["collected"], total),
        }
        for key in ranked[:TOP_CATEGORIES]
    ]


def issue_sections(
    conn: sqlite3.Connection,
    period: Period,
    cutoff: str,
    issues: dict[str, Any],
    groups: list[dict[str, Any]],
    backlog: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The keys this module adds to the report's `issues` section (`groups`: the rows of
    `repository.report.issue_groups` the section was summed from; `backlog`: the orders open
    at the end it counted, `repository.report.open_list`)."""
    overdue = overdue_list(conn, period.end_at, cutoff, backlog)
    return {
        "by_source": by_source(groups),
        "top_categories": top_categories(issues["by_category"]),
        "by_department": by_department(conn, period, cutoff, overdue),
        "overdue_list": overdue,
    }


def duty_section(
    conn: sqlite3.Connection,
    period: Period,
    cutoff: str,
    departments: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The duty unit(s) of the period's months (轮值书记单位), each with what it did in its
    months of the period: the activities it led, the orders whistled to it and how fast it
    reported in (the figures of `by_department`, counted over its months only).

    `departments`: the period's `by_department` entries, when the caller has them; a duty
    unit on duty in every month of the period takes its figures from there (counted over the
    same whistles) instead of counting them again."""
    from beiwen.services.report_meetings import hosted
    from beiwen.services.report_reads import activities_in, duty_units

    first, last = period.months
    months: dict[tuple[int, str], list[str]] = defaultdict(list)
    for row in duty_units(conn, first, last):
        months[(row["unit_id"], row["unit"])].append(row["month"])
    if not months:
        return {"units": []}
    activities = activities_in(conn, period.start, period.end)
    start, end = period.start_at, period.end_at
    every_month = _month_count(first, last)
    counted_already = {entry["unit_id"]: entry for entry in departments or []}
    units = []
    for (unit_id, unit), its_months in months.items():
        led = [
            {
                "id": row["id"],
                "date": row["date"],
                "title": row["title"],
                "kind": row["kind"],
                "enterprises_served": row["enterprises_served"],
                "participants": row["participants"],
            }
            for row in activities
            if row["lead_unit_id"] == unit_id and row["date"][:7] in its_months
        ]
        whistles = repo.whistles(conn, start, end, unit_id, its_months)
        figures: dict[str, Any]
        if departments is not None and len(its_months) == every_month:
            figures = counted_already.get(unit_id) or department_entry(
                {**_NO_WHISTLE, "unit_id": unit_id, "unit": unit, "median_report_in_hours": None}
            )
        else:
            counted = repo.department_figures(conn, start, end, cutoff, unit_id, its_months)
            figures = department_entry(
                counted[0]
                if counted
                else {
                    **_NO_WHISTLE,
                    "unit_id": unit_id,
                    "unit": unit,
                    "median_report_in_hours": None,
                }
            )
        units.append(
            {
                "unit_id": unit_id,
                "unit": unit,
                "months": its_months,
                "activities": led,
                "meetings": hosted(conn, period, unit_id, its_months),  # the 联席会 it hosted
                "dispatched": figures["dispatched"],
                "reported_in": figures["reported_in"],
                "reported_in_on_time": figures["reported_in_on_time"],
                "median_report_in_hours": figures["median_report_in_hours"],
                "orders": [
                    {
                        "id": row["issue_id"],
                        "dispatched_at": row["dispatched_at"],
                        "accepted_at": row["accepted_at"]
                        if _before(row["accepted_at"], end)
                        else None,
                        "report_in_hours": row["report_in_hours"]
                        if _before(row["accepted_at"], end)
                        else None,
                    }
                    for row in whistles
                ],
            }
        )
    return {"units": units}


def _month_count(first: str, last: str) -> int:
    """The months from `first` to `last` (YYYY-MM), both counted."""
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
