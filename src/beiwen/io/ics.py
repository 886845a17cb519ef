"""iCalendar (RFC 5545) output: the rotation as one all-day event per month.

Each event spans its whole month (DTEND is the first day of the next month, exclusive), so
a phone calendar shows the duty unit on every day of it. The UID depends only on the month,
so importing a newer file updates the events instead of adding a second set.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Event

from beiwen import __version__
from beiwen.parsing import add_months, month_start

PRODUCT_ID = f"-//beiwen//beiwen {__version__}//ZH"


def rotation_calendar(
    entries: Iterable[dict[str, Any]],
    *,
    calendar_name: str,
    summary: str,
    stamp: datetime | None = None,
) -> str:
    """The calendar text (CRLF lines) for the assigned months among `entries`.

    `entries` are rotation rows (month, unit_id, unit, note); gaps (unit_id None) get no
    event. `summary` is a format string with {unit}, e.g. "轮值书记：{unit}".
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    created = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    for entry in entries:
        if entry.get("unit_id") is None:
            continue
        month = entry["month"]
        event = Event()
        event.add("uid", f"rotation-{month}@beiwen")
        event.add("dtstamp", created)
        event.add("dtstart", month_start(month))
        event.add("dtend", month_start(add_months(month, 1)))
        event.add("summary", summary.format(unit=entry["unit"]))
        if entry.get("note"):
            event.add("description", entry["note"])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text
