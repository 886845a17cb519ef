"""Work orders (工单): the workflow state machine, recording and moving orders, lists,
import and export.

The workflow of the article: the district finds a problem (商圈发现, `add`), the
sub-district blows the whistle (街道吹哨, `dispatch` to one or more departments), the
departments report in (部门报到, `accept`), it is solved by consultation (协商解决,
`resolve`) and a follow-up call records satisfaction (回访, `close`). A need can be passed
on to the competent department (转单, `transfer`).

TRANSITIONS below is the whole state machine: for each state, the actions it allows and
the state each leads to. Anything not in it is an illegal move and a clear error. Two
rules worth knowing:

- `resolve` is allowed from `open` (the district solved it on the spot, no whistle) and
  from `in_progress`, but not from `dispatched`: once a department has been whistled, it
  reports in before the order can be resolved.
- `reopen` (from resolved or closed) goes back to `in_progress` when a department holding
  the order has reported in, else to `dispatched` when one holds it, else to `open`. It
  clears resolved_at, closed_at and satisfaction, so handled-ness always follows the
  latest state; the events keep the whole history.

Every change is one appended event and one update of the issue row, in one transaction.
Back-dated steps (`--at`) may not precede the report, nor the latest step already
recorded (comments excepted), so the timeline always reads in order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beiwen import db
from beiwen.errors import BeiwenError, ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import (
    add_months,
    iso,
    now,
    parse_count,
    parse_datetime,
    parse_month,
)
from beiwen.privacy import parse_person_phone
from beiwen.repository import issues as repo
from beiwen.services import refs
from beiwen.vocab import (
    ALIASES,
    ISSUE_CATEGORIES,
    ISSUE_SOURCES,
    ISSUE_STATUSES,
    SATISFACTION,
    display,
    parse_choice,
)

if TYPE_CHECKING:
    from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome

# --- the state machine --------------------------------------------------------------------

STATES = tuple(ISSUE_STATUSES)  # open, dispatched, in_progress, resolved, closed, cancelled
ACTIONS = (
    "dispatch",
    "accept",
    "transfer",
    "resolve",
    "close",
    "reopen",
    "comment",
    "assign",
    "cancel",
)
HANDLED = ("resolved", "closed")
ACTIVE = repo.ACTIVE_STATUSES  # open, dispatched, in_progress: still to be handled

KEEP = "="  # the state does not change
BY_DEPARTMENTS = "*"  # in_progress if a holding department reported in, else dispatched, else open

TRANSITIONS: dict[str, dict[str, str]] = {
    "open": {
        "dispatch": "dispatched",
        "transfer": "dispatched",
        "resolve": "resolved",
        "comment": KEEP,
        "assign": KEEP,
        "cancel": "cancelled",
    },
    "dispatched": {
        "dispatch": KEEP,
        "accept": "in_progress",
        "transfer": BY_DEPARTMENTS,
        "comment": KEEP,
        "assign": KEEP,
        "cancel": "cancelled",
    },
    "in_progress": {
        "dispatch": KEEP,
        "accept": KEEP,
        "transfer": BY_DEPARTMENTS,
        "resolve": "resolved",
        "comment": KEEP,
        "assign": KEEP,
        "cancel": "cancelled",
    },
    "resolved": {"close": "closed", "reopen": BY_DEPARTMENTS, "comment": KEEP},
    "closed": {"reopen": BY_DEPARTMENTS, "comment": KEEP},
    "cancelled": {"comment": KEEP},
}


def illegal_move(issue_id: int, status: str, action: str) -> str:
    """The message for an action the state machine does not allow from `status`."""
    shown = display(ISSUE_STATUSES, status)
    if status == "cancelled":
        key = "issues.illegal.cancelled"
    elif action == "assign":
        key = "issues.illegal.assign"
    elif action == "reopen":
        key = "issues.illegal.not_handled"
    elif status in HANDLED:
        key = "issues.illegal.handled"
    elif action == "close":
        key = "issues.illegal.close"
    elif action == "accept":
        key = "issues.illegal.accept_open"
    else:
        assert (status, action) == ("dispatched", "resolve"), (status, action)
        key = "issues.illegal.resolve_dispatched"
    return t(key, id=issue_id, status=shown)


def check_move(issue: dict[str, Any], action: str) -> str:
    """The target of `action` from the issue's state (maybe KEEP or BY_DEPARTMENTS)."""
    target = TRANSITIONS[issue["status"]].get(action)
    if target is None:
        raise ConflictError(illegal_move(issue["id"], issue["status"], action))
    return target


def state_from_departments(holders: list[dict[str, Any]]) -> str:
    if any(holder["accepted_at"] for holder in holders):
        return "in_progress"
    return "dispatched" if holders else "open"


def _holders(conn: sqlite3.Connection, issue_id: int) -> list[dict[str, Any]]:
    """The departments that hold the work order now (not those that passed it on)."""
    return [d for d in repo.departments(conn, issue_id) if d["released_at"] is None]


# --- small helpers ------------------------------------------------------------------------


def local_time(value: str | None) -> str:
    """`2024-08-03T09:30:00+08:00` -> `2024-08-03 09:30`, the form messages show."""
    return value[:16].replace("T", " ") if value else ""


def _moment(value: str | None, field: str, current: datetime) -> str:
    """An optional user-given time (default: now), never in the future, as stored text."""
    if value is None or not value.strip():
        return iso(current)
    moment = parse_datetime(value, field)
    if moment > current:
        raise InvalidInputError(
            t("issues.future", field=field, value=value, now=local_time(iso(current)))
        )
    return iso(moment)


def _step_time(conn: sqlite3.Connection, issue: dict[str, Any], at: str | None, action: str) -> str:
    """The time of a new step: not before the report, and (comments aside) not before the
    latest recorded step, so that the timeline stays in order."""
    moment = _moment(at, "--at", now())
    if moment < issue["reported_at"]:
        raise InvalidInputError(
            t(
                "issues.before_report",
                field="--at",
                value=local_time(moment),
                id=issue["id"],
                reported=local_time(issue["reported_at"]),
            )
        )
    if action not in ("comment", "assign"):
        last = repo.last_step_at(conn, issue["id"])
        if last is not None and moment < last:
            raise InvalidInputError(
                t(
                    "issues.before_last_step",
                    field="--at",
                    value=local_time(moment),
                    id=issue["id"],
                    last=local_time(last),
                )
            )
    return moment


def _note(value: str | None, field: str = "--note", required: bool = False) -> str | None:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInputError(t("issues.note_required", field=field))
    return text or None


def _unit(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    unit = refs.unit(conn, ref)
    if unit["retired_at"]:
        raise ConflictError(t("issues.retired_unit", unit=unit["name"], uid=unit["id"]))
    return unit


def _record(
    conn: sqlite3.Connection,
    issue_id: int,
    action: str,
    at: str,
    *,
    unit_id: int | None = None,
    from_unit_id: int | None = None,
    person_id: int | None = None,
    satisfaction: str | None = None,
    note: str | None = None,
    recorded_at: str | None = None,
) -> int:
    """Append one event: the only writer of the work-order event log."""
    return repo.insert_event(
        conn,
        {
            "issue_id": issue_id,
            "at": at,
            "action": action,
            "unit_id": unit_id,
            "from_unit_id": from_unit_id,
            "person_id": person_id,
            "satisfaction": satisfaction,
            "note": note,
            "recorded_at": recorded_at or iso(now()),
        },
    )


def _finish(
    conn: sqlite3.Connection, issue: dict[str, Any], target: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Apply the state change and the row's key times; return the issue as now stored."""
    if target == BY_DEPARTMENTS:
        target = state_from_departments(_holders(conn, issue["id"]))
    status = issue["status"] if target == KEEP else target
    repo.update_issue(conn, issue["id"], {**changes, "status": status, "updated_at": iso(now())})
    updated = repo.get_issue(conn, issue["id"])
    assert updated is not None
    return updated


# --- adding -------------------------------------------------------------------------------


def validate_issue(
    conn: sqlite3.Connection,
    raw: dict[str, str],
    known_grids: Mapping[int, str],
    current: datetime,
    names: dict[str, str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Clean the fields a new work order has (add and import); return (clean, reasons).

    `names` maps a field to what the user typed it as (`due_at` -> `--due`) for messages;
    without them (an import) `reported_at` is required: a historical record has a time.
    """
    clean: dict[str, Any] = {}
    reasons: list[str] = []
    name = (names or {}).get

    def check(field: str, parse: Callable[[str, str], Any]) -> None:
        value = raw.get(field, "").strip()
        clean[field] = None
        if not value:
            return
        try:
            clean[field] = parse(value, name(field, field))
        except BeiwenError as error:
            reasons.append(error.message)

    check("title", lambda v, f: v)
    check(
        "category",
        lambda v, f: parse_choice(ISSUE_CATEGORIES, v, f, ALIASES["ISSUE_CATEGORIES"]),
    )
    check("source", lambda v, f: parse_choice(ISSUE_SOURCES, v, f, ALIASES["ISSUE_SOURCES"]))
    check("grid", lambda v, f: refs.grid_number(v, known_grids, f))
    check("reported_at", lambda v, f: _moment(v, f, current))
    check("reporter", lambda v, f: v)
    check("phone", parse_person_phone)
    check("unit", lambda v, f: _unit(conn, v)["id"])
    check("description", lambda v, f: v)
    check("due_at", lambda v, f: iso(parse_datetime(v, f)))
    required = ("title", "category") if names is not None else ("title", "category", "reported_at")
    for field in required:
        if clean.get(field) is None and not any(r.startswith(name(field, field)) for r in reasons):
            reasons.append(t("issues.required", field=name(field, field)))
    clean["unit_id"] = clean.pop("unit")
    clean["source"] = clean["source"] or "patrol"
    clean["reported_at"] = clean["reported_at"] or iso(current)
    if clean["due_at"] is None and clean["category"]:
        days = repo.deadline_days(conn, clean["category"])
        if days is not None:
            reported = datetime.fromisoformat(clean["reported_at"])
            clean["due_at"] = iso(reported + timedelta(days=days))
    elif clean["due_at"] is not None and clean["due_at"] < clean["reported_at"]:
        reasons.append(
            t(
                "issues.due_before_report",
                field=name("due_at", "due_at"),
                due=local_time(clean["due_at"]),
                reported=local_time(clean["reported_at"]),
            )
        )
    return clean, reasons


# The fields of `beiwen issue add` as the user typed them, for messages.
ADD_OPTIONS = {
    "title": "TITLE",
    "category": "--category",
    "source": "--source",
    "grid": "--grid",
    "reported_at": "--reported-at",
    "phone": "--phone",
    "due_at": "--due",
}


def add_issue(conn: sqlite3.Connection, raw: dict[str, str]) -> dict[str, Any]:
    """Record a new work order; return its number and due time."""
    current = now()
    with db.write(conn):
        known_grids = refs.known_grids(conn)
        clean, reasons = validate_issue(conn, raw, known_grids, current, ADD_OPTIONS)
        if reasons:
            raise InvalidInputError(reasons[0], details=reasons[1:])
        stamp = iso(current)
        issue_id = repo.insert_issue(
            conn, {**clean, "status": "open", "created_at": stamp, "updated_at": stamp}
        )
        _record(conn, issue_id, "report", clean["reported_at"], recorded_at=stamp)
    return {"id": issue_id, "due_at": clean["due_at"]}


# --- the workflow -------------------------------------------------------------------------


def dispatch_issue(
    conn: sqlite3.Connection,
    ref: str,
    unit_refs: list[str],
    at: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Blow the whistle (吹哨): send the work order to one or more departments."""
    if not unit_refs:
        raise InvalidInputError(t("issues.no_units"))
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "dispatch")
        moment = _step_time(conn, issue, at, "dispatch")
        units = list({unit["id"]: unit for unit in (_unit(conn, r) for r in unit_refs)}.values())
        for unit in units:
            held = repo.department(conn, issue["id"], unit["id"])
            if held is not None and held["released_at"] is None:
                raise ConflictError(
                    t(
                        "issues.already_with",
                        id=issue["id"],
                        unit=unit["name"],
                        since=local_time(held["dispatched_at"]),
                    )
                )
            repo.send_to(conn, issue["id"], unit["id"], moment)
            _record(conn, issue["id"], "dispatch", moment, unit_id=unit["id"], note=_note(note))
        changes = {"first_dispatched_at": issue["first_dispatched_at"] or moment}
        return _finish(conn, issue, target, changes)


def _held_by(
    conn: sqlite3.Connection, issue: dict[str, Any], unit: dict[str, Any]
) -> dict[str, Any]:
    holders = _holders(conn, issue["id"])
    for holder in holders:
        if holder["unit_id"] == unit["id"]:
            return holder
    names = "、".join(h["unit_name"] for h in holders) or t("issues.nobody")
    raise ConflictError(t("issues.not_with_unit", id=issue["id"], unit=unit["name"], holders=names))


def accept_issue(
    conn: sqlite3.Connection,
    ref: str,
    unit_ref: str,
    at: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """A department reports in (部门报到) on a work order dispatched to it."""
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "accept")
        unit = _unit(conn, unit_ref)
        holder = _held_by(conn, issue, unit)
        if holder["accepted_at"]:
            raise ConflictError(
                t(
                    "issues.already_accepted",
                    unit=unit["name"],
                    id=issue["id"],
                    at=local_time(holder["accepted_at"]),
                )
            )
        moment = _step_time(conn, issue, at, "accept")
        repo.mark_accepted(conn, issue["id"], unit["id"], moment)
        _record(conn, issue["id"], "accept", moment, unit_id=unit["id"], note=_note(note))
        changes = {"first_accepted_at": issue["first_accepted_at"] or moment}
        return _finish(conn, issue, target, changes)


def transfer_issue(
    conn: sqlite3.Connection,
    ref: str,
    to_ref: str,
    note: str | None,
    from_ref: str | None = None,
    at: str | None = None,
) -> dict[str, Any]:
    """Pass the work order on (转单) to the competent unit.

    The unit passing it on is --from, or the one department holding it; an order not yet
    dispatched goes straight to the new unit.
    """
    text = _note(note, required=True)
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "transfer")
        moment = _step_time(conn, issue, at, "transfer")
        receiver = _unit(conn, to_ref)
        holders = _holders(conn, issue["id"])
        giver: dict[str, Any] | None = None
        if from_ref is not None:
            giver_unit = _unit(conn, from_ref)
            giver = _held_by(conn, issue, giver_unit)
        elif len(holders) == 1:
            giver = holders[0]
        elif len(holders) > 1:
            raise InvalidInputError(
                t(
                    "issues.transfer_which",
                    id=issue["id"],
                    count=len(holders),
                    holders="、".join(h["unit_name"] for h in holders),
                )
            )
        if giver is not None and giver["unit_id"] == receiver["id"]:
            raise InvalidInputError(t("issues.transfer_same", unit=receiver["name"]))
        for holder in holders:
            if holder["unit_id"] == receiver["id"]:
                raise ConflictError(
                    t(
                        "issues.already_with",
                        id=issue["id"],
                        unit=receiver["name"],
                        since=local_time(holder["dispatched_at"]),
                    )
                )
        giver_id = giver["unit_id"] if giver else None
        if giver_id is not None:
            repo.mark_released(conn, issue["id"], giver_id, moment)
        repo.send_to(conn, issue["id"], receiver["id"], moment, transferred_from=giver_id)
        _record(
            conn,
            issue["id"],
            "transfer",
            moment,
            unit_id=receiver["id"],
            from_unit_id=giver_id,
            note=text,
        )
        changes = {"first_dispatched_at": issue["first_dispatched_at"] or moment}
        return _finish(conn, issue, target, changes)


def resolve_issue(
    conn: sqlite3.Connection, ref: str, note: str | None, at: str | None = None
) -> dict[str, Any]:
    """Solved by consultation (协商解决): the order counts as handled from now on."""
    text = _note(note, required=True)
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "resolve")
        moment = _step_time(conn, issue, at, "resolve")
        _record(conn, issue["id"], "resolve", moment, note=text)
        return _finish(conn, issue, target, {"resolved_at": moment})


def close_issue(
    conn: sqlite3.Connection,
    ref: str,
    satisfaction: str,
    note: str | None = None,
    at: str | None = None,
) -> dict[str, Any]:
    """The follow-up call (回访) on a resolved order, with the reporter's satisfaction."""
    verdict = parse_choice(SATISFACTION, satisfaction, "--satisfaction", ALIASES["SATISFACTION"])
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "close")
        moment = _step_time(conn, issue, at, "close")
        _record(conn, issue["id"], "close", moment, satisfaction=verdict, note=_note(note))
        return _finish(conn, issue, target, {"closed_at": moment, "satisfaction": verdict})


def reopen_issue(
    conn: sqlite3.Connection, ref: str, note: str | None, at: str | None = None
) -> dict[str, Any]:
    """Back to work: clears resolved_at, closed_at and satisfaction (events keep them)."""
    text = _note(note, required=True)
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "reopen")
        moment = _step_time(conn, issue, at, "reopen")
        _record(conn, issue["id"], "reopen", moment, note=text)
        changes = {"resolved_at": None, "closed_at": None, "satisfaction": None}
        return _finish(conn, issue, target, changes)


def comment_issue(
    conn: sqlite3.Connection, ref: str, text: str, at: str | None = None
) -> dict[str, Any]:
    """A remark on the timeline; allowed in every state, changes nothing else."""
    note = _note(text, field="TEXT", required=True)
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "comment")
        moment = _step_time(conn, issue, at, "comment")
        _record(conn, issue["id"], "comment", moment, note=note)
        return _finish(conn, issue, target, {})


def assign_issue(
    conn: sqlite3.Connection,
    ref: str | int,
    person_ref: str | int,
    note: str | None = None,
    at: str | None = None,
) -> dict[str, Any]:
    """A person of the grids' "N" forces helps on an unfinished work order: an `assign`
    event naming them; like a comment it changes no state and may be back-dated."""
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "assign")
        moment = _step_time(conn, issue, at, "assign")
        person = refs.person(conn, person_ref, field="--person")
        if repo.is_assigned(conn, issue["id"], person["id"]):
            raise ConflictError(
                t(
                    "issues.already_assigned",
                    person=person["id"],
                    name=person["name"],
                    id=issue["id"],
                )
            )
        text = _note(note)
        event_id = _record(conn, issue["id"], "assign", moment, person_id=person["id"], note=text)
        _finish(conn, issue, target, {})
    return {
        "event_id": event_id,
        "issue_id": issue["id"],
        "person_id": person["id"],
        "name": person["name"],
        "at": moment,
        "note": text,
    }


def cancel_issue(
    conn: sqlite3.Connection, ref: str, note: str | None, at: str | None = None
) -> dict[str, Any]:
    """Cancel a duplicate, or a matter that is not ours; final."""
    text = _note(note, required=True)
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "cancel")
        moment = _step_time(conn, issue, at, "cancel")
        _record(conn, issue["id"], "cancel", moment, note=text)
        return _finish(conn, issue, target, {"cancelled_at": moment})


# --- reading ------------------------------------------------------------------------------


def is_overdue(issue: dict[str, Any], moment: str) -> bool:
    """Not handled (nor cancelled) and past its due time at `moment` (stored text)."""
    return bool(issue["status"] in ACTIVE and issue["due_at"] and issue["due_at"] < moment)


def _with_flags(issue: dict[str, Any], moment: str) -> dict[str, Any]:
    return {
        **issue,
        "handled": issue["status"] in HANDLED,
        "overdue": is_overdue(issue, moment),
    }


def month_bounds(month: str) -> tuple[str, str]:
    """The first moment of `month` and of the month after, as stored text."""
    return f"{month}-01T00:00:00+08:00", f"{add_months(month, 1)}-01T00:00:00+08:00"


def list_issues(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    category: str | None = None,
    grid: str | None = None,
    unit: str | None = None,
    month: str | None = None,
    overdue: bool = False,
    search: str | None = None,
    include_cancelled: bool = False,
) -> list[dict[str, Any]]:
    """Work orders for `issue list`; cancelled ones only with `include_cancelled` (--all)
    or when asked for by --status."""
    filters: dict[str, Any] = {"include_cancelled": include_cancelled}
    if status:
        filters["status"] = parse_choice(
            ISSUE_STATUSES, status, "--status", ALIASES["ISSUE_STATUSES"]
        )
    if category:
        filters["category"] = parse_choice(
            ISSUE_CATEGORIES, category, "--category", ALIASES["ISSUE_CATEGORIES"]
        )
    if grid is not None:
        filters["grid"] = refs.grid(conn, grid, "--grid")["number"]
    if unit is not None:
        filters["unit_id"] = refs.unit(conn, unit, "--unit")["id"]
    if month is not None:
        filters["start"], filters["end"] = month_bounds(parse_month(month, "--month"))
    moment = iso(now())
    if overdue:
        filters["overdue_at"] = moment
    if search is not None and search.strip():
        filters["search"] = search.strip()
    return [_with_flags(issue, moment) for issue in repo.list_issues(conn, **filters)]


def issue_details(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """One work order with its departments and its whole timeline."""
    issue = refs.work_order(conn, ref)
    details = _with_flags(issue, iso(now()))
    details["response_hours"] = _hours(issue["reported_at"], issue["first_accepted_at"])
    details["resolution_hours"] = _hours(issue["reported_at"], issue["resolved_at"])
    details["units"] = repo.departments(conn, issue["id"])
    details["events"] = repo.events(conn, issue["id"])
    return details


def _hours(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    return round(seconds / 3600, 1)


# --- deadlines ----------------------------------------------------------------------------


def deadlines(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return repo.deadlines(conn)


def set_deadline(conn: sqlite3.Connection, category: str, days: str) -> dict[str, Any]:
    """Change the default time allowed for a category; existing orders keep their due time."""
    key = parse_choice(ISSUE_CATEGORIES, category, "--set", ALIASES["ISSUE_CATEGORIES"])
    count = parse_count(days, "--set DAYS", kind="days")
    with db.write(conn):
        repo.set_deadline(conn, key, count)
    return {"category": key, "days": count}


# --- import and export --------------------------------------------------------------------

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


def export_rows(conn: sqlite3.Connection, month: str | None = None) -> list[dict[str, Any]]:
    """Work orders in exactly the columns import reads back."""
    found = repo.list_issues(conn, **_period(month))
    notes = repo.export_notes(conn, [issue["id"] for issue in found])
    rows: list[dict[str, Any]] = []
    for issue in found:
        status = issue["status"]
        note = notes.get(issue["id"], {})
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


def open311_rows(conn: sqlite3.Connection, month: str | None = None) -> list[dict[str, Any]]:
    """Work orders as Open311 GeoReport v2 service requests (see io/open311.py)."""
    from beiwen.io.open311 import service_request

    return [service_request(issue) for issue in repo.list_issues(conn, **_period(month))]
