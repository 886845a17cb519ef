"""Renderers of the monthly report: its sections in a neutral form, Markdown, flat CSV.

They take the dict `services.report.build_report` returns (the JSON contract); the screen's
tables are in `render_report_screen.py`, the Word document in `io/report_docx.py`, both
from `sections()`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from beiwen import vocab
from beiwen.i18n import label, t
from beiwen.render import Column, neutralise, printable
from beiwen.render_service import service_tables

H_METRIC = ("Figure", "指标")
H_VALUE = ("Value", "数值")
H_PREVIOUS = ("Previous", "上期")
H_CHANGE = ("Change", "变化")
H_COLLECTED = ("Collected", "收集")
H_HANDLED = ("Handled", "已处理")
H_RATE = ("Handling rate", "处理率")
H_CATEGORY = ("Category", "类别")
H_GRID = ("Grid", "网格")
H_MONTH = ("Month", "月份")
H_COURSE = ("Course", "课程")
H_CLASSES = ("Classes", "堂数")
H_ATTENDANCE = ("Attendance", "参与人次")
H_KIND = ("Kind", "类型")
H_COUNT = ("Count", "次数")
H_SERVED = ("Enterprises served", "服务企业")
H_HELPED = ("Enterprises helped", "解决难题企业")
H_PARTICIPANTS = ("Participants", "参与人数")
H_TOTAL = ("Total", "合计")
H_YEAR_AGO = ("A year earlier", "上年同期")
H_SOURCE = ("Source", "来源")
H_SHARE = ("Share", "占比")
H_RANK = ("Rank", "排名")
H_DEPARTMENT = ("Department", "部门")
H_DISPATCHED = ("Whistled", "吹哨")
H_REPORTED_IN = ("Reported in", "报到")
H_REPORTED_ON_TIME = ("Reported in within 24 h", "24小时内报到")
H_MEDIAN_REPORT_IN = ("Median hours to report in", "报到时长中位数（小时）")
H_HANDLED_ON_TIME = ("Handled on time", "按期办结")
H_OVERDUE = ("Overdue at end", "期末超期")
H_SATISFIED = ("Satisfied", "满意")
H_SCORE = ("Score", "得分")
H_NUMBER = ("No.", "工单号")
H_TITLE = ("Title", "标题")
H_DUE = ("Due", "办理时限")
H_DAYS_OVERDUE = ("Days overdue", "超期天数")
H_HOLDERS = ("Departments holding it", "承办部门")
H_DUTY_UNIT = ("Duty unit", "轮值单位")
H_LED = ("Activities led", "牵头活动")
H_YEAR_CHANGE = ("Year on year", "同比")

# The figures in the order the report shows them, named by the one table of the report's
# figures (vocab.REPORT_METRICS: the names `--explain` accepts as well).
ISSUE_METRICS: list[tuple[str, tuple[str, str]]] = list(vocab.REPORT_METRICS.items())


def fraction(numerator: int, denominator: int) -> str:
    """`73/77 = 94.8%`: a rate always shows what it is made of."""
    if not denominator:
        return f"{numerator}/{denominator} = -"
    return f"{numerator}/{denominator} = {numerator / denominator * 100:.1f}%"


def metric_text(issues: dict[str, Any], key: str) -> str:
    if key in issues.get("fractions", {}):
        numerator, denominator = issues["fractions"][key]
        return fraction(numerator, denominator)
    value = issues[key]
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def change_text(issues: dict[str, Any], previous: dict[str, Any], key: str) -> str:
    now_value, before = issues[key], previous[key]
    if now_value is None or before is None:
        return "-"
    delta = now_value - before
    if key.endswith("_rate"):
        return f"{delta * 100:+.1f}{label((' pt', ' 个百分点'))}"
    if isinstance(delta, float):
        return f"{delta:+.1f}"
    return f"{delta:+d}"


def title(report: dict[str, Any]) -> str:
    period = report["period"]
    label_ = period["label"]
    key = (
        "report.title_month"
        if len(label_) == 7
        else "report.title_year"
        if len(label_) == 4
        else "report.title_range"
    )
    return t(key, label=label_)


def subtitle(report: dict[str, Any]) -> list[str]:
    from datetime import date, timedelta

    period = report["period"]
    last = date.fromisoformat(period["end"]) - timedelta(days=1)
    units = report["rotation"]["units"]
    lines = [
        t("report.span", start=period["start"], last=last.isoformat()),
        t("report.duty", units="、".join(units) if units else t("report.no_duty")),
    ]
    if "previous" in report:
        lines.append(t("report.compare_with", label=report["previous"]["period"]["label"]))
    return lines


@dataclass
class Section:
    """One table of the report in a neutral form: heading, column headings, rows, total."""

    heading: str
    columns: list[str]
    rows: list[list[str]]
    total: list[str] | None = None
    # The columns' indexes, most important first, for a narrow screen (None: left to right).
    importance: tuple[int, ...] | None = None


def _category_label(key: str) -> str:
    categories = getattr(vocab, "ISSUE_CATEGORIES", {})
    return vocab.display(categories, key)


def _grid_label(key: str) -> str:
    return t("report.none_grid") if key == "none" else key


def _explain_grid(value: int | None) -> str:
    return t("report.none_grid") if value is None else str(value)


# `report --explain`: the work orders behind a figure, categories and grids by their labels
# in the language in use (CSV keeps the stored keys, as every CSV of `emit` does).
EXPLAIN_COLUMNS = [
    Column("id", ("No.", "工单号"), justify="right"),
    Column("title", ("Title", "标题")),
    Column("category", H_CATEGORY, _category_label),
    Column("grid", H_GRID, _explain_grid, justify="right"),
    Column("reported_at", ("Reported", "上报时间"), lambda v: (v or "")[:16].replace("T", " ")),
    Column("in_numerator", ("Numerator", "计入分子"), lambda v: "1" if v else ""),
    Column("in_denominator", ("Denominator", "计入分母"), lambda v: "1" if v else ""),
]


def _breakdown(heading: str, first: tuple[str, str], data: dict[str, Any], name: Any) -> Section:
    rows = [
        [
            name(key),
            str(value["collected"]),
            str(value["handled"]),
            fraction(value["handled"], value["collected"]),
        ]
        for key, value in data.items()
    ]
    collected = sum(value["collected"] for value in data.values())
    handled = sum(value["handled"] for value in data.values())
    return Section(
        heading,
        [label(first), label(H_COLLECTED), label(H_HANDLED), label(H_RATE)],
        rows,
        [label(H_TOTAL), str(collected), str(handled), fraction(handled, collected)],
    )


def sections(report: dict[str, Any]) -> Iterator[Section]:
    issues = report["issues"]
    previous = report.get("previous", {}).get("issues")
    columns = [label(H_METRIC), label(H_VALUE)]
    year_ago = report.get("year_ago", {}).get("issues")
    if previous is not None:
        columns += [label(H_PREVIOUS), label(H_CHANGE)]
    if year_ago is not None:
        columns += [label(H_YEAR_AGO), label(H_YEAR_CHANGE)]
    metric_rows = []
    for key, heading in ISSUE_METRICS:
        row = [label(heading), metric_text(issues, key)]
        if previous is not None:
            row += [metric_text(previous, key), change_text(issues, previous, key)]
        if year_ago is not None:
            row += [metric_text(year_ago, key), change_text(issues, year_ago, key)]
        metric_rows.append(row)
    yield Section(t("report.issues"), columns, metric_rows)
    yield _breakdown(t("report.by_category"), H_CATEGORY, issues["by_category"], _category_label)
    yield _breakdown(t("report.by_grid"), H_GRID, issues["by_grid"], _grid_label)
    yield from extra_sections(report)
    from beiwen.render_meetings import report_tables as meeting_tables  # 联席会

    yield from (Section(*table) for table in meeting_tables(report, fraction))
    from beiwen.render_report_lists import lists_tables  # 三张清单

    yield from (Section(*table) for table in lists_tables(report))
    courses = report["courses"]
    yield Section(
        t("report.courses"),
        [label(H_COURSE), label(H_CLASSES), label(H_ATTENDANCE)],
        [
            [name, str(v["classes"]), str(v["attendance"])]
            for name, v in courses["by_course"].items()
        ],
        [label(H_TOTAL), str(courses["classes"]), str(courses["attendance"])],
    )
    yield from (Section(*table) for table in service_tables(report))  # 志愿服务
    activities = report["activities"]
    kinds = getattr(vocab, "ACTIVITY_KINDS", {})
    fields = ("count", "enterprises_served", "enterprises_helped", "participants")
    yield Section(
        t("report.activities"),
        [label(H_KIND), label(H_COUNT), label(H_SERVED), label(H_HELPED), label(H_PARTICIPANTS)],
        [
            [vocab.display(kinds, kind), *(str(v[f]) for f in fields)]
            for kind, v in activities["by_kind"].items()
        ],
        [label(H_TOTAL), *(str(sum(v[f] for v in activities["by_kind"].values())) for f in fields)],
    )
    from beiwen.render_party import party_rows  # 党员: the register at the period's end

    yield from (Section(*rows) for rows in party_rows(report, fraction))


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def department_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """`issues.by_department` as column headings and rows, ranked best first (the table, md
    and Word reports): rank, department, whistles, report-ins, on time, median hours,
    handled, on time, overdue, satisfied, score."""
    columns = [
        label(h)
        for h in (
            H_RANK,
            H_DEPARTMENT,
            H_DISPATCHED,
            H_REPORTED_IN,
            H_REPORTED_ON_TIME,
            H_MEDIAN_REPORT_IN,
            H_HANDLED,
            H_HANDLED_ON_TIME,
            H_OVERDUE,
            H_SATISFIED,
            H_SCORE,
        )
    ]
    rows = []
    for entry in report["issues"].get("by_department", []):
        parts = entry["fractions"]
        rows.append(
            [
                "-" if entry["rank"] is None else str(entry["rank"]),
                entry["unit"],
                str(entry["dispatched"]),
                str(entry["reported_in"]),
                fraction(*parts["reported_in_on_time"]),
                _hours(entry["median_report_in_hours"]),
                str(entry["handled"]),
                fraction(*parts["handled_on_time"]),
                str(entry["overdue"]),
                fraction(*parts["satisfied"]),
                "-" if entry["score"] is None else f"{entry['score']:.1f}",
            ]
        )
    return columns, rows


def overdue_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """`issues.overdue_list` as column headings and rows: number, title, grid, due, days
    overdue, the departments holding it."""
    columns = [label(h) for h in (H_NUMBER, H_TITLE, H_GRID, H_DUE, H_DAYS_OVERDUE, H_HOLDERS)]
    rows = [
        [
            str(row["id"]),
            row["title"],
            row["grid_name"] or t("report.none_grid"),
            row["due_at"][:16].replace("T", " "),
            str(row["days_overdue"]),
            "、".join(holder["unit"] for holder in row["departments"]) or "-",
        ]
        for row in report["issues"].get("overdue_list", [])
    ]
    return columns, rows


def duty_rows(report: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    """`duty.units` as column headings and rows: unit, months, activities led (titles),
    joint meetings hosted, whistles, report-ins, within 24 hours, median hours."""
    from beiwen.render_meetings import H_HOSTED, hosted_text

    columns = [
        label(h)
        for h in (
            H_DUTY_UNIT,
            H_MONTH,
            H_LED,
            H_HOSTED,
            H_DISPATCHED,
            H_REPORTED_IN,
            H_REPORTED_ON_TIME,
            H_MEDIAN_REPORT_IN,
        )
    ]
    rows = [
        [
            unit["unit"],
            "、".join(unit["months"]),
            "；".join(activity["title"] for activity in unit["activities"]) or "-",
            hosted_text(unit),
            str(unit["dispatched"]),
            str(unit["reported_in"]),
            str(unit["reported_in_on_time"]),
            _hours(unit["median_report_in_hours"]),
        ]
        for unit in report.get("duty", {}).get("units", [])
    ]
    return columns, rows


def extra_sections(report: dict[str, Any]) -> Iterator[Section]:
    """Sources, the top categories, departments, the overdue list and the duty unit."""
    issues = report["issues"]
    if "by_source" in issues:
        sources = getattr(vocab, "ISSUE_SOURCES", {})
        yield _breakdown(
            t("report.by_source"),
            H_SOURCE,
            issues["by_source"],
            lambda k: vocab.display(sources, k),
        )
        yield Section(
            t("report.top_categories"),
            [label(H_CATEGORY), label(H_COLLECTED), label(H_SHARE)],
            [
                [
                    _category_label(row["category"]),
                    str(row["collected"]),
                    "-" if row["share"] is None else f"{row['share'] * 100:.1f}%",
                ]
                for row in issues["top_categories"]
            ],
        )
    for heading, (columns, rows), importance in (
        ("report.by_department", department_rows(report), DEPARTMENT_IMPORTANCE),
        ("report.overdue_list", overdue_rows(report), None),
        ("report.duty_section", duty_rows(report), None),
    ):
        if rows:
            yield Section(t(heading), columns, rows, importance=importance)


# On a narrow screen the department table keeps, in this order: rank, department, score
# (what it is ranked by), whistles, report-ins, handled, overdue, then the rates and hours.
DEPARTMENT_IMPORTANCE = (0, 1, 10, 2, 3, 6, 8, 7, 9, 4, 5)


def monthly_rows(report: dict[str, Any]) -> tuple[str, list[str], list[list[str]]] | None:
    """The per-month counts of a year report as (heading, columns, rows), for md and docx."""
    monthly = report.get("monthly")
    if not monthly:
        return None
    columns = [label(H_MONTH), label(H_COLLECTED), label(H_HANDLED)]
    rows = [[row["month"], str(row["collected"]), str(row["handled"])] for row in monthly]
    return t("report.monthly"), columns, rows


# Markdown's inline punctuation (CommonMark lets a backslash escape any of it); a cell or line
# holding one of these shows it as typed instead of turning into emphasis, code, a link, HTML,
# an entity or a new table cell.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def markdown_text(value: str) -> str:
    """`value` as literal Markdown inline text on one line: punctuation escaped, control
    characters shown (`render.printable`), and a line break as `<br>`, so that no text can
    end a table row or start a new one."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", printable(value.replace("\r\n", "\n")))
    return escaped.replace("\n", "<br>")


def _markdown_row(cells: list[str]) -> str:
    # The first column holds names, which come from the data: neutralised like a CSV cell,
    # for the reader who pastes the table into a spreadsheet. The others are figures.
    shown = [neutralise(cells[0]), *cells[1:]] if cells else []
    return "| " + " | ".join(markdown_text(cell) for cell in shown) + " |"


def report_markdown(report: dict[str, Any]) -> str:
    lines = [f"# {markdown_text(title(report))}", ""]
    lines += [f"- {markdown_text(line)}" for line in subtitle(report)]
    for section in sections(report):
        lines += ["", f"## {markdown_text(section.heading)}", ""]
        lines.append(_markdown_row(section.columns))
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(section.columns) - 1)) + "|")
        body = section.rows + ([section.total] if section.total else [])
        lines += [_markdown_row(row) for row in body]
    monthly = monthly_rows(report)
    if monthly is not None:
        heading, columns, rows = monthly
        lines += ["", f"## {markdown_text(heading)}", ""]
        lines.append(_markdown_row(columns))
        lines.append("|---|---:|---:|")
        lines += [_markdown_row(row) for row in rows]
    return "\n".join(lines) + "\n"


def flatten(data: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """The report as (key path, value) pairs: (`issues`, `by_category`, `vendor`, `collected`)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from flatten(value, (*path, str(key)))
    elif isinstance(data, list) and data and isinstance(data[0], dict):
        for item in data:
            name = item.get("month") or item.get("id") or item.get("unit_id")
            yield from flatten(
                {k: v for k, v in item.items() if k not in ("month", "id")}, (*path, str(name))
            )
    elif isinstance(data, list):
        yield path, "/".join(str(v) for v in data)
    else:
        yield path, data


def report_csv(report: dict[str, Any]) -> str:
    """The report as CSV for scripts (`--keys`, and English): `metric,value` rows by key path
    (`issues.by_category.vendor.collected`), values as in the JSON. The CSV people read (in
    Chinese) is `render_report_sheets.report_csv_blocks`."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["metric", "value"])
    for path, value in flatten({k: v for k, v in report.items() if k != "generated_at"}):
        writer.writerow([neutralise(".".join(path)), "" if value is None else neutralise(value)])
    return buffer.getvalue()
