"""The report's `meetings` section (区域党建联席会) and the meetings each duty unit hosted.
Definitions (the README repeats them):

- `held`: the joint meetings held in the period (by their day);
- `decisions`: the decisions (议定事项) taken at those meetings;
- `decisions_done`: of those, done by the period's end (as of the end: a decision done later
  does not change a closed period's report); shown as `decisions_done/decisions`;
- `by_owner`: per owner unit, its decisions and those done, most decisions first;
- a duty unit's `meetings`: the meetings it hosted in its duty months of the period.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from beiwen import vocab
from beiwen.repository import Row
from beiwen.repository import meetings as repo

if TYPE_CHECKING:
    from beiwen.services.period import Period


def _in_period(conn: sqlite3.Connection, period: Period) -> tuple[list[Row], list[Row]]:
    start, end = period.start.isoformat(), period.end.isoformat()
    return (
        repo.list_meetings(conn, start=start, end=end),
        repo.list_decisions(conn, start=start, end=end),
    )


def _done_by(decision: Row, end_at: str) -> bool:
    return bool(decision["done_at"]) and decision["done_at"] < end_at


def meetings_section(conn: sqlite3.Connection, period: Period) -> dict[str, Any]:
    meetings, decisions = _in_period(conn, period)
    owners: dict[int, dict[str, Any]] = {}
    for decision in decisions:
        entry = owners.setdefault(
            decision["owner_unit_id"],
            {
                "unit_id": decision["owner_unit_id"],
                "unit": decision["owner_unit"],
                "decisions": 0,
                "decisions_done": 0,
            },
        )
        entry["decisions"] += 1
        entry["decisions_done"] += _done_by(decision, period.end_at)
    return {
        "held": len(meetings),
        "decisions": len(decisions),
        "decisions_done": sum(_done_by(d, period.end_at) for d in decisions),
        "by_owner": sorted(owners.values(), key=lambda e: (-e["decisions"], e["unit_id"])),
    }


def hosted(conn: sqlite3.Connection, period: Period, unit_id: int, months: list[str]) -> list[Row]:
    """The meetings `unit_id` hosted in its duty `months` within the period, by date."""
    start, end = period.start.isoformat(), period.end.isoformat()
    return [
        {"id": row["id"], "date": row["date"], "topic": row["topic"]}
        for row in repo.list_meetings(conn, start=start, end=end, host_unit_id=unit_id)
        if row["date"][:7] in months
    ]


def _spelling(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def meeting_metric(value: str) -> str | None:
    """The meetings figure `value` names (its key, English or Chinese name, or an alias of
    vocab.MEETING_METRICS), else None."""
    spellings = {_spelling(alias): key for alias, key in vocab.ALIASES["MEETING_METRICS"].items()}
    for key, (english, chinese) in vocab.MEETING_METRICS.items():
        for spelling in (chinese, english, key):
            spellings[_spelling(spelling)] = key
    return spellings.get(_spelling(value))


def metric_name(result: dict[str, Any]) -> str:
    """How an --explain title names a meetings figure: its key in English, its Chinese name."""
    from beiwen.i18n import label

    key = result["metric"]
    return label((key, vocab.MEETING_METRICS[key][1]))


def explain_meetings(
    conn: sqlite3.Connection, period: Period, metric: str
) -> dict[str, Any] | None:
    """`report --explain` for a meetings figure: the meetings held, or the decisions behind
    `decisions` and `decisions_done` (which count in its numerator and its denominator);
    None when `metric` names no meetings figure."""
    key = meeting_metric(metric)
    if key is None:
        return None
    meetings, decisions = _in_period(conn, period)
    if key == "held":
        listed = [
            {
                "id": m["id"],
                "date": m["date"],
                "host_unit": m["host_unit"],
                "topic": m["topic"],
                "attended": m["attended"],
                "in_numerator": True,
                "in_denominator": False,
            }
            for m in meetings
        ]
        return {"metric": key, "numerator": len(listed), "denominator": None, "meetings": listed}
    done = key == "decisions_done"
    listed = [
        {
            "id": d["id"],
            "meeting_date": d["meeting_date"],
            "text": d["text"],
            "owner_unit": d["owner_unit"],
            "due": d["due"],
            "done_at": d["done_at"] if _done_by(d, period.end_at) else None,
            "in_numerator": _done_by(d, period.end_at) if done else True,
            "in_denominator": done,
        }
        for d in decisions
    ]
    return {
        "metric": key,
        "numerator": sum(row["in_numerator"] for row in listed),
        "denominator": len(listed) if done else None,
        "decisions": listed,
    }
