"""Putting a work order right (issue 16): `edit` its facts, `void` it (作废: entered by
mistake) and `unvoid` it, close it as a `duplicate` of another.

Corrections are moves like the others: workflow.TRANSITIONS allows or refuses them, and
they write through moves._record (an `edit` event per changed fact, with the old and the new
value as stored). They are recorded at the moment they are made and move no step, so
back-dated steps stay possible after them (repository.issues.last_step_at skips them).
A voided order and a duplicate leave every list and count (the report's views, the open
backlog); `issue list --all` still shows them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import iso, now, parse_datetime
from beiwen.privacy import parse_person_phone
from beiwen.repository import issues as repo
from beiwen.services import refs
from beiwen.services.issues.moves import _finish, _record, _step, _unit
from beiwen.services.issues.workflow import KEEP, _note, check_move, local_time
from beiwen.vocab import ALIASES, ISSUE_CATEGORIES, ISSUE_SOURCES, parse_choice

# The facts `issue edit` changes: the stored field -> its option, in the timeline's order.
EDIT_OPTIONS = {
    "title": "--title",
    "category": "--category",
    "source": "--source",
    "grid": "--grid",
    "unit_id": "--unit",
    "place": "--place",
    "reporter": "--reporter",
    "phone": "--phone",
    "description": "--description",
    "due_at": "--due",
}
REQUIRED = ("title", "category", "source")  # never emptied


def _parsers(conn: sqlite3.Connection) -> dict[str, Callable[[str, str], Any]]:
    grids = refs.known_grids(conn)
    return {
        "title": lambda v, f: v,
        "category": lambda v, f: parse_choice(ISSUE_CATEGORIES, v, f, ALIASES["ISSUE_CATEGORIES"]),
        "source": lambda v, f: parse_choice(ISSUE_SOURCES, v, f, ALIASES["ISSUE_SOURCES"]),
        "grid": lambda v, f: refs.grid_number(v, grids, f),
        "unit_id": lambda v, f: _unit(conn, v),
        "place": lambda v, f: v,
        "reporter": lambda v, f: v,
        "phone": parse_person_phone,
        "description": lambda v, f: v,
        "due_at": lambda v, f: iso(parse_datetime(v, f)),
    }


def _new_values(conn: sqlite3.Connection, given: dict[str, str]) -> dict[str, Any]:
    """The fields given (stored field -> text as typed), parsed; an empty text clears an
    optional field. A unit comes back as its row (for the timeline's names)."""
    parsers = _parsers(conn)
    values: dict[str, Any] = {}
    for field, raw in given.items():
        option = EDIT_OPTIONS[field]
        text = raw.strip()
        if not text:
            if field in REQUIRED:
                raise InvalidInputError(t("issues.required", field=option))
            values[field] = None
            continue
        values[field] = parsers[field](text, option)
    return values


def _stored(value: Any) -> str | None:
    return None if value is None else str(value)


def edit_issue(
    conn: sqlite3.Connection, ref: str, given: dict[str, str], note: str | None
) -> dict[str, Any]:
    """Change the facts of a work order; each change is one `edit` event (old -> new).

    `given` maps the stored field (EDIT_OPTIONS) to the text typed. A new category sets a
    new due time from the category's deadline unless `due_at` is given; linking a unit
    clears a free-text place unless `place` is given (the timeline keeps it). Returns the
    order as now stored, its `changes` (field, old, new) and `due_recomputed`.
    """
    text = _note(note, required=True)
    if not given:
        raise InvalidInputError(t("issues.edit_nothing", options=" ".join(EDIT_OPTIONS.values())))
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        check_move(issue, "edit")
        values = _new_values(conn, given)
        linked = "unit_id" in values
        unit = values.pop("unit_id", None)
        if linked:
            values["unit_id"] = unit["id"] if unit else None
            if unit and issue["place"] and "place" not in values:
                values["place"] = None
        recomputed = False
        category = values.get("category")
        if category and category != issue["category"] and "due_at" not in values:
            days = repo.deadline_days(conn, category)
            if days is not None:
                reported = datetime.fromisoformat(issue["reported_at"])
                values["due_at"] = iso(reported + timedelta(days=days))
                recomputed = values["due_at"] != issue["due_at"]
        due = values.get("due_at")
        if due is not None and due < issue["reported_at"]:
            raise InvalidInputError(
                t(
                    "issues.due_before_report",
                    field="--due",
                    due=local_time(due),
                    reported=local_time(issue["reported_at"]),
                )
            )
        changed = [f for f in EDIT_OPTIONS if f in values and values[f] != issue[f]]
        moment = iso(now())
        changes = []
        for field in changed:
            old, new = issue[field], values[field]
            if field == "unit_id":
                names = (issue["unit_name"], unit["name"] if unit else None)
                change = ("unit", names[0], names[1])
                _record(
                    conn,
                    issue["id"],
                    "edit",
                    moment,
                    unit_id=new,
                    from_unit_id=old,
                    note=text,
                    change=change,
                )
            else:
                change = (field, _stored(old), _stored(new))
                _record(conn, issue["id"], "edit", moment, note=text, change=change)
            changes.append(dict(zip(("field", "old", "new"), change, strict=True)))
        updated = _finish(conn, issue, KEEP, {f: values[f] for f in changed}) if changed else issue
    return {
        **updated,
        "changes": changes,
        "due_recomputed": recomputed and "due_at" in changed,
        "old_due_at": issue["due_at"],
    }


def void_issue(conn: sqlite3.Connection, ref: str, note: str | None) -> dict[str, Any]:
    """作废: the order was entered by mistake; it leaves every list, count and report
    (`issue list --all` still shows it) and keeps its state for `unvoid`."""
    text = _note(note, required=True)
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "void")
        _no_duplicates(conn, issue, "issues.void_has_duplicates")
        moment = iso(now())
        _record(conn, issue["id"], "void", moment, note=text)
        return _finish(conn, issue, target, {"voided_at": moment})


def unvoid_issue(conn: sqlite3.Connection, ref: str, note: str | None) -> dict[str, Any]:
    """Take a voiding back: the order counts again, in the state it had."""
    text = _note(note, required=True)
    with db.write(conn):
        issue = refs.work_order(conn, ref)
        target = check_move(issue, "unvoid")
        if issue["duplicate_of"] is not None:
            original = repo.get_issue(conn, issue["duplicate_of"])
            if original is not None and original["voided_at"]:
                raise ConflictError(
                    t("issues.unvoid_original_voided", id=issue["id"], of=original["id"])
                )
        _record(conn, issue["id"], "unvoid", iso(now()), note=text)
        return _finish(conn, issue, target, {"voided_at": None})


def _no_duplicates(conn: sqlite3.Connection, issue: dict[str, Any], key: str) -> None:
    found = repo.duplicates(conn, issue["id"])
    if found:
        numbers = "、".join(f"#{number}" for number in found)
        raise ConflictError(t(key, id=issue["id"], ids=numbers, first=found[0]))


def duplicate_issue(
    conn: sqlite3.Connection, ref: str, of_ref: str, note: str | None, at: str | None = None
) -> dict[str, Any]:
    """Close `ref` as a duplicate of `of_ref`: cancelled, linked to it, counted once (as the
    original); `issue reopen` takes it back."""
    text = _note(note, required=True)
    with db.write(conn):
        issue, target, moment = _step(conn, ref, "duplicate", at)
        original = refs.work_order(conn, of_ref, field="--of")
        if original["id"] == issue["id"]:
            raise InvalidInputError(t("issues.duplicate_self", id=issue["id"]))
        if original["voided_at"]:
            raise ConflictError(t("issues.duplicate_of_voided", id=issue["id"], of=original["id"]))
        if original["duplicate_of"] is not None:
            raise ConflictError(
                t(
                    "issues.duplicate_of_duplicate",
                    id=issue["id"],
                    of=original["id"],
                    original=original["duplicate_of"],
                )
            )
        _no_duplicates(conn, issue, "issues.duplicate_has_duplicates")
        _record(conn, issue["id"], "duplicate", moment, note=text, other_issue_id=original["id"])
        changes = {"cancelled_at": moment, "duplicate_of": original["id"]}
        return _finish(conn, issue, target, changes)
