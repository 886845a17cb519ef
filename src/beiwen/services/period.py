"""The period a report, a roll-up or an attendance count covers: a month, a year or a range
of days (`--month`, `--year`, `--from/--to`), and the period before it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from beiwen.errors import InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import add_months, month_of, parse_date, parse_month, parse_year


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # exclusive
    kind: str  # month | year | range

    @property
    def start_at(self) -> str:
        return f"{self.start.isoformat()}T00:00:00+08:00"

    @property
    def end_at(self) -> str:
        return f"{self.end.isoformat()}T00:00:00+08:00"

    @property
    def months(self) -> tuple[str, str]:
        """First and last month the period touches."""
        return month_of(self.start), month_of(self.end - timedelta(days=1))

    def previous(self) -> Period:
        if self.kind == "month":
            month = add_months(self.label, -1)
            return month_period(month)
        if self.kind == "year":
            return year_period(self.start.year - 1)
        length = self.end - self.start
        start = self.start - length
        return range_period(start, self.start - timedelta(days=1))

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}


def month_period(month: str) -> Period:
    start = date(int(month[:4]), int(month[5:]), 1)
    end_month = add_months(month, 1)
    return Period(month, start, date(int(end_month[:4]), int(end_month[5:]), 1), "month")


def year_period(year: int) -> Period:
    return Period(str(year), date(year, 1, 1), date(year + 1, 1, 1), "year")


def range_period(first: date, last: date) -> Period:
    if first > last:
        raise InvalidInputError(t("report.from_after_to", start=first, end=last))
    return Period(
        f"{first.isoformat()}..{last.isoformat()}", first, last + timedelta(days=1), "range"
    )


def parse_period(month: str | None, year: str | None, start: str | None, end: str | None) -> Period:
    given = [month is not None, year is not None, start is not None or end is not None]
    if sum(given) != 1 or (given[2] and (start is None or end is None)):
        raise InvalidInputError(t("report.one_period"))
    if month is not None:
        return month_period(parse_month(month, "--month"))
    if year is not None:
        return year_period(parse_year(year, "--year"))
    assert start is not None and end is not None
    return range_period(parse_date(start, "--from"), parse_date(end, "--to"))
