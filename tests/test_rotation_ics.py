"""The rotation as iCalendar (issue 21, item 5): SEQUENCE and LAST-MODIFIED from the
recorded changes, cancelled events for months left without a duty unit, one language
throughout; every file is read by two independent parsers, icalendar and vobject.

tests/test_rotation.py::test_show_ics_parses_back_one_event_per_month has the events' dates.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject

from conftest import Cli

A, B, C = "市场监管局", "城市管理局", "商务委员会"


@pytest.fixture
def council(ready: Cli) -> Cli:
    for name in (A, B, C):
        ready.ok("units", "add", name, "--kind", "agency", "--council")
    ready.ok("rotation", "plan", "--from", "2024-01", "--months", "6")
    return ready


def ics(cli: Cli, lang: str = "zh", *options: str) -> str:
    result = cli.ok("rotation", "show", "--year", "2024", "--format", "ics", *options, lang=lang)
    return result.stdout


def events(text: str) -> dict[str, dict[str, Any]]:
    """Each event by month, as both parsers read it (and they must agree)."""
    first = {
        str(event["uid"]): {
            "sequence": int(event["sequence"]),
            "status": str(event["status"]),
            "summary": str(event["summary"]),
            "language": event["summary"].params.get("LANGUAGE"),
            "last_modified": event.decoded("last-modified"),
            "description": str(event.get("description", "")),
            "start": event.decoded("dtstart"),
        }
        for event in icalendar.Calendar.from_ical(text).walk("VEVENT")
    }
    calendar = vobject.readOne(text)
    second = {
        event.uid.value: {
            "sequence": int(event.sequence.value),
            "status": event.status.value,
            "summary": event.summary.value,
            "language": event.summary.params["LANGUAGE"][0],
            "last_modified": event.last_modified.value,
            "description": event.description.value if hasattr(event, "description") else "",
            "start": event.dtstart.value,
        }
        for event in calendar.vevent_list
    }
    assert first == second
    return {uid.removeprefix("rotation-").removesuffix("@beiwen"): e for uid, e in first.items()}


def last_change(cli: Cli, month: str) -> datetime:
    rows = json.loads(cli.ok("rotation", "history", "--month", month, "--format", "json").stdout)
    mine = [row["at"] for row in rows if row["month"] == month]
    return datetime.fromisoformat(max(mine)).astimezone(UTC)


def test_as_planned_every_month_is_at_sequence_0(council: Cli) -> None:
    found = events(ics(council))
    assert list(found) == [f"2024-{m:02d}" for m in range(1, 7)]  # never held: no event
    for month, event in found.items():
        assert (event["sequence"], event["status"]) == (0, "CONFIRMED")
        assert event["last_modified"] == last_change(council, month)


def test_each_change_raises_the_sequence_of_its_months(council: Cli) -> None:
    before = events(ics(council))
    council.ok("rotation", "swap", "2024-03", "2024-05", "--note", "三月有专项检查")
    swapped = events(ics(council))
    assert {m: e["sequence"] for m, e in swapped.items()} == {
        "2024-01": 0, "2024-02": 0, "2024-03": 1, "2024-04": 0, "2024-05": 1, "2024-06": 0,
    }  # fmt: skip
    for month in ("2024-03", "2024-05"):
        assert swapped[month]["last_modified"] == last_change(council, month)
        assert swapped[month]["last_modified"] >= before[month]["last_modified"]
        assert swapped[month]["description"] == "三月有专项检查"
    assert swapped["2024-03"]["summary"] == f"轮值书记：{B}"  # it was C's, May B's
    council.ok("rotation", "assign", "2024-03", A, "--note", "申请调换")
    again = events(ics(council))
    assert again["2024-03"]["sequence"] == 2 and again["2024-05"]["sequence"] == 1
    assert again["2024-03"]["summary"] == f"轮值书记：{A}"
    # An assignment that changes nothing is not recorded and changes no version.
    council.ok("rotation", "assign", "2024-03", A, "--note", "申请调换")
    assert events(ics(council)) == again


def test_a_month_left_without_a_duty_unit_is_cancelled_under_its_uid(
    council: Cli, tmp_path: Path
) -> None:
    planned = events(ics(council))["2024-04"]
    council.ok("rotation", "unassign", "2024-04", "--note", "待定")
    path = tmp_path / "轮值书记.ics"
    result = council.ok(
        "rotation", "show", "--year", "2024", "--format", "ics", "--output", str(path), lang="zh"
    )
    assert result.stderr == (
        "1 个月份现已没有轮值单位，以“已取消”日程写入，已导入的日历会删除它们：2024-04\n"
        f"已写入 5 个日程到 {path}\n"
    )
    found = events(path.read_text("utf-8"))
    cancelled = found["2024-04"]  # the same UID as the event a calendar holds
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["sequence"] == planned["sequence"] + 1
    assert cancelled["summary"] == "轮值书记：暂无轮值单位"
    assert cancelled["description"] == "待定"
    assert cancelled["start"].isoformat() == "2024-04-01"
    assert [m for m, e in found.items() if e["status"] == "CANCELLED"] == ["2024-04"]
    # Held again, the month is confirmed at a newer version still.
    council.ok("rotation", "assign", "2024-04", B)
    back = events(ics(council))["2024-04"]
    assert (back["status"], back["sequence"]) == ("CONFIRMED", 2)
    # A range in which no month was ever held says so, and has no event at all.
    empty = council.ok("rotation", "show", "--year", "2019", "--format", "ics", lang="zh")
    assert icalendar.Calendar.from_ical(empty.stdout).walk("VEVENT") == []
    assert "2019-01 至 2019-12 没有已排轮值的月份" in empty.stderr


@pytest.mark.parametrize(
    ("lang", "product", "name", "summary", "cancelled", "tag"),
    [
        ("zh", "//ZH", "轮值书记", f"轮值书记：{A}", "轮值书记：暂无轮值单位", "zh-CN"),
        ("en", "//EN", "Rotating secretary", f"Rotating secretary: {A}",
         "Rotating secretary: no duty unit", "en"),
    ],
)  # fmt: skip
def test_one_language_throughout(
    council: Cli, lang: str, product: str, name: str, summary: str, cancelled: str, tag: str
) -> None:
    council.ok("rotation", "unassign", "2024-06")
    text = ics(council, lang)
    calendar = icalendar.Calendar.from_ical(text)
    assert str(calendar["prodid"]).endswith(product)
    assert str(calendar["x-wr-calname"]) == name
    assert vobject.readOne(text).prodid.value.endswith(product)
    found = events(text)
    assert found["2024-01"]["summary"] == summary
    assert found["2024-06"]["summary"] == cancelled
    assert {event["language"] for event in found.values()} == {tag}
