"""What the rooms of the courses package share: the over-capacity flag of a class row, a
start time as shown in messages, the check that a held class is not in the future, and the
error that carries every reason of a validation."""

from __future__ import annotations

from datetime import date, datetime

from beiwen.errors import InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import iso, now
from beiwen.repository import Row


def raise_first(reasons: list[str]) -> None:
    if reasons:
        raise InvalidInputError(reasons[0], details=reasons[1:])


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
