"""`course plan`: planned classes, weekly on chosen weekdays, China's holidays skipped if asked.

The dates come from dateutil's rrule (imported when a plan is made, to keep start-up light);
the holidays from `services/holidays.py`, with a notice for years it does not cover.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import label, t
from beiwen.parsing import iso, parse_count, parse_date, parse_time, parse_weekday
from beiwen.repository import Row
from beiwen.repository import courses as repo
from beiwen.services import holidays, refs
from beiwen.services.courses.common import flag_capacity, insert_class, shown_time

PLAN_LIMIT = 366


@dataclass
class PlanOutcome:
    classes: list[Row]
    skipped: list[tuple[date, str]]
    notices: list[str] = field(default_factory=list)


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
                            when=shown_time(starts_at),
                            id=other["id"],
                        )
                    )
            class_id, _ = insert_class(
                conn, course, term_row, starts_at, day, {"status": "planned"}
            )
            created.append(flag_capacity(refs.course_class(conn, class_id)))
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
