"""Work orders in and out: the import of historical orders (CSV/XLSX, with the events
their times imply, written through moves.py's `_record`), the export in the columns the
import reads back, and the rows for Open311 GeoReport v2 (the format itself is
io/open311.py, imported only when asked for).

Every export follows the report's rule (services/report.py): a voided order (作废, entered
by mistake) is in none; a duplicate is exported as what it is, a cancelled order whose note
says which order it repeats (`与 #12 重复：…`), so that nobody counts it twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beiwen.errors import BeiwenError, InvalidInputError
from beiwen.i18n import label, t
from beiwen.parsing import iso, now, parse_count, parse_month
from beiwen.repository import issues as repo
from beiwen.services import refs
from beiwen.services.issues.moves import _record, _unit, validate_issue
from beiwen.services.issues.queries import month_bounds
from beiwen.services.issues.workflow import ACTIVE, HANDLED, _moment, local_time
from beiwen.vocab import ALIASES, ISSUE_STATUSES, SATISFACTION, parse_choice

if TYPE_CHECKING:
    from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome

IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "工单号", "工单编号"),
    "title": ("标题", "问题", "事项", "工单标题"),
    "category": ("类别", "问题类别", "分类"),
    "source": ("来源", "问题来源"),
    "grid": ("网格", "所属网格", "网格号"),
    "reported_at": ("上报时间", "发现时间", "受理时间"),
    "reporter": ("反映人", "上报人", "报告人"),
    "phone": ("联系电话", "电话", "手机"),
    "unit": ("涉及单位", "相关单位", "涉及商户"),
    "description": ("描述", "问题描述", "详情"),
    "due_at": ("办理期限", "期限", "截止时间"),
    "status": ("状态", "办理状态"),
    "departments": ("承办单位", "派单部门", "吹哨部门"),
    "dispatched_at": ("派单时间", "吹哨时间"),
    "accepted_at": ("报到时间", "接单时间"),
    "resolved_at": ("解决时间", "办结时间"),
    "closed_at": ("回访时间",),
    "cancelled_at": ("撤销时间",),
    "satisfaction": ("满意度", "回访结果"),
    "note": ("办理情况", "处理结果"),
    "follow_up": ("回访情况", "回访记录"),
}
EXPORT_COLUMNS = tuple(IMPORT_COLUMNS)
_WORKFLOW_TIMES = ("dispatched_at", "accepted_at", "resolved_at", "closed_at", "cancelled_at")
# What each status needs and may not have, for historical rows of an import.
_NEEDS: dict[str, tuple[str, ...]] = {
    "open": (),
    "dispatched": ("departments", "dispatched_at"),
    "in_progress": ("departments", "dispatched_at", "accepted_at"),
    "resolved": ("resolved_at",),
    "closed": ("resolved_at", "closed_at", "satisfaction"),
    "cancelled": ("cancelled_at",),
}
_FORBIDS: dict[str, tuple[str, ...]] = {
    "open": ("departments", *_WORKFLOW_TIMES, "satisfaction", "follow_up"),
    "dispatched": ("accepted_at", "resolved_at", "closed_at", "cancelled_at", "satisfaction"),
    "in_progress": ("resolved_at", "closed_at", "cancelled_at", "satisfaction", "follow_up"),
    "resolved": ("closed_at", "cancelled_at", "satisfaction", "follow_up"),
    "closed": ("cancelled_at",),
    "cancelled": ("resolved_at", "closed_at", "satisfaction", "follow_up"),
}
_SPLIT = str.maketrans(dict.fromkeys(";；,，|/", "、"))


def _derived_status(clean: dict[str, Any]) -> str:
    for field, status in (
        ("cancelled_at", "cancelled"),
        ("closed_at", "closed"),
        ("resolved_at", "resolved"),
        ("accepted_at", "in_progress"),
        ("dispatched_at", "dispatched"),
    ):
        if clean.get(field):
            return status
    return "open"


def _past_time(field: str, current: datetime) -> Callable[[str], str]:
    def parse(value: str) -> str:
        return _moment(value, field, current)

    return parse


def validate_history(
    conn: sqlite3.Connection, raw: dict[str, str], clean: dict[str, Any], current: datetime
) -> list[str]:
    """Check and clean the workflow columns of an imported row (status, times, departments)."""
    reasons: list[str] = []

    def check(field: str, parse: Callable[[str], Any]) -> None:
        value = raw.get(field, "").strip()
        clean[field] = None
        if value:
            try:
                clean[field] = parse(value)
            except BeiwenError as error:
                reasons.append(error.message)

    check("status", lambda v: parse_choice(ISSUE_STATUSES, v, "status", ALIASES["ISSUE_STATUSES"]))
    for field in _WORKFLOW_TIMES:
        check(field, _past_time(field, current))
    check(
        "satisfaction",
        lambda v: parse_choice(SATISFACTION, v, "satisfaction", ALIASES["SATISFACTION"]),
    )
    check(
        "departments",
        lambda v: list(
            {
                unit["id"]: unit
                for unit in (
                    _unit(conn, name.strip())
                    for name in v.translate(_SPLIT).split("、")
                    if name.strip()
                )
            }
        ),
    )
    check("note", str)
    check("follow_up", str)
    if reasons:
        return reasons
    status = clean["status"] or _derived_status(clean)
    clean["status"] = status
    if bool(clean["departments"]) != bool(clean["dispatched_at"]):
        return [t("issues.import.departments_pair")]
    missing = [f for f in _NEEDS[status] if not clean.get(f)]
    extra = [f for f in _FORBIDS[status] if clean.get(f)]
    if status in HANDLED and clean["departments"] and not clean["accepted_at"]:
        missing.append("accepted_at")
    for fields, key in ((missing, "issues.import.needs"), (extra, "issues.import.forbids")):
        if fields:
            reason = t(key, fields=", ".join(fields))
            reasons.append(t("issues.import.status_mismatch", status=status, reason=reason))
    if reasons:
        return reasons
    earlier_field, earlier = "reported_at", clean["reported_at"]
    for field in ("dispatched_at", "accepted_at", "resolved_at", "closed_at"):
        value = clean.get(field)
        if value is None:
            continue
        if value < earlier:
            reasons.append(
                t(
                    "issues.time_order",
                    later=field,
                    later_value=local_time(value),
                    earlier=earlier_field,
                    earlier_value=local_time(earlier),
                )
            )
        earlier_field, earlier = field, value
    if clean["cancelled_at"] and clean["cancelled_at"] < earlier:
        reasons.append(
            t(
                "issues.time_order",
                later="cancelled_at",
                later_value=local_time(clean["cancelled_at"]),
                earlier=earlier_field,
                earlier_value=local_time(earlier),
            )
        )
    return reasons


def import_spec(conn: sqlite3.Connection, file_name: str) -> ImportSpec:
    from beiwen.services.importing import ImportSpec

    known_grids = refs.known_grids(conn)
    current = now()
    stamp = iso(current)

    def validate(raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        clean, reasons = validate_issue(conn, raw, known_grids, current)
        if not reasons:
            reasons = validate_history(conn, raw, clean, current)
        clean["id"] = None
        number = raw.get("id", "").strip()
        if number and not reasons:
            try:
                wanted = refs.number(number, "id")
                if wanted is not None and wanted >= 1:  # 2**63 - 1 would stop every later add
                    wanted = parse_count(wanted, "id", kind="id")
            except InvalidInputError as error:
                return clean, [error.message]
            if wanted is None or wanted < 1:
                reasons.append(t("issues.import.bad_id", value=number))
            else:
                clean["id"] = wanted
                holder = repo.get_issue(conn, clean["id"])
                if holder is not None and (
                    holder["title"] != clean["title"]
                    or holder["reported_at"] != clean["reported_at"]
                ):
                    reasons.append(
                        t("issues.import.id_taken", id=holder["id"], title=holder["title"])
                    )
        return clean, reasons

    def key(clean: dict[str, Any]) -> tuple[str, str] | None:
        if clean["id"] is not None:
            return ("id", str(clean["id"]))
        return ("title, reported_at", f"{clean['title']} @ {local_time(clean['reported_at'])}")

    def write(conn: sqlite3.Connection, clean: dict[str, Any]) -> RowOutcome:
        existing = (
            repo.get_issue(conn, clean["id"])
            if clean["id"] is not None
            else repo.same_issue(conn, clean["title"], clean["reported_at"])
        )
        if existing is not None:
            return "unchanged"  # import adds work orders; the workflow commands change them
        _write_history(conn, clean, stamp, file_name)
        return "inserted"

    return ImportSpec(
        columns=IMPORT_COLUMNS,
        required=("title", "category"),
        validate=validate,
        key=key,
        write=write,
    )


def _write_history(
    conn: sqlite3.Connection, clean: dict[str, Any], stamp: str, file_name: str
) -> None:
    """Insert an imported work order with the events its times imply, in time order."""
    status = clean["status"]
    units: list[int] = clean["departments"] or []
    # A dispatched order may have had a report-in from a department that passed it on; the
    # import keeps no such history, so only orders in progress or beyond carry accepted_at.
    accepted = clean["accepted_at"] if status != "dispatched" else None
    row = {
        key: clean[key]
        for key in (
            "title",
            "description",
            "category",
            "source",
            "grid",
            "unit_id",
            "reporter",
            "phone",
            "status",
            "reported_at",
            "due_at",
            "resolved_at",
            "closed_at",
            "cancelled_at",
            "satisfaction",
        )
    }
    row.update(
        first_dispatched_at=clean["dispatched_at"],
        first_accepted_at=accepted,
        created_at=stamp,
        updated_at=stamp,
    )
    if clean["id"] is not None:
        row["id"] = clean["id"]
    issue_id = repo.insert_issue(conn, row)

    def record(action: str, at: str, **extra: Any) -> None:
        _record(conn, issue_id, action, at, recorded_at=stamp, **extra)

    record("import", clean["reported_at"], note=file_name)
    for unit_id in units:
        repo.send_to(conn, issue_id, unit_id, clean["dispatched_at"])
        record("dispatch", clean["dispatched_at"], unit_id=unit_id)
    if accepted:
        for unit_id in units:
            repo.mark_accepted(conn, issue_id, unit_id, accepted)
            record("accept", accepted, unit_id=unit_id)
    if clean["resolved_at"]:
        record("resolve", clean["resolved_at"], note=clean["note"])
    if clean["closed_at"]:
        record(
            "close",
            clean["closed_at"],
            satisfaction=clean["satisfaction"],
            note=clean["follow_up"],
        )
    if clean["cancelled_at"]:
        record("cancel", clean["cancelled_at"], note=clean["note"])
    elif status in ACTIVE and clean["note"]:
        last = accepted or clean["dispatched_at"] or clean["reported_at"]
        record("comment", last, note=clean["note"])


def import_issues(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    """Import work orders from CSV/XLSX: all or nothing, every bad row with its line."""
    from beiwen.services.importing import run_import

    return run_import(conn, path, import_spec(conn, path.name), **options)


def _period(month: str | None) -> dict[str, Any]:
    if month is None:
        return {}
    start, end = month_bounds(parse_month(month, "--month"))
    return {"start": start, "end": end}


def _exported(conn: sqlite3.Connection, month: str | None) -> list[dict[str, Any]]:
    """The work orders an export carries (of `month`, or all): every one but the voided."""
    return [
        issue for issue in repo.list_issues(conn, **_period(month)) if issue["voided_at"] is None
    ]


def _as_duplicate(issue: dict[str, Any], note: str | None) -> str:
    """The note of a duplicate: which order it repeats, then its own note."""
    said = t("issues.duplicate_of", of=issue["duplicate_of"])
    return f"{said}{label((': ', '：'))}{note}" if note else said


def export_rows(conn: sqlite3.Connection, month: str | None = None) -> list[dict[str, Any]]:
    """Work orders in exactly the columns import reads back (voided ones left out)."""
    found = _exported(conn, month)
    notes = repo.export_notes(conn, [issue["id"] for issue in found])
    rows: list[dict[str, Any]] = []
    for issue in found:
        status = issue["status"]
        note = notes.get(issue["id"], {})
        if issue["duplicate_of"] is not None:
            note = {**note, "cancel": _as_duplicate(issue, note.get("duplicate"))}
        rows.append(
            {
                "id": issue["id"],
                "title": issue["title"],
                "category": issue["category"],
                "source": issue["source"],
                "grid": issue["grid"],
                "reported_at": issue["reported_at"],
                "reporter": issue["reporter"],
                "phone": issue["phone"],
                "unit": issue["unit_name"],
                "description": issue["description"],
                "due_at": issue["due_at"],
                "status": status,
                "departments": issue["departments"],
                "dispatched_at": issue["first_dispatched_at"] if issue["departments"] else None,
                "accepted_at": (
                    issue["first_accepted_at"]
                    if issue["departments"] and status not in ("open", "dispatched")
                    else None
                ),
                "resolved_at": issue["resolved_at"],
                "closed_at": issue["closed_at"],
                "cancelled_at": issue["cancelled_at"],
                "satisfaction": issue["satisfaction"],
                "note": note.get(
                    "cancel"
                    if status == "cancelled"
                    else "resolve"
                    if status in HANDLED
                    else "comment"
                ),
                "follow_up": note.get("close") if status == "closed" else None,
            }
        )
    return rows


# The steps whose notes are not the order's own account of itself: an import's note is the
# file's name, corrections and assignments are bookkeeping.
_BOOKKEEPING = frozenset({"import", "edit", "void", "unvoid", "assign"})


def status_notes(issue: dict[str, Any], steps: list[dict[str, Any]]) -> str | None:
    """Open311's status_notes: the note of the latest step that had one, from the order's
    own notes only (`_BOOKKEEPING` never); a comment counts while the order is still to be
    handled (once handled, the step that ended it says how). A duplicate's says which
    order it repeats. None when the order has no such note."""
    active = issue["status"] in ACTIVE
    found: str | None = None
    for step in steps:  # in time order
        if step["action"] in _BOOKKEEPING or (step["action"] == "comment" and not active):
            continue
        found = step["note"]
    if issue["duplicate_of"] is not None:
        return _as_duplicate(issue, found)
    return found


def open311_rows(conn: sqlite3.Connection, month: str | None = None) -> list[dict[str, Any]]:
    """Work orders as Open311 GeoReport v2 service requests (see io/open311.py); voided
    orders are none."""
    from beiwen.io.open311 import service_request

    found = _exported(conn, month)
    steps = repo.step_notes(conn, [issue["id"] for issue in found])
    return [
        service_request(issue, status_notes(issue, steps.get(issue["id"], []))) for issue in found
    ]


def open311_services(month: str | None = None) -> list[dict[str, Any]]:
    """Open311's service list (`services.json`): one service per work-order category."""
    from beiwen.io.open311 import service_list

    if month is not None:
        raise InvalidInputError(t("issues.open311_services_month"))
    return service_list()
