"""The three lists on screen: the columns of `need list`, `resource list`, `project list`,
the records of their `show` (with a need's timeline, a project's needs and resources) and
the resources `need match` finds. Light at import time like `render.py`."""

from __future__ import annotations

from typing import Any

from beiwen.i18n import label, t
from beiwen.render import Column, Field, build_table
from beiwen.vocab import display
from beiwen.vocab_lists import (
    NEED_ACTIONS,
    NEED_KINDS,
    NEED_STATUSES,
    PROJECT_STATUSES,
    RESOURCE_KINDS,
)

H_ID = ("ID", "编号")
H_TITLE = ("Title", "标题")
H_KIND = ("Kind", "类型")
H_FROM = ("Raised by", "提出单位")
H_GRID = ("Grid", "网格")
H_DAY = ("Date", "日期")
H_STATUS = ("Status", "状态")
H_HOLDER = ("Passed to", "承接单位")
H_DESCRIPTION = ("Description", "描述")
H_PROJECTS = ("Projects", "项目")
H_CREATED = ("Created", "创建时间")
H_STEP = ("Step", "环节")
H_UNIT = ("Unit", "单位")
H_NOTE = ("Note", "说明")
H_TOPIC = ("Topic", "领域")
H_CAPACITY = ("Capacity", "可服务项目数")
H_LEFT = ("Left", "剩余")
H_UNTIL = ("Until", "有效期至")
H_RETIRED = ("Retired", "停用时间")
H_LEAD = ("Lead unit", "牵头单位")
H_DUE = ("Due", "完成期限")
H_DONE = ("Done", "完成日期")
H_OUTCOME = ("Outcome", "成效")
H_HELPED = ("Enterprises helped", "帮扶企业数")
H_NEEDS = ("Needs", "需求")
H_RESOURCES = ("Resources", "资源")
H_SAME_KIND = ("Same kind", "同类")
H_SHARED = ("Shared words", "相同词语")
H_OFFERS = ("Resources that fit", "可对接资源")


def need_kind(value: Any) -> str:
    return display(NEED_KINDS, value)


def _unlimited(value: Any) -> str:
    return label(("any", "不限")) if value is None else str(value)


def _yes(value: Any) -> str:
    return label(("yes", "是")) if value else ""


def need_columns() -> list[Column]:
    return [
        Column("id", H_ID, justify="right", rank=1, wrap=False),
        Column("day", H_DAY, rank=3, wrap=False),
        Column("kind", H_KIND, need_kind, rank=4),
        Column("title", H_TITLE, rank=2),
        Column("from_unit", H_FROM, rank=5),
        Column("status", H_STATUS, lambda v: display(NEED_STATUSES, v), rank=6),
        Column("holder", H_HOLDER),
        Column("grid", H_GRID, justify="right"),
    ]


def need_fields() -> list[Field]:
    return [
        Field("id", H_ID),
        Field("title", H_TITLE),
        Field("kind", H_KIND, need_kind),
        Field("from_unit", H_FROM),
        Field("grid_name", H_GRID),
        Field("day", H_DAY),
        Field("status", H_STATUS, lambda v: display(NEED_STATUSES, v)),
        Field("holder", H_HOLDER),
        Field("description", H_DESCRIPTION),
        Field("projects", H_PROJECTS),
        Field("created_at", H_CREATED),
    ]


def _event_note(event: dict[str, Any]) -> str:
    if event["action"] == "edit":
        from beiwen.i18n import field_label

        name = field_label(event["field"])
        vocabulary = {"status": NEED_STATUSES, "kind": NEED_KINDS}.get(event["field"], {})
        old, new = (display(vocabulary, event[k]) for k in ("old_value", "new_value"))
        return f"{name}: {old} → {new}"
    parts = [event.get("note") or ""]
    if event.get("project_id"):
        parts.insert(0, t("needs.event_project", id=event["project_id"], title=event["project"]))
    return label(("; ", "；")).join(part for part in parts if part)


def need_sections(need: dict[str, Any]) -> list[Any]:
    """Under a need's record: its timeline, every step in order."""
    columns = [
        Column("day", H_DAY, wrap=False),
        Column("action", H_STEP, lambda v: display(NEED_ACTIONS, v)),
        Column("unit", H_UNIT),
        Column("detail", H_NOTE),
    ]
    events = [{**event, "detail": _event_note(event)} for event in need["timeline"]]
    return [build_table(events, columns, title=t("needs.timeline_title"))]


def resource_columns() -> list[Column]:
    return [
        Column("id", H_ID, justify="right", rank=1, wrap=False),
        Column("kind", H_KIND, lambda v: display(RESOURCE_KINDS, v), rank=3),
        Column("topic", H_TOPIC, need_kind, rank=4),
        Column("title", H_TITLE, rank=2),
        Column("unit", H_UNIT, rank=5),
        Column("capacity", H_CAPACITY, _unlimited, justify="right"),
        Column("left", H_LEFT, _unlimited, justify="right"),
        Column("until", H_UNTIL, wrap=False),
    ]


def resource_fields() -> list[Field]:
    return [
        Field("id", H_ID),
        Field("title", H_TITLE),
        Field("kind", H_KIND, lambda v: display(RESOURCE_KINDS, v)),
        Field("topic", H_TOPIC, need_kind),
        Field("unit", H_UNIT),
        Field("capacity", H_CAPACITY, _unlimited),
        Field("left", H_LEFT, _unlimited),
        Field("until", H_UNTIL),
        Field("description", H_DESCRIPTION),
        Field(lambda r: "、".join(str(p["id"]) for p in r.get("project_list", [])), H_PROJECTS),
        Field("retired_at", H_RETIRED),
        Field("created_at", H_CREATED),
    ]


def project_status(value: Any) -> str:
    return display(PROJECT_STATUSES, value)


def project_columns() -> list[Column]:
    return [
        Column("id", H_ID, justify="right", rank=1, wrap=False),
        Column("day", H_DAY, rank=3, wrap=False),
        Column("title", H_TITLE, rank=2),
        Column("lead_unit", H_LEAD, rank=4),
        Column("shown_status", H_STATUS, project_status, rank=5),
        Column("due", H_DUE, wrap=False),
        Column("done_day", H_DONE, wrap=False),
        Column("helped", H_HELPED, justify="right"),
        Column("needs", H_NEEDS),
    ]


def project_fields() -> list[Field]:
    return [
        Field("id", H_ID),
        Field("title", H_TITLE),
        Field("lead_unit", H_LEAD),
        Field("day", H_DAY),
        Field("due", H_DUE),
        Field("shown_status", H_STATUS, project_status),
        Field("done_day", H_DONE),
        Field("outcome", H_OUTCOME),
        Field("helped", H_HELPED),
        Field("cancelled_day", ("Cancelled", "取消日期")),
        Field("note", H_NOTE),
        Field("created_at", H_CREATED),
    ]


def project_sections(project: dict[str, Any]) -> list[Any]:
    """Under a project's record: the needs it answers and the resources it uses."""
    need_table = [
        Column("id", H_ID, justify="right"),
        Column("title", H_TITLE),
        Column("kind", H_KIND, need_kind),
        Column("from_unit", H_FROM),
        Column("status", H_STATUS, lambda v: display(NEED_STATUSES, v)),
    ]
    resource_table = [
        Column("id", H_ID, justify="right"),
        Column("title", H_TITLE),
        Column("kind", H_KIND, lambda v: display(RESOURCE_KINDS, v)),
        Column("unit", H_UNIT),
    ]
    sections = [build_table(project["need_list"], need_table, title=label(H_NEEDS))]
    if project["resource_list"]:
        sections.append(
            build_table(project["resource_list"], resource_table, title=label(H_RESOURCES))
        )
    return sections


def match_columns() -> list[Column]:
    return [
        Column("id", H_ID, justify="right", rank=1, wrap=False),
        Column("title", H_TITLE, rank=2),
        Column("kind", H_KIND, lambda v: display(RESOURCE_KINDS, v), rank=4),
        Column("topic", H_TOPIC, need_kind),
        Column("unit", H_UNIT, rank=3),
        Column("same_kind", H_SAME_KIND, _yes),
        Column("shared", H_SHARED, lambda v: "、".join(v)),
        Column("left", H_LEFT, _unlimited, justify="right"),
        Column("until", H_UNTIL, wrap=False),
    ]


def match_unit_columns() -> list[Column]:
    return [
        Column("id", H_ID, justify="right"),
        Column("name", H_UNIT),
        Column("resources", H_OFFERS, justify="right"),
    ]


# `need export` / `resource export`: the columns their imports read
# (services/lists/exchange.py NEED_COLUMNS, RESOURCE_COLUMNS); the last ones (status, what is
# left) it reads and leaves, so that an export imports back unchanged.
def _exports() -> tuple[list[Any], list[Any]]:
    from functools import partial

    from beiwen.render_exports import ExportColumn

    def choice(vocabulary: dict[str, tuple[str, str]]) -> Any:
        return partial(display, vocabulary)

    needs = [
        ExportColumn("title", ("Title", "标题")),
        ExportColumn("kind", ("Kind", "类型"), choice(NEED_KINDS)),
        ExportColumn("from_unit", ("Raised by", "提出单位")),
        ExportColumn("grid", ("Grid", "网格")),
        ExportColumn("date", ("Date", "日期")),
        ExportColumn("description", ("Description", "描述")),
        ExportColumn("status", ("Status", "状态"), choice(NEED_STATUSES)),
        ExportColumn("holder", ("Passed to", "承接单位")),
    ]
    resources = [
        ExportColumn("title", ("Title", "标题")),
        ExportColumn("kind", ("Kind", "类型"), choice(RESOURCE_KINDS)),
        ExportColumn("topic", ("Topic", "领域"), choice(NEED_KINDS)),
        ExportColumn("unit", ("Unit", "提供单位")),
        ExportColumn("capacity", ("Capacity", "可服务项目数")),
        ExportColumn("until", ("Until", "有效期至")),
        ExportColumn("description", ("Description", "描述")),
        ExportColumn("left", ("Left", "剩余")),
    ]
    return needs, resources


NEED_EXPORT, RESOURCE_EXPORT = _exports()
NEED_SHEET = ("Needs", "需求清单")
RESOURCE_SHEET = ("Resources", "资源清单")
