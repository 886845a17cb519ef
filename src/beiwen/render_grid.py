"""Renderers of the grids and of the people of their "N" forces: member tables (also the
suggestions `issue suggest` prints), a grid's summary tables, the per-grid statistics.

Light at import time like `render.py`: rich and the services load inside the functions.
"""

from __future__ import annotations

import sys
from typing import Any

from beiwen.i18n import t
from beiwen.render import Column, Field

H_GRID = ("Grid", "网格")
H_NAME = ("Name", "名称")
H_PERSON = ("Name", "姓名")
H_BRANCH = ("Party branch", "网格党支部")
H_AREA = ("Area", "范围")
H_ID = ("ID", "编号")
H_ROLES = ("Roles", "角色")
H_ROLE = ("Role", "角色")
H_GRIDS = ("Grids", "服务网格")
H_SKILLS = ("Skills", "技能")
H_PHONE = ("Phone", "电话")
H_ID_NUMBER = ("ID number", "身份证号")
H_UNIT = ("Unit", "单位")
H_MOBILE = ("Mobile member", "流动党员")
H_OPEN = ("Open assignments", "在办工单")
H_SINCE = ("Since", "加入日期")
H_NOTE = ("Note", "备注")
H_REMOVED = ("Removed", "移除时间")
H_COUNT = ("Count", "数量")
H_PEOPLE = ("People", "人员数")
H_UNITS = ("Units", "单位数")
H_OVERDUE = ("Overdue", "已超期")


def join(values: Any) -> str:
    return "、".join(str(v) for v in values) if values else ""


def private_member(person: dict[str, Any], show_pii: bool, fmt: str) -> dict[str, Any]:
    """A member as `fmt` may show them (beiwen.privacy: masked in every view)."""
    from beiwen.privacy import private_row

    return private_row("member", person, fmt, show_pii)


def _flat(person: dict[str, Any]) -> dict[str, Any]:
    """Lists joined for CSV cells."""
    return {
        **person,
        "roles": join(person["roles"]),
        "grids": join(person["grids"]),
        "skills": join(person["skills"]),
        "mobile_party_member": int(person["mobile_party_member"]),
    }


def people_columns(brief: bool, extra: list[Column] | None = None) -> list[Column]:
    """The columns of member tables; `brief` (suggestions) leaves out the ID number, unit
    and mobile flag."""
    from beiwen.render import cell

    full = not brief
    return [
        *(extra or []),
        Column("id", H_ID, justify="right"),
        Column("name", H_PERSON),
        Column("roles", H_ROLES),
        Column("grids", H_GRIDS),
        Column("skills", H_SKILLS),
        Column("phone", H_PHONE),
        *([Column("id_number", H_ID_NUMBER), Column("unit", H_UNIT)] if full else []),
        *([Column("mobile_party_member", H_MOBILE, lambda v: cell(bool(v)))] if full else []),
        Column("open_assignments", H_OPEN, justify="right"),
    ]


def emit_suggestions(
    people: list[dict[str, Any]], fmt: str, show_pii: bool, skills: str, with_place: bool
) -> None:
    """Suggested helpers (from `services.people.suggest_people`), as `grid suggest` and
    `issue suggest` print them; nobody suggested is a notice on stderr."""
    from beiwen.services.people import PLACES
    from beiwen.vocab import display

    if not people:
        sys.stderr.write(t("grid.nobody", skill=skills) + "\n")
    place = Column("place", ("Where", "范围"), lambda v: display(PLACES, v))
    emit_people(people, fmt, show_pii, brief=True, extra=[place] if with_place else [])


def emit_people(
    people: list[dict[str, Any]],
    fmt: str,
    show_pii: bool,
    brief: bool = False,
    extra: list[Column] | None = None,
) -> None:
    from beiwen.render import emit
    from beiwen.services.people import display_grids, display_roles

    shown = [private_member(person, show_pii, fmt) for person in people]
    if fmt == "csv":
        shown = [_flat(person) for person in shown]
    elif fmt == "table":
        shown = [
            {
                **person,
                "roles": display_roles(person["roles"], person["mobile_party_member"]),
                "grids": display_grids(person["grids"]),
                "skills": join(person["skills"]),
            }
            for person in shown
        ]
    emit(shown, fmt, people_columns(brief, extra))


def member_fields() -> list[Field]:
    """The record of `grid member show`."""
    from beiwen.render import cell
    from beiwen.services.people import display_grids, display_roles

    return [
        Field("id", H_ID),
        Field("name", H_PERSON),
        Field(lambda m: display_roles(m["roles"], m["mobile_party_member"]), H_ROLES),
        Field("grids", H_GRIDS, display_grids),
        Field("skills", H_SKILLS, join),
        Field("phone", H_PHONE),
        Field("id_number", H_ID_NUMBER),
        Field("unit", H_UNIT),
        Field("mobile_party_member", H_MOBILE, cell),
        Field("since", H_SINCE),
        Field("open_assignments", H_OPEN),
        Field("note", H_NOTE),
        Field("removed_at", H_REMOVED),
    ]


def member_assignments(detail: dict[str, Any]) -> list[Any]:
    """The work orders a member was assigned to, under their record."""
    from beiwen.render import build_table
    from beiwen.vocab import ISSUE_STATUSES, display

    if not detail["assignments"]:
        return []
    columns = [
        Column("issue_id", ("Work order", "工单号"), justify="right"),
        Column("title", ("Title", "标题")),
        Column("grid", H_GRID, justify="right"),
        Column("status", ("Status", "状态"), lambda v: display(ISSUE_STATUSES, v)),
        Column("at", ("Assigned", "指派时间"), lambda v: v[:16].replace("T", " ")),
        Column("note", H_NOTE),
    ]
    return [build_table(detail["assignments"], columns, title=t("grid.assignments_title"))]


GRID_COLUMNS = [
    Column("number", H_GRID, justify="right"),
    Column("name", H_NAME),
    Column("branch", H_BRANCH),
    Column("area", H_AREA),
    Column("units", H_UNITS, justify="right"),
    Column("grid_workers", ("Grid workers", "网格员"), justify="right"),
    Column("people", H_PEOPLE, justify="right"),
]

GRID_FIELDS = [
    Field("number", H_GRID),
    Field("name", H_NAME),
    Field("branch", H_BRANCH),
    Field("area", H_AREA),
    Field("people", H_PEOPLE),
    Field("units", H_UNITS),
    Field("open_work_orders", ("Open work orders", "未办结工单")),
    Field("overdue_work_orders", H_OVERDUE),
]

STATS_KEYS = ["grid", "name", "collected", "handled", "handling_rate", "overdue", "people"]
STATS_COLUMNS = [
    Column("grid", H_GRID, justify="right"),
    Column("name", H_NAME),
    Column("collected", ("Collected", "收集"), justify="right"),
    Column("handled", ("Handled", "处理"), justify="right"),
    Column("rate", ("Handling rate", "处理率"), justify="right"),
    Column("overdue", ("Overdue", "超期"), justify="right"),
    Column("people", ("People active", "在岗人员"), justify="right"),
]


def _titled_table(title: str, headings: list[tuple[str, str]], rows: list[list[Any]]) -> Any:
    """A small table under its title on a line of its own (a narrow table would wrap a
    table title); with no rows, one line saying so."""
    from rich.console import Group
    from rich.table import Table

    from beiwen.i18n import label
    from beiwen.render import text

    if not rows:
        return text(f"{title}: {t('render.none')}")
    built = Table()
    for heading in headings:
        built.add_column(text(label(heading)))
    for row in rows:
        built.add_row(*(text(value) for value in row))
    return Group(text(title), built)


def grid_sections(grid: dict[str, Any], show_pii: bool) -> list[Any]:
    """Under a grid's record: its people by role, units by kind, merchants by trade and open
    work orders."""
    from beiwen.services.people import PERSON_ROLES, display_role
    from beiwen.vocab import ISSUE_CATEGORIES, ISSUE_STATUSES, MERCHANT_CATEGORIES, UNIT_KINDS
    from beiwen.vocab import display as show_label

    # Mobile Party members are listed apart from the in-service ones they share a role with.
    groups: dict[tuple[int, bool], list[dict[str, Any]]] = {}
    for role, group in grid["people_by_role"].items():
        for person in group:
            key = (list(PERSON_ROLES).index(role), person["mobile_party_member"])
            groups.setdefault(key, []).append(person)
    people_rows = [
        [
            display_role(list(PERSON_ROLES)[index], mobile),
            len(group),
            "、".join(
                f"{p['name']} {p['phone']}" if p["phone"] and show_pii else p["name"] for p in group
            ),
        ]
        for (index, mobile), group in sorted(groups.items())
    ]
    unit_rows = [[show_label(UNIT_KINDS, k), n] for k, n in grid["units_by_kind"].items()]
    merchant_rows = [
        [show_label(MERCHANT_CATEGORIES, k), n] for k, n in grid["merchants_by_category"].items()
    ]
    order_rows = [
        [
            order["id"],
            order["title"],
            show_label(ISSUE_CATEGORIES, order["category"]),
            show_label(ISSUE_STATUSES, order["status"]),
            (order["due_at"] or "")[:16].replace("T", " "),
            t("render.yes") if order["overdue"] else "",
        ]
        for order in grid["work_orders"]
    ]
    order_headings = [
        H_ID,
        ("Title", "标题"),
        ("Category", "类别"),
        ("Status", "状态"),
        ("Due", "办理时限"),
        H_OVERDUE,
    ]
    return [
        _titled_table(t("grid.people_title"), [H_ROLE, H_COUNT, ("Names", "姓名")], people_rows),
        _titled_table(t("grid.units_title"), [("Kind", "类型"), H_COUNT], unit_rows),
        _titled_table(t("grid.merchants_title"), [("Category", "业态"), H_COUNT], merchant_rows),
        _titled_table(t("grid.orders_title"), order_headings, order_rows),
    ]
