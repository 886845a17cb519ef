"""What the rooms of the courses package share: the one insert of a new class (in its term),
the over-capacity flag of a class row, a start time as shown in messages, the check that a
held class is not in the future, and the error that carries every reason of a validation."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from beiwen.errors import InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import iso, now
from beiwen.repository import Row
from beiwen.repository import courses as repo


def raise_first(reasons: list[str]) -> None:
    if reasons:
        raise InvalidInputError(reasons[0], details=reasons[1:])


def insert_class(
    conn: sqlite3.Connection,
    course: Row,
    term_row: Row | None,
    starts_at: str,
    day: str,
    fields: Row,
) -> tuple[int, Row | None]:
    """Insert a class of `course` in `term_row`, else in the term covering `day` (if any);
    return its id and its term. `fields`: its status and whatever else is known."""
    term_row = term_row or repo.term_covering(conn, course["id"], day)
    term_id = term_row["id"] if term_row else None
    row = {"course_id": course["id"], "term_id": term_id, "starts_at": starts_at, **fields}
    return repo.insert_class(conn, row), term_row


def flag_capacity(row: Row) -> Row:
    attendance, capacity = row.get("attendance"), row.get("capacity")
    over = attendance is not None and capacity is not None and attendance > capacity
    return {**row, "over_capacity": over}


def today() -> date:
    return now().date()


def check_held_date(moment: datetime, field_name: str) -> None:
    if moment.date() > today():
        raise InvalidInputError(
            t("courses.future_class", field=field_name, when=shown_time(iso(moment)))
        )


def shown_time(starts_at: str) -> str:
    """`2024-08-03T09:30:00+08:00` -> `2024-08-03 09:30` (Beijing time, as typed)."""
    return starts_at[:16].replace("T", " ")
