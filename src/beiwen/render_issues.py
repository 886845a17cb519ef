"""Renderers of work orders: the list's columns, the record `issue show` prints and the
tables under it (departments, timeline). Light at import time like `render.py`."""

from __future__ import annotations

from functools import partial
from typing import Any

from beiwen.i18n import t
from beiwen.render import Column, Field
from beiwen.vocab import (
    ISSUE_ACTIONS,
    ISSUE_CATEGORIES,
    ISSUE_MARKS,
    ISSUE_SOURCES,
    ISSUE_STATUSES,
    SATISFACTION,
    display,
)

H_ID = ("No.", "工单号")
H_TITLE = ("Title", "标题")
H_CATEGORY = ("Category", "类别")
H_SOURCE = ("Source", "来源")
H_GRID = ("Grid", "网格")
H_UNIT = ("Unit concerned", "涉及单位")
H_REPORTER = ("Reporter", "反映人")
H_PHONE = ("Phone", "联系电话")
H_STATUS = ("Status", "状态")
H_REPORTED = ("Reported", "上报时间")
H_DUE = ("Due", "办理期限")
H_DISPATCHED = ("First dispatched", "首次吹哨")
H_ACCEPTED = ("First reported in", "首次报到")
H_RESOLVED = ("Resolved", "解决时间")
H_CLOSED = ("Followed up", "回访时间")
H_CANCELLED = ("Cancelled", "撤销时间")
H_SATISFACTION = ("Satisfaction", "满意度")
H_OVERDUE = ("Overdue", "逾期")
H_RESPONSE = ("Response time", "响应用时")
H_RESOLUTION = ("Resolution time", "办结用时")
H_DESCRIPTION = ("Description", "问题描述")
H_DEPARTMENTS = ("Departments", "承办单位")
H_DAYS = ("Days", "天数")
H_KEY = ("Key", "代码")
H_UNIT_NAME = ("Unit", "单位")
H_PLACE = ("Place", "地点")
H_MARK = ("Mark", "标记")
H_VOIDED = ("Voided", "作废时间")
H_DUPLICATE_OF = ("Duplicate of", "重复于")
H_DUPLICATES = ("Duplicates", "重复工单")


def local(value: Any) -> str:
    from beiwen.services.issues import local_time

    return local_time(value)


def _hours(value: float | None) -> str:
    return t("issues.hours", hours=value) if value is not None else ""


def list_columns() -> list[Column]:
    from beiwen.render import cell

    return [
        # rank: what a narrow screen keeps first (number, title, state, then the rest).
        Column("id", H_ID, justify="right", rank=1),
        Column("reported_at", H_REPORTED, local, rank=6),
        Column("category", H_CATEGORY, partial(display, ISSUE_CATEGORIES), rank=4),
        Column("grid", H_GRID, justify="right", rank=5),
        Column("title", H_TITLE, rank=2),
        Column("status", H_STATUS, partial(display, ISSUE_STATUSES), rank=3),
        # Only `--all` lists them: 已作废 (voided) or 重复工单 (a duplicate).
        Column("mark", H_MARK, partial(display, ISSUE_MARKS), rank=3),
        Column("departments", H_DEPARTMENTS, rank=7),
        Column("due_at", H_DUE, local, rank=8),
        Column("overdue", H_OVERDUE, cell, rank=9),
    ]


def _numbers(value: Any) -> str | None:
    """`12` or `[12, 15]` as `#12` or `#12、#15` (the orders a duplicate links)."""
    if value is None or value == []:
        return None
    return "、".join(f"#{number}" for number in (value if isinstance(value, list) else [value]))


def _grid(issue: dict[str, Any]) -> str | None:
    return f"{issue['grid']} {issue['grid_name'] or ''}".strip() if issue["grid"] else None


ISSUE_FIELDS = [
    Field("id", H_ID),
    Field("title", H_TITLE),
    Field("category", H_CATEGORY, partial(display, ISSUE_CATEGORIES)),
    Field("source", H_SOURCE, partial(display, ISSUE_SOURCES)),
    Field(_grid, H_GRID),
    Field("unit_name", H_UNIT),
    Field("place", H_PLACE),
    Field("reporter", H_REPORTER),
    Field("phone", H_PHONE),
    Field("status", H_STATUS, partial(display, ISSUE_STATUSES)),
    Field("mark", H_MARK, partial(display, ISSUE_MARKS)),
    Field("voided_at", H_VOIDED, local),
    Field("duplicate_of", H_DUPLICATE_OF, _numbers),
    Field("duplicates", H_DUPLICATES, _numbers),
    Field("reported_at", H_REPORTED, local),
    Field("due_at", H_DUE, local),
    Field("first_dispatched_at", H_DISPATCHED, local),
    Field("first_accepted_at", H_ACCEPTED, local),
    Field("resolved_at", H_RESOLVED, local),
    Field("closed_at", H_CLOSED, local),
    Field("cancelled_at", H_CANCELLED, local),
    Field("satisfaction", H_SATISFACTION, partial(display, SATISFACTION)),
    Field("overdue", H_OVERDUE),
    Field("response_hours", H_RESPONSE, _hours),
    Field("resolution_hours", H_RESOLUTION, _hours),
    Field("description", H_DESCRIPTION),
]


# What an edit event names: the heading of the field it changed, and how its value shows.
EDITED: dict[str, tuple[tuple[str, str], Any]] = {
    "title": (H_TITLE, None),
    "category": (H_CATEGORY, partial(display, ISSUE_CATEGORIES)),
    "source": (H_SOURCE, partial(display, ISSUE_SOURCES)),
    "grid": (H_GRID, None),
    "unit": (H_UNIT, None),
    "place": (H_PLACE, None),
    "reporter": (H_REPORTER, None),
    "phone": (H_PHONE, None),
    "description": (H_DESCRIPTION, None),
    "due_at": (H_DUE, local),
}


def _change(event: dict[str, Any]) -> str:
    """An edit as `类别：游摊占道 → 消防通道` (an empty value as `-`)."""
    from beiwen.i18n import label

    heading, show = EDITED.get(event["field"], ((event["field"], event["field"]), None))

    def value(text: str | None) -> str:
        if text is None or text == "":
            return "-"
        return str(show(text)) if show else text

    return t(
        "issues.changed",
        field=label(heading),
        old=value(event["old_value"]),
        new=value(event["new_value"]),
    )


def _event_detail(event: dict[str, Any]) -> str:
    parts = [
        _change(event) if event.get("field") else "",
        t("issues.duplicate_of", of=event["other_issue_id"]) if event.get("other_issue_id") else "",
        t("issues.from_unit", unit=event["from_unit_name"])
        if event["from_unit_name"] and not event.get("field")
        else "",
        event["person_name"] or "",
        display(SATISFACTION, event["satisfaction"]),
        event["note"] or "",
    ]
    return t("help.word.list_separator").join(part for part in parts if part)


def issue_sections(issue: dict[str, Any]) -> list[Any]:
    """Under a work order's record: its departments (if any) and its whole timeline."""
    from beiwen.render import build_table

    sections = []
    if issue["units"]:
        unit_columns = [
            Column("unit_name", H_UNIT_NAME),
            Column("dispatched_at", ("Sent", "派单时间"), local),
            Column("accepted_at", ("Reported in", "报到时间"), local),
            Column("transferred_from_name", ("Transferred from", "转自")),
            Column("released_at", ("Passed on", "转出时间"), local),
        ]
        title = t("issues.departments_title")
        sections.append(build_table(issue["units"], unit_columns, title=title))
    event_columns = [
        Column("at", ("Time", "时间"), local),
        Column("action", ("Step", "步骤"), partial(display, ISSUE_ACTIONS)),
        Column("unit_name", H_UNIT_NAME),
        Column("detail", ("Note", "说明")),
        Column("recorded_at", ("Entered", "录入时间"), local),
    ]
    events = [{**event, "detail": _event_detail(event)} for event in issue["events"]]
    sections.append(build_table(events, event_columns, title=t("issues.timeline_title")))
    return sections


DEADLINE_COLUMNS = [
    Column("label", H_CATEGORY),
    Column("category", H_KEY),
    Column("days", H_DAYS, justify="right"),
    Column("report_in_hours", ("Hours to report in", "报到时限（小时）"), justify="right"),
]
