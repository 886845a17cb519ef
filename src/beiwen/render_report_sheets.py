"""The report as tables of numbers, for spreadsheets: `report --format xlsx` (one sheet per
table, io/report_xlsx.py) and the CSV people read (one block per table).

Unlike `render_report.sections()`, which writes `73/77 = 94.8%` for the screen and for
paper, a cell here is a number: counts as whole numbers, a fraction as its numerator, its
denominator and its rate (a `Rate`, shown as a percentage), as the JSON report has them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from beiwen import vocab
from beiwen.i18n import label, t
from beiwen.render_exports import Rate
from beiwen.render_report import (
    H_ATTENDANCE,
    H_CATEGORY,
    H_CHANGE,
    H_CLASSES,
    H_COLLECTED,
    H_COUNT,
    H_COURSE,
    H_GRID,
    H_HANDLED,
    H_HELPED,
    H_KIND,
    H_METRIC,
    H_MONTH,
    H_PARTICIPANTS,
    H_PREVIOUS,
    H_RATE,
    H_SERVED,
    H_TOTAL,
    H_VALUE,
    ISSUE_METRICS,
    subtitle,
    title,
)

H_NUMERATOR = ("Numerator", "分子")
H_DENOMINATOR = ("Denominator", "分母")
H_SHARE = ("Rate", "比率")
H_DUTY = ("Duty unit", "轮值单位")


@dataclass
class ReportTable:
    """One table of the report: its heading, column headings, rows and totals row."""

    heading: str
    columns: list[str]
    rows: list[list[Any]]
    total: list[Any] | None = None


def _rate(numerator: int, denominator: int) -> Rate | None:
    return Rate(numerator / denominator) if denominator else None


def _as_rate(value: Any) -> Any:
    return Rate(value) if isinstance(value, (int, float)) else value


def _metrics(report: dict[str, Any]) -> ReportTable:
    issues = report["issues"]
    fractions = issues.get("fractions", {})
    previous = report.get("previous", {}).get("issues")
    columns = [H_METRIC, H_VALUE, H_NUMERATOR, H_DENOMINATOR, H_SHARE]
    if previous is not None:
        columns += [H_PREVIOUS, H_CHANGE]
    rows = []
    for key, heading in ISSUE_METRICS:
        is_rate = key in fractions
        numerator, denominator = fractions.get(key, (None, None))
        value = issues[key]
        row: list[Any] = [
            label(heading),
            None if is_rate else value,
            numerator,
            denominator,
            _as_rate(value) if is_rate else None,
        ]
        if previous is not None:
            before = previous[key]
            change = None if value is None or before is None else value - before
            if is_rate:
                before, change = _as_rate(before), _as_rate(change)
            elif isinstance(change, float):
                change = round(change, 4)
            row += [before, change]
        rows.append(row)
    return ReportTable(t("report.issues"), [label(c) for c in columns], rows)


def _breakdown(
    heading: str, first: tuple[str, str], data: dict[str, Any], name: Any
) -> ReportTable:
    rows: list[list[Any]] = [
        [name(key), v["collected"], v["handled"], _rate(v["handled"], v["collected"])]
        for key, v in data.items()
    ]
    collected = sum(v["collected"] for v in data.values())
    handled = sum(v["handled"] for v in data.values())
    return ReportTable(
        heading,
        [label(first), label(H_COLLECTED), label(H_HANDLED), label(H_RATE)],
        rows,
        [label(H_TOTAL), collected, handled, _rate(handled, collected)],
    )


def report_tables(report: dict[str, Any]) -> Iterator[ReportTable]:
    """Every table of the report, in the order the report shows them."""
    issues = report["issues"]
    yield _metrics(report)
    yield _breakdown(
        t("report.by_category"),
        H_CATEGORY,
        issues["by_category"],
        lambda key: vocab.display(vocab.ISSUE_CATEGORIES, key),
    )
    yield _breakdown(
        t("report.by_grid"),
        H_GRID,
        issues["by_grid"],
        lambda key: int(key) if key.isdigit() else t("report.none_grid"),
    )
    courses = report["courses"]
    yield ReportTable(
        t("report.courses"),
        [label(H_COURSE), label(H_CLASSES), label(H_ATTENDANCE)],
        [[name, v["classes"], v["attendance"]] for name, v in courses["by_course"].items()],
        [label(H_TOTAL), courses["classes"], courses["attendance"]],
    )
    from beiwen.render_service import service_tables  # 志愿服务: render_service.py

    yield from (ReportTable(*table) for table in service_tables(report, numbers=True))
    by_kind = report["activities"]["by_kind"]
    fields = ("count", "enterprises_served", "enterprises_helped", "participants")
    yield ReportTable(
        t("report.activities"),
        [label(H_KIND), label(H_COUNT), label(H_SERVED), label(H_HELPED), label(H_PARTICIPANTS)],
        [
            [vocab.display(vocab.ACTIVITY_KINDS, kind), *(v[f] for f in fields)]
            for kind, v in by_kind.items()
        ],
        [label(H_TOTAL), *(sum(v[f] for v in by_kind.values()) for f in fields)],
    )
    from beiwen.render_meetings import report_tables as meeting_tables  # 联席会

    yield from (ReportTable(*table) for table in meeting_tables(report, _rate, int))
    from beiwen.render_report_lists import lists_tables  # 三张清单

    yield from (ReportTable(*table) for table in lists_tables(report, int))
    months = report["rotation"]["months"]
    yield ReportTable(
        t("report.rotation"),
        [label(H_MONTH), label(H_DUTY)],
        [[month, unit] for month, unit in months.items()],
    )
    monthly = report.get("monthly")
    if monthly:
        yield ReportTable(
            t("report.monthly"),
            [label(H_MONTH), label(H_COLLECTED), label(H_HANDLED), label(H_RATE)],
            [
                [r["month"], r["collected"], r["handled"], _rate(r["handled"], r["collected"])]
                for r in monthly
            ],
        )
    yield from _section_tables(report)
    from beiwen.render_party import party_number_rows  # 党员: the register at the period's end

    yield from (ReportTable(*rows) for rows in party_number_rows(report, _rate))


def _number(value: float | None) -> float | int | None:
    """A whole float as an int, so that the CSV and the sheet show it alike (`100`)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _section_tables(report: dict[str, Any]) -> Iterator[ReportTable]:
    """Sources, departments (numbers: counts, fractions as rates, the score), the overdue
    list and the duty unit, from the rows of `render_report`."""
    from beiwen.render_report import H_SOURCE, department_rows, duty_rows, overdue_rows

    issues = report["issues"]
    if "by_source" in issues:
        yield _breakdown(
            t("report.by_source"),
            H_SOURCE,
            issues["by_source"],
            lambda key: vocab.display(vocab.ISSUE_SOURCES, key),
        )
    columns, _ = department_rows(report)
    rows: list[list[Any]] = [
        [
            entry["rank"],
            entry["unit"],
            entry["dispatched"],
            entry["reported_in"],
            _rate(*entry["fractions"]["reported_in_on_time"]),
            _number(entry["median_report_in_hours"]),
            entry["handled"],
            _rate(*entry["fractions"]["handled_on_time"]),
            entry["overdue"],
            _rate(*entry["fractions"]["satisfied"]),
            _number(entry["score"]),
        ]
        for entry in issues.get("by_department", [])
    ]
    if rows:
        yield ReportTable(t("report.by_department"), columns, rows)
    for heading, (columns, text_rows) in (
        ("report.overdue_list", overdue_rows(report)),
        ("report.duty_section", duty_rows(report)),
    ):
        if text_rows:
            rows = [[None if cell == "-" else cell for cell in row] for row in text_rows]
            yield ReportTable(t(heading), columns, rows)


def report_csv_blocks(report: dict[str, Any]) -> str:
    """The CSV people read: the title and its lines, then one block per table (its heading,
    a header row, the rows, the totals), an empty line between blocks."""
    from beiwen.render import to_csv_table

    blocks = [
        [[table.heading], table.columns, *table.rows, *([table.total] if table.total else [])]
        for table in report_tables(report)
    ]
    return to_csv_table([title(report)], [[line] for line in subtitle(report)], blocks)
