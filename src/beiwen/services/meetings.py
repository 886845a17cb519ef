"""The joint meeting (区域党建联席会) of the council units: meetings, attendance, decisions.

A meeting has a day (not in the future: it is recorded once held), a host (主持单位; by
default the duty unit of that month in the rotation, 轮值书记单位), a topic and the units that
attended (the host always among them). A decision (议定事项) taken at a meeting has the unit
that owns it, an optional due date (not before the meeting), and is done with a note; it can
be turned into a work order (`--as-issue`, through the work-order service, so it gets its
number and first event like any `issue add`) or into a need of the needs list (`--as-need`).

Attendance over a period: for every council unit (联席会成员单位) that was a member then, the
meetings it attended over the meetings held before it was retired: `10/12 = 83.3%`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from beiwen import db
from beiwen.errors import BeiwenError, ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import FieldCheck, iso, now, parse_date, parse_datetime
from beiwen.repository import Row
from beiwen.repository import meetings as repo
from beiwen.services import refs

# The fields of `meeting add` as the user typed them, for messages.
MEETING_OPTIONS = {"date": "--date", "host": "--host", "topic": "--topic", "note": "--note"}
DECISION_OPTIONS = {"text": "TEXT", "owner": "--owner", "due": "--due"}


@dataclass
class Outcome:
    """The id a command prints, plus notices (stderr lines) the service wants said."""

    id: int
    notices: list[str] = field(default_factory=list)
    issue_id: int | None = None
    need_id: int | None = None


def _raise_first(reasons: list[str]) -> None:
    if reasons:
        raise InvalidInputError(reasons[0], details=reasons[1:])


def _held_day(value: str, name: str) -> str:
    """A meeting's day: a date in parsing's range, and not after today."""
    day = parse_date(value, name)
    if day > now().date():
        raise InvalidInputError(t("meetings.future", field=name, day=day.isoformat()))
    return day.isoformat()


def _unit_on(conn: sqlite3.Connection, ref: str, day: str | None, name: str) -> Row:
    """A unit (`refs.unit`) that had not been retired by `day`."""
    unit = refs.unit(conn, ref, name)
    retired = unit.get("retired_at")
    if retired and (day is None or retired[:10] <= day):
        raise ConflictError(
            t("meetings.unit_retired", field=name, unit=unit["name"], at=retired[:10])
        )
    return unit


def _duty_host(conn: sqlite3.Connection, day: str) -> tuple[int | None, list[str]]:
    """The duty unit of the month of `day` (the default host), with the notice saying so."""
    from beiwen.services.rotation import duty_unit_for

    month = day[:7]
    duty = duty_unit_for(conn, month)
    if not duty or duty.get("unit_id") is None:
        return None, []
    return int(duty["unit_id"]), [t("meetings.host_from_rotation", unit=duty["unit"], month=month)]


def validate_meeting(
    conn: sqlite3.Connection,
    raw: dict[str, str],
    attend: list[str],
    names: dict[str, str] | None = None,
) -> tuple[Row, list[str], list[str]]:
    """Clean a meeting's fields and its attendees (add and import); return (clean, reasons,
    notices). The host defaults to the duty unit of the month; it always attends."""
    name = (names or {}).get
    check = FieldCheck(raw)
    check("date", lambda v: _held_day(v, name("date", "date")))
    check("topic", str)
    check("note", str)
    clean, reasons = check.clean, check.reasons
    for required in ("date", "topic"):
        if not clean.get(required) and not any(
            r.startswith(name(required, required)) for r in reasons
        ):
            reasons.append(t("meetings.required", field=name(required, required)))
    day = clean.get("date")
    notices: list[str] = []
    host = (raw.get("host") or "").strip()
    clean["host_unit_id"] = None
    if host:
        try:
            clean["host_unit_id"] = int(_unit_on(conn, host, day, name("host", "host"))["id"])
        except BeiwenError as error:
            reasons.append(error.message)
    elif day:
        clean["host_unit_id"], notices = _duty_host(conn, day)
        if clean["host_unit_id"] is None:
            reasons.append(t("meetings.no_duty_unit", month=day[:7], field=name("host", "host")))
    attendee_ids: list[int] = []
    for ref in attend:
        if not ref.strip():
            continue
        try:
            unit_id = int(_unit_on(conn, ref, day, "--attend")["id"])
        except BeiwenError as error:
            reasons.append(error.message)
            continue
        if unit_id not in attendee_ids:
            attendee_ids.append(unit_id)
    host_id = clean["host_unit_id"]
    if host_id is not None and host_id not in attendee_ids:
        attendee_ids.insert(0, host_id)
    clean["attendee_ids"] = attendee_ids
    return clean, reasons, notices


def add_meeting(conn: sqlite3.Connection, raw: dict[str, str], attend: list[str]) -> Outcome:
    with db.write(conn):
        clean, reasons, notices = validate_meeting(conn, raw, attend, MEETING_OPTIONS)
        _raise_first(reasons)
        attendee_ids = clean.pop("attendee_ids")
        meeting_id = repo.insert_meeting(conn, {**clean, "created_at": iso(now())})
        repo.set_attendance(conn, meeting_id, attendee_ids)
    return Outcome(meeting_id, notices)


def list_meetings(
    conn: sqlite3.Connection,
    *,
    month: str | None = None,
    year: str | None = None,
    host: str | None = None,
) -> list[Row]:
    from beiwen.services.activities import period

    start, end = period(month, year)
    host_id = int(refs.unit(conn, host, "--host")["id"]) if host else None
    return repo.list_meetings(conn, start=start, end=end, host_unit_id=host_id)


def meeting_detail(conn: sqlite3.Connection, ref: str) -> Row:
    meeting = refs.meeting(conn, ref)
    return {
        **meeting,
        "attendee_list": repo.attendees(conn, meeting["id"]),
        "decision_list": repo.list_decisions(conn, meeting_id=meeting["id"]),
    }


# Decisions ---------------------------------------------------------------------------------


def validate_decision(
    conn: sqlite3.Connection,
    meeting: Row,
    raw: dict[str, str],
    names: dict[str, str] | None = None,
) -> tuple[Row, list[str]]:
    """Clean a decision of `meeting` (add and import): text, owner, due, and for an import
    its done time and note."""
    name = (names or {}).get
    day = meeting["date"]
    check = FieldCheck(raw)
    check("text", str)
    check("owner_unit_id", lambda v: int(_unit_on(conn, v, day, name("owner", "owner"))["id"]))
    check("due", lambda v: parse_date(v, name("due", "due")).isoformat())
    check("done_at", lambda v: _done_moment(meeting, v, name("done_at", "done_at")))
    check("done_note", str)
    clean, reasons = check.clean, check.reasons
    for required, shown in (
        ("text", name("text", "text")),
        ("owner_unit_id", name("owner", "owner")),
    ):
        if not clean.get(required) and not any(r.startswith(shown) for r in reasons):
            reasons.append(t("meetings.required", field=shown))
    if clean.get("due") and clean["due"] < day:
        reasons.append(
            t("meetings.due_before_meeting", field=name("due", "due"), due=clean["due"], day=day)
        )
    return clean, reasons


def _done_moment(meeting: Row, value: str, name: str) -> str:
    """When a decision was done: not in the future, not before its meeting's day."""
    moment = parse_datetime(value, name)
    if moment > now():
        raise InvalidInputError(t("meetings.done_future", field=name, value=value))
    if moment.date().isoformat() < meeting["date"]:
        raise InvalidInputError(
            t("meetings.done_before_meeting", field=name, value=value, day=meeting["date"])
        )
    return iso(moment)


def _meeting_held(conn: sqlite3.Connection, ref: str) -> Row:
    return refs.meeting(conn, ref, "MEETING")


def add_decision(
    conn: sqlite3.Connection,
    meeting_ref: str,
    raw: dict[str, str],
    *,
    as_issue: bool = False,
    category: str | None = None,
    as_need: bool = False,
    kind: str | None = None,
) -> Outcome:
    """Record a decision of a meeting; with `as_issue` also a work order (its category, by
    default other), with `as_need` a need of the owner (its kind, by default other)."""
    if as_issue and as_need:
        raise InvalidInputError(t("meetings.issue_or_need"))
    if category is not None and not as_issue:
        raise InvalidInputError(t("meetings.category_needs_issue"))
    if kind is not None and not as_need:
        raise InvalidInputError(t("meetings.kind_needs_need"))
    with db.write(conn):
        meeting = _meeting_held(conn, meeting_ref)
        clean, reasons = validate_decision(conn, meeting, raw, DECISION_OPTIONS)
        _raise_first(reasons)
        decision_id = repo.insert_decision(
            conn, {**clean, "meeting_id": meeting["id"], "created_at": iso(now())}
        )
        outcome = Outcome(decision_id)
        owner = refs.unit(conn, clean["owner_unit_id"])
        description = t(
            "meetings.turned_description",
            day=meeting["date"],
            topic=meeting["topic"],
            owner=owner["name"],
        )
        if as_issue:
            outcome.issue_id = _as_issue(conn, meeting, clean, category, description)
        if as_need:
            from beiwen.services.lists.needs import add_need

            outcome.need_id = add_need(
                conn,
                title=clean["text"],
                kind=kind or "other",
                from_unit=str(owner["id"]),
                day=meeting["date"],
                description=description,
            )
        changes = {"issue_id": outcome.issue_id, "need_id": outcome.need_id}
        repo.update_decision(conn, decision_id, {k: v for k, v in changes.items() if v})
    return outcome


def _as_issue(
    conn: sqlite3.Connection, meeting: Row, clean: Row, category: str | None, description: str
) -> int:
    """The work order of a decision, through `issue add`'s own service: reported on the
    meeting's day, due at the end of the decision's due day."""
    from beiwen.services.issues import add_issue

    raw = {
        "title": clean["text"],
        "category": category or "other",
        "source": "other",
        "reported_at": meeting["date"],
        "description": description,
    }
    if clean.get("due"):
        raw["due_at"] = f"{clean['due']} 23:59"
    return int(add_issue(conn, raw)["id"])


def finish_decision(conn: sqlite3.Connection, ref: str, note: str, at: str | None = None) -> Row:
    """`decision done`: the decision is carried out, with what was done."""
    text = (note or "").strip()
    if not text:
        raise InvalidInputError(t("meetings.note_required"))
    with db.write(conn):
        decision = refs.decision(conn, ref, "ID")
        if decision["done_at"]:
            raise ConflictError(
                t("meetings.already_done", id=decision["id"], at=decision["done_at"][:10])
            )
        meeting = refs.meeting(conn, decision["meeting_id"])
        done_at = _done_moment(meeting, at, "--at") if at else iso(now())
        repo.update_decision(conn, decision["id"], {"done_at": done_at, "done_note": text})
        updated = repo.get_decision(conn, decision["id"])
    assert updated is not None
    return updated


def list_decisions(
    conn: sqlite3.Connection,
    *,
    meeting: str | None = None,
    owner: str | None = None,
    month: str | None = None,
    year: str | None = None,
    open_only: bool = False,
) -> list[Row]:
    from beiwen.services.activities import period

    start, end = period(month, year)
    meeting_id = int(refs.meeting(conn, meeting, "--meeting")["id"]) if meeting else None
    owner_id = int(refs.unit(conn, owner, "--owner")["id"]) if owner else None
    found = repo.list_decisions(
        conn,
        meeting_id=meeting_id,
        owner_unit_id=owner_id,
        start=start,
        end=end,
        open_only=open_only,
    )
    today = now().date().isoformat()
    return [
        {**row, "overdue": bool(not row["done_at"] and row["due"] and row["due"] < today)}
        for row in found
    ]


# Attendance --------------------------------------------------------------------------------


def _member_on(unit: Row, day: str) -> bool:
    retired = unit.get("retired_at")
    return not retired or day < retired[:10]


def attendance(conn: sqlite3.Connection, start: date, end: date) -> dict[str, Any]:
    """Per council unit not retired before `start`: the meetings of [start, end) it attended
    over those held before it was retired (its `rate` None when there were none)."""
    first, last = start.isoformat(), end.isoformat()
    meetings = repo.list_meetings(conn, start=first, end=last)
    attended: dict[int, set[int]] = {}
    for row in repo.attendance_pairs(conn, first, last):
        attended.setdefault(int(row["unit_id"]), set()).add(int(row["meeting_id"]))
    units = []
    for unit in repo.council_units(conn, first):
        held = [m["id"] for m in meetings if _member_on(unit, m["date"])]
        present = len(attended.get(int(unit["id"]), set()) & set(held))
        units.append(
            {
                "unit_id": unit["id"],
                "unit": unit["name"],
                "attended": present,
                "meetings": len(held),
                "rate": round(present / len(held), 4) if held else None,
            }
        )
    return {"held": len(meetings), "units": units}
