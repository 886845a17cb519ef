"""The report's `lists` section (issue 18 item 7): what the three lists achieved in the
period, each figure computed from the needs' event log and the projects, never typed.

- needs_collected: needs raised in the period, not cancelled by its end;
- needs_transferred / needs_replied / needs_matched: needs with a transfer (转单), a reply,
  a match to a project in the period (each need once);
- projects_done: projects done in the period; enterprises_helped: the enterprises those
  projects helped (the sum of their `helped`: the article's "为3家企业解决资金难题");
- projects_overdue: projects due before the period's end (or today, for a period not over),
  neither done nor cancelled at its end.
`explain` lists the needs or projects behind a figure.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from beiwen.parsing import now
from beiwen.repository import Row
from beiwen.repository import report_lists as repo
from beiwen.vocab_lists import LIST_ALIASES, LIST_METRICS

METRICS = tuple(LIST_METRICS)
STEPS = {"needs_transferred": "transfer", "needs_replied": "reply", "needs_matched": "match"}


def _spelling(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def metric(value: str) -> str | None:
    """The lists figure `value` names (key, English or Chinese name, alias), else None."""
    spellings = {_spelling(alias): key for alias, key in LIST_ALIASES["LIST_METRICS"].items()}
    for key, (english, chinese) in LIST_METRICS.items():
        for spelling in (key, english, chinese):
            spellings[_spelling(spelling)] = key
    return spellings.get(_spelling(value))


def _days(period: Any) -> tuple[str, str, str]:
    start, end = period.start.isoformat(), period.end.isoformat()
    return start, end, min(end, now().date().isoformat())


def _rows(conn: sqlite3.Connection, period: Any, key: str) -> list[Row]:
    start, end, cutoff = _days(period)
    if key == "needs_collected":
        return repo.needs_collected(conn, start, end)
    if key in STEPS:
        return repo.needs_with_step(conn, STEPS[key], start, end)
    if key in ("projects_done", "enterprises_helped"):
        return repo.projects_done(conn, start, end)
    return repo.projects_overdue(conn, end, cutoff)


def lists_section(conn: sqlite3.Connection, period: Any) -> dict[str, int]:
    section: dict[str, int] = {}
    for key in METRICS:
        found = _rows(conn, period, key)
        if key == "enterprises_helped":
            section[key] = sum(int(row["helped"] or 0) for row in found)
        else:
            section[key] = len(found)
    return section


def explain(conn: sqlite3.Connection, period: Any, key: str) -> dict[str, Any]:
    """The needs (or projects) behind the figure `key`: all of them count in it."""
    found = _rows(conn, period, key)
    kind = "projects" if key.startswith("projects") or key == "enterprises_helped" else "needs"
    numerator = (
        sum(int(row["helped"] or 0) for row in found) if key == "enterprises_helped" else len(found)
    )
    return {"metric": key, "numerator": numerator, "denominator": None, kind: found}
