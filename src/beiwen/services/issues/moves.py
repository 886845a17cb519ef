"""The moves that write a work order: add, dispatch, accept, transfer, resolve, close,
reopen, comment, assign, cancel, and the deadline each category allows (the corrections,
edit, void, unvoid and duplicate, are corrections.py's; they write through `_record` too).

Every change is one appended event and one update of the issue row, in one transaction.
Back-dated steps (`--at`) may not precede the report, nor the latest step already
recorded (comments excepted), so the timeline always reads in order.

`_record` is the one writer of the event log (the import writes through it too); which
move is legal from which state is workflow.py's TRANSITIONS.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from beiwen import db
from beiwen.errors import BeiwenError, ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import iso, now, parse_count, parse_datetime
from beiwen.privacy import parse_person_phone
from beiwen.repository import issues as repo
from beiwen.services import refs
from beiwen.services.issues.workflow import (
    BY_DEPARTMENTS,
    KEEP,
    _moment,
    _note,
    check_move,
    local_time,
    state_from_departments,
)
from beiwen.vocab import ALIASES, ISSUE_CATEGORIES, ISSUE_SOURCES, SATISFACTION, parse_choice

# --- small helpers ------------------------------------------------------------------------


def _holders(conn: sqlite3.Connection, issue_id: int) -> list[dict[str, Any]]:
    """The departments that hold the work order now (not those that passed it on)."""
    return [d for d in repo.departments(conn, issue_id) if d["released_at"] is None]


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
    change: tuple[str, str | None, str | None] | None = None,
    other_issue_id: int | None = None,
) -> int:
    """Append one event: the only writer of the work-order event log. `change` is an
    edit's (field, old value, new value); `other_issue_id` the order a duplicate repeats."""
    field, old_value, new_value = change or (None, None, None)
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
            "field": field,
            "old_value": old_value,
            "new_value": new_value,
            "other_issue_id": other_issue_id,
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


def _step(
    conn: sqlite3.Connection, ref: str | int, action: str, at: str | None
) -> tuple[dict[str, Any], str, str]:
    """The prologue of a move, inside its transaction: the work order, the state the move
    leads to (refused if illegal from its state), and the time of the new step."""
    issue = refs.work_order(conn, ref)
    target = check_move(issue, action)
    return issue, target, _step_time(conn, issue, at, action)


def _noted_move(
    conn: sqlite3.Connection,
    ref: str,
    action: str,
    note: str | None,
    at: str | None,
    changes: Callable[[str], dict[str, Any]],
    field: str = "--note",
) -> dict[str, Any]:
    """A move that records its (required) note and sets `changes(moment)`: resolve, reopen,
    comment, cancel."""
    text = _note(note, field=field, required=True)
    with db.write(conn):
        issue, target, moment = _step(conn, ref, action, at)
        _record(conn, issue["id"], action, moment, note=text)
        return _finish(conn, issue, target, changes(moment))


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
    check("place", lambda v, f: v)
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
        issue, target, moment = _step(conn, ref, "dispatch", at)
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
        issue, target, moment = _step(conn, ref, "transfer", at)
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
    return _noted_move(conn, ref, "resolve", note, at, lambda moment: {"resolved_at": moment})


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
        issue, target, moment = _step(conn, ref, "close", at)
        _record(conn, issue["id"], "close", moment, satisfaction=verdict, note=_note(note))
        return _finish(conn, issue, target, {"closed_at": moment, "satisfaction": verdict})


def reopen_issue(
    conn: sqlite3.Connection, ref: str, note: str | None, at: str | None = None
) -> dict[str, Any]:
    """Back to work, from handled or cancelled (a duplicate too): clears resolved_at,
    closed_at, satisfaction, cancelled_at and duplicate_of (the events keep them)."""
    cleared = {
        "resolved_at": None,
        "closed_at": None,
        "satisfaction": None,
        "cancelled_at": None,
        "duplicate_of": None,
    }
    return _noted_move(conn, ref, "reopen", note, at, lambda moment: cleared)


def comment_issue(
    conn: sqlite3.Connection, ref: str, text: str, at: str | None = None
) -> dict[str, Any]:
    """A remark on the timeline; allowed in every state, changes nothing else."""
    return _noted_move(conn, ref, "comment", text, at, lambda moment: {}, field="TEXT")


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
        issue, target, moment = _step(conn, ref, "assign", at)
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
    """Cancel a matter that is not ours (`issue reopen` takes it back)."""
    return _noted_move(conn, ref, "cancel", note, at, lambda moment: {"cancelled_at": moment})


# --- deadlines ----------------------------------------------------------------------------


def set_deadline(
    conn: sqlite3.Connection, category: str, days: str, report_in_hours: str | None = None
) -> dict[str, Any]:
    """Change the default time allowed for a category (and, given, the hours a department
    has to report in on it); existing orders keep their due time."""
    key = parse_choice(ISSUE_CATEGORIES, category, "--set", ALIASES["ISSUE_CATEGORIES"])
    count = parse_count(days, "--set DAYS", kind="days")
    hours = (
        parse_count(report_in_hours, "--report-in-hours", kind="hours")
        if report_in_hours is not None
        else None
    )
    with db.write(conn):
        repo.set_deadline(conn, key, count, hours)
    return {"category": key, "days": count, "report_in_hours": hours}
