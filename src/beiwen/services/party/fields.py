"""What a Party member's record is made of and how it is read: statuses, the sessions of
Party life (主题党日 and 三会一课), the branches a member may belong to, and the one row
validator `validate_party` that `party add`, `party edit` and `party import` share.

Branches are the grids' Party branches (`grid edit --branch`) and the units' own branches
(`party branch add NAME --unit UNIT`); any other name is an error that lists them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from beiwen.errors import InvalidInputError, NotFoundError
from beiwen.i18n import t
from beiwen.parsing import FieldCheck, now, parse_date, parse_id_number, parse_yes_no
from beiwen.privacy import parse_person_phone
from beiwen.repository import party as repo
from beiwen.services import refs
from beiwen.vocab import Vocabulary, parse_choice

PARTY_STATUSES: Vocabulary = {
    "formal": ("formal member", "正式党员"),
    "probationary": ("probationary member", "预备党员"),
}
STATUS_ALIASES = {"正式": "formal", "预备": "probationary"}

# The kinds of Party life an activity of kind `party_day` can be (party_meetings.session).
PARTY_SESSIONS: Vocabulary = {
    "theme_day": ("theme Party day", "主题党日"),
    "member_assembly": ("branch general meeting", "支部党员大会"),
    "branch_committee": ("branch committee meeting", "支部委员会"),
    "party_group": ("Party group meeting", "党小组会"),
    "party_lecture": ("Party lecture", "党课"),
}
SESSION_ALIASES = {
    "党日": "theme_day",
    "主题党日活动": "theme_day",
    "党员大会": "member_assembly",
    "支委会": "branch_committee",
    "小组会": "party_group",
}

# The register's fields that belong to the person (people), not to the membership row.
PERSON_FIELDS = ("name", "phone", "id_number")


def known_branches(conn: sqlite3.Connection) -> list[str]:
    """Every branch a member may belong to: the grids' (by grid), then the units'."""
    names = [row["branch"] for row in repo.grid_branches(conn)]
    names += [row["name"] for row in repo.unit_branches(conn)]
    return list(dict.fromkeys(names))


def resolve_branch(conn: sqlite3.Connection, value: str) -> str:
    """A branch by its name, or the branch of a grid (`5`, `第五网格`); else an error that
    lists the branches there are."""
    text = value.strip()
    known = known_branches(conn)
    if text in known:
        return text
    by_grid = {row["grid"]: row["branch"] for row in repo.grid_branches(conn)}
    number = refs.grid_form(text) if text else None
    if number is not None and number in by_grid:
        return str(by_grid[number])
    listed = "、".join(known) or t("party.no_branches")
    raise NotFoundError(t("party.unknown_branch", branch=text, branches=listed))


def parse_status(value: str) -> str:
    return parse_choice(PARTY_STATUSES, value, "status", STATUS_ALIASES)


def parse_session(value: str, field: str = "--session") -> str:
    return parse_choice(PARTY_SESSIONS, value, field, SESSION_ALIASES)


def _flag(value: str, field: str) -> int:
    return int(parse_yes_no(value, field))


def past_day(field: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        day = parse_date(value, field)
        if day > now().date():
            raise InvalidInputError(t("party.future", field=field, day=day.isoformat()))
        return day.isoformat()

    return parse


def validate_party(
    conn: sqlite3.Connection, raw: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """Clean the fields present in `raw` (empty text: none); return (clean, reasons)."""

    def unit_id(value: str) -> int:
        return int(refs.unit(conn, value)["id"])

    check = FieldCheck(raw)
    check("name", str)
    check("branch", lambda v: resolve_branch(conn, v))
    check("status", parse_status, empty="formal")
    check("mobile", _flag, "mobile", empty=0)
    check("home_org", str)
    check("in_service", _flag, "in_service", empty=0)
    check("unit_id", unit_id)
    check("reported_on", past_day("reported_on"))
    check("phone", parse_person_phone, "phone")
    check("id_number", parse_id_number, "id_number")
    check("joined", past_day("joined"))
    check("since", past_day("since"))
    check("note", str)
    return check.clean, check.reasons


def consistency(member: dict[str, Any]) -> list[str]:
    """What cannot stand together in one membership row (after an edit, the merged row)."""
    reasons: list[str] = []
    if member.get("mobile") and member.get("in_service"):
        reasons.append(t("party.mobile_and_in_service"))
    if member.get("home_org") and not member.get("mobile"):
        reasons.append(t("party.home_org_needs_mobile"))
    if member.get("in_service") and not member.get("unit_id"):
        reasons.append(t("party.in_service_needs_unit"))
    if not member.get("in_service") and (member.get("unit_id") or member.get("reported_on")):
        reasons.append(t("party.unit_needs_in_service"))
    return reasons


def raise_first(reasons: list[str]) -> None:
    if reasons:
        raise InvalidInputError(reasons[0], details=reasons[1:])
