"""China's statutory public holidays (法定节假日), as days off, kept by hand.

Each year is copied from the State Council General Office's notice on that year's holiday
arrangements (国务院办公厅关于 YYYY 年部分节假日安排的通知). A break includes the weekend days
it joins ("与周末连休"); make-up working days (调休上班) are ordinary days for our purpose,
since a class on them is not on a holiday. Only years whose notice has been checked are
listed: a year missing here is reported, never guessed. Add the next year when its notice
comes out (usually in November of the year before).
"""

from __future__ import annotations

from datetime import date, timedelta

# year -> (holiday key, first day off, last day off)
_BREAKS: dict[int, tuple[tuple[str, str, str], ...]] = {
    # 国办发明电〔2023〕7号. New Year's break began on 2023-12-30; only its 2024 day is listed.
    2024: (
        ("new_year", "2024-01-01", "2024-01-01"),
        ("spring_festival", "2024-02-10", "2024-02-17"),
        ("qingming", "2024-04-04", "2024-04-06"),
        ("labour_day", "2024-05-01", "2024-05-05"),
        ("dragon_boat", "2024-06-08", "2024-06-10"),
        ("mid_autumn", "2024-09-15", "2024-09-17"),
        ("national_day", "2024-10-01", "2024-10-07"),
    ),
    # 国办发明电〔2024〕12号 (from 2025: New Year's Eve and 2 May became holidays).
    2025: (
        ("new_year", "2025-01-01", "2025-01-01"),
        ("spring_festival", "2025-01-28", "2025-02-04"),
        ("qingming", "2025-04-04", "2025-04-06"),
        ("labour_day", "2025-05-01", "2025-05-05"),
        ("dragon_boat", "2025-05-31", "2025-06-02"),
        ("national_day", "2025-10-01", "2025-10-08"),  # with Mid-Autumn Festival
    ),
    # Notice of 2025-11-04.
    2026: (
        ("new_year", "2026-01-01", "2026-01-03"),
        ("spring_festival", "2026-02-15", "2026-02-23"),
        ("qingming", "2026-04-04", "2026-04-06"),
        ("labour_day", "2026-05-01", "2026-05-05"),
        ("dragon_boat", "2026-06-19", "2026-06-21"),
        ("mid_autumn", "2026-09-25", "2026-09-27"),
        ("national_day", "2026-10-01", "2026-10-07"),
    ),
}

HOLIDAY_NAMES: dict[str, tuple[str, str]] = {
    "new_year": ("New Year's Day", "元旦"),
    "spring_festival": ("Spring Festival", "春节"),
    "qingming": ("Qingming Festival", "清明节"),
    "labour_day": ("Labour Day", "劳动节"),
    "dragon_boat": ("Dragon Boat Festival", "端午节"),
    "mid_autumn": ("Mid-Autumn Festival", "中秋节"),
    "national_day": ("National Day", "国庆节"),
}


def _expand() -> dict[date, str]:
    days: dict[date, str] = {}
    for breaks in _BREAKS.values():
        for key, first, last in breaks:
            day, end = date.fromisoformat(first), date.fromisoformat(last)
            while day <= end:
                days[day] = key
                day += timedelta(days=1)
    return days


_DAYS_OFF = _expand()


def covered_years() -> list[int]:
    """The years whose holidays are known."""
    return sorted(_BREAKS)


def covers(year: int) -> bool:
    return year in _BREAKS


def holiday_on(day: date) -> str | None:
    """The holiday key when `day` is a statutory day off, else None (also for unknown years)."""
    return _DAYS_OFF.get(day)
