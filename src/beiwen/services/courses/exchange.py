"""Importing course catalogues and class ledgers (台账) through the import pipeline.

A catalogue row is matched to a stored course by name; a ledger row to a class by course
and start time (a planned class of that day becomes held). The demo data loads this way.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path
from typing import Any

from beiwen.errors import InvalidInputError, NotFoundError
from beiwen.i18n import t
from beiwen.parsing import iso, now, parse_count, parse_datetime
from beiwen.repository import Row
from beiwen.repository import courses as repo
from beiwen.services import refs
from beiwen.services.courses.catalogue import validate_course
from beiwen.services.courses.common import check_held_date, shown_time
from beiwen.services.importing import (
    ImportSpec,
    ImportSummary,
    RowOutcome,
    run_import,
    update_changed,
)

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
        return update_changed(existing, clean, partial(repo.update_course, conn, existing["id"]))

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
            check_held_date(moment, "date")
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
        return ("course/date", f"{clean['course']} {shown_time(clean['starts_at'])}")

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
            return update_changed(stored, fields, partial(repo.update_class, conn, held[0]["id"]))
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
        columns=CLASS_COLUMNS, required=("course", "date"), validate=validate, key=key, write=write
    )


def import_courses(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, course_spec(conn), **options)


def import_classes(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, class_spec(conn), **options)


def demo_courses(conn: sqlite3.Connection, folder: Path) -> int:
    return import_courses(conn, folder / "courses.csv").inserted


def demo_classes(conn: sqlite3.Connection, folder: Path) -> int:
    return import_classes(conn, folder / "course_classes_2024.csv").inserted
