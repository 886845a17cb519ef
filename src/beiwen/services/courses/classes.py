"""Free public-benefit courses (公益课程): courses, terms (期), classes (堂) and attendance.

A class is `planned` (by `course plan`), `held` (recorded) or `cancelled`. Attendance is
the size of the class's roster when it has one, else the head count recorded by hand; the
repository's class view derives it, so every reader (lists, shows, the monthly report)
counts the same way. Attendance above the course's capacity is allowed and flagged.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from beiwen import db
from beiwen.errors import BeiwenError, ConflictError, InvalidInputError, NotFoundError
from beiwen.i18n import label, t
from beiwen.parsing import (
    iso,
    now,
    parse_count,
    parse_date,
    parse_datetime,
    parse_time,
    parse_weekday,
)
from beiwen.privacy import in_message, parse_person_phone
from beiwen.repository import Row
from beiwen.repository import courses as repo
from beiwen.repository import units as unit_repo
from beiwen.services import holidays, refs
from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome, run_import
from beiwen.vocab import ALIASES, CLASS_STATUSES, COURSE_CATEGORIES, parse_choice

PLAN_LIMIT = 366
ROSTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "学员", "学员姓名"),
    "phone": ("电话", "手机", "手机号", "联系电话", "phone_number"),
    "no": ("序号", "编号", "number"),  # sign-in sheets number their lines; ignored
}
COURSE_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("课程", "课程名称", "名称"),
    "category": ("类别", "课程类别", "分类"),
    "partner": ("合作单位", "合作方", "承办单位"),
    "teacher": ("老师", "授课老师", "教师"),
    "venue": ("地点", "上课地点", "场地"),
    "capacity": ("容量", "名额", "人数上限"),
}
CLASS_COLUMNS: dict[str, tuple[str, ...]] = {
    "course": ("课程", "课程名称"),
    "term": ("期", "期次", "期数"),
    "date": ("日期", "上课时间", "时间", "上课日期"),
    "attendance": ("人数", "出勤人数", "参加人数", "到课人数"),
    "venue": ("地点", "上课地点", "场地"),
    "note": ("备注", "说明"),
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


@dataclass
class PlanOutcome:
    classes: list[Row]
    skipped: list[tuple[date, str]]
    notices: list[str] = field(default_factory=list)


# Finding things ---------------------------------------------------------------------------


def resolve_partner(conn: sqlite3.Connection, value: str) -> tuple[int | None, str | None]:
    """(unit id, None) for a unit in the register, else (None, the text as given).

    An id that names no unit, or a name shared by several units, is an error: the user
    meant a registered unit and must say which.
    """
    text = value.strip()
    try:
        return int(refs.unit(conn, text, "partner")["id"]), None
    except NotFoundError:
        if refs.number(text) is not None or len(unit_repo.units_by_name(conn, text)) > 1:
            raise
        return None, text


# Courses ---------------------------------------------------------------------------------


def validate_course(
    conn: sqlite3.Connection, raw: dict[str, str], partial: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """Clean the given fields of a course; empty text means 'none'. Returns (clean, reasons)."""
    clean: dict[str, Any] = {}
    reasons: list[str] = []

    def check(name: str, parse: Callable[[str], Any]) -> None:
        if name not in raw:
            return
        value = raw[name].strip()
        if not value:
            clean[name] = None
            return
        try:
            clean[name] = parse(value)
        except BeiwenError as error:
            reasons.append(error.message)

    check("name", str)
    check(
        "category",
        lambda v: parse_choice(COURSE_CATEGORIES, v, "category", ALIASES["COURSE_CATEGORIES"]),
    )
    check("teacher", str)
    check("venue", str)
    check("capacity", lambda v: parse_count(v, "capacity", kind="capacity"))
    check("partner", lambda v: resolve_partner(conn, v))
    if "partner" in clean:
        partner = clean.pop("partner") or (None, None)
        clean["partner_unit_id"], clean["partner_text"] = partner
    if (not partial or "name" in raw) and not clean.get("name"):
        reasons.append(t("courses.required", field="name"))
    return clean, reasons


def _raise_first(reasons: list[str]) -> None:
    if reasons:
        raise InvalidInputError(reasons[0], details=reasons[1:])


def _check_name_free(conn: sqlite3.Connection, name: str, own_id: int | None) -> None:
    holder = repo.course_by_name(conn, name)
    if holder and holder["id"] != own_id:
        raise ConflictError(t("courses.name_taken", name=name, id=holder["id"]))


def add_course(conn: sqlite3.Connection, raw: dict[str, str]) -> int:
    with db.write(conn):
        clean, reasons = validate_course(conn, raw)
        _raise_first(reasons)
        _check_name_free(conn, clean["name"], None)
        return repo.insert_course(conn, {**clean, "created_at": iso(now())})


def edit_course(conn: sqlite3.Connection, ref: str, raw: dict[str, str]) -> Row:
    if not raw:
        raise InvalidInputError(t("courses.nothing_to_change", command="edit"))
    with db.write(conn):
        course = refs.course(conn, ref)
        clean, reasons = validate_course(conn, raw, partial=True)
        _raise_first(reasons)
        if clean.get("name"):
            _check_name_free(conn, clean["name"], course["id"])
        repo.update_course(conn, course["id"], clean)
        updated = repo.get_course(conn, course["id"])
    assert updated is not None
    return updated


def _rates(row: Row) -> Row:
    """Average attendance and fill rate over held classes whose attendance is known."""
    counted, attendance, capacity = row["counted"], row["attendance"], row.get("capacity")
    average = round(attendance / counted, 1) if counted else None
    fill = round(attendance / (capacity * counted), 4) if counted and capacity else None
    return {**row, "average_attendance": average, "fill_rate": fill}


def list_courses(conn: sqlite3.Connection, category: str | None = None) -> list[Row]:
    key = (
        parse_choice(COURSE_CATEGORIES, category, "--category", ALIASES["COURSE_CATEGORIES"])
        if category
        else None
    )
    return [_rates(row) for row in repo.list_courses(conn, key)]


def course_detail(conn: sqlite3.Connection, ref: str) -> Row:
    """A course with its totals, its terms and all its classes."""
    course = refs.course(conn, ref)
    totals = next(row for row in repo.list_courses(conn) if row["id"] == course["id"])
    classes = [_flag(row) for row in repo.list_classes(conn, course_id=course["id"])]
    return {
        **course,
        **{k: totals[k] for k in ("terms", "held", "planned", "counted", "attendance")},
        **{k: v for k, v in _rates(totals).items() if k in ("average_attendance", "fill_rate")},
        "term_list": repo.terms_of(conn, course["id"]),
        "classes": classes,
    }


# Terms -----------------------------------------------------------------------------------


def add_term(
    conn: sqlite3.Connection, course_ref: str, name: str, start: str, end: str | None
) -> int:
    first = parse_date(start, "--start")
    last = parse_date(end, "--end") if end else None
    if last is not None and last < first:
        raise InvalidInputError(
            t("courses.term_order", start=first.isoformat(), end=last.isoformat())
        )
    if not name.strip():
        raise InvalidInputError(t("courses.required", field="NAME"))
    with db.write(conn):
        course = refs.course(conn, course_ref)
        existing = repo.term_by_name(conn, course["id"], name.strip())
        if existing:
            raise ConflictError(
                t("courses.term_taken", course=course["name"], name=name.strip(), id=existing["id"])
            )
        return repo.insert_term(
            conn,
            {
                "course_id": course["id"],
                "name": name.strip(),
                "start_date": first.isoformat(),
                "end_date": last.isoformat() if last else None,
            },
        )


# Classes ---------------------------------------------------------------------------------


def _flag(row: Row) -> Row:
    attendance, capacity = row.get("attendance"), row.get("capacity")
    over = attendance is not None and capacity is not None and attendance > capacity
    return {**row, "over_capacity": over}


def _today() -> date:
    return now().date()


def _check_held_date(moment: datetime, field_name: str) -> None:
    if moment.date() > _today():
        raise InvalidInputError(
            t("courses.future_class", field=field_name, when=_shown(iso(moment)))
        )


def _shown(starts_at: str) -> str:
    """`2024-08-03T09:30:00+08:00` -> `2024-08-03 09:30` (Beijing time, as typed)."""
    return starts_at[:16].replace("T", " ")


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
    row = _flag(refs.course_class(conn, class_id))
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
    _check_held_date(moment, "--date")
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
                        when=_shown(starts_at),
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
            if term_row is None:
                term_row = repo.term_covering(conn, course["id"], day)
            class_id = repo.insert_class(
                conn,
                {
                    "course_id": course["id"],
                    "term_id": term_row["id"] if term_row else None,
                    "starts_at": starts_at,
                    "status": "held",
                    **given,
                },
            )
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
            _check_held_date(moment or parse_datetime(starts_at), "--date")
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
                            when=_shown(starts_at),
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
    return [_flag(row) for row in found]


def class_detail(conn: sqlite3.Connection, ref: str) -> Row:
    row = _flag(refs.course_class(conn, ref))
    return {**row, "attendees": repo.attendees_of(conn, row["id"])}


# Attendance ------------------------------------------------------------------------------


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
        _today().isoformat()
    ):
        raise ConflictError(
            t(
                "courses.planned_future",
                id=course_class["id"],
                when=_shown(course_class["starts_at"]),
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
    _raise_first(reasons)
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


# Planning --------------------------------------------------------------------------------


def parse_weekdays(values: list[str]) -> list[int]:
    """Weekdays from repeated options and/or lists such as `tue,thu` or `周二、周四`."""
    days: set[int] = set()
    for value in values:
        for piece in re.split(r"[,，、;；\s]+", value.strip()):
            if piece:
                days.add(parse_weekday(piece, "--weekly"))
    if not days:
        raise InvalidInputError(t("courses.required", field="--weekly"))
    return sorted(days)


def plan_dates(
    weekdays: list[int], first: datetime, count: int, skip_holidays: bool
) -> tuple[list[datetime], list[tuple[date, str]], list[int]]:
    """The first `count` weekly dates from `first` (holidays skipped if asked).

    Returns (dates, skipped holidays, years the holiday calendar does not cover).
    """
    from dateutil.rrule import WEEKLY, rrule

    chosen: list[datetime] = []
    skipped: list[tuple[date, str]] = []
    uncovered: set[int] = set()
    for occurrence in rrule(WEEKLY, byweekday=weekdays, dtstart=first):
        day = occurrence.date()
        if skip_holidays:
            if holidays.covers(day.year):
                holiday = holidays.holiday_on(day)
                if holiday is not None:
                    skipped.append((day, holiday))
                    continue
            else:
                uncovered.add(day.year)
        chosen.append(occurrence)
        if len(chosen) == count:
            break
    return chosen, skipped, sorted(uncovered)


def plan_classes(
    conn: sqlite3.Connection,
    course_ref: str,
    *,
    weekly: list[str],
    at: str,
    start: str,
    count: str,
    term: str | None = None,
    skip_holidays: bool = False,
) -> PlanOutcome:
    """Generate `count` planned classes, weekly on the given weekdays at `at`, from `start`."""
    from beiwen.parsing import CHINA_TZ

    weekdays = parse_weekdays(weekly)
    clock = parse_time(at, "--time")
    first_day = parse_date(start, "--from")
    number = parse_count(count, "--count", minimum=1)
    if number > PLAN_LIMIT:
        raise InvalidInputError(t("courses.plan_limit", limit=PLAN_LIMIT))
    first = datetime.combine(first_day, clock)
    dates, skipped, uncovered = plan_dates(weekdays, first, number, skip_holidays)
    notices = [
        t("courses.holiday_skipped", day=day.isoformat(), holiday=label(holidays.HOLIDAY_NAMES[k]))
        for day, k in skipped
    ]
    if uncovered:
        covered = holidays.covered_years()
        notices.append(
            t(
                "courses.holidays_unknown",
                covered=f"{covered[0]}-{covered[-1]}",
                years=", ".join(str(year) for year in uncovered),
            )
        )
    with db.write(conn):
        course = refs.course(conn, course_ref)
        term_row = refs.term(conn, course, term) if term else None
        created: list[Row] = []
        for moment in dates:
            starts_at = iso(moment.replace(tzinfo=CHINA_TZ))
            day = starts_at[:10]
            for other in repo.classes_on_day(conn, course["id"], day):
                if other["starts_at"] == starts_at and other["status"] != "cancelled":
                    raise ConflictError(
                        t(
                            "courses.plan_clash",
                            course=course["name"],
                            when=_shown(starts_at),
                            id=other["id"],
                        )
                    )
            class_term = term_row or repo.term_covering(conn, course["id"], day)
            class_id = repo.insert_class(
                conn,
                {
                    "course_id": course["id"],
                    "term_id": class_term["id"] if class_term else None,
                    "starts_at": starts_at,
                    "status": "planned",
                },
            )
            created.append(_flag(refs.course_class(conn, class_id)))
    if term_row is not None and created:
        first_planned, last_planned = created[0]["starts_at"][:10], created[-1]["starts_at"][:10]
        if first_planned < term_row["start_date"]:
            notices.append(
                t(
                    "courses.plan_before_term",
                    day=first_planned,
                    term=term_row["name"],
                    start=term_row["start_date"],
                )
            )
        if term_row["end_date"] and last_planned > term_row["end_date"]:
            notices.append(
                t(
                    "courses.plan_after_term",
                    day=last_planned,
                    term=term_row["name"],
                    end=term_row["end_date"],
                )
            )
    return PlanOutcome(created, skipped, notices)


# Imports (course catalogues and class ledgers) ---------------------------------------------


def course_spec(conn: sqlite3.Connection) -> ImportSpec:
    """A course catalogue: one row per course, matched to stored courses by name."""
    stamp = iso(now())

    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        return validate_course(conn, raw)

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        existing = repo.course_by_name(conn, clean["name"])
        if existing is None:
            repo.insert_course(conn, {**clean, "created_at": stamp})
            return "inserted"
        changes = {k: v for k, v in clean.items() if existing.get(k) != v}
        if not changes:
            return "unchanged"
        repo.update_course(conn, existing["id"], changes)
        return "updated"

    return ImportSpec(
        columns=COURSE_COLUMNS,
        required=("name",),
        validate=validate,
        key=lambda clean: ("name", clean["name"]),
        write=write,
    )


def class_spec(conn: sqlite3.Connection) -> ImportSpec:
    """A class ledger (台账): one row per class held, matched by course and start time.

    A term the file names that the course does not have yet is created, spanning the
    classes of the file that name it.
    """
    created_terms: set[int] = set()

    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        clean: Row = {}
        reasons: list[str] = []
        course_text = raw.get("course", "").strip()
        if not course_text:
            reasons.append(t("courses.required", field="course"))
        else:
            try:
                course = refs.course(conn, course_text)
                clean["course_id"], clean["course"] = course["id"], course["name"]
            except NotFoundError as error:
                reasons.append(error.message)
        try:
            moment = parse_datetime(raw.get("date", ""), "date")
            _check_held_date(moment, "date")
            clean["starts_at"] = iso(moment)
        except InvalidInputError as error:
            reasons.append(error.message)
        attendance = raw.get("attendance", "").strip()
        try:
            clean["attendance"] = (
                parse_count(attendance, "attendance", kind="count") if attendance else None
            )
        except InvalidInputError as error:
            reasons.append(error.message)
        for name in ("term", "venue", "note"):
            clean[name] = raw.get(name, "").strip() or None
        return clean, reasons

    def key(clean: Row) -> tuple[str, str]:
        return ("course/date", f"{clean['course']} {_shown(clean['starts_at'])}")

    def term_for(conn: sqlite3.Connection, clean: Row, day: str) -> int | None:
        if clean["term"] is None:
            covering = repo.term_covering(conn, clean["course_id"], day)
            return int(covering["id"]) if covering else None
        term = repo.term_by_name(conn, clean["course_id"], clean["term"])
        if term is None:
            term_id = repo.insert_term(
                conn,
                {
                    "course_id": clean["course_id"],
                    "name": clean["term"],
                    "start_date": day,
                    "end_date": day,
                },
            )
            created_terms.add(term_id)
            return term_id
        if term["id"] in created_terms:
            repo.update_term(
                conn,
                term["id"],
                {
                    "start_date": min(term["start_date"], day),
                    "end_date": max(term["end_date"], day),
                },
            )
        return int(term["id"])

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        day = clean["starts_at"][:10]
        fields: Row = {
            "term_id": term_for(conn, clean, day),
            "venue": clean["venue"],
            "attendance": clean["attendance"],
            "note": clean["note"],
        }
        same_day = repo.classes_on_day(conn, clean["course_id"], day)
        held = [c for c in same_day if c["starts_at"] == clean["starts_at"]]
        held = [c for c in held if c["status"] == "held"]
        if held:
            if held[0]["roster"]:
                del fields["attendance"]  # counted from its roster
            stored = {
                "term_id": held[0]["term_id"],
                "venue": held[0]["own_venue"],
                "attendance": held[0]["recorded_attendance"],
                "note": held[0]["note"],
            }
            changes = {k: v for k, v in fields.items() if stored[k] != v}
            if not changes:
                return "unchanged"
            repo.update_class(conn, held[0]["id"], changes)
            return "updated"
        planned = [c for c in same_day if c["status"] == "planned"]
        exact = [c for c in planned if c["starts_at"] == clean["starts_at"]]
        target = exact[0] if exact else planned[0] if len(planned) == 1 else None
        if target is not None:
            repo.update_class(
                conn,
                target["id"],
                {**fields, "status": "held", "starts_at": clean["starts_at"]},
            )
            return "updated"
        repo.insert_class(
            conn,
            {
                **fields,
                "course_id": clean["course_id"],
                "starts_at": clean["starts_at"],
                "status": "held",
            },
        )
        return "inserted"

    return ImportSpec(
        columns=CLASS_COLUMNS,
        required=("course", "date"),
        validate=validate,
        key=key,
        write=write,
    )


def import_courses(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, course_spec(conn), **options)


def import_classes(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, class_spec(conn), **options)


def demo_courses(conn: sqlite3.Connection, folder: Path) -> int:
    return import_courses(conn, folder / "courses.csv").inserted


def demo_classes(conn: sqlite3.Connection, folder: Path) -> int:
    return import_classes(conn, folder / "course_classes_2024.csv").inserted


# For the monthly report -------------------------------------------------------------------


def held_by_course(conn: sqlite3.Connection, start: date, end: date) -> list[Row]:
    """Per course, the classes held in [start, end): classes, terms, attendance, fill rate.

    `attendance` sums the classes whose attendance is known (`counted` of them).
    """
    return [_rates(row) for row in repo.held_by_course(conn, start.isoformat(), end.isoformat())]


def held_totals(conn: sqlite3.Connection, start: date, end: date) -> Row:
    """Courses with classes, classes held and their attendance in [start, end)."""
    per_course = repo.held_by_course(conn, start.isoformat(), end.isoformat())
    return {
        "courses": len(per_course),
        "classes": sum(row["classes"] for row in per_course),
        "attendance": sum(row["attendance"] for row in per_course),
    }
