"""Projects (项目清单): needs and resources put together and followed to an outcome.

A project answers one need at least (each is then `matched`, an event in its timeline) and
may use resources (within their capacity and before their last day). `done` records the
outcome and the enterprises helped (by default: the units that raised its needs), and
closes its needs; a project past its due day and not done is overdue.
"""

from __future__ import annotations

import sqlite3

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import FieldCheck, add_months, iso, now, parse_count, parse_month
from beiwen.repository import Row
from beiwen.repository import lists as repo
from beiwen.services import refs
from beiwen.services.lists import needs as need_service
from beiwen.services.lists.common import (
    any_day,
    past_day,
    raise_first,
    required,
    today,
    unit_id,
)
from beiwen.services.lists.resources import with_left
from beiwen.vocab import parse_choice
from beiwen.vocab_lists import LIST_ALIASES, PROJECT_STATUSES

PROJECT_FIELDS = ("title", "lead_unit_id", "day", "due", "note")


def validate_project(
    conn: sqlite3.Connection, raw: dict[str, str], partial: bool = False
) -> tuple[Row, list[str]]:
    check = FieldCheck(raw)
    check("title", str)
    check("lead_unit_id", lambda v: unit_id(conn, v, "--lead"))
    check("day", past_day, "--date")
    check("due", any_day, "--due")
    check("note", str)
    clean, reasons = check.clean, check.reasons
    required(clean, reasons, raw, ("title", "lead_unit_id"), partial)
    return clean, reasons


def shown(project: Row, on: str | None = None) -> Row:
    """The project with `shown_status`: `overdue` for an active one past its due day."""
    status = project["status"]
    if status == "active" and project.get("due") and project["due"] < (on or today()):
        status = "overdue"
    return {**project, "shown_status": status}


def _needs(conn: sqlite3.Connection, need_refs: list[str], day: str) -> list[Row]:
    found: list[Row] = []
    for ref in need_refs:
        need = refs.need(conn, ref, "--need")
        if need["status"] in need_service.FINISHED:
            raise ConflictError(t("projects.need_finished", id=need["id"]))
        if any(other["id"] == need["id"] for other in found):
            continue
        need_service.step_day(conn, need, day, "--date")
        found.append(need)
    return found


def _resources(conn: sqlite3.Connection, resource_refs: list[str], day: str) -> list[Row]:
    found: list[Row] = []
    for ref in resource_refs:
        resource = with_left(refs.resource(conn, ref, "--resource"))
        if any(other["id"] == resource["id"] for other in found):
            continue
        if resource["retired_at"]:
            raise ConflictError(
                t("resources.retired", id=resource["id"], at=resource["retired_at"][:10])
            )
        if resource["until"] and resource["until"] < day:
            raise ConflictError(
                t("projects.resource_expired", id=resource["id"], until=resource["until"], day=day)
            )
        if resource["left"] == 0:
            raise ConflictError(
                t("projects.resource_full", id=resource["id"], capacity=resource["capacity"])
            )
        found.append(resource)
    return found


def add_project(
    conn: sqlite3.Connection, raw: dict[str, str], need_refs: list[str], resource_refs: list[str]
) -> int:
    """A project for the needs `need_refs` (one at least) using `resource_refs`."""
    if not [ref for ref in need_refs if ref.strip()]:
        raise InvalidInputError(t("projects.no_need"))
    with db.write(conn):
        clean, reasons = validate_project(conn, raw)
        raise_first(reasons)
        day = clean.get("day") or today()
        clean["day"] = day
        needs = _needs(conn, [ref for ref in need_refs if ref.strip()], day)
        resources = _resources(conn, [ref for ref in resource_refs if ref.strip()], day)
        due = clean.get("due")
        if due is not None:
            latest = max(need["day"] for need in needs)
            if due < latest:
                raise InvalidInputError(t("projects.due_before_need", due=due, raised=latest))
            if due < day:
                raise InvalidInputError(t("projects.due_before_start", due=due, day=day))
        project_id = repo.insert_project(conn, {**clean, "created_at": iso(now())})
        for need in needs:
            repo.link_need(conn, project_id, need["id"])
            need_service.match_need(conn, need, project_id, day)
        for resource in resources:
            repo.link_resource(conn, project_id, resource["id"])
        return project_id


def _active(conn: sqlite3.Connection, ref: str) -> Row:
    project = refs.project(conn, ref)
    if project["status"] != "active":
        status = PROJECT_STATUSES[project["status"]]
        from beiwen.i18n import label

        raise ConflictError(t("projects.finished", id=project["id"], status=label(status)))
    return project


def _finish_day(conn: sqlite3.Connection, project: Row, value: str | None) -> str:
    day = past_day(value, "--date") if value else today()
    if day < project["day"]:
        raise InvalidInputError(
            t("projects.before_start", day=day, id=project["id"], start=project["day"])
        )
    return day


def done_project(
    conn: sqlite3.Connection,
    ref: str,
    *,
    outcome: str,
    helped: str | None = None,
    day: str | None = None,
) -> Row:
    """The project is done: its outcome, the enterprises helped; its needs are closed."""
    text = (outcome or "").strip()
    if not text:
        raise InvalidInputError(t("projects.outcome_required"))
    with db.write(conn):
        project = _active(conn, ref)
        when = _finish_day(conn, project, day)
        needs = repo.project_needs(conn, project["id"])
        if helped is not None and helped.strip():
            count = parse_count(helped, "--helped", kind="count")
        else:
            count = len({need["from_unit_id"] for need in needs})
        for need in needs:
            if need["status"] not in need_service.FINISHED:
                need_service.step_day(conn, need, when, "--date")
                need_service.close_for_project(conn, need, project["id"], when)
        repo.update_project(
            conn,
            project["id"],
            {"status": "done", "done_day": when, "outcome": text, "helped": count},
        )
        return project_detail(conn, str(project["id"]))


def cancel_project(conn: sqlite3.Connection, ref: str, *, note: str, day: str | None = None) -> Row:
    text = (note or "").strip()
    if not text:
        raise InvalidInputError(t("lists.note_required"))
    with db.write(conn):
        project = _active(conn, ref)
        when = _finish_day(conn, project, day)
        repo.update_project(
            conn, project["id"], {"status": "cancelled", "cancelled_day": when, "note": text}
        )
        for need in repo.project_needs(conn, project["id"]):
            need_service.unmatch(conn, need, project["id"], when)
        return project_detail(conn, str(project["id"]))


def edit_project(conn: sqlite3.Connection, ref: str, raw: dict[str, str]) -> Row:
    if not raw:
        raise InvalidInputError(t("lists.nothing_to_change"))
    with db.write(conn):
        project = refs.project(conn, ref)
        clean, reasons = validate_project(conn, raw, partial=True)
        raise_first(reasons)
        day = clean.get("day") or project["day"]
        due = clean["due"] if "due" in clean else project["due"]
        needs = repo.project_needs(conn, project["id"])
        if needs and day < max(need["day"] for need in needs):
            raise InvalidInputError(
                t("projects.start_before_need", day=day, raised=max(n["day"] for n in needs))
            )
        if due is not None:
            if needs and due < max(need["day"] for need in needs):
                raise InvalidInputError(
                    t("projects.due_before_need", due=due, raised=max(n["day"] for n in needs))
                )
            if due < day:
                raise InvalidInputError(t("projects.due_before_start", due=due, day=day))
        done = project.get("done_day") or project.get("cancelled_day")
        if done and day > done:
            raise InvalidInputError(
                t("projects.before_start", day=done, id=project["id"], start=day)
            )
        repo.update_project(conn, project["id"], clean)
        return project_detail(conn, str(project["id"]))


def list_projects(
    conn: sqlite3.Connection, *, status: str | None = None, month: str | None = None
) -> list[Row]:
    start = end = None
    if month:
        first = parse_month(month, "--month")
        start, end = f"{first}-01", f"{add_months(first, 1)}-01"
    key = (
        parse_choice(PROJECT_STATUSES, status, "--status", LIST_ALIASES["PROJECT_STATUSES"])
        if status
        else None
    )
    stored = "active" if key == "overdue" else key
    found = [shown(row) for row in repo.list_projects(conn, status=stored, start=start, end=end)]
    return [row for row in found if key != "overdue" or row["shown_status"] == "overdue"]


def project_detail(conn: sqlite3.Connection, ref: str) -> Row:
    project = refs.project(conn, ref)
    return {
        **shown(project),
        "need_list": repo.project_needs(conn, project["id"]),
        "resource_list": [with_left(r) for r in repo.project_resources(conn, project["id"])],
    }
