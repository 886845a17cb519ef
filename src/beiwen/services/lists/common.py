"""What the three lists share: the day of a step, a unit reference, the first reason."""

from __future__ import annotations

import sqlite3

from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import now, parse_date
from beiwen.repository import Row
from beiwen.services import refs


def today() -> str:
    return now().date().isoformat()


def past_day(value: str, field: str) -> str:
    """A day that has come (YYYY-MM-DD): the lists record what happened."""
    day = parse_date(value, field)
    if day > now().date():
        raise InvalidInputError(t("lists.future", field=field, day=day.isoformat()))
    return day.isoformat()


def any_day(value: str, field: str) -> str:
    """A day, past or future (a due day, the last day of an offer)."""
    return parse_date(value, field).isoformat()


def active_unit(conn: sqlite3.Connection, ref: str, field: str = "unit") -> Row:
    """A unit that is not retired (a retired one takes no new need, offer or project)."""
    unit = refs.unit(conn, ref, field)
    if unit["retired_at"]:
        raise ConflictError(t("lists.retired_unit", unit=unit["name"], id=unit["id"]))
    return unit


def unit_id(conn: sqlite3.Connection, ref: str, field: str = "unit") -> int:
    return int(active_unit(conn, ref, field)["id"])


def raise_first(reasons: list[str]) -> None:
    if reasons:
        raise InvalidInputError(reasons[0], details=reasons[1:])


def required(
    clean: Row, reasons: list[str], raw: Row, names: tuple[str, ...], partial: bool
) -> None:
    """A reason for each required field missing (or emptied by an edit)."""
    for name in names:
        given = str(raw.get(name) or "").strip()
        if (not partial or name in raw) and not given:  # a value given but bad has its reason
            reasons.append(t("lists.required", field=name))
