"""The monthly (or yearly, or any-range) report: the arithmetic behind every figure.

Figures are computed from the data, never copied: the article's "98%" for 73 of 77 prints
here as `73/77 = 94.8%`. Definitions (the README repeats them):

- collected: reported within the period and not cancelled by its end;
- handled: of those, resolved or closed at the end of the period; handling_rate = handled /
  collected;
- open: reported before the end, not handled and not cancelled at the end, whatever month
  it was reported in; overdue: of those, past their due time at the end (or now);
- on_time_rate = handled by their due time / orders whose due time fell in the period or
  before it (by the end, or now) and that were not handled before the period began, nor
  cancelled at its end (open overdue ones count against it);
- handled_on_time_rate = handled by their due time / handled;
- satisfaction_rate = (satisfied + basic) / followed up (closed with a satisfaction) at the end;
- first response = the first dispatch (吹哨) or report-in (报到), whichever came first;
- as of the period's end: every workflow figure is what the event log (the steps and their
  times) says held at the end, so a later step (a reopen in September) never changes a past
  period's report (August's); the facts are those of today (`issue edit` of a category, a
  grid or a due time corrects past periods too), a voided order (作废, entered by mistake)
  counts nowhere, and a duplicate counts once, as the order it duplicates.
Every rate is None (JSON null) when its denominator is 0.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from beiwen import vocab
from beiwen.errors import InvalidInputError
from beiwen.i18n import label, t
from beiwen.parsing import (
    CHINA_TZ,
    add_months,
    iso,
    now,
)
from beiwen.repository import report as repo
from beiwen.services.period import (
    Period,
    month_period,
)

ISSUE_COUNTS = ("collected", "handled", "open", "overdue")
RATES = ("handling_rate", "on_time_rate", "handled_on_time_rate", "satisfaction_rate")
EXPLAINABLE = (*ISSUE_COUNTS, *RATES, "median_response_hours", "median_resolution_hours")


def _spelling(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


_metric_spellings: dict[str, str] = {}


def metric_key(value: str) -> str:
    """The figure `value` names for `--explain`: its key (`handling_rate`), English name
    (`Handling rate`), Chinese name (`问题处理率`) or an alias (`处理率`, `逾期`, `满意率`),
    from the one table `vocab.REPORT_METRICS`; else one error listing them all."""
    if not _metric_spellings:
        for alias, key in vocab.ALIASES["REPORT_METRICS"].items():
            _metric_spellings[_spelling(alias)] = key
        for key, (english, chinese) in vocab.REPORT_METRICS.items():
            for spelling in (chinese, english, key):
                _metric_spellings[_spelling(spelling)] = key
    found = _metric_spellings.get(_spelling(value))
    if found is None or found not in EXPLAINABLE:
        from beiwen.vocab_lists import LIST_METRICS

        names = [metric_name(key) for key in EXPLAINABLE]
        names += [label((key, pair[1])) for key, pair in vocab.MEETING_METRICS.items()]
        names += [label((key, pair[1])) for key, pair in LIST_METRICS.items()]  # 三张清单
        names += [label((key, pair[1])) for key, pair in vocab.SERVICE_METRICS.items()]
        from beiwen.services.report_party import PARTY_METRICS

        names += [label((key, pair[1])) for key, pair in PARTY_METRICS.items()]  # 党员名册
        choices = label((", ", "、")).join(names)
        raise InvalidInputError(t("report.unknown_metric", metric=value, choices=choices))
    return found


def metric_name(key: str) -> str:
    """How messages name the figure `key`: its key in English (as `--explain` and the JSON
    spell it), its Chinese name in Chinese."""
    pair = vocab.REPORT_METRICS.get(key)
    return label((key, pair[1])) if pair else key


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _due_cutoff(period: Period) -> str:
    """Overdue is judged at the end of the period, or now for a period not yet over."""
    current = iso(now())
    return min(period.end_at, current)


def _median(values: Iterable[float | None]) -> float | None:
    """The median of the values present (statistics.median's arithmetic: the middle one, or
    the mean of the middle two), None without any; not statistics itself, whose import
    (fractions, decimal, random) costs the report more than the sort."""
    present = sorted(value for value in values if value is not None)
    if not present:
        return None
    middle = len(present) // 2
    if len(present) % 2:
        return float(present[middle])
    return float((present[middle - 1] + present[middle]) / 2)


def issue_section(conn: sqlite3.Connection, period: Period) -> dict[str, Any]:
    return _issue_figures(conn, period)[0]


def _issue_figures(
    conn: sqlite3.Connection, period: Period
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The issues section, the rows of `issue_groups` it sums (the sources' breakdown of
    services/report_sections.py sums them too) and the orders open at the end it counts
    (`open_list`: the overdue list is those of them past their due time)."""
    start, end = period.start_at, period.end_at
    groups = repo.issue_groups(conn, start, end)  # one pass: totals, categories, grids, sources
    totals = {key: sum(row[key] for row in groups) for key in _COUNTS}
    cutoff = _due_cutoff(period)
    backlog = repo.open_list(conn, end)
    due = repo.due_totals(conn, start, end, cutoff)
    durations = repo.hours(conn, start, end)
    section: dict[str, Any] = {
        "collected": totals["collected"],
        "handled": totals["handled"],
        "handling_rate": rate(totals["handled"], totals["collected"]),
        "open": len(backlog),
        "overdue": sum(row["due_at"] is not None and row["due_at"] < cutoff for row in backlog),
        "on_time_rate": rate(due["on_time"], due["due"]),
        "handled_on_time_rate": rate(totals["handled_on_time"], totals["handled"]),
        "median_response_hours": _median(h[0] for h in durations),
        "median_resolution_hours": _median(h[1] for h in durations),
        "satisfaction_rate": rate(totals["satisfied"], totals["followed_up"]),
        "by_category": _summed(groups, "category"),
        "by_grid": _by_grid(conn, groups),
        # The numerator and denominator behind each rate, so every figure can be defended.
        "fractions": {
            "handling_rate": [totals["handled"], totals["collected"]],
            "on_time_rate": [due["on_time"], due["due"]],
            "handled_on_time_rate": [totals["handled_on_time"], totals["handled"]],
            "satisfaction_rate": [totals["satisfied"], totals["followed_up"]],
        },
    }
    return section, groups, backlog


_COUNTS = ("collected", "handled", "handled_on_time", "followed_up", "satisfied")


def _summed(groups: list[dict[str, Any]], column: str) -> dict[Any, dict[str, int]]:
    """Collected and handled per `column` (category, grid or source) of `issue_groups`' rows, in the
    column's order (no grid first, as SQL sorts NULL)."""
    summed: dict[Any, dict[str, int]] = {}
    for row in sorted(groups, key=lambda row: (row[column] is not None, row[column] or 0)):
        found = summed.setdefault(row[column], {"collected": 0, "handled": 0})
        found["collected"] += row["collected"]
        found["handled"] += row["handled"]
    return summed


def _by_grid(conn: sqlite3.Connection, groups: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Every grid, with zeros where nothing was collected, then orders with no grid."""
    by_grid = {str(n): {"collected": 0, "handled": 0} for n in repo.grid_numbers(conn)}
    for grid, counts in _summed(groups, "grid").items():
        by_grid["none" if grid is None else str(grid)] = counts
    return by_grid


def build_report(conn: sqlite3.Connection, period: Period, compare: bool = False) -> dict[str, Any]:
    # the courses', activities' and rotation's reads, without those areas' services
    from beiwen.services.report_reads import duty_units, held_by_course, totals_by_kind

    first_month, last_month = period.months
    issues, groups, backlog = _issue_figures(conn, period)
    classes = held_by_course(conn, period.start, period.end)
    kinds = totals_by_kind(conn, period.start, period.end)
    duty = duty_units(conn, first_month, last_month)
    report: dict[str, Any] = {
        "period": period.as_json(),
        "rotation": {
            "units": list(dict.fromkeys(row["unit"] for row in duty)),
            "months": {row["month"]: row["unit"] for row in duty},
        },
        "issues": issues,
        "courses": {
            "classes": sum(row["classes"] for row in classes),
            "attendance": sum(row["attendance"] for row in classes),
            "by_course": {
                row["course"]: {"classes": row["classes"], "attendance": row["attendance"]}
                for row in classes
            },
        },
        "activities": {
            "count": sum(row["activities"] for row in kinds),
            "by_kind": {
                row["kind"]: {
                    "count": row["activities"],
                    "enterprises_served": row["enterprises_served"],
                    "enterprises_helped": row["enterprises_helped"],
                    "participants": row["participants"],
                }
                for row in kinds
            },
        },
    }
    from beiwen.services.report_service import service_section

    report["service"] = service_section(conn, period)  # 志愿服务: services/report_service.py
    if period.kind == "year" or (period.end - period.start).days > 62:
        report["monthly"] = [
            {
                "month": row["month"],
                "collected": row["collected"],
                "handled": row["handled_in_month"],
            }
            for row in repo.monthly_counts(conn, first_month, last_month)
        ]
    # Departments, sources, the overdue list and the duty unit: services/report_sections.py.
    from beiwen.services import report_meetings, report_sections

    cutoff = _due_cutoff(period)
    report["issues"].update(
        report_sections.issue_sections(conn, period, cutoff, issues, groups, backlog)
    )
    from beiwen.services.report_party import party_section  # the register: report_party.py

    report["party"] = party_section(conn, period)
    report["duty"] = report_sections.duty_section(
        conn, period, cutoff, report["issues"]["by_department"]
    )
    from beiwen.services.report_lists import lists_section  # 三张清单: report_lists.py

    report["lists"] = lists_section(conn, period)
    report["meetings"] = report_meetings.meetings_section(conn, period)  # 联席会
    if compare:
        previous = period.previous()
        report["previous"] = build_report(conn, previous, compare=False)
        if period.kind == "month":  # year on year: the same month a year earlier
            year_ago = month_period(add_months(period.label, -12))
            report["year_ago"] = build_report(conn, year_ago, compare=False)
    report["generated_at"] = iso(now().astimezone(CHINA_TZ))
    return report


def explain(conn: sqlite3.Connection, period: Period, metric: str) -> dict[str, Any]:
    """The work orders behind a figure: which count in the numerator and the denominator.

    `metric` is anything `metric_key` accepts; the result names it by its key."""
    from beiwen.services.report_meetings import explain_meetings

    meetings = explain_meetings(conn, period, metric)  # held, decisions, decisions_done
    if meetings is not None:
        return meetings
    metric = metric_key(metric)
    end = period.end_at
    if metric in ("open", "overdue"):
        cutoff = _due_cutoff(period)
        backlog = repo.open_list(conn, end)
        if metric == "overdue":
            backlog = [
                row for row in backlog if row["due_at"] is not None and row["due_at"] < cutoff
            ]
        return {
            "metric": metric,
            "numerator": len(backlog),
            "denominator": None,
            "issues": [{**row, "in_numerator": True, "in_denominator": False} for row in backlog],
        }
    if metric == "on_time_rate":  # the orders that fell due, not the collected ones
        due = repo.due_list(conn, period.start_at, end, _due_cutoff(period))
        return {
            "metric": metric,
            "numerator": sum(bool(row["on_time"]) for row in due),
            "denominator": len(due),
            "issues": [
                {**row, "in_numerator": bool(row["on_time"]), "in_denominator": True} for row in due
            ],
        }
    collected = repo.issue_list(conn, period.start_at, end)

    def handled(row: dict[str, Any]) -> bool:
        return row["handled_at"] is not None and row["handled_at"] < end

    def followed(row: dict[str, Any]) -> bool:
        return (
            row["satisfaction"] is not None
            and row["closed_at"] is not None
            and row["closed_at"] < end
        )

    tests: dict[str, tuple[Any, Any]] = {
        "collected": (lambda r: True, lambda r: False),
        "handled": (handled, lambda r: False),
        "handling_rate": (handled, lambda r: True),
        "handled_on_time_rate": (lambda r: handled(r) and bool(r["on_time"]), handled),
        "satisfaction_rate": (
            lambda r: followed(r) and r["satisfaction"] in ("satisfied", "basic"),
            followed,
        ),
        "median_response_hours": (lambda r: r["response_hours"] is not None, lambda r: False),
        "median_resolution_hours": (lambda r: handled(r), lambda r: False),
    }
    in_numerator, in_denominator = tests[metric]
    listed = [
        {
            **row,
            "in_numerator": bool(in_numerator(row)),
            "in_denominator": bool(in_denominator(row)),
        }
        for row in collected
        if in_numerator(row) or in_denominator(row)
    ]
    has_denominator = metric in RATES
    return {
        "metric": metric,
        "numerator": sum(row["in_numerator"] for row in listed),
        "denominator": sum(row["in_denominator"] for row in listed) if has_denominator else None,
        "issues": listed,
    }
