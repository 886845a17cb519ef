"""iCalendar (RFC 5545) output: the rotation as one all-day event per month.

Each event spans its whole month (DTEND is the first day of the next month, exclusive), so
a phone calendar shows the duty unit on every day of it. The UID depends only on the month,
so importing a newer file updates the events instead of adding a second set; SEQUENCE and
LAST-MODIFIED say which version is newer, and a month left without a duty unit comes as
STATUS:CANCELLED under the same UID (services/rotation/calendar.py). The product id, the
calendar's name and the events' summaries are in one language, the output's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Event

from beiwen import __version__
from beiwen.parsing import add_months, month_start

# RFC 5545 PRODID is an ISO 9070 formal public identifier: its last part is the language.
PRODUCT_LANGUAGES = {"zh": "ZH", "en": "EN"}
# The LANGUAGE parameter (RFC 5646 tags) of the text beiwen writes itself.
TEXT_LANGUAGES = {"zh": "zh-CN", "en": "en"}


def product_id(language: str) -> str:
    return f"-//beiwen//beiwen {__version__}//{PRODUCT_LANGUAGES.get(language, 'ZH')}"


def _utc(moment: str | None) -> datetime | None:
    if moment is None:
        return None
    return datetime.fromisoformat(moment).astimezone(UTC).replace(microsecond=0)


def rotation_calendar(
    entries: Iterable[dict[str, Any]],
    *,
    language: str,
    calendar_name: str,
    summary: str,
    cancelled_summary: str,
    stamp: datetime | None = None,
) -> str:
    """The calendar text (CRLF lines) of `entries` (services.rotation.calendar_months:
    month, unit, note, cancelled, sequence, created, last_modified).

    `summary` is a format string with {unit}, e.g. "轮值书记：{unit}"; `cancelled_summary`
    the summary of a month left without a duty unit; both, and `calendar_name`, in
    `language`, which also ends the PRODID.
    """
    calendar = Calendar()
    calendar.add("prodid", product_id(language))
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", calendar_name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    created = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    text_language = {"LANGUAGE": TEXT_LANGUAGES.get(language, "zh-CN")}
    for entry in entries:
        month = entry["month"]
        event = Event()
        event.add("uid", f"rotation-{month}@beiwen")
        event.add("dtstamp", created)
        event.add("dtstart", month_start(month))
        event.add("dtend", month_start(add_months(month, 1)))
        event.add("sequence", int(entry.get("sequence") or 0))
        for name, moment in (
            ("created", entry.get("created")),
            ("last-modified", entry.get("last_modified")),
        ):
            when = _utc(moment)
            if when is not None:
                event.add(name, when)
        if entry.get("cancelled"):
            event.add("summary", cancelled_summary, parameters=text_language)
            event.add("status", "CANCELLED")
        else:
            event.add("summary", summary.format(unit=entry["unit"]), parameters=text_language)
            event.add("status", "CONFIRMED")
        if entry.get("note"):
            event.add("description", entry["note"])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    text: str = calendar.to_ical().decode("utf-8")
    return text
