"""The report as a Word document laid out as an official document (公文, GB/T 9704), ready to
print and to send on: A4, the standard margins, the title in 小标宋 二号, headings in 黑体 三号,
the body in 仿宋 三号, a summary written from the figures, tables whose header row repeats on
every page, the issuing body (落款) and the date it was made (成文日期) at the end, and page
numbers `— 1 —` in the footer.

Chinese text needs the East Asian font set on each style (w:eastAsia), not only the font
name, or Word and WPS fall back to a Western font for CJK characters; a theme font would
override it, so the theme attributes are removed. A font that is not installed falls back
to the one the font table names as its alternative (方正小标宋简体 -> 黑体, 仿宋_GB2312 -> 仿宋).
The committee's name and the issuing body come from `beiwen settings` (services/settings.py,
`Letterhead`), the grids' names from the database.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from beiwen import vocab
from beiwen.i18n import label, language, t
from beiwen.io import docx_layout as layout
from beiwen.io.docx_layout import set_fonts as set_fonts  # io/issue_docx.py takes it here
from beiwen.io.files import write_file
from beiwen.render import printable
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
    H_PARTICIPANTS,
    H_PREVIOUS,
    H_RATE,
    H_SERVED,
    H_TOTAL,
    H_VALUE,
    ISSUE_METRICS,
    Section,
    change_text,
    fraction,
    metric_text,
    monthly_rows,
)
from beiwen.services.settings import Letterhead

H_RANK = ("Rank", "排名")
H_DEPARTMENT = ("Department", "部门")
H_DISPATCHED = ("Whistled", "吹哨")
H_REPORTED_IN = ("Reported in (on time)", "报到（按时）")
H_HANDLED_ON_TIME = ("Handled (on time)", "办结（按期）")
H_OVERDUE = ("Overdue", "超期")
H_SATISFIED = ("Satisfied / followed up", "满意/回访")
H_SCORE = ("Score", "得分")
H_SOURCE = ("Source", "来源")
H_NUMBER = ("No.", "工单号")
H_TITLE = ("Title", "标题")
H_DUE = ("Due", "办理时限")
H_DAYS = ("Days overdue", "超期天数")
H_HOLDING = ("Departments", "承办部门")
H_DATE = ("Date", "日期")
H_ACTIVITY = ("Activity", "活动")


def date_words(day: date) -> str:
    """2024年9月1日 (zh), 1 September 2024 (en)."""
    return t("report.docx.date", year=day.year, month=_month_name(day.month), day=day.day)


def _month_words(month: str) -> str:
    """2024年8月 (zh), August 2024 (en), of `2024-08`."""
    year, number = int(month[:4]), int(month[5:7])
    return t("report.docx.month", year=year, month=_month_name(number))


def _month_name(number: int) -> str:
    """The month as the language writes it in a date: 8 (8月) or August."""
    return calendar.month_name[number] if language() == "en" else str(number)


def period_words(report: dict[str, Any]) -> str:
    """The period as the title names it: 2024年8月, 2024年, or its first and last day."""
    period = report["period"]
    start = date.fromisoformat(period["start"])
    last = date.fromisoformat(period["end"]) - timedelta(days=1)
    kind = {7: "month", 4: "year"}.get(len(period["label"]), "range")
    if kind == "month":
        return _month_words(period["label"])
    if kind == "year":
        return t("report.docx.year", year=start.year)
    return t("report.docx.range", start=date_words(start), last=date_words(last))


def document_title(report: dict[str, Any], org: str) -> str:
    """{委员会名称}{2024年8月}工作情况报告."""
    return t("report.docx.title", org=org, period=period_words(report))


def _percent(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator * 100:.1f}%"


def summary(report: dict[str, Any]) -> str:
    """The opening paragraph, written from the figures (never copied from a stated rate):
    本月共收集问题14个，处理13个，处理率92.9%；…"""
    issues = report["issues"]
    kind = {7: "month", 4: "year"}.get(len(report["period"]["label"]), "range")
    collected, handled = issues["collected"], issues["handled"]
    parts = [
        t(
            "report.docx.summary_issues",
            span=t(f"report.docx.span_{kind}"),
            collected=collected,
            handled=handled,
        )
    ]
    if collected:
        parts.append(t("report.docx.summary_rate", rate=_percent(handled, collected)))
    parts.append(t("report.docx.summary_open", open=issues["open"], overdue=issues["overdue"]))
    fractions = issues.get("fractions", {})
    for key in ("on_time_rate", "satisfaction_rate"):
        numerator, denominator = fractions.get(key, (0, 0))
        if denominator:
            parts.append(t(f"report.docx.summary_{key}", rate=_percent(numerator, denominator)))
    sentences = [label((", ", "，")).join(parts) + label((".", "。"))]
    sentences.append(
        t(
            "report.docx.summary_work",
            activities=report["activities"]["count"],
            classes=report["courses"]["classes"],
            attendance=report["courses"]["attendance"],
        )
    )
    lists = report.get("lists")  # 三张清单: what the projects achieved
    if lists and (lists["needs_collected"] or lists["projects_done"]):
        sentences.append(t("report.docx.summary_lists", **lists))
    units = report.get("rotation", {}).get("units") or []
    if units:
        sentences.append(
            t("report.duty", units=label((", ", "、")).join(units)) + label((".", "。"))
        )
    return label((" ", "")).join(sentences)


def _in_vocab_order(data: dict[str, Any], vocabulary: dict[str, Any]) -> list[str]:
    order = list(vocabulary)
    return sorted(data, key=lambda key: (order.index(key) if key in order else len(order), key))


def _breakdown(heading: str, first: tuple[str, str], items: list[tuple[str, Any]]) -> Section:
    rows = [
        [name, str(v["collected"]), str(v["handled"]), fraction(v["handled"], v["collected"])]
        for name, v in items
    ]
    collected = sum(v["collected"] for _, v in items)
    handled = sum(v["handled"] for _, v in items)
    return Section(
        heading,
        [label(first), label(H_COLLECTED), label(H_HANDLED), label(H_RATE)],
        rows,
        [label(H_TOTAL), str(collected), str(handled), fraction(handled, collected)],
    )


def _grid_name(key: Any, letterhead: Letterhead) -> str:
    if key in (None, "none"):
        return t("report.none_grid")
    number = int(key)
    return letterhead.grids.get(number) or str(number)


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _with_part(whole: int, part: int) -> str:
    """`10 (8)`: a count and, in brackets, how many of them were on time."""
    return f"{whole}{label((' (', '（'))}{part}{label((')', '）'))}"


def _department_section(departments: list[dict[str, Any]]) -> Section:
    rows = [
        [
            "-" if entry.get("rank") is None else str(entry["rank"]),
            entry["unit"],
            str(entry["dispatched"]),
            _with_part(entry["reported_in"], entry["reported_in_on_time"]),
            _with_part(entry["handled"], entry["handled_on_time"]),
            str(entry["overdue"]),
            f"{entry['satisfied']}/{entry['followed_up']}",
            "-" if entry.get("score") is None else f"{entry['score']:.1f}",
        ]
        for entry in departments
    ]
    columns = [H_RANK, H_DEPARTMENT, H_DISPATCHED, H_REPORTED_IN, H_HANDLED_ON_TIME]
    columns += [H_OVERDUE, H_SATISFIED, H_SCORE]
    return Section(t("report.docx.by_department"), [label(c) for c in columns], rows)


def _overdue_section(orders: list[dict[str, Any]], letterhead: Letterhead) -> Section:
    from beiwen.render import cell

    rows = [
        [
            str(order["id"]),
            order["title"],
            order.get("grid_name") or _grid_name(order.get("grid"), letterhead),
            cell(order.get("due_at")),
            str(order["days_overdue"]),
            label((", ", "、")).join(d["unit"] for d in order.get("departments", [])),
        ]
        for order in orders
    ]
    columns = [H_NUMBER, H_TITLE, H_GRID, H_DUE, H_DAYS, H_HOLDING]
    return Section(t("report.docx.overdue_list"), [label(c) for c in columns], rows)


def _duty_sections(duty: dict[str, Any]) -> Iterator[Section | str]:
    """Per duty unit a sentence of its whistles and report-ins, and its activities."""
    kinds = getattr(vocab, "ACTIVITY_KINDS", {})
    for unit in duty.get("units", []):
        parts = [
            t(
                "report.docx.duty_unit",
                unit=unit["unit"],
                months=label((", ", "、")).join(_month_words(m) for m in unit.get("months", [])),
                activities=len(unit.get("activities", [])),
            )
        ]
        if unit.get("dispatched"):
            parts.append(
                t(
                    "report.docx.duty_orders",
                    dispatched=unit["dispatched"],
                    reported_in=unit["reported_in"],
                    on_time=unit["reported_in_on_time"],
                )
            )
        if unit.get("median_report_in_hours") is not None:
            parts.append(t("report.docx.duty_hours", hours=_hours(unit["median_report_in_hours"])))
        if unit.get("meetings"):  # the joint meetings (联席会) it hosted
            topics = label(("; ", "；")).join(m["topic"] for m in unit["meetings"])
            parts.append(t("report.docx.duty_meetings", count=len(unit["meetings"]), topics=topics))
        yield label(("; ", "；")).join(parts) + label((".", "。"))
        if unit.get("activities"):
            yield Section(
                t("report.docx.duty_activities", unit=unit["unit"]),
                [label(H_DATE), label(H_ACTIVITY), label(H_KIND), label(H_PARTICIPANTS)],
                [
                    [
                        str(row["date"]),
                        row["title"],
                        vocab.display(kinds, row["kind"]),
                        str(row["participants"]),
                    ]
                    for row in unit["activities"]
                ],
            )


def blocks(report: dict[str, Any], letterhead: Letterhead) -> Iterator[tuple[str, Any]]:
    """The body in order: ("heading", text), ("text", paragraph), ("table", Section).
    The new sections (departments, sources, overdue orders, the duty unit) are shown when
    the report has them."""
    issues = report["issues"]
    previous = report.get("previous", {}).get("issues")
    columns = [label(H_METRIC), label(H_VALUE)]
    if previous is not None:
        columns += [label(H_PREVIOUS), label(H_CHANGE)]
    metric_rows = []
    for key, heading in ISSUE_METRICS:
        if key not in issues:
            continue
        row = [label(heading), metric_text(issues, key)]
        if previous is not None:
            row += [metric_text(previous, key), change_text(issues, previous, key)]
        metric_rows.append(row)
    yield "heading", t("report.issues")
    yield "table", Section(t("report.issues"), columns, metric_rows)
    categories = getattr(vocab, "ISSUE_CATEGORIES", {})
    by_category = issues["by_category"]
    yield "heading", t("report.by_category")
    yield (
        "table",
        _breakdown(
            t("report.by_category"),
            H_CATEGORY,
            [
                (vocab.display(categories, key), by_category[key])
                for key in _in_vocab_order(by_category, categories)
            ],
        ),
    )
    by_grid = issues["by_grid"]
    grid_keys = sorted(by_grid, key=lambda key: (key == "none", int(key) if key.isdigit() else 0))
    yield "heading", t("report.by_grid")
    yield (
        "table",
        _breakdown(
            t("report.by_grid"),
            H_GRID,
            [(_grid_name(key, letterhead), by_grid[key]) for key in grid_keys],
        ),
    )
    by_source = issues.get("by_source")
    if by_source:
        sources = getattr(vocab, "ISSUE_SOURCES", {})
        yield "heading", t("report.docx.by_source")
        yield (
            "table",
            _breakdown(
                t("report.docx.by_source"),
                H_SOURCE,
                [
                    (vocab.display(sources, key), by_source[key])
                    for key in _in_vocab_order(by_source, sources)
                ],
            ),
        )
    if issues.get("by_department"):
        yield "heading", t("report.docx.by_department")
        yield "table", _department_section(issues["by_department"])
    if "overdue_list" in issues:
        yield "heading", t("report.docx.overdue_list")
        if issues["overdue_list"]:
            yield "table", _overdue_section(issues["overdue_list"], letterhead)
        else:
            yield "text", t("report.docx.no_overdue")
    duty = report.get("duty")
    if duty and duty.get("units"):
        yield "heading", t("report.docx.duty")
        for part in _duty_sections(duty):
            yield ("text", part) if isinstance(part, str) else ("table", part)
    from beiwen.render_meetings import report_tables as meeting_tables  # 联席会

    for number, table in enumerate(meeting_tables(report, fraction)):
        if number == 0:
            yield "heading", table[0]
        yield "table", Section(*table)
    from beiwen.render_report_lists import lists_tables  # 三张清单

    for lists_table in lists_tables(report):
        yield "heading", lists_table[0]
        yield "table", Section(*lists_table)
    courses = report["courses"]
    yield "heading", t("report.courses")
    yield (
        "table",
        Section(
            t("report.courses"),
            [label(H_COURSE), label(H_CLASSES), label(H_ATTENDANCE)],
            [
                [name, str(v["classes"]), str(v["attendance"])]
                for name, v in courses["by_course"].items()
            ],
            [label(H_TOTAL), str(courses["classes"]), str(courses["attendance"])],
        ),
    )
    from beiwen.render_service import docx_blocks  # 志愿服务: render_service.py

    for kind, value in docx_blocks(report, letterhead.grids):
        yield (kind, value) if kind != "rows" else ("table", Section(*value))
    activities = report["activities"]
    kinds = getattr(vocab, "ACTIVITY_KINDS", {})
    fields = ("count", "enterprises_served", "enterprises_helped", "participants")
    by_kind = activities["by_kind"]
    yield "heading", t("report.activities")
    yield (
        "table",
        Section(
            t("report.activities"),
            [
                label(H_KIND),
                label(H_COUNT),
                label(H_SERVED),
                label(H_HELPED),
                label(H_PARTICIPANTS),
            ],
            [
                [vocab.display(kinds, kind), *(str(by_kind[kind][f]) for f in fields)]
                for kind in _in_vocab_order(by_kind, kinds)
            ],
            [label(H_TOTAL), *(str(sum(v[f] for v in by_kind.values())) for f in fields)],
        ),
    )
    from beiwen.render_party import party_rows  # 党员: the register at the period's end

    for number, party_table in enumerate(party_rows(report, fraction)):
        if number == 0:
            yield "heading", party_table[0]
        yield "table", Section(*party_table)
    monthly = monthly_rows(report)
    if monthly is not None:
        caption, month_columns, rows = monthly
        yield "heading", caption
        yield "table", Section(caption, month_columns, rows)


def _numbered(index: int, heading: str) -> str:
    if language() == "zh" and index < len(layout.CHINESE_NUMERALS):
        number = layout.CHINESE_NUMERALS[index]
    elif language() == "zh":
        number = "十" + layout.CHINESE_NUMERALS[index - 10] if index < 20 else str(index + 1)
    else:
        number = str(index + 1)
    return t("report.docx.numbered", number=number, heading=heading)


def _made_on(report: dict[str, Any]) -> date:
    """成文日期: the day the report was made (its `generated_at`, Beijing time)."""
    made = report.get("generated_at")
    if made:
        return datetime.fromisoformat(made).date()
    from beiwen.parsing import now

    return now().date()


def write_report_docx(
    report: dict[str, Any], path: Path, letterhead: Letterhead | None = None
) -> None:
    letterhead = letterhead or Letterhead()
    title = document_title(report, letterhead.name)
    document = layout.official_document(title, letterhead.issuer)
    # XML cannot hold control characters (python-docx refuses them): they go in escaped, as
    # on a terminal.
    document.add_paragraph(printable(title), style="Title")
    layout.body(document, printable(summary(report)))
    index = 0
    for kind, value in blocks(report, letterhead):
        if kind == "heading":
            document.add_paragraph(printable(_numbered(index, value)), style="Heading 1")
            index += 1
        elif kind == "text":
            layout.body(document, printable(value))
        else:
            layout.table(document, value)
    layout.signature(
        document, printable(letterhead.issuer), printable(date_words(_made_on(report)))
    )
    write_file(path, document.save)
