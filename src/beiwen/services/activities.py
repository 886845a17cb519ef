"""Activities and services (活动、服务): what the committee organises and how many it reached.

Each activity has a kind (see `vocab.ACTIVITY_KINDS`), a date, a lead unit (by default the
month's duty unit of the rotation), partner units and three counts: enterprises served,
enterprises whose problem was solved, and people taking part. Removal is soft.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from beiwen import db
from beiwen.errors import BeiwenError, ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import (
    FieldCheck,
    add_months,
    iso,
    now,
    parse_count,
    parse_date,
    parse_month,
    parse_year,
)
from beiwen.repository import Row
from beiwen.repository import activities as repo
from beiwen.services import refs
from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome, run_import
from beiwen.vocab import ACTIVITY_KINDS, ALIASES, parse_choice

COUNT_FIELDS = ("enterprises_served", "enterprises_helped", "participants")
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("标题", "活动名称", "名称", "活动"),
    "kind": ("类型", "活动类型", "类别"),
    "date": ("日期", "活动日期", "时间"),
    "lead_unit": ("牵头单位", "主办单位", "lead"),
    "partners": ("合作单位", "协办单位", "partner"),
    "enterprises_served": ("服务企业数", "服务企业", "served"),
    "enterprises_helped": ("解决企业数", "帮扶企业数", "解决问题企业数", "helped"),
    "participants": ("参与人数", "参加人数", "人数"),
    "outcome": ("成效", "结果", "备注"),
}
_PARTNER_SEPARATORS = re.compile(r"[、;；\n]+")


@dataclass
class Outcome:
    """The id a command prints, plus notices (stderr lines) the service wants said."""

    id: int
    notices: list[str] = field(default_factory=list)


def duty_unit_id(conn: sqlite3.Connection, month: str) -> int | None:
    """The month's duty unit in the rotation (None for a month without one)."""
    from beiwen.services.rotation import duty_unit_for

    duty = duty_unit_for(conn, month)
    return int(duty["unit_id"]) if duty and duty.get("unit_id") is not None else None


def _active(conn: sqlite3.Connection, ref: str) -> Row:
    activity = refs.activity(conn, ref)
    if activity["removed_at"]:
        raise ConflictError(
            t("activities.removed", id=activity["id"], at=activity["removed_at"][:10])
        )
    return activity


def _unit_id(conn: sqlite3.Connection, ref: str) -> int:
    return int(refs.unit(conn, ref)["id"])


def _past_date(value: str, field_name: str) -> str:
    day = parse_date(value, field_name)
    if day > now().date():
        raise InvalidInputError(t("activities.future", field=field_name, day=day.isoformat()))
    return day.isoformat()


def _count_parser(name: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        return parse_count(value, name, kind="count")

    return parse


def validate_activity(
    conn: sqlite3.Connection, raw: dict[str, str], partial: bool = False
) -> tuple[Row, list[str]]:
    """Clean the given fields; empty text clears a field (counts become 0)."""
    check = FieldCheck(raw)
    check("title", str)
    check("kind", lambda v: parse_choice(ACTIVITY_KINDS, v, "kind", ALIASES["ACTIVITY_KINDS"]))
    check("date", _past_date, "date")
    check("lead_unit_id", lambda v: _unit_id(conn, v))
    for name in COUNT_FIELDS:
        check(name, _count_parser(name), empty=0)
    check("outcome", str)
    clean, reasons = check.clean, check.reasons
    for name in ("title", "kind", "date"):
        if (not partial or name in raw) and not clean.get(name):
            if not any(reason.startswith(name) for reason in reasons):
                reasons.append(t("activities.required", field=name))
    return clean, reasons


def _partner_ids(conn: sqlite3.Connection, refs: list[str]) -> tuple[list[int], list[str]]:
    ids: list[int] = []
    reasons: list[str] = []
    for ref in refs:
        if not ref.strip():
            continue
        try:
            unit_id = _unit_id(conn, ref)
        except BeiwenError as error:
            reasons.append(error.message)
            continue
        if unit_id not in ids:
            ids.append(unit_id)
    return ids, reasons


def _raise_first(reasons: list[str]) -> None:
    if reasons:
        raise InvalidInputError(reasons[0], details=reasons[1:])


def _default_lead(conn: sqlite3.Connection, clean: Row) -> list[str]:
    """Fill in the lead unit from the rotation; the notice says what was decided."""
    if clean.get("lead_unit_id") is not None:
        return []
    month = clean["date"][:7]
    unit_id = duty_unit_id(conn, month)
    if unit_id is None:
        return [t("activities.no_duty_unit", month=month)]
    from beiwen.repository.units import get_unit

    clean["lead_unit_id"] = unit_id
    unit = get_unit(conn, unit_id)
    return [t("activities.lead_from_rotation", unit=unit["name"] if unit else unit_id, month=month)]


def add_activity(conn: sqlite3.Connection, raw: dict[str, str], partners: list[str]) -> Outcome:
    with db.write(conn):
        clean, reasons = validate_activity(conn, raw)
        partner_ids, partner_reasons = _partner_ids(conn, partners)
        _raise_first(reasons + partner_reasons)
        notices = _default_lead(conn, clean) if "lead_unit_id" not in raw else []
        activity_id = repo.insert_activity(conn, {**clean, "created_at": iso(now())})
        repo.set_partners(conn, activity_id, partner_ids)
    return Outcome(activity_id, notices)


def edit_activity(
    conn: sqlite3.Connection,
    ref: str,
    raw: dict[str, str],
    partners: list[str] | None = None,
    clear_partners: bool = False,
) -> Row:
    if partners and clear_partners:
        raise InvalidInputError(t("activities.partners_and_clear"))
    if not raw and not partners and not clear_partners:
        raise InvalidInputError(t("activities.nothing_to_change"))
    with db.write(conn):
        activity = _active(conn, ref)
        clean, reasons = validate_activity(conn, raw, partial=True)
        partner_ids, partner_reasons = _partner_ids(conn, partners or [])
        _raise_first(reasons + partner_reasons)
        repo.update_activity(conn, activity["id"], clean)
        if partners or clear_partners:
            repo.set_partners(conn, activity["id"], partner_ids)
        updated = repo.get_activity(conn, activity["id"])
    assert updated is not None
    return updated


def remove_activity(conn: sqlite3.Connection, ref: str) -> Row:
    with db.write(conn):
        activity = _active(conn, ref)
        stamp = iso(now())
        repo.update_activity(conn, activity["id"], {"removed_at": stamp})
    return {**activity, "removed_at": stamp}


def period(month: str | None, year: str | None) -> tuple[str | None, str | None]:
    """[start, end) dates for --month or --year (neither: everything)."""
    if month and year:
        raise InvalidInputError(t("activities.month_and_year"))
    if month:
        first = parse_month(month, "--month")
        return f"{first}-01", f"{add_months(first, 1)}-01"
    if year:
        number = parse_year(year, "--year")
        return f"{number:04d}-01-01", f"{number + 1:04d}-01-01"
    return None, None


def list_activities(
    conn: sqlite3.Connection,
    *,
    month: str | None = None,
    year: str | None = None,
    kind: str | None = None,
    include_removed: bool = False,
) -> list[Row]:
    start, end = period(month, year)
    key = parse_choice(ACTIVITY_KINDS, kind, "--kind", ALIASES["ACTIVITY_KINDS"]) if kind else None
    return repo.list_activities(
        conn, start=start, end=end, kind=key, include_removed=include_removed
    )


def activity_detail(conn: sqlite3.Connection, ref: str) -> Row:
    from beiwen.repository.units import get_unit

    activity = refs.activity(conn, ref)
    partner_list = []
    for unit_id in repo.partner_ids(conn, activity["id"]):
        unit = get_unit(conn, unit_id)
        partner_list.append({"id": unit_id, "name": unit["name"] if unit else None})
    return {**activity, "partner_list": partner_list}


# Import ----------------------------------------------------------------------------------


def import_spec(conn: sqlite3.Connection) -> ImportSpec:
    """An activity log: one row per activity, matched to stored ones by title and date."""
    stamp = iso(now())

    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        fields = {k: v for k, v in raw.items() if k not in ("partners", "lead_unit")}
        if raw.get("lead_unit", "").strip():
            fields["lead_unit_id"] = raw["lead_unit"]
        clean, reasons = validate_activity(conn, fields)
        refs = _PARTNER_SEPARATORS.split(raw.get("partners", ""))
        clean["partner_ids"], partner_reasons = _partner_ids(conn, refs)
        return clean, reasons + partner_reasons

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        partner_ids = clean.pop("partner_ids")
        _default_lead(conn, clean)
        existing = repo.activity_by_title_date(conn, clean["title"], clean["date"])
        if existing is None:
            activity_id = repo.insert_activity(conn, {**clean, "created_at": stamp})
            repo.set_partners(conn, activity_id, partner_ids)
            return "inserted"
        changes = {k: v for k, v in clean.items() if existing.get(k) != v}
        same_partners = repo.partner_ids(conn, existing["id"]) == partner_ids
        if not changes and same_partners:
            return "unchanged"
        repo.update_activity(conn, existing["id"], changes)
        if not same_partners:
            repo.set_partners(conn, existing["id"], partner_ids)
        return "updated"

    return ImportSpec(
        columns=IMPORT_COLUMNS,
        required=("title", "kind", "date"),
        validate=validate,
        key=lambda clean: ("title/date", f"{clean['title']} {clean['date']}"),
        write=write,
    )


def import_activities(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, import_spec(conn), **options)


def demo_activities(conn: sqlite3.Connection, folder: Path) -> int:
    return import_activities(conn, folder / "activities_2024.csv").inserted


# For the monthly report -------------------------------------------------------------------


def totals_by_kind(conn: sqlite3.Connection, start: date, end: date) -> list[Row]:
    """Per kind with activities in [start, end), in vocabulary order: the number of
    activities and the sums of enterprises served, enterprises helped and participants."""
    found = {
        row["kind"]: row for row in repo.totals_by_kind(conn, start.isoformat(), end.isoformat())
    }
    return [found[kind] for kind in ACTIVITY_KINDS if kind in found]


def activities_in(conn: sqlite3.Connection, start: date, end: date) -> list[Row]:
    """The activities of [start, end) in date order (for a report's detail section)."""
    return repo.list_activities(conn, start=start.isoformat(), end=end.isoformat())
