"""Needs and resources in and out: the import specs for the one import pipeline
(services/importing.py) and the rows of `need export` / `resource export`, in the columns
the imports read back (render_lists.NEED_EXPORT, RESOURCE_EXPORT)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from beiwen.parsing import iso, now
from beiwen.repository import Row
from beiwen.repository import lists as repo
from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome, run_import
from beiwen.services.lists import needs as need_service
from beiwen.services.lists.resources import validate_resource, with_left

NEED_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "需求", "需求名称", "需求内容"),
    "kind": ("类型", "需求类型", "类别"),
    "from_unit": ("提出单位", "企业", "企业名称", "单位", "from"),
    "grid": ("网格", "所在网格"),
    "date": ("日期", "收集日期", "提出日期", "day"),
    "description": ("描述", "详细描述", "需求描述", "说明"),
    # what `need export` adds, read and left: the steps are recorded by the commands
    "status": ("状态",),
    "holder": ("承接单位",),
}
RESOURCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "资源", "资源名称", "资源内容"),
    "kind": ("类型", "资源类型", "类别"),
    "topic": ("领域", "服务领域", "对应需求"),
    "unit": ("提供单位", "单位", "单位名称"),
    "capacity": ("可服务项目数", "容量", "数量"),
    "until": ("有效期至", "截止日期", "有效期"),
    "description": ("描述", "详细描述", "资源描述", "说明"),
    "left": ("剩余",),  # what `resource export` adds, read and left
}


def need_spec(conn: sqlite3.Connection) -> ImportSpec:
    """A list of needs: one row per need, matched to stored ones by title and unit; a new
    one is raised (its `add` event), a stored one corrected field by field (`edit` events)."""

    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        fields = {k: v for k, v in raw.items() if k in need_service.NEED_FIELDS}
        fields["from_unit_id"] = raw.get("from_unit", "")
        if raw.get("date", "").strip():
            fields["day"] = raw["date"]
        return need_service.validate_need(conn, fields)

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        existing = repo.need_by_title(conn, clean["title"], clean["from_unit_id"])
        if existing is None:
            need_service.insert_need(conn, clean)
            return "inserted"
        changes = {k: v for k, v in clean.items() if existing.get(k) != v}
        if not changes:
            return "unchanged"
        need_service.record_edits(conn, existing, changes)
        return "updated"

    return ImportSpec(
        columns=NEED_COLUMNS,
        required=("title", "kind", "from_unit"),
        validate=validate,
        key=lambda clean: ("title", f"{clean['title']} {clean['from_unit_id']}"),
        write=write,
    )


def import_needs(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, need_spec(conn), **options)


def resource_spec(conn: sqlite3.Connection) -> ImportSpec:
    """A list of resources: one row per offer, matched by title and unit."""
    stamp = iso(now())

    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        fields = {k: v for k, v in raw.items() if k not in ("unit", "left")}
        fields["unit_id"] = raw.get("unit", "")
        return validate_resource(conn, fields)

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        existing = repo.resource_by_title(conn, clean["title"], clean["unit_id"])
        if existing is None:
            repo.insert_resource(conn, {**clean, "created_at": stamp})
            return "inserted"
        changes = {k: v for k, v in clean.items() if existing.get(k) != v}
        if not changes:
            return "unchanged"
        repo.update_resource(conn, existing["id"], changes)
        return "updated"

    return ImportSpec(
        columns=RESOURCE_COLUMNS,
        required=("title", "kind", "unit"),
        validate=validate,
        key=lambda clean: ("title", f"{clean['title']} {clean['unit_id']}"),
        write=write,
    )


def import_resources(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, resource_spec(conn), **options)


def need_rows(conn: sqlite3.Connection) -> list[Row]:
    return [
        {**need, "from_unit": need["from_unit"], "date": need["day"]}
        for need in repo.all_needs(conn)
    ]


def resource_rows(conn: sqlite3.Connection) -> list[Row]:
    return [with_left(row) for row in repo.list_resources(conn)]
