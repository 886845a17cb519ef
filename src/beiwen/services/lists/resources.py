"""Resources (资源清单): what the co-building units and the chamber's member enterprises
offer or seek (资源供应、资源需求、专业服务、商业活动), for how many projects and until when.

A resource's `topic` is the kind of need it serves (融资, 用工 ...): `need match` puts the
resources of the need's kind first. Projects use a resource (project_resources); what is
left of its capacity is the capacity less the projects not cancelled that use it.
"""

from __future__ import annotations

import sqlite3

from beiwen import db
from beiwen.errors import ConflictError
from beiwen.i18n import t
from beiwen.parsing import FieldCheck, iso, now, parse_count
from beiwen.repository import Row
from beiwen.repository import lists as repo
from beiwen.services import refs
from beiwen.services.lists.common import any_day, raise_first, required, unit_id
from beiwen.services.lists.needs import parse_kind
from beiwen.vocab import parse_choice
from beiwen.vocab_lists import LIST_ALIASES, RESOURCE_KINDS

RESOURCE_FIELDS = ("title", "kind", "topic", "unit_id", "capacity", "until", "description")


def parse_resource_kind(value: str, field: str = "kind") -> str:
    return parse_choice(RESOURCE_KINDS, value, field, LIST_ALIASES["RESOURCE_KINDS"])


def validate_resource(
    conn: sqlite3.Connection, raw: dict[str, str], partial: bool = False
) -> tuple[Row, list[str]]:
    check = FieldCheck(raw)
    check("title", str)
    check("kind", parse_resource_kind, "kind")
    check("topic", parse_kind, "topic")
    check("unit_id", lambda v: unit_id(conn, v, "unit"))
    check("capacity", lambda v: parse_count(v, "capacity", kind="capacity"))
    check("until", any_day, "until")
    check("description", str)
    clean, reasons = check.clean, check.reasons
    required(clean, reasons, raw, ("title", "kind", "unit_id"), partial)
    return clean, reasons


def with_left(resource: Row) -> Row:
    """The resource with `left`: what its capacity still allows (None: no limit)."""
    capacity = resource.get("capacity")
    left = None if capacity is None else max(capacity - int(resource.get("used") or 0), 0)
    return {**resource, "left": left}


def add_resource(conn: sqlite3.Connection, raw: dict[str, str]) -> int:
    with db.write(conn):
        clean, reasons = validate_resource(conn, raw)
        raise_first(reasons)
        return repo.insert_resource(conn, {**clean, "created_at": iso(now())})


def _active(conn: sqlite3.Connection, ref: str) -> Row:
    resource = refs.resource(conn, ref)
    if resource["retired_at"]:
        raise ConflictError(
            t("resources.retired", id=resource["id"], at=resource["retired_at"][:10])
        )
    return resource


def edit_resource(conn: sqlite3.Connection, ref: str, raw: dict[str, str]) -> Row:
    from beiwen.errors import InvalidInputError

    if not raw:
        raise InvalidInputError(t("lists.nothing_to_change"))
    with db.write(conn):
        resource = _active(conn, ref)
        clean, reasons = validate_resource(conn, raw, partial=True)
        raise_first(reasons)
        capacity = clean.get("capacity")
        if capacity is not None and capacity < int(resource["used"]):
            raise ConflictError(
                t("resources.capacity_used", id=resource["id"], used=resource["used"])
            )
        repo.update_resource(conn, resource["id"], clean)
        found = repo.get_resource(conn, resource["id"])
    assert found is not None
    return with_left(found)


def retire_resource(conn: sqlite3.Connection, ref: str) -> Row:
    """Withdraw an offer: it stays in the projects that used it, leaves matching."""
    with db.write(conn):
        resource = _active(conn, ref)
        repo.update_resource(conn, resource["id"], {"retired_at": iso(now())})
        found = repo.get_resource(conn, resource["id"])
    assert found is not None
    return found


def list_resources(
    conn: sqlite3.Connection,
    *,
    kind: str | None = None,
    topic: str | None = None,
    unit: str | None = None,
    include_retired: bool = False,
) -> list[Row]:
    found = repo.list_resources(
        conn,
        kind=parse_resource_kind(kind, "--kind") if kind else None,
        topic=parse_kind(topic, "--topic") if topic else None,
        unit_id=int(refs.unit(conn, unit, "--unit")["id"]) if unit else None,
        include_retired=include_retired,
    )
    return [with_left(row) for row in found]


def resource_detail(conn: sqlite3.Connection, ref: str) -> Row:
    resource = refs.resource(conn, ref)
    return {**with_left(resource), "project_list": repo.projects_using(conn, resource["id"])}
