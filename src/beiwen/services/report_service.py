"""The report's `service` section (志愿服务) and the records behind its figures
(`report --explain service_hours`, `--explain service_people`).

Definitions (the README repeats them):

- hours: the hours of every service record dated within the period (removed records left
  out), summed to two decimals;
- people: the people with at least one such record;
- top: the ten people with the most hours, ranked (equal hours, equal rank), then by name;
- hours_by_grid: per grid, the hours of the people who served in it on the record's day (a
  person serving several grids counts in the lowest-numbered one); every grid is listed,
  with 0 where nobody served, and `none` holds the hours of people with no grid role.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from beiwen import vocab
from beiwen.repository import service_records as repo
from beiwen.services.service_records import ranked

if TYPE_CHECKING:  # services/report.py imports this module: no cycle at run time
    from beiwen.services.period import Period

TOP = 10


def service_section(conn: sqlite3.Connection, period: Period) -> dict[str, Any]:
    start, end = period.start.isoformat(), period.end.isoformat()
    totals = ranked(repo.totals_by_person(conn, start, end))
    from beiwen.repository.report import grid_numbers

    by_grid: dict[str, float] = {str(number): 0.0 for number in grid_numbers(conn)}
    for row in repo.hours_by_grid(conn, start, end):
        by_grid["none" if row["grid"] is None else str(row["grid"])] = float(row["hours"])
    return {
        "hours": float(round(sum(float(row["hours"]) for row in totals), 2)),
        "people": len(totals),
        "top": [
            {
                "rank": row["rank"],
                "id": row["person_id"],
                "name": row["person"],
                "hours": float(row["hours"]),
            }
            for row in totals[:TOP]
        ],
        "hours_by_grid": by_grid,
    }


def _spelling(value: str) -> str:
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def explained_metric(value: str) -> str | None:
    """The service figure `value` names (key, English or Chinese name, alias), else None."""
    spellings = {_spelling(a): k for a, k in vocab.ALIASES["SERVICE_METRICS"].items()}
    for key, (english, chinese) in vocab.SERVICE_METRICS.items():
        spellings |= {_spelling(key): key, _spelling(english): key, _spelling(chinese): key}
    return spellings.get(_spelling(value))


def explain(conn: sqlite3.Connection, period: Period, metric: str) -> dict[str, Any]:
    """The service records behind `metric` (see `explained_metric`): every record of the
    period counts in the hours; the people are those records' people."""
    key = explained_metric(metric)
    assert key is not None
    records = repo.list_records(conn, start=period.start.isoformat(), end=period.end.isoformat())
    numerator: float | int = round(sum(float(r["hours"]) for r in records), 2)
    if key == "service_people":
        numerator = len({record["person_id"] for record in records})
    return {"metric": key, "numerator": numerator, "denominator": None, "records": records}
