"""What a member of the grids' "N" forces is made of, and how it is read and shown: the
roles (with the words rosters use for them), the parsers of roles, grids, skills and
yes/no flags, and the labels the commands show. No database here beyond resolving a
unit reference.

One row validator, `validate_member`, serves `member add` and every imported row.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from beiwen.errors import InvalidInputError
from beiwen.i18n import label, t
from beiwen.parsing import FieldCheck, parse_date, parse_id_number, parse_yes_no
from beiwen.privacy import parse_person_phone
from beiwen.services import refs
from beiwen.vocab import Vocabulary, describe, display, parse_choice

PERSON_ROLES: Vocabulary = {
    "grid_worker": ("grid worker", "网格员"),
    "grid_leader": ("grid leader", "网格长"),
    "volunteer": ("volunteer", "志愿者"),
    "party_member": ("in-service Party member", "在职党员"),
    "merchant_rep": ("merchant representative", "商家代表"),
    "lawyer": ("lawyer", "律师"),
    "mediator": ("mediator", "调解员"),
    "social_worker": ("social worker", "社工"),
}
ROLE_ALIASES = {
    "专职网格员": "grid_worker",
    "兼职网格员": "grid_worker",
    "党员": "party_member",
    "党员志愿者": "party_member",
    "商户代表": "merchant_rep",
    "商家": "merchant_rep",
    "法律顾问": "lawyer",
    "金牌调解员": "mediator",
    "人民调解员": "mediator",
    "社会工作者": "social_worker",
    "社工师": "social_worker",
}
# A mobile Party member (流动党员) is recorded as a Party member with the mobile flag set.
MOBILE_PARTY_WORDS = {"流动党员", "mobile_party_member", "mobile party member"}

_SEPARATORS = re.compile(r"[、,，;；/／|]+")


def split_values(text: str) -> list[str]:
    """`调解、法律/劳动` -> [调解, 法律, 劳动]: the separators rosters use, duplicates dropped."""
    seen: dict[str, None] = {}
    for part in _SEPARATORS.split(text):
        if part.strip():
            seen.setdefault(part.strip(), None)
    return list(seen)


def parse_roles(text: str, field: str = "role") -> tuple[list[str], bool]:
    """The role keys in `text`, and whether it named a mobile Party member (流动党员)."""
    roles: list[str] = []
    mobile = False
    for part in split_values(text):
        if part.lower() in MOBILE_PARTY_WORDS:
            key, mobile = "party_member", True
        else:
            key = parse_choice(PERSON_ROLES, part, field, ROLE_ALIASES)
        if key not in roles:
            roles.append(key)
    return sorted(roles, key=list(PERSON_ROLES).index), mobile


def parse_role(value: str, field: str = "--role") -> str:
    roles, _ = parse_roles(value, field)
    if len(roles) != 1:
        raise InvalidInputError(
            t("error.choice", field=field, value=value, choices=describe(PERSON_ROLES))
        )
    return roles[0]


def parse_grids(text: str, known: dict[int, str]) -> list[int]:
    """`1、第三网格、步行街中段网格` -> [1, 3, 5]: every form `refs.grid_number` reads."""
    return sorted({refs.grid_number(part, known) for part in split_values(text)})


def parse_flag(value: str, field: str) -> int:
    """A yes/no cell or option as stored: 1 or 0."""
    return int(parse_yes_no(value, field))


def validate_member(
    raw: dict[str, str],
    known_grids: dict[int, str],
    resolve_unit: Callable[[str], int],
) -> tuple[dict[str, Any], list[str]]:
    """Clean one member's fields; return (clean, reasons). Empty text means 'none'.

    Only the fields present in `raw` appear in `clean`, so an import without a column
    leaves that field of existing members alone. Name and role are required.
    """
    check = FieldCheck(raw)
    check("name", str)
    check("role", parse_roles, "role", empty=([], False))
    check("grid", parse_grids, known_grids, empty=[])
    check("skill", split_values, empty=[])
    check("phone", parse_person_phone, "phone")
    check("id_number", parse_id_number, "id_number")
    check("unit", resolve_unit)
    check("mobile_party_member", parse_flag, "mobile_party_member", empty=0)
    check("since", lambda v: parse_date(v, "since").isoformat())
    check("note", str)
    clean, reasons = check.clean, check.reasons
    if not clean.get("name") and not any(r.startswith("name") for r in reasons):
        reasons.append(t("people.required", field="name"))
    if "role" in clean:
        roles, mobile = clean.pop("role")
        clean["roles"] = roles
        if mobile:
            clean["mobile_party_member"] = 1
    if not clean.get("roles") and not any(r.startswith("role") for r in reasons):
        reasons.append(t("people.required", field="role"))
    if "grid" in clean:
        clean["grids"] = clean.pop("grid")
    if "skill" in clean:
        clean["skills"] = clean.pop("skill")
    if "unit" in clean:
        clean["unit_id"] = clean.pop("unit")
    return clean, reasons


def _raise_first(reasons: list[str]) -> None:
    if reasons:
        raise InvalidInputError(reasons[0], details=reasons[1:])


def _unit_resolver(conn: sqlite3.Connection) -> Callable[[str], int]:
    def resolve(ref: str) -> int:
        return int(refs.unit(conn, ref)["id"])

    return resolve


# --- display helpers shared by the commands -------------------------------------------


MOBILE_PARTY_MEMBER = ("mobile Party member", "流动党员")


def display_role(role: str, mobile: bool = False) -> str:
    """A role's label; a mobile Party member's Party role reads 流动党员, not 在职党员."""
    if mobile and role == "party_member":
        return label(MOBILE_PARTY_MEMBER)
    return display(PERSON_ROLES, role)


def display_roles(roles: Sequence[str], mobile: bool = False) -> str:
    return "、".join(display_role(role, mobile) for role in roles) or t("people.none")


def display_grids(grids: Sequence[int]) -> str:
    return ", ".join(str(grid) for grid in grids) or t("people.whole_district")
