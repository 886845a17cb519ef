"""Classes (堂) and their attendance: recording, editing and listing classes, and rosters.

A class is `planned` (by `course plan`), `held` (recorded) or `cancelled`. Attendance is
the size of the class's roster when it has one, else the head count recorded by hand; the
repository's class view derives it, so every reader (lists, shows, the monthly report)
counts the same way. Attendance above the course's capacity is allowed and flagged.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import label, t
from beiwen.parsing import iso, parse_count, parse_datetime
from beiwen.privacy import in_message, parse_person_phone
from beiwen.repository import Row
from beiwen.repository import courses as repo
from beiwen.services import refs
from beiwen.services.courses.common import (
    check_held_date,
    flag_capacity,
    insert_class,
    raise_first,
    shown_time,
    today,
)
from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome, run_import
from beiwen.vocab import CLASS_STATUSES, parse_choice

ROSTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "学员", "学员姓名"),
    "phone": ("电话", "手机", "手机号", "联系电话", "phone_number"),
    "no": ("序号", "编号", "number"),  # sign-in sheets number their lines; ignored
}


@dataclass
class Outcome:
    """The id a command prints, plus notices (stderr lines) the service wants said."""

    id: int
    notices: list[str] = field(default_factory=list)


@dataclass
class AttendOutcome:
    class_id: int
    added: int
    unchanged: int
    attendance: int
    became_held: bool
    notices: list[str] = field(default_factory=list)


# Classes


def _term_notices(class_id: int, day: str, term: Row | None) -> list[str]:
    if term is None:
        return []
    if day < term["start_date"] or (term["end_date"] and day > term["end_date"]):
        return [
            t(
                "courses.outside_term",
                id=class_id,
                day=day,
                term=term["name"],
                start=term["start_date"],
                end=term["end_date"] or t("courses.open_end"),
            )
        ]
    return []


def _capacity_notices(conn: sqlite3.Connection, class_id: int) -> list[str]:
    row = flag_capacity(refs.course_class(conn, class_id))
    if not row["over_capacity"]:
        return []
    return [
        t(
            "courses.over_capacity",
            id=class_id,
            attendance=row["attendance"],
            capacity=row["capacity"],
        )
    ]


def add_class(
    conn: sqlite3.Connection,
    course_ref: str,
    when: str,
    *,
    term: str | None = None,
    venue: str | None = None,
    attendance: str | None = None,
    note: str | None = None,
) -> Outcome:
    """Record a held class; a planned class of the course on that day becomes held."""
    moment = parse_datetime(when, "--date")
    check_held_date(moment, "--date")
    count = (
        parse_count(attendance, "--attendance", kind="count") if attendance is not None else None
    )
    starts_at, day = iso(moment), moment.date().isoformat()
    with db.write(conn):
        course = refs.course(conn, course_ref)
        term_row = refs.term(conn, course, term) if term else None
        same_day = repo.classes_on_day(conn, course["id"], day)
        for existing in same_day:
            if existing["starts_at"] == starts_at and existing["status"] == "held":
                raise ConflictError(
                    t(
                        "courses.duplicate_class",
                        course=course["name"],
                        when=shown_time(starts_at),
                        id=existing["id"],
                    )
                )
        planned = [c for c in same_day if c["status"] == "planned"]
        exact = [c for c in planned if c["starts_at"] == starts_at]
        target = exact[0] if exact else planned[0] if len(planned) == 1 else None
        if target is None and len(planned) > 1:
            raise ConflictError(
                t(
                    "courses.ambiguous_planned",
                    course=course["name"],
                    count=len(planned),
                    day=day,
                    ids=", ".join(str(c["id"]) for c in planned),
                )
            )
        given: Row = {"venue": venue, "attendance": count, "note": note}
        given = {k: v for k, v in given.items() if v is not None}
        if target is not None:
            if count is not None and target["roster"]:
                raise ConflictError(
                    t("courses.roster_attendance", id=target["id"], count=target["roster"])
                )
            changes: Row = {"status": "held", **given}
            if moment.hour or moment.minute:
                changes["starts_at"] = starts_at
            if term_row is not None:
                changes["term_id"] = term_row["id"]
            repo.update_class(conn, target["id"], changes)
            class_id = int(target["id"])
            if term_row is None and target["term_id"]:
                term_row = repo.get_term(conn, target["term_id"])
        else:
            fields = {"status": "held", **given}
            class_id, term_row = insert_class(conn, course, term_row, starts_at, day, fields)
        notices = _term_notices(class_id, day, term_row) + _capacity_notices(conn, class_id)
    return Outcome(class_id, notices)


def edit_class(conn: sqlite3.Connection, ref: str, raw: dict[str, str]) -> Outcome:
    """Change a class: date, term, venue, attendance, note, status ('' clears a field)."""
    if not raw:
        raise InvalidInputError(t("courses.nothing_to_change", command="class edit"))
    changes: Row = {}
    moment: datetime | None = None
    if "date" in raw:
        moment = parse_datetime(raw["date"], "--date")
        changes["starts_at"] = iso(moment)
    if "status" in raw:
        changes["status"] = parse_choice(CLASS_STATUSES, raw["status"], "--status")
    if "attendance" in raw:
        text = raw["attendance"].strip()
        changes["attendance"] = parse_count(text, "--attendance", kind="count") if text else None
    for name in ("venue", "note"):
        if name in raw:
            changes[name] = raw[name].strip() or None
    with db.write(conn):
        current = refs.course_class(conn, ref)
        class_id = int(current["id"])
        course = refs.course(conn, str(current["course_id"]))
        if "term" in raw:
            term_text = raw["term"].strip()
            changes["term_id"] = refs.term(conn, course, term_text)["id"] if term_text else None
        status = str(changes.get("status") or current["status"])
        starts_at = str(changes.get("starts_at") or current["starts_at"])
        if status == "held":
            check_held_date(moment or parse_datetime(starts_at), "--date")
        if current["roster"] and status != "held":
            raise ConflictError(
                t(
                    "courses.roster_status",
                    id=class_id,
                    count=current["roster"],
                    status=label(CLASS_STATUSES[status]),
                )
            )
        if current["roster"] and "attendance" in changes:
            raise ConflictError(
                t("courses.roster_attendance", id=class_id, count=current["roster"])
            )
        if "starts_at" in changes and status != "cancelled":
            day = starts_at[:10]
            for other in repo.classes_on_day(conn, course["id"], day):
                if (
                    other["id"] != class_id
                    and other["starts_at"] == starts_at
                    and other["status"] != "cancelled"
                ):
                    raise ConflictError(
                        t(
                            "courses.duplicate_class",
                            course=course["name"],
                            when=shown_time(starts_at),
                            id=other["id"],
                        )
                    )
        repo.update_class(conn, class_id, changes)
        term_id = changes.get("term_id", current["term_id"])
        term_row = repo.get_term(conn, term_id) if term_id else None
        notices = _term_notices(class_id, starts_at[:10], term_row)
        notices += _capacity_notices(conn, class_id)
    return Outcome(class_id, notices)


def list_classes(
    conn: sqlite3.Connection,
    *,
    month: str | None = None,
    course: str | None = None,
    status: str | None = None,
) -> list[Row]:
    from beiwen.parsing import add_months, parse_month

    start = end = None
    if month:
        start_month = parse_month(month, "--month")
        start, end = f"{start_month}-01", f"{add_months(start_month, 1)}-01"
    key = parse_choice(CLASS_STATUSES, status, "--status") if status else None
    course_id = refs.course(conn, course)["id"] if course else None
    found = repo.list_classes(conn, start=start, end=end, course_id=course_id, status=key)
    return [flag_capacity(row) for row in found]


def class_detail(conn: sqlite3.Connection, ref: str) -> Row:
    row = flag_capacity(refs.course_class(conn, ref))
    return {**row, "attendees": repo.attendees_of(conn, row["id"])}


# Attendance


def parse_attendee(value: str) -> tuple[str, str]:
    """`张三` or `张三:13812345678` (a full-width colon too) -> (name, phone or '')."""
    name, _, phone = value.replace("：", ":").partition(":")
    name = name.strip()
    if not name:
        raise InvalidInputError(t("courses.bad_person", value=value))
    return name, parse_person_phone(phone, "phone") if phone.strip() else ""


def _attendable(conn: sqlite3.Connection, ref: str) -> Row:
    course_class = refs.course_class(conn, ref)
    if course_class["status"] == "cancelled":
        raise ConflictError(t("courses.cancelled_class", id=course_class["id"]))
    if course_class["status"] == "planned" and course_class["starts_at"][:10] > (
        today().isoformat()
    ):
        raise ConflictError(
            t(
                "courses.planned_future",
                id=course_class["id"],
                when=shown_time(course_class["starts_at"]),
            )
        )
    return course_class


def _add_attendee(conn: sqlite3.Connection, class_id: int, name: str, phone: str) -> RowOutcome:
    if repo.has_attendee(conn, class_id, name, phone):
        return "unchanged"
    person_id = repo.person_matching(conn, name, phone) if phone else None
    repo.insert_attendee(
        conn, {"class_id": class_id, "name": name, "phone": phone, "person_id": person_id}
    )
    repo.sync_attendance(conn, class_id)
    return "inserted"


def _after_roster(
    conn: sqlite3.Connection, before: Row, added: int, unchanged: int
) -> AttendOutcome:
    after = refs.course_class(conn, before["id"])
    notices: list[str] = []
    recorded = before["recorded_attendance"]
    if added and not before["roster"] and recorded is not None and recorded != after["roster"]:
        notices.append(
            t(
                "courses.roster_replaces",
                id=before["id"],
                attendance=after["roster"],
                recorded=recorded,
            )
        )
    notices += _capacity_notices(conn, before["id"])
    return AttendOutcome(
        class_id=int(before["id"]),
        added=added,
        unchanged=unchanged,
        attendance=int(after["roster"]),
        became_held=before["status"] == "planned" and added + unchanged > 0,
        notices=notices,
    )


def attend(conn: sqlite3.Connection, ref: str, people: list[str]) -> AttendOutcome:
    """Add named attendees to a class's roster; a planned (past) class becomes held."""
    if not people:
        raise InvalidInputError(t("courses.no_people"))
    parsed: list[tuple[str, str]] = []
    reasons: list[str] = []
    for value in people:
        try:
            entry = parse_attendee(value)
        except InvalidInputError as error:
            reasons.append(error.message)
            continue
        if entry not in parsed:
            parsed.append(entry)
    raise_first(reasons)
    with db.write(conn):
        before = _attendable(conn, ref)
        outcomes = [_add_attendee(conn, before["id"], name, phone) for name, phone in parsed]
        if before["status"] == "planned":
            repo.mark_held(conn, before["id"])
        added = outcomes.count("inserted")
        return _after_roster(conn, before, added, len(outcomes) - added)


def roster_spec(conn: sqlite3.Connection, class_id: int) -> ImportSpec:
    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        clean: Row = {"name": raw.get("name", "").strip(), "phone": ""}
        reasons: list[str] = []
        if not clean["name"]:
            reasons.append(t("courses.required", field="name"))
        if raw.get("phone", "").strip():
            try:
                clean["phone"] = parse_person_phone(raw["phone"], "phone")
            except InvalidInputError as error:
                reasons.append(error.message)
        return clean, reasons

    def key(clean: Row) -> tuple[str, str]:
        shown = f"{clean['name']}:{clean['phone']}" if clean["phone"] else clean["name"]
        return ("name", shown)

    def shown_key(clean: Row) -> str:
        phone = in_message("phone", clean["phone"])
        return f"{clean['name']}:{phone}" if phone else str(clean["name"])

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        # Inside the import's one transaction: the class turns held with its first name.
        repo.mark_held(conn, class_id)
        return _add_attendee(conn, class_id, clean["name"], clean["phone"])

    return ImportSpec(
        columns=ROSTER_COLUMNS,
        required=("name",),
        validate=validate,
        key=key,
        write=write,
        shown_key=shown_key,
    )


def attend_file(
    conn: sqlite3.Connection, ref: str, path: Path, encoding: str = "auto"
) -> tuple[AttendOutcome, ImportSummary]:
    """Add a roster file's names to a class, all or nothing, through the import pipeline."""
    before = _attendable(conn, ref)
    summary = run_import(conn, path, roster_spec(conn, before["id"]), encoding=encoding)
    return _after_roster(conn, before, summary.inserted, summary.unchanged), summary
