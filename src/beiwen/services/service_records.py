"""Service records (志愿服务记录): the hours a person served on a day, logged one at a time
(`service log`) or for everyone on an activity's or a class's sign-in sheet at once
(`service log-sheet`, through the one import pipeline), listed, totalled per person with
points, and certified.

The rules: hours are more than 0 and at most 24, two decimals at most
(`parsing.NUMBER_RANGES["service_hours"]`); one person's records on one day add up to 24
hours at most, counting what is already logged; the day is not in the future; a record
names at most one activity, class or work order, which must exist (an activity not
removed, a class not cancelled). With an activity or a class the day defaults to its own.
Points are hours times the points an hour earns (1 unless `--points-per-hour` says
otherwise).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beiwen import db
from beiwen.errors import BeiwenError, ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import iso, now, parse_date, parse_decimal
from beiwen.repository import Row
from beiwen.repository import service_records as repo
from beiwen.services import refs

if TYPE_CHECKING:  # the import pipeline loads when a file is imported, not for the report
    from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome

MAX_HOURS_A_DAY = 24.0
# The columns of a sign-in sheet (签到表) for `service log-sheet`.
SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "志愿者", "志愿者姓名", "人员"),
    "phone": ("电话", "手机", "手机号", "联系电话"),
    "hours": ("时长", "服务时长", "小时", "小时数", "时长（小时）", "服务时长（小时）"),
    "note": ("备注", "服务内容"),
}


@dataclass
class Target:
    """What a record is logged against: at most one of an activity, a class, a work order,
    and the day it took place (None for a work order, which spans days)."""

    activity_id: int | None = None
    class_id: int | None = None
    issue_id: int | None = None
    day: str | None = None

    def columns(self) -> Row:
        return {
            "activity_id": self.activity_id,
            "class_id": self.class_id,
            "issue_id": self.issue_id,
        }


def parse_hours(value: str, field_name: str = "--hours") -> float:
    return parse_decimal(value, field_name, kind="service_hours")


def _day(value: str, field_name: str = "--date") -> str:
    day = parse_date(value, field_name)
    if day > now().date():
        raise InvalidInputError(t("service.future", field=field_name, day=day.isoformat()))
    return day.isoformat()


def target(
    conn: sqlite3.Connection,
    activity: str | None = None,
    course_class: str | None = None,
    issue: str | None = None,
) -> Target:
    """The one activity, class or work order given (none: a record of its own)."""
    if sum(ref is not None for ref in (activity, course_class, issue)) > 1:
        raise InvalidInputError(t("service.one_reference"))
    if activity is not None:
        found = refs.activity(conn, activity, "--activity")
        if found["removed_at"]:
            raise ConflictError(
                t("activities.removed", id=found["id"], at=found["removed_at"][:10])
            )
        return Target(activity_id=int(found["id"]), day=str(found["date"]))
    if course_class is not None:
        lesson = refs.course_class(conn, course_class, "--class")
        if lesson["status"] == "cancelled":
            raise ConflictError(t("courses.cancelled_class", id=lesson["id"]))
        return Target(class_id=int(lesson["id"]), day=str(lesson["starts_at"])[:10])
    if issue is not None:
        return Target(issue_id=int(refs.work_order(conn, issue, "--issue")["id"]))
    return Target()


def _check_day(conn: sqlite3.Connection, person: Row, day: str, hours: float) -> None:
    """One person's hours on one day stay at most 24, counting what is logged already."""
    already = repo.hours_on(conn, int(person["id"]), day)
    if round(already + hours, 2) > MAX_HOURS_A_DAY:
        raise InvalidInputError(
            t(
                "service.over_a_day",
                name=person["name"],
                id=person["id"],
                day=day,
                already=hours_text(already),
                hours=hours_text(hours),
                limit=hours_text(MAX_HOURS_A_DAY),
            )
        )


def hours_text(hours: float) -> str:
    """`2`, `1.5`, `0.25`: hours as people write them, without trailing zeros."""
    return f"{hours:.2f}".rstrip("0").rstrip(".")


def log_service(
    conn: sqlite3.Connection,
    person_ref: str,
    *,
    hours: str,
    day: str | None = None,
    activity: str | None = None,
    course_class: str | None = None,
    issue: str | None = None,
    note: str | None = None,
) -> Row:
    """Log `hours` of service by one person; the record as stored, with the person's name."""
    amount = parse_hours(hours)
    chosen = _day(day) if day is not None else None
    with db.write(conn):
        person = refs.person(conn, person_ref, field="person")
        where = target(conn, activity, course_class, issue)
        served_on = chosen or where.day
        if served_on is None:
            raise InvalidInputError(t("service.date_needed"))
        if chosen is None and served_on > now().date().isoformat():
            raise InvalidInputError(t("service.future", field="--date", day=served_on))
        _check_day(conn, person, served_on, amount)
        record_id = repo.insert_record(
            conn,
            {
                "person_id": person["id"],
                "date": served_on,
                "hours": amount,
                **where.columns(),
                "note": (note or "").strip() or None,
                "created_at": iso(now()),
            },
        )
        logged = repo.get_record(conn, record_id)
    assert logged is not None
    return logged


def remove_record(conn: sqlite3.Connection, ref: str) -> Row:
    """Take a record logged by mistake out of every list and total (kept, marked removed)."""
    with db.write(conn):
        record_id = refs.number(ref, "record")
        found = repo.get_record(conn, record_id) if record_id is not None else None
        if found is None:
            raise InvalidInputError(t("service.not_found", ref=ref))
        if found["removed_at"]:
            raise ConflictError(t("service.already_removed", id=found["id"]))
        stamp = iso(now())
        repo.update_record(conn, int(found["id"]), {"removed_at": stamp})
    return {**found, "removed_at": stamp}


def span(month: str | None, year: str | None) -> tuple[str, str]:
    """[start, end) dates of --month or --year, or of all time when neither is given."""
    from beiwen.services.activities import period

    start, end = period(month, year)
    return start or "0000-01-01", end or "9999-12-31"


def list_records(
    conn: sqlite3.Connection,
    *,
    person: str | None = None,
    month: str | None = None,
    year: str | None = None,
) -> list[Row]:
    start, end = span(month, year)
    person_id = int(refs.person(conn, person, field="--person")["id"]) if person else None
    return repo.list_records(conn, person_id=person_id, start=start, end=end)


def ranked(totals: list[Row], points_per_hour: float = 1.0) -> list[Row]:
    """`totals` (most hours first) with a rank (equal hours, equal rank: 1, 2, 2, 4) and
    points = hours x `points_per_hour`."""
    result: list[Row] = []
    for position, row in enumerate(totals, start=1):
        same = bool(result) and result[-1]["hours"] == row["hours"]
        rank = result[-1]["rank"] if same else position
        points = round(row["hours"] * points_per_hour, 2)
        result.append({"rank": rank, **row, "points": points})
    return result


def totals(
    conn: sqlite3.Connection,
    *,
    month: str | None = None,
    year: str | None = None,
    points_per_hour: str | None = None,
) -> list[Row]:
    """Hours per person in the period, ranked, with their points."""
    rate = (
        parse_decimal(points_per_hour, "--points-per-hour", kind="points_per_hour")
        if points_per_hour is not None
        else 1.0
    )
    start, end = span(month, year)
    return ranked(repo.totals_by_person(conn, start, end), rate)


def person_year(conn: sqlite3.Connection, person_ref: str, year: int) -> Row:
    """One person's service in `year`: the person, the records and their sums (for the
    certificate)."""
    person = refs.person(conn, person_ref, field="person")
    start, end = f"{year:04d}-01-01", f"{year + 1:04d}-01-01"
    records = repo.list_records(conn, person_id=int(person["id"]), start=start, end=end)
    by_month: dict[str, float] = {}
    for record in records:
        month = record["date"][:7]
        by_month[month] = round(by_month.get(month, 0.0) + record["hours"], 2)
    return {
        "person": person,
        "year": year,
        "records": records,
        "count": len(records),
        "days": len({record["date"] for record in records}),
        "hours": round(sum(record["hours"] for record in records), 2),
        "by_month": by_month,
    }


def certificate(conn: sqlite3.Connection, person_ref: str, year: str) -> Row:
    """What a certificate of service says: the person's year, the issuer, the day it is made;
    refused for a year without service (a certificate of nothing is not issued)."""
    from beiwen.parsing import parse_year
    from beiwen.services.settings import letterhead

    number = parse_year(year, "--year")
    data = person_year(conn, person_ref, number)
    if not data["count"]:
        person = data["person"]
        raise ConflictError(
            t("service.nothing_to_certify", name=person["name"], id=person["id"], year=number)
        )
    heading = letterhead(conn)
    return {**data, "org": heading.name, "issuer": heading.issuer, "made_on": now().date()}


def feedback(conn: sqlite3.Connection, unit_ref: str, year: str) -> Row:
    """What the community sends back to a unit (在职党员双报到): the service in `year` of the
    unit's in-service Party members, each while a member here (a spell that began or ended
    in the year counts its own days), one row per record; a member with none is one row of
    0 hours, so that the unit sees who did not serve."""
    from datetime import date, timedelta

    from beiwen.parsing import parse_year

    number = parse_year(year, "--year")
    unit = refs.unit(conn, unit_ref, "unit")
    start, end = f"{number:04d}-01-01", f"{number + 1:04d}-01-01"
    members = repo.in_service_members(conn, int(unit["id"]), start, end)
    rows: list[Row] = []
    for member in members:
        first = max(start, member["since"])
        last = end
        if member["left_on"] is not None:  # the day of leaving still counts
            after = date.fromisoformat(member["left_on"]) + timedelta(days=1)
            last = min(end, after.isoformat())
        spell = {k: member[k] for k in ("person", "person_id", "branch", "reported_on")}
        found = repo.list_records(conn, person_id=int(member["person_id"]), start=first, end=last)
        rows += [{**record, **spell} for record in found]
        if not found:
            rows.append({**spell, "id": None, "date": None, "hours": 0.0, "note": None})
    return {
        "unit": {"id": unit["id"], "name": unit["name"]},
        "year": number,
        "members": len({member["person_id"] for member in members}),
        "hours": round(sum(row["hours"] for row in rows), 2),
        "rows": rows,
    }


# The sign-in sheet ----------------------------------------------------------------------------


def sheet_spec(
    conn: sqlite3.Connection, where: Target, day: str, hours: float | None, note: str | None
) -> ImportSpec:
    """A sign-in sheet: one row per volunteer (a name, or a name and phone when two people
    share the name), the hours of the row or else `hours`, logged on `day` against `where`.
    A volunteer already logged for that activity or class that day is left unchanged, so
    that the same sheet imported twice logs nobody twice."""
    from beiwen.services.importing import ImportSpec

    stamp = iso(now())

    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        reasons: list[str] = []
        clean: Row = {"note": raw.get("note", "").strip() or note}
        name, phone = raw.get("name", "").strip(), raw.get("phone", "").strip()
        try:
            person = refs.person(conn, phone or name, field="name")
            if phone and name and person["name"] != name:
                raise InvalidInputError(t("service.phone_other_name", name=name))
            clean["person"] = person
        except BeiwenError as error:  # unknown, ambiguous, removed: one line each
            reasons.append(error.message)
        text = raw.get("hours", "").strip()
        try:
            clean["hours"] = parse_hours(text, "hours") if text else hours
        except InvalidInputError as error:
            reasons.append(error.message)
        if not text and hours is None:
            reasons.append(t("service.sheet_hours_needed"))
        if not reasons and not _already_logged(conn, clean["person"], where, day):
            try:
                _check_day(conn, clean["person"], day, clean["hours"])
            except InvalidInputError as error:
                reasons.append(error.message)
        return clean, reasons

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        person = clean["person"]
        if _already_logged(conn, person, where, day):
            return "unchanged"
        repo.insert_record(
            conn,
            {
                "person_id": person["id"],
                "date": day,
                "hours": clean["hours"],
                **where.columns(),
                "note": clean["note"],
                "created_at": stamp,
            },
        )
        return "inserted"

    return ImportSpec(
        columns=SHEET_COLUMNS,
        required=("name",),
        validate=validate,
        key=lambda clean: ("name", f"{clean['person']['name']} ({clean['person']['id']})"),
        write=write,
    )


# The columns of a service ledger (志愿服务台账) for `service import`.
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    **{key: SHEET_COLUMNS[key] for key in ("name", "phone")},
    "date": ("日期", "服务日期"),
    "hours": SHEET_COLUMNS["hours"],
    "activity": ("活动编号", "活动"),
    "class": ("课堂编号", "课堂"),
    "issue": ("工单号", "工单编号", "工单"),
    "note": SHEET_COLUMNS["note"],
}


def import_spec(conn: sqlite3.Connection) -> ImportSpec:
    """A service ledger: one record a row (person, date, hours, at most one activity, class
    or work order, note), by the rules of `service log`; a row equal to a stored record is
    unchanged, so that a ledger imported twice logs nothing twice."""
    from beiwen.services.importing import ImportSpec

    stamp = iso(now())

    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        reasons: list[str] = []
        clean: Row = {"note": raw.get("note", "").strip() or None}
        name, phone = raw.get("name", "").strip(), raw.get("phone", "").strip()
        try:
            clean["person"] = refs.person(conn, phone or name, field="name")
            if phone and name and clean["person"]["name"] != name:
                raise InvalidInputError(t("service.phone_other_name", name=name))
            refs_given = {k: raw.get(k, "").strip() or None for k in ("activity", "class", "issue")}
            where = target(conn, refs_given["activity"], refs_given["class"], refs_given["issue"])
            text = raw.get("date", "").strip()
            clean["date"] = _day(text, "date") if text else where.day
            if clean["date"] is None:
                raise InvalidInputError(t("service.date_needed"))
            clean["hours"] = parse_hours(raw.get("hours", ""), "hours")
            clean.update(where.columns())
        except BeiwenError as error:
            reasons.append(error.message)
        if not reasons and not repo.same_record(conn, _stored(clean)):
            try:
                _check_day(conn, clean["person"], clean["date"], clean["hours"])
            except InvalidInputError as error:
                reasons.append(error.message)
        return clean, reasons

    def key(clean: Row) -> tuple[str, str]:
        row = _stored(clean)
        refs_text = "/".join(str(row[k] or "") for k in ("activity_id", "class_id", "issue_id"))
        shown = f"{clean['person']['name']} {row['date']} {hours_text(row['hours'])} {refs_text}"
        return ("record", shown)

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        row = _stored(clean)
        if repo.same_record(conn, row):
            return "unchanged"
        repo.insert_record(conn, {**row, "created_at": stamp})
        return "inserted"

    return ImportSpec(
        columns=IMPORT_COLUMNS,
        required=("name", "hours"),
        validate=validate,
        key=key,
        write=write,
    )


def _stored(clean: Row) -> Row:
    """A ledger row as the record it stores."""
    return {
        "person_id": clean["person"]["id"],
        "date": clean["date"],
        "hours": clean["hours"],
        **{k: clean.get(k) for k in ("activity_id", "class_id", "issue_id")},
        "note": clean["note"],
    }


def import_records(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    """Import a service ledger, all or nothing."""
    from beiwen.services.importing import run_import

    return run_import(conn, path, import_spec(conn), **options)


def demo_records(conn: sqlite3.Connection, folder: Path) -> int:
    return import_records(conn, folder / "service_2024.csv").inserted


def _already_logged(conn: sqlite3.Connection, person: Row, where: Target, day: str) -> bool:
    if where.activity_id is not None:
        return repo.logged_at(conn, int(person["id"]), day, "activity_id", where.activity_id)
    if where.class_id is not None:
        return repo.logged_at(conn, int(person["id"]), day, "class_id", where.class_id)
    return False


def log_sheet(
    conn: sqlite3.Connection,
    path: Path,
    *,
    activity: str | None = None,
    course_class: str | None = None,
    hours: str | None = None,
    day: str | None = None,
    note: str | None = None,
    **options: Any,
) -> ImportSummary:
    """Log service for every volunteer on the sign-in sheet `path` of an activity or a
    class, all or nothing."""
    from beiwen.services.importing import run_import

    if activity is None and course_class is None:
        raise InvalidInputError(t("service.sheet_needs_target"))
    default_hours = parse_hours(hours) if hours is not None else None
    chosen = _day(day) if day is not None else None
    where = target(conn, activity, course_class)
    served_on = chosen or where.day
    assert served_on is not None
    if served_on > now().date().isoformat() and chosen is None:
        raise InvalidInputError(t("service.future", field="--date", day=served_on))
    return run_import(
        conn, path, sheet_spec(conn, where, served_on, default_hours, note), **options
    )
