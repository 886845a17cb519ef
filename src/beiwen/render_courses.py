"""Renderers of courses and their classes: the columns of the lists, the records `course
show` and `course class show` print and the tables under them. Light at import time."""

from __future__ import annotations

from typing import Any

from beiwen.i18n import label
from beiwen.render import Column, Field, cell
from beiwen.vocab import CLASS_STATUSES, COURSE_CATEGORIES, display

H_ID = ("ID", "编号")
H_NAME = ("Name", "名称")
H_COURSE = ("Course", "课程")
H_CATEGORY = ("Category", "类别")
H_PARTNER = ("Partner", "合作方")
H_TEACHER = ("Teacher", "老师")
H_VENUE = ("Venue", "地点")
H_CAPACITY = ("Capacity", "容量")
H_TERMS = ("Terms", "期数")
H_TERM = ("Term", "期")
H_HELD = ("Held", "已开课")
H_PLANNED = ("Planned", "计划")
H_ATTENDANCE = ("Attendance", "出勤人次")
H_AVERAGE = ("Average", "平均出勤")
H_FILL = ("Fill rate", "满员率")
H_START = ("Start", "开始")
H_END = ("End", "结束")
H_WHEN = ("Time", "时间")
H_STATUS = ("Status", "状态")
H_OVER = ("Over capacity", "超员")
H_SOURCE = ("Counted from", "出勤来源")
H_NOTE = ("Note", "备注")
H_PHONE = ("Phone", "电话")
H_CREATED = ("Created", "创建时间")
_WEEKDAYS = (("Mon", "周一"), ("Tue", "周二"), ("Wed", "周三"), ("Thu", "周四"), ("Fri", "周五"),
             ("Sat", "周六"), ("Sun", "周日"))  # fmt: skip
_SOURCES = {"roster": ("roster", "签到名单"), "count": ("head count", "人数登记")}


def when(starts_at: str | None) -> str:
    """`2024-08-03T09:30:00+08:00` -> `2024-08-03 09:30 Sat` (周六 in Chinese)."""
    if not starts_at:
        return ""
    from datetime import date

    weekday = date.fromisoformat(starts_at[:10]).weekday()
    return f"{starts_at[:10]} {starts_at[11:16]} {label(_WEEKDAYS[weekday])}"


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def course_columns() -> list[Any]:
    return [
        Column("id", H_ID, justify="right"),
        Column("name", H_NAME),
        Column("category", H_CATEGORY, lambda v: display(COURSE_CATEGORIES, v)),
        Column("partner", H_PARTNER),
        Column("teacher", H_TEACHER),
        Column("capacity", H_CAPACITY, justify="right"),
        Column("terms", H_TERMS, justify="right"),
        Column("held", H_HELD, justify="right"),
        Column("planned", H_PLANNED, justify="right"),
        Column("attendance", H_ATTENDANCE, justify="right"),
        Column("average_attendance", H_AVERAGE, justify="right"),
        Column("fill_rate", H_FILL, percent, justify="right"),
    ]


def class_columns(with_course: bool = True) -> list[Any]:
    columns = [
        Column("id", H_ID, justify="right"),
        Column("starts_at", H_WHEN, when),
        Column("course", H_COURSE),
        Column("term", H_TERM),
        Column("status", H_STATUS, lambda v: display(CLASS_STATUSES, v)),
        Column("venue", H_VENUE),
        Column("attendance", H_ATTENDANCE, justify="right"),
        Column("capacity", H_CAPACITY, justify="right"),
        Column("over_capacity", H_OVER, lambda v: cell(bool(v))),
        Column("note", H_NOTE),
    ]
    return columns if with_course else [c for c in columns if c.key != "course"]


COURSE_FIELDS = [
    Field("id", H_ID),
    Field("name", H_NAME),
    Field("category", H_CATEGORY, lambda v: display(COURSE_CATEGORIES, v)),
    Field("partner", H_PARTNER),
    Field("teacher", H_TEACHER),
    Field("venue", H_VENUE),
    Field("capacity", H_CAPACITY),
    Field("terms", H_TERMS),
    Field("held", H_HELD),
    Field("planned", H_PLANNED),
    Field("attendance", H_ATTENDANCE),
    Field("average_attendance", H_AVERAGE),
    Field("fill_rate", H_FILL, percent),
    Field("created_at", H_CREATED),
]


def course_sections(course: dict[str, Any]) -> list[Any]:
    """The terms and the classes of a course, under its record."""
    from beiwen.render import build_table

    sections = []
    if course["term_list"]:
        term_columns = [
            Column("id", H_ID, justify="right"),
            Column("name", H_TERM),
            Column("start_date", H_START),
            Column("end_date", H_END),
            Column("held", H_HELD, justify="right"),
            Column("planned", H_PLANNED, justify="right"),
            Column("attendance", H_ATTENDANCE, justify="right"),
        ]
        sections.append(build_table(course["term_list"], term_columns, title=label(H_TERMS)))
    if course["classes"]:
        columns = class_columns(with_course=False)
        title = label(("Classes", "课堂"))
        sections.append(build_table(course["classes"], columns, title=title))
    return sections


CLASS_FIELDS = [
    Field("id", H_ID),
    Field("course", H_COURSE),
    Field("term", H_TERM),
    Field("starts_at", H_WHEN, when),
    Field("status", H_STATUS, lambda v: display(CLASS_STATUSES, v)),
    Field("venue", H_VENUE),
    Field("attendance", H_ATTENDANCE),
    Field("attendance_source", H_SOURCE, lambda v: label(_SOURCES[v]) if v else None),
    Field("capacity", H_CAPACITY),
    Field("over_capacity", H_OVER, bool),
    Field("note", H_NOTE),
]


def roster(found: dict[str, Any]) -> list[Any]:
    from beiwen.render import build_table

    if not found["attendees"]:
        return []
    columns = [Column("name", H_NAME), Column("phone", H_PHONE)]
    return [build_table(found["attendees"], columns, title=label(("Roster", "签到名单")))]
