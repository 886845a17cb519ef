"""How the joint meetings (联席会) are shown: the columns of `meeting list`, `meeting show`,
`meeting decision list`, `meeting attendance`, the exports, `report --explain` of a meetings
figure, and the report's meetings tables.

A leaf module (it imports no other renderer): render_report, render_report_sheets and
io/report_docx call `report_tables` with their own way of writing a fraction
(`render_report.fraction`: `3/4 = 75.0%` on screen and paper; a rate in a workbook).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from beiwen.i18n import label, t
from beiwen.render import Column, Field

H_ID = ("ID", "编号")
H_DATE = ("Date", "日期")
H_HOST = ("Host", "主持单位")
H_TOPIC = ("Topic", "议题")
H_ATTENDED = ("Units attending", "参会单位数")
H_ATTENDEES = ("Attending", "参会单位")
H_DECISIONS = ("Decisions", "议定事项")
H_DONE = ("Done", "已办结")
H_NOTE = ("Note", "备注")
H_CREATED = ("Created", "创建时间")
H_MEETING = ("Meeting", "会议日期")
H_TEXT = ("Decision", "议定事项")
H_OWNER = ("Owner", "责任单位")
H_DUE = ("Due", "完成时限")
H_DONE_AT = ("Done on", "办结时间")
H_DONE_NOTE = ("What was done", "完成情况")
H_ISSUE = ("Work order", "工单号")
H_NEED = ("Need", "需求编号")
H_OVERDUE = ("Overdue", "逾期")
H_UNIT = ("Council unit", "成员单位")
H_MEETINGS = ("Meetings held", "应到次数")
H_PRESENT = ("Attended", "出席次数")
H_RATE = ("Attendance", "出席率")
H_FIGURE = ("Figure", "指标")
H_VALUE = ("Value", "数值")
H_TOTAL = ("Total", "合计")
H_HOSTED = ("Joint meetings hosted", "主持联席会")
H_RATE_DONE = ("Done rate", "办结率")


def _day(value: Any) -> str:
    return str(value or "")[:10]


def _yes(value: Any) -> str:
    return label(("yes", "是")) if value else ""


def meeting_columns() -> list[Column]:
    return [
        Column("id", H_ID, justify="right"),
        Column("date", H_DATE),
        Column("host_unit", H_HOST),
        Column("topic", H_TOPIC),
        Column("attended", H_ATTENDED, justify="right"),
        Column("decisions", H_DECISIONS, justify="right"),
        Column("decisions_done", H_DONE, justify="right"),
    ]


def meeting_fields() -> list[Field]:
    return [
        Field("id", H_ID),
        Field("date", H_DATE),
        Field("host_unit", H_HOST),
        Field("topic", H_TOPIC),
        Field("attendees", H_ATTENDEES),
        Field("note", H_NOTE),
        Field("created_at", H_CREATED),
    ]


def decision_columns(with_meeting: bool = True) -> list[Column]:
    columns = [
        Column("id", H_ID, justify="right", rank=1),
        Column("meeting_date", H_MEETING, rank=6),
        Column("text", H_TEXT, rank=2),
        Column("owner_unit", H_OWNER, rank=3),
        Column("due", H_DUE, rank=4),
        Column("done_at", H_DONE_AT, _day, rank=5),
        Column("done_note", H_DONE_NOTE, rank=10),
        Column("issue_id", H_ISSUE, justify="right", rank=8),
        Column("need_id", H_NEED, justify="right", rank=9),
        Column("overdue", H_OVERDUE, _yes, rank=7),
    ]
    return columns if with_meeting else [c for c in columns if c.key != "meeting_date"]


def attendance_columns() -> list[Column]:
    return [
        Column("unit", H_UNIT),
        Column("attended", H_PRESENT, justify="right"),
        Column("meetings", H_MEETINGS, justify="right"),
        Column("rate", H_RATE, justify="right"),
    ]


def attendance_rows(
    data: dict[str, Any], fmt: str, ratio: Callable[[int, int], str]
) -> tuple[list[dict[str, Any]], Any]:
    """The rows of `meeting attendance` and its totals row: the rate as `ratio` writes it
    (`10/12 = 83.3%`) on screen, the number (null over 0) in JSON and CSV."""
    units = data["units"]
    if fmt != "table":
        return units, None
    rows = [{**u, "rate": ratio(u["attended"], u["meetings"])} for u in units]
    present, held = sum(u["attended"] for u in units), sum(u["meetings"] for u in units)
    footer = {
        "unit": label(H_TOTAL),
        "attended": present,
        "meetings": held,
        "rate": ratio(present, held),
    }
    return rows, footer


def meeting_sections(data: dict[str, Any]) -> list[Any]:
    """Under `meeting show`: the attending units, then the decisions."""
    from beiwen.render import build_table

    parts: list[Any] = []
    if data["decision_list"]:
        parts.append(
            build_table(data["decision_list"], decision_columns(False), t("meetings.decisions"))
        )
    return parts


# `report --explain` of a meetings figure.
EXPLAIN_MEETING_COLUMNS = [
    Column("id", H_ID, justify="right"),
    Column("date", H_DATE),
    Column("host_unit", H_HOST),
    Column("topic", H_TOPIC),
    Column("attended", H_ATTENDED, justify="right"),
]
EXPLAIN_DECISION_COLUMNS = [
    Column("id", H_ID, justify="right"),
    Column("meeting_date", H_MEETING),
    Column("text", H_TEXT),
    Column("owner_unit", H_OWNER),
    Column("due", H_DUE),
    Column("done_at", H_DONE_AT, _day),
    Column("in_numerator", ("Numerator", "计入分子"), lambda v: "1" if v else ""),
    Column("in_denominator", ("Denominator", "计入分母"), lambda v: "1" if v else ""),
]


def explained(result: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Column]] | None:
    """The rows and columns of an --explain result about meetings, else None."""
    if "meetings" in result:
        return result["meetings"], EXPLAIN_MEETING_COLUMNS
    if "decisions" in result:
        return result["decisions"], EXPLAIN_DECISION_COLUMNS
    return None


# The report ------------------------------------------------------------------------------


def report_tables(
    report: dict[str, Any],
    ratio: Callable[[int, int], Any],
    cell: Callable[[Any], Any] = str,
) -> list[tuple[str, list[str], list[list[Any]], list[Any] | None]]:
    """The report's `meetings` as (heading, columns, rows, totals) tables: the figures, then
    the decisions per owner. `ratio(numerator, denominator)` writes a fraction, `cell` a count
    (text for the screen and paper, the number itself for a workbook)."""
    meetings = report.get("meetings")
    if not meetings:
        return []
    figures = [
        [label(("Joint meetings held", "召开联席会（次）")), cell(meetings["held"])],
        [label(("Decisions taken", "议定事项（项）")), cell(meetings["decisions"])],
        [
            label(("Decisions done", "议定事项办结")),
            ratio(meetings["decisions_done"], meetings["decisions"]),
        ],
    ]
    Table = tuple[str, list[str], list[list[Any]], list[Any] | None]
    tables: list[Table] = [(t("report.meetings"), [label(H_FIGURE), label(H_VALUE)], figures, None)]
    owners = meetings["by_owner"]
    if owners:
        rows = [
            [
                o["unit"],
                cell(o["decisions"]),
                cell(o["decisions_done"]),
                ratio(o["decisions_done"], o["decisions"]),
            ]
            for o in owners
        ]
        total = [
            label(H_TOTAL),
            cell(meetings["decisions"]),
            cell(meetings["decisions_done"]),
            ratio(meetings["decisions_done"], meetings["decisions"]),
        ]
        columns = [label(H_OWNER), label(H_DECISIONS), label(H_DONE), label(H_RATE_DONE)]
        tables.append((t("report.meetings_by_owner"), columns, rows, total))
    return tables


def hosted_text(unit: dict[str, Any]) -> str:
    """A duty unit's hosted meetings in one cell: `2024-08-15 议题；…`, or `-`."""
    return "；".join(f"{m['date']} {m['topic']}" for m in unit.get("meetings", [])) or "-"
