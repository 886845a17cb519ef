"""Needs (需求清单): what an enterprise asks for, and every step it takes until answered.

A need is raised (`add`), passed to a department, association or enterprise (`transfer`,
转单), answered by that unit (`reply`), linked to a project (`match`, by projects.py),
closed or cancelled; corrections are `edit` events with the old and the new value. Each
step is one event row written by `_record`, on a day that may not precede the need's
raising nor its latest step: the timeline always reads in order.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import label, t
from beiwen.parsing import FieldCheck, add_months, iso, now, parse_month
from beiwen.repository import Row
from beiwen.repository import lists as repo
from beiwen.services import refs
from beiwen.services.lists.common import past_day, raise_first, required, today, unit_id
from beiwen.vocab import parse_choice
from beiwen.vocab_lists import LIST_ALIASES, NEED_KINDS, NEED_STATUSES

FINISHED = ("closed", "cancelled")
# The fields `need add` and `need edit` take, as the service names them.
NEED_FIELDS = ("title", "kind", "from_unit_id", "grid", "day", "description")


def parse_kind(value: str, field: str = "kind") -> str:
    return parse_choice(NEED_KINDS, value, field, LIST_ALIASES["NEED_KINDS"])


def validate_need(
    conn: sqlite3.Connection, raw: dict[str, str], partial: bool = False
) -> tuple[Row, list[str]]:
    """Clean the given fields (`from_unit_id` and `grid` as references); empty text clears
    an optional field."""
    check = FieldCheck(raw)
    check("title", str)
    check("kind", parse_kind, "kind")
    check("from_unit_id", lambda v: unit_id(conn, v, "from"))
    check("grid", lambda v: int(refs.grid(conn, v)["number"]))
    check("day", past_day, "date")
    check("description", str)
    clean, reasons = check.clean, check.reasons
    required(clean, reasons, raw, ("title", "kind", "from_unit_id"), partial)
    return clean, reasons


def _record(conn: sqlite3.Connection, need: Row, action: str, day: str, **fields: Any) -> int:
    """THE writer of the need's event log: one row per step (or per corrected field)."""
    return repo.insert_need_event(
        conn,
        {"need_id": need["id"], "day": day, "action": action, "recorded_at": iso(now()), **fields},
    )


def insert_need(conn: sqlite3.Connection, clean: Row, note: str | None = None) -> int:
    """Write a validated need and its first event (inside the caller's transaction)."""
    clean = {**clean, "day": clean.get("day") or today()}
    need_id = repo.insert_need(conn, {**clean, "status": "open", "created_at": iso(now())})
    _record(conn, {"id": need_id}, "add", clean["day"], unit_id=clean["from_unit_id"], note=note)
    return need_id


def add_need(
    conn: sqlite3.Connection,
    *,
    title: str,
    kind: str,
    from_unit: str,
    grid: str | None = None,
    day: str | None = None,
    description: str | None = None,
    note: str | None = None,
) -> int:
    """Record a need raised by the unit `from_unit` (any form `refs.unit` takes) and return
    its id; `kind` is a key, a label or an alias of NEED_KINDS, `day` defaults to today."""
    raw = {"title": title, "kind": kind, "from_unit_id": from_unit}
    raw |= {k: v for k, v in (("grid", grid), ("day", day), ("description", description)) if v}
    with db.write(conn):
        clean, reasons = validate_need(conn, raw)
        raise_first(reasons)
        return insert_need(conn, clean, note)


def _open(conn: sqlite3.Connection, ref: str) -> Row:
    need = refs.need(conn, ref)
    if need["status"] in FINISHED:
        status = NEED_STATUSES[need["status"]]
        raise ConflictError(t("needs.finished", id=need["id"], status=label(status)))
    return need


def step_day(conn: sqlite3.Connection, need: Row, value: str | None, field: str = "--date") -> str:
    """The day of a new step: given or today, not in the future, not before the need was
    raised nor before its latest step."""
    day = past_day(value, field) if value else today()
    if day < need["day"]:
        raise InvalidInputError(
            t("needs.before_raised", field=field, day=day, id=need["id"], raised=need["day"])
        )
    last = repo.last_step_day(conn, need["id"])
    if last is not None and day < last:
        raise InvalidInputError(
            t("needs.before_last", field=field, day=day, id=need["id"], last=last)
        )
    return day


def _note(note: str | None) -> str:
    text = (note or "").strip()
    if not text:
        raise InvalidInputError(t("lists.note_required"))
    return text


def transfer_need(
    conn: sqlite3.Connection, ref: str, *, to: str, note: str, day: str | None = None
) -> Row:
    """转单: pass the need to a department, association or enterprise."""
    text = _note(note)
    with db.write(conn):
        need = _open(conn, ref)
        target = unit_id(conn, to, "--to")
        when = step_day(conn, need, day)
        _record(conn, need, "transfer", when, unit_id=target, note=text)
        status = "transferred" if need["status"] != "matched" else "matched"
        repo.update_need(conn, need["id"], {"status": status, "holder_id": target})
        return _fresh(conn, need["id"])


def reply_need(
    conn: sqlite3.Connection, ref: str, *, unit: str, note: str, day: str | None = None
) -> Row:
    """The unit the need was passed to reports back."""
    text = _note(note)
    with db.write(conn):
        need = _open(conn, ref)
        replier = refs.unit(conn, unit, "--unit")
        passed_on = repo.transfer_day(conn, need["id"], replier["id"])
        if passed_on is None:
            raise ConflictError(t("needs.not_transferred_to", id=need["id"], unit=replier["name"]))
        when = past_day(day, "--date") if day else today()
        if when < passed_on:
            raise InvalidInputError(
                t("needs.reply_before_transfer", day=when, id=need["id"], transferred=passed_on)
            )
        when = step_day(conn, need, when)
        _record(conn, need, "reply", when, unit_id=replier["id"], note=text)
        if need["status"] != "matched":
            repo.update_need(conn, need["id"], {"status": "replied"})
        return _fresh(conn, need["id"])


def finish_need(
    conn: sqlite3.Connection, ref: str, action: str, *, note: str, day: str | None = None
) -> Row:
    """`close` (answered) or `cancel` (withdrawn, or raised by mistake) with a note."""
    assert action in ("close", "cancel")
    text = _note(note)
    with db.write(conn):
        need = _open(conn, ref)
        when = step_day(conn, need, day)
        _record(conn, need, action, when, note=text)
        repo.update_need(
            conn, need["id"], {"status": "closed" if action == "close" else "cancelled"}
        )
        return _fresh(conn, need["id"])


def match_need(conn: sqlite3.Connection, need: Row, project_id: int, day: str) -> None:
    """Link the need to a project (inside the caller's transaction): a `match` event."""
    _record(conn, need, "match", day, project_id=project_id)
    repo.update_need(conn, need["id"], {"status": "matched"})


def unmatch(conn: sqlite3.Connection, need: Row, project_id: int, day: str) -> None:
    """The project of a matched need was cancelled: with no other project left, the need
    goes back to where it stood (replied, transferred or open), an `edit` of its status."""
    if need["status"] != "matched":
        return
    others = [p for p in repo.projects_of_need(conn, need["id"]) if p["id"] != project_id]
    if any(p["status"] != "cancelled" for p in others):
        return
    actions = {event["action"] for event in repo.need_events(conn, need["id"])}
    status = "replied" if "reply" in actions else "transferred" if "transfer" in actions else "open"
    _record(
        conn,
        need,
        "edit",
        day,
        field="status",
        old_value="matched",
        new_value=status,
        project_id=project_id,
    )
    repo.update_need(conn, need["id"], {"status": status})


def close_for_project(conn: sqlite3.Connection, need: Row, project_id: int, day: str) -> None:
    """A project done answers its needs: each open one is closed, naming the project."""
    if need["status"] in FINISHED:
        return
    _record(conn, need, "close", day, project_id=project_id)
    repo.update_need(conn, need["id"], {"status": "closed"})


def edit_need(conn: sqlite3.Connection, ref: str, raw: dict[str, str]) -> Row:
    """Correct fields of a need: one `edit` event per changed field, old and new value."""
    if not raw:
        raise InvalidInputError(t("lists.nothing_to_change"))
    with db.write(conn):
        need = refs.need(conn, ref)
        clean, reasons = validate_need(conn, raw, partial=True)
        raise_first(reasons)
        if clean.get("day"):
            first_step = min(
                (e["day"] for e in repo.need_events(conn, need["id"]) if e["action"] != "add"),
                default=None,
            )
            if first_step is not None and clean["day"] > first_step:
                raise InvalidInputError(
                    t("needs.raised_after_step", day=clean["day"], id=need["id"], step=first_step)
                )
        record_edits(conn, need, {k: v for k, v in clean.items() if need.get(k) != v})
        return _fresh(conn, need["id"])


def record_edits(conn: sqlite3.Connection, need: Row, changes: Row) -> None:
    """Write `changes` to the need, each as an `edit` event with the old and new value."""
    for name, value in changes.items():
        old = need.get(name)
        _record(
            conn,
            need,
            "edit",
            today(),
            field=name,
            old_value=None if old is None else str(old),
            new_value=None if value is None else str(value),
        )
    repo.update_need(conn, need["id"], changes)


def _fresh(conn: sqlite3.Connection, need_id: int) -> Row:
    found = repo.get_need(conn, need_id)
    assert found is not None
    return found


def list_needs(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    kind: str | None = None,
    month: str | None = None,
    search: str | None = None,
) -> list[Row]:
    start = end = None
    if month:
        first = parse_month(month, "--month")
        start, end = f"{first}-01", f"{add_months(first, 1)}-01"
    key = (
        parse_choice(NEED_STATUSES, status, "--status", LIST_ALIASES["NEED_STATUSES"])
        if status
        else None
    )
    ids = repo.need_search_ids(conn, search.strip()) if search and search.strip() else None
    return repo.list_needs(
        conn,
        status=key,
        kind=parse_kind(kind, "--kind") if kind else None,
        start=start,
        end=end,
        ids=ids,
    )


def need_detail(conn: sqlite3.Connection, ref: str) -> Row:
    """The need with its timeline (every event) and the projects it is linked to."""
    need = refs.need(conn, ref)
    return {
        **need,
        "timeline": repo.need_events(conn, need["id"]),
        "project_list": repo.projects_of_need(conn, need["id"]),
    }
