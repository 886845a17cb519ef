"""The report's `party` section: the Party member register as it stood at the period's end.

Definitions (the README repeats them):

- members: register rows current at the period's end (`since` before it, not left by it),
  so a member who left in June counts in May and not in July; by_branch splits them;
- mobile: of those, mobile members (流动党员); mobile_registered: of those, the ones whose
  home organisation (原组织关系所在) is recorded, i.e. whose Party organisation is found;
- in_service: members at the end who are in service (在职党员); in_service_reported: of
  those, the ones who reported to the community (双报到) before the end;
- joined: rows whose `since` falls in the period (came into the register); left: rows whose
  `left_on` falls in it.

`--explain` names one of `PARTY_METRICS` and lists the members behind it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from beiwen.repository import Row
from beiwen.repository import party as repo
from beiwen.vocab import Vocabulary

if TYPE_CHECKING:
    from beiwen.services.period import Period

PARTY_METRICS: Vocabulary = {
    "party_members": ("Party members", "党员人数"),
    "party_mobile": ("Mobile members", "流动党员人数"),
    "mobile_registered": ("Mobile members whose home organisation is known", "明确原组织关系"),
    "party_in_service": ("In-service members", "在职党员人数"),
    "in_service_reported": ("In-service members who reported", "双报到"),
    "party_joined": ("Came into the register", "转入党员"),
    "party_left": ("Left the register", "转出党员"),
}
PARTY_METRIC_ALIASES = {
    "党员": "party_members",
    "members": "party_members",
    "流动党员": "party_mobile",
    "mobile": "party_mobile",
    "在职党员": "party_in_service",
    "in_service": "party_in_service",
    "双报到率": "in_service_reported",
    "原组织关系": "mobile_registered",
    "转入": "party_joined",
    "joined": "party_joined",
    "转出": "party_left",
    "left": "party_left",
}
# metric -> (in the numerator, in the denominator or None) over the rows it looks at
_TESTS: dict[str, tuple[Any, Any]] = {
    "party_members": (lambda r: True, None),
    "party_mobile": (lambda r: bool(r["mobile"]), None),
    "mobile_registered": (
        lambda r: bool(r["mobile"] and r["home_org"]),
        lambda r: bool(r["mobile"]),
    ),
    "party_in_service": (lambda r: bool(r["in_service"]), None),
    "in_service_reported": (None, lambda r: bool(r["in_service"])),
    "party_joined": (lambda r: True, None),
    "party_left": (lambda r: True, None),
}


def metric(value: str) -> str | None:
    """The party figure `value` names (key, English or Chinese name, alias), else None."""
    text = value.strip()
    spelled = text.lower().replace(" ", "_").replace("-", "_")
    for key, (english, chinese) in PARTY_METRICS.items():
        if spelled in (key, english.lower().replace(" ", "_")) or text == chinese:
            return key
    return PARTY_METRIC_ALIASES.get(text) or PARTY_METRIC_ALIASES.get(spelled)


def _reported(row: Row, end: str) -> bool:
    return bool(row["in_service"] and row["reported_on"] and row["reported_on"] < end)


def party_section(conn: sqlite3.Connection, period: Period) -> dict[str, Any]:
    start, end = period.start.isoformat(), period.end.isoformat()
    members = repo.members_as_of(conn, end)
    by_branch: dict[str, int] = {}
    for row in members:
        by_branch[row["branch"]] = by_branch.get(row["branch"], 0) + 1
    return {
        "members": len(members),
        "by_branch": dict(sorted(by_branch.items(), key=lambda item: (-item[1], item[0]))),
        "mobile": sum(bool(row["mobile"]) for row in members),
        "mobile_registered": sum(bool(row["mobile"] and row["home_org"]) for row in members),
        "in_service": sum(bool(row["in_service"]) for row in members),
        "in_service_reported": sum(_reported(row, end) for row in members),
        "joined": len(repo.members_between(conn, "since", start, end)),
        "left": len(repo.members_between(conn, "left_on", start, end)),
    }


def explain(conn: sqlite3.Connection, period: Period, key: str) -> dict[str, Any]:
    """The members behind a party figure: which count in the numerator and the denominator."""
    start, end = period.start.isoformat(), period.end.isoformat()
    if key == "party_joined":
        found = repo.members_between(conn, "since", start, end)
    elif key == "party_left":
        found = repo.members_between(conn, "left_on", start, end)
    else:
        found = repo.members_as_of(conn, end)
    numerator, denominator = _TESTS[key]
    if key == "in_service_reported":
        numerator = lambda row: _reported(row, end)  # noqa: E731
    listed = [
        {
            **{field: row[field] for field in _SHOWN},
            "in_numerator": bool(numerator(row)),
            "in_denominator": bool(denominator(row)) if denominator else False,
        }
        for row in found
    ]
    listed = [row for row in listed if row["in_numerator"] or row["in_denominator"]]
    return {
        "metric": key,
        "numerator": sum(row["in_numerator"] for row in listed),
        "denominator": sum(row["in_denominator"] for row in listed) if denominator else None,
        "members": listed,
    }


_SHOWN = (
    "id",
    "person_id",
    "name",
    "branch",
    "mobile",
    "home_org",
    "in_service",
    "unit",
    "reported_on",
    "since",
    "left_on",
)
