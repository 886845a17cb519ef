"""Courses and their terms (期): the catalogue, with each course's totals of held classes.

A partner is a unit of the register when one matches, else free text. Average attendance
and fill rate count only the held classes whose attendance is known; `held_by_course` and
`held_totals` give the same figures for a period of the monthly report.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError, NotFoundError
from beiwen.i18n import t
from beiwen.parsing import FieldCheck, iso, now, parse_count, parse_date
from beiwen.repository import Row
from beiwen.repository import courses as repo
from beiwen.repository import units as unit_repo
from beiwen.services import refs
from beiwen.services.courses.common import flag_capacity, raise_first
from beiwen.vocab import ALIASES, COURSE_CATEGORIES, parse_choice

# Finding things


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


# Courses


def validate_course(
    conn: sqlite3.Connection, raw: dict[str, str], partial: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """Clean the given fields of a course; empty text means 'none'. Returns (clean, reasons)."""
    check = FieldCheck(raw)
    check("name", str)
    check(
        "category",
        lambda v: parse_choice(COURSE_CATEGORIES, v, "category", ALIASES["COURSE_CATEGORIES"]),
    )
    check("teacher", str)
    check("venue", str)
    check("capacity", lambda v: parse_count(v, "capacity", kind="capacity"))
    check("partner", lambda v: resolve_partner(conn, v))
    clean, reasons = check.clean, check.reasons
    if "partner" in clean:
        partner = clean.pop("partner") or (None, None)
        clean["partner_unit_id"], clean["partner_text"] = partner
    if (not partial or "name" in raw) and not clean.get("name"):
        reasons.append(t("courses.required", field="name"))
    return clean, reasons


def _check_name_free(conn: sqlite3.Connection, name: str, own_id: int | None) -> None:
    holder = repo.course_by_name(conn, name)
    if holder and holder["id"] != own_id:
        raise ConflictError(t("courses.name_taken", name=name, id=holder["id"]))


def add_course(conn: sqlite3.Connection, raw: dict[str, str]) -> int:
    with db.write(conn):
        clean, reasons = validate_course(conn, raw)
        raise_first(reasons)
        _check_name_free(conn, clean["name"], None)
        return repo.insert_course(conn, {**clean, "created_at": iso(now())})


def edit_course(conn: sqlite3.Connection, ref: str, raw: dict[str, str]) -> Row:
    if not raw:
        raise InvalidInputError(t("courses.nothing_to_change", command="edit"))
    with db.write(conn):
        course = refs.course(conn, ref)
        clean, reasons = validate_course(conn, raw, partial=True)
        raise_first(reasons)
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
    classes = [flag_capacity(row) for row in repo.list_classes(conn, course_id=course["id"])]
    return {
        **course,
        **{k: totals[k] for k in ("terms", "held", "planned", "counted", "attendance")},
        **{k: v for k, v in _rates(totals).items() if k in ("average_attendance", "fill_rate")},
        "term_list": repo.terms_of(conn, course["id"]),
        "classes": classes,
    }


# Terms


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


def remove_course(conn: sqlite3.Connection, ref: str) -> Row:
    """Delete a course entered by mistake, with its terms, when no class (nor anything else)
    refers to it or to one of its terms; otherwise a ConflictError naming what does."""
    from beiwen.services.units import referred_to

    with db.write(conn):
        course = refs.course(conn, ref)
        users = referred_to(conn, "courses", course["id"], ("course_terms",))
        for term in repo.terms_of(conn, course["id"]):
            users = users or referred_to(conn, "course_terms", term["id"], ())
        if users:
            raise ConflictError(
                t("courses.in_use", id=course["id"], name=course["name"], users=users)
            )
        repo.delete_course(conn, course["id"])
    return course


def edit_term(conn: sqlite3.Connection, course_ref: str, ref: str, raw: dict[str, str]) -> Row:
    """Change a term's name, first day or last day (`end` '' clears it); the last day stays
    on or after the first, and the name unique within the course."""
    if not raw:
        raise InvalidInputError(t("courses.nothing_to_change", command="term edit"))
    with db.write(conn):
        course = refs.course(conn, course_ref)
        term = refs.term(conn, course, ref)
        changes: dict[str, Any] = {}
        if "name" in raw:
            name = raw["name"].strip()
            if not name:
                raise InvalidInputError(t("courses.required", field="--name"))
            existing = repo.term_by_name(conn, course["id"], name)
            if existing and existing["id"] != term["id"]:
                raise ConflictError(
                    t("courses.term_taken", course=course["name"], name=name, id=existing["id"])
                )
            changes["name"] = name
        if "start" in raw:
            changes["start_date"] = parse_date(raw["start"], "--start").isoformat()
        if "end" in raw:
            end = raw["end"].strip()
            changes["end_date"] = parse_date(end, "--end").isoformat() if end else None
        start = changes.get("start_date", term["start_date"])
        last = changes["end_date"] if "end" in raw else term["end_date"]
        if last is not None and last < start:
            raise InvalidInputError(t("courses.term_order", start=start, end=last))
        repo.update_term(conn, term["id"], changes)
        updated = repo.get_term(conn, term["id"])
    assert updated is not None
    return {**updated, "course": course["name"]}


# For the monthly report


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
