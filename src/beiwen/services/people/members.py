"""The grids' "N" forces (网格"N"力量): grid workers, volunteers, Party members, merchant
representatives, lawyers, mediators and social workers, who serves where, with which skills,
and who can help on a work order.

One row validator, `validate_member`, serves `member add` and every imported row. A person
holds each of their roles in each of their grids (no grid: the whole district); leaving a
role or grid ends the row instead of deleting it, so past months still count them.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError, NotFoundError
from beiwen.i18n import t
from beiwen.parsing import (
    iso,
    now,
    parse_date,
    parse_id_number,
)
from beiwen.privacy import in_message, parse_person_phone
from beiwen.repository import people as repo
from beiwen.services import refs
from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome, run_import
from beiwen.vocab import Vocabulary, describe, parse_choice

PERSON_ROLES: Vocabulary = {
    "grid_worker": ("grid worker", "网格员"),
    "volunteer": ("volunteer", "志愿者"),
    "party_member": ("in-service Party member", "在职党员"),
    "merchant_rep": ("merchant representative", "商家代表"),
    "lawyer": ("lawyer", "律师"),
    "mediator": ("mediator", "调解员"),
    "social_worker": ("social worker", "社工"),
}
ROLE_ALIASES = {
    "网格长": "grid_worker",
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

# The skills that serve each work-order category (used by `issue suggest`). Skills are free
# text; a person matches when one of their skills contains one of these words.
CATEGORY_SKILLS: dict[str, tuple[str, ...]] = {
    "property": ("物业", "调解"),
    "supervision": ("市场监管", "法律"),
    "safety": ("安全", "应急"),
    "vendor": ("城管", "巡查"),
    "fire_lane": ("消防", "巡查"),
    "sanitation": ("环境卫生", "巡查"),
    "consumer": ("消费维权", "法律"),
    "labour": ("劳动", "法律"),
    "dispute": ("调解", "法律"),
    "service": ("便民服务", "志愿服务"),
    "other": ("便民服务", "志愿服务"),
}

IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字"),
    "role": ("角色", "身份", "类别", "力量类别"),
    "grid": ("网格", "所属网格", "服务网格", "网格号"),
    "skill": ("技能", "专业技能", "特长", "技能特长", "skills"),
    "phone": ("电话", "联系电话", "手机", "手机号"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证"),
    "unit": ("单位", "工作单位", "所在单位"),
    "mobile_party_member": ("流动党员", "是否流动党员"),
    "since": ("加入日期", "开始日期", "入网日期"),
    "note": ("备注",),
}

_SEPARATORS = re.compile(r"[、,，;；/／|]+")
_YES = {"1", "yes", "y", "true", "是", "√"}
_NO = {"0", "no", "n", "false", "否", ""}


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


def _flag(value: str, field: str) -> int:
    text = value.strip().lower()
    if text in _YES:
        return 1
    if text in _NO:
        return 0
    raise InvalidInputError(t("people.bad_flag", field=field, value=value))


def validate_member(
    raw: dict[str, str],
    known_grids: dict[int, str],
    resolve_unit: Callable[[str], int],
) -> tuple[dict[str, Any], list[str]]:
    """Clean one member's fields; return (clean, reasons). Empty text means 'none'.

    Only the fields present in `raw` appear in `clean`, so an import without a column
    leaves that field of existing members alone. Name and role are required.
    """
    clean: dict[str, Any] = {}
    reasons: list[str] = []

    def check(field: str, parse: Callable[[str], Any], empty: Any = None) -> None:
        if field not in raw:
            return
        value = raw[field].strip()
        if not value:
            clean[field] = empty
            return
        try:
            clean[field] = parse(value)
        except (InvalidInputError, NotFoundError) as error:
            reasons.append(error.message)

    check("name", str)
    check("role", lambda v: parse_roles(v, "role"), ([], False))
    check("grid", lambda v: parse_grids(v, known_grids), [])
    check("skill", split_values, [])
    check("phone", lambda v: parse_person_phone(v, "phone"))
    check("id_number", lambda v: parse_id_number(v, "id_number"))
    check("unit", resolve_unit)
    check("mobile_party_member", lambda v: _flag(v, "mobile_party_member"), 0)
    check("since", lambda v: parse_date(v, "since").isoformat())
    check("note", str)
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


# --- finding people -------------------------------------------------------------------


def _check_not_duplicate(
    conn: sqlite3.Connection,
    name: str,
    phone: str | None,
    id_number: str | None,
    own_id: int | None,
) -> None:
    """Same ID number, or same name and same phone (both none counts), as an active member."""
    if id_number:
        holder = repo.active_person_by_id_number(conn, id_number)
        if holder and holder["id"] != own_id:
            raise ConflictError(
                t(
                    "people.duplicate_id_number",
                    masked=in_message("id_number", id_number),
                    id=holder["id"],
                    name=holder["name"],
                )
            )
    for other in repo.active_people_named(conn, name):
        if other["id"] != own_id and other["phone"] == phone:
            key = "people.duplicate" if phone else "people.duplicate_no_phone"
            raise ConflictError(t(key, name=name, id=other["id"]))


# --- roles, grids, skills -------------------------------------------------------------


def _serving(conn: sqlite3.Connection, person_id: int) -> tuple[list[str], list[int]]:
    """The roles and grids a person serves now."""
    roles: list[str] = []
    grids: list[int] = []
    for row in repo.serving_roles(conn, [person_id]):
        if row["role"] not in roles:
            roles.append(row["role"])
        if row["grid"] is not None and row["grid"] not in grids:
            grids.append(row["grid"])
    return sorted(roles, key=list(PERSON_ROLES).index), sorted(grids)


def _set_serving(
    conn: sqlite3.Connection,
    person_id: int,
    roles: list[str],
    grids: list[int],
    since: str,
    stamp: str,
) -> bool:
    """Make the person hold each role in each grid (no grid: the whole district)."""
    current = {(row["role"], row["grid"]) for row in repo.serving_roles(conn, [person_id])}
    places: list[int | None] = [*grids] or [None]
    wanted = {(role, grid) for role in roles for grid in places}
    for role, grid in sorted(current - wanted, key=str):
        repo.end_role(conn, person_id, role, grid, stamp)
    for role, grid in sorted(wanted - current, key=str):
        repo.add_role(conn, person_id, role, grid, since)
    return current != wanted


def _set_skills(conn: sqlite3.Connection, person_id: int, skills: list[str]) -> bool:
    current = [row["skill"] for row in repo.skills_of(conn, [person_id])]
    for skill in current:
        if skill not in skills:
            repo.remove_skill(conn, person_id, skill)
    for skill in skills:
        if skill not in current:
            repo.add_skill(conn, person_id, skill)
    return set(current) != set(skills)


def _insert_member(conn: sqlite3.Connection, clean: dict[str, Any], stamp: str) -> int:
    person_id = repo.insert_person(
        conn,
        {
            "name": clean["name"],
            "phone": clean.get("phone"),
            "id_number": clean.get("id_number"),
            "unit_id": clean.get("unit_id"),
            "mobile_party_member": clean.get("mobile_party_member") or 0,
            "note": clean.get("note"),
            "created_at": stamp,
        },
    )
    since = clean.get("since") or stamp[:10]
    _set_serving(conn, person_id, clean["roles"], clean.get("grids") or [], since, stamp)
    _set_skills(conn, person_id, clean.get("skills") or [])
    return person_id


# --- commands' services ---------------------------------------------------------------


def add_member(conn: sqlite3.Connection, raw: dict[str, str]) -> int:
    """Add a person with their roles, grids and skills; returns the new id."""
    clean, reasons = validate_member(raw, refs.known_grids(conn), _unit_resolver(conn))
    _raise_first(reasons)
    stamp = iso(now())
    with db.write(conn):
        _check_not_duplicate(
            conn, clean["name"], clean.get("phone"), clean.get("id_number"), own_id=None
        )
        return _insert_member(conn, clean, stamp)


def edit_member(
    conn: sqlite3.Connection,
    ref: str,
    fields: dict[str, str],
    *,
    add_roles: Sequence[str] = (),
    remove_roles: Sequence[str] = (),
    add_grids: Sequence[str] = (),
    remove_grids: Sequence[str] = (),
    add_skills: Sequence[str] = (),
    remove_skills: Sequence[str] = (),
) -> dict[str, Any]:
    """Change a member's fields ('' clears), and add or remove roles, grids and skills."""
    options = (add_roles, remove_roles, add_grids, remove_grids, add_skills, remove_skills)
    if not fields and not any(options):
        raise InvalidInputError(t("people.nothing_to_change"))
    known = refs.known_grids(conn)
    changes: dict[str, Any] = {}
    reasons: list[str] = []
    parsers: dict[str, Callable[[str], Any]] = {
        "name": str,
        "phone": lambda v: parse_person_phone(v, "--phone"),
        "id_number": lambda v: parse_id_number(v, "--id-number"),
        "unit_id": _unit_resolver(conn),
        "mobile_party_member": lambda v: _flag(v, "--mobile-party-member"),
        "note": str,
    }
    for field, value in fields.items():
        text = value.strip()
        if field == "name" and not text:
            reasons.append(t("people.required", field="--name"))
            continue
        try:
            changes[field] = parsers[field](text) if text else None
        except (InvalidInputError, NotFoundError) as error:
            reasons.append(error.message)
    try:
        roles_in = [parse_role(v) for v in add_roles]
        roles_out = [parse_role(v, "--remove-role") for v in remove_roles]
        grids_in = [refs.grid_number(v, known, "--add-grid") for v in add_grids]
        grids_out = [refs.grid_number(v, known, "--remove-grid") for v in remove_grids]
    except (InvalidInputError, NotFoundError) as error:
        reasons.append(error.message)
    _raise_first(reasons)
    skills_in = [s for v in add_skills for s in split_values(v)]
    skills_out = [s for v in remove_skills for s in split_values(v)]
    stamp = iso(now())
    with db.write(conn):
        person = refs.person(conn, ref)
        pid, name = person["id"], person["name"]
        roles, grids = _serving(conn, pid)
        for role in roles_out:
            if role not in roles:
                raise ConflictError(
                    t(
                        "people.lacks_role",
                        id=pid,
                        name=name,
                        role=display_role(role),
                        roles=display_roles(roles),
                    )
                )
            roles.remove(role)
        for role in roles_in:
            if role in roles:
                raise ConflictError(
                    t("people.has_role", id=pid, name=name, role=display_role(role))
                )
            roles.append(role)
        if not roles:
            raise ConflictError(t("people.last_role", id=pid, name=name))
        for grid in grids_out:
            if grid not in grids:
                raise ConflictError(
                    t("people.lacks_grid", id=pid, name=name, grid=grid, grids=display_grids(grids))
                )
            grids.remove(grid)
        for grid in grids_in:
            if grid in grids:
                raise ConflictError(t("people.has_grid", id=pid, name=name, grid=grid))
            grids.append(grid)
        skills = [row["skill"] for row in repo.skills_of(conn, [pid])]
        for skill in skills_out:
            if skill not in skills:
                raise ConflictError(
                    t(
                        "people.lacks_skill",
                        id=pid,
                        name=name,
                        skill=skill,
                        skills="、".join(skills) or t("people.none"),
                    )
                )
            skills.remove(skill)
        skills += [skill for skill in skills_in if skill not in skills]
        merged = {**person, **changes}
        _check_not_duplicate(conn, merged["name"], merged["phone"], merged["id_number"], pid)
        repo.update_person(conn, pid, changes)
        _set_serving(conn, pid, roles, sorted(grids), stamp[:10], stamp)
        _set_skills(conn, pid, skills)
    return member_detail(conn, str(pid))


def remove_member(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """Soft removal: the person leaves every list; history still names them."""
    with db.write(conn):
        person = refs.person(conn, ref, removed=True)
        if person["removed_at"]:
            raise ConflictError(
                t(
                    "people.already_removed",
                    id=person["id"],
                    name=person["name"],
                    date=person["removed_at"][:10],
                )
            )
        stamp = iso(now())
        repo.update_person(conn, person["id"], {"removed_at": stamp})
    open_count = repo.open_assignment_counts(conn).get(person["id"], 0)
    return {**person, "removed_at": stamp, "open_assignments": open_count}


def _decorate(conn: sqlite3.Connection, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add roles, grids, skills, since and open assignments to person rows."""
    ids = [p["id"] for p in people]
    roles: dict[int, list[str]] = {i: [] for i in ids}
    grids: dict[int, list[int]] = {i: [] for i in ids}
    since: dict[int, str] = {}
    skills: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        chunks = [ids[i : i + 500] for i in range(0, len(ids), 500)]
        for chunk in chunks:
            for row in repo.serving_roles(conn, chunk):
                pid = row["person_id"]
                if row["role"] not in roles[pid]:
                    roles[pid].append(row["role"])
                if row["grid"] is not None and row["grid"] not in grids[pid]:
                    grids[pid].append(row["grid"])
                since[pid] = min(since.get(pid, row["since"]), row["since"])
            for row in repo.skills_of(conn, chunk):
                skills[row["person_id"]].append(row["skill"])
    open_counts = repo.open_assignment_counts(conn)
    order = list(PERSON_ROLES).index
    return [
        {
            "id": p["id"],
            "name": p["name"],
            "roles": sorted(roles[p["id"]], key=order),
            "grids": sorted(grids[p["id"]]),
            "skills": skills[p["id"]],
            "phone": p["phone"],
            "id_number": p["id_number"],
            "unit_id": p["unit_id"],
            "unit": p.get("unit"),
            "mobile_party_member": bool(p["mobile_party_member"]),
            "since": since.get(p["id"]),
            "open_assignments": open_counts.get(p["id"], 0),
            "note": p["note"],
            "removed_at": p["removed_at"],
        }
        for p in people
    ]


def list_members(
    conn: sqlite3.Connection,
    *,
    grid: str | None = None,
    role: str | None = None,
    skill: str | None = None,
    mobile_party_member: bool = False,
    include_removed: bool = False,
) -> list[dict[str, Any]]:
    grid_number = refs.grid(conn, grid, "--grid")["number"] if grid is not None else None
    role_key = parse_role(role) if role is not None else None
    found = repo.list_people(
        conn,
        grid=grid_number,
        role=role_key,
        skill=skill.strip() if skill else None,
        mobile_party_member=mobile_party_member,
        include_removed=include_removed,
    )
    return _decorate(conn, found)


def member_detail(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """One person (removed ones too, by id) with their assignments to work orders."""
    person = refs.person(conn, ref, removed=True)
    detail = _decorate(conn, [person])[0]
    detail["assignments"] = repo.assignments_of(conn, person["id"])
    return detail


def import_spec(conn: sqlite3.Connection) -> ImportSpec:
    known = refs.known_grids(conn)
    resolve_unit = _unit_resolver(conn)
    stamp = iso(now())

    def validate(raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        clean, reasons = validate_member(raw, known, resolve_unit)
        if reasons:
            return clean, reasons
        match, reason = _match_existing(conn, clean)
        if reason:
            return clean, [reason]
        clean["match"] = match
        return clean, []

    def key(clean: dict[str, Any]) -> tuple[str, str] | None:
        if clean.get("id_number"):
            return ("id_number", clean["id_number"])
        return ("name+phone", f"{clean['name']} {clean.get('phone') or ''}".strip())

    def shown_key(clean: dict[str, Any]) -> str:
        if clean.get("id_number"):
            return in_message("id_number", clean["id_number"])
        return f"{clean['name']} {in_message('phone', clean.get('phone'))}".strip()

    def write(conn: sqlite3.Connection, clean: dict[str, Any]) -> RowOutcome:
        match = clean.pop("match", None)
        if match is None:
            _insert_member(conn, clean, stamp)
            return "inserted"
        person = repo.get_person(conn, match)
        assert person is not None
        changes: dict[str, Any] = {
            field: clean[field]
            for field in ("name", "phone", "id_number", "unit_id", "mobile_party_member", "note")
            if field in clean and person[field] != clean[field]
        }
        repo.update_person(conn, match, changes)
        roles, grids = _serving(conn, match)
        changed = bool(changes)
        changed |= _set_serving(
            conn,
            match,
            clean.get("roles", roles),
            clean.get("grids", grids),
            clean.get("since") or stamp[:10],
            stamp,
        )
        if "skills" in clean:
            changed |= _set_skills(conn, match, clean["skills"])
        return "updated" if changed else "unchanged"

    return ImportSpec(
        columns=IMPORT_COLUMNS,
        required=("name", "role"),
        validate=validate,
        key=key,
        write=write,
        shown_key=shown_key,
    )


def _match_existing(conn: sqlite3.Connection, clean: dict[str, Any]) -> tuple[int | None, str]:
    """The active member a roster row describes (by ID number, else name and phone)."""
    by_id = (
        repo.active_person_by_id_number(conn, clean["id_number"])
        if clean.get("id_number")
        else None
    )
    if "phone" in clean:
        by_phone = repo.active_person_by_name_phone(conn, clean["name"], clean["phone"])
    else:
        named = repo.active_people_named(conn, clean["name"])
        if len(named) > 1 and by_id is None:
            ids = ", ".join(str(p["id"]) for p in named)
            return None, t("people.ambiguous_row", name=clean["name"], count=len(named), ids=ids)
        by_phone = named[0] if len(named) == 1 else None
    if by_id and by_phone and by_id["id"] != by_phone["id"]:
        return None, t("people.two_matches", by_id=by_id["id"], by_phone=by_phone["id"])
    if by_id:
        return int(by_id["id"]), ""
    if by_phone:
        if clean.get("id_number") and by_phone["id_number"]:
            return None, t("people.other_id_number", id=by_phone["id"])
        return int(by_phone["id"]), ""
    return None, ""


def import_members(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, import_spec(conn), **options)


# --- who can help ---------------------------------------------------------------------

PLACES: Vocabulary = {
    "this_grid": ("this grid", "本网格"),
    "district": ("whole district", "全商圈"),
    "other_grid": ("other grid", "其他网格"),
}


def suggest_people(
    conn: sqlite3.Connection, skill: str | Sequence[str], grid: str | int | None = None
) -> list[dict[str, Any]]:
    """Active people with the skill: those serving `grid` first, then those serving the whole
    district, then the rest; within each, fewest open assignments first."""
    wanted = [skill] if isinstance(skill, str) else list(skill)
    skills = [part for value in wanted for part in split_values(value)]
    if not skills:
        raise InvalidInputError(t("people.skill_required"))
    grid_number = refs.grid(conn, grid, "--grid")["number"] if grid is not None else None
    candidates = repo.people_with_skill(conn, skills)
    matched = {row["id"]: row["matched"] for row in candidates}
    people = _decorate(conn, candidates)
    for person in people:
        if grid_number is None:
            person["place"] = None
        elif grid_number in person["grids"]:
            person["place"] = "this_grid"
        elif not person["grids"]:
            person["place"] = "district"
        else:
            person["place"] = "other_grid"
        person["matched_skills"] = [
            own for own in person["skills"] if any(s.lower() in own.lower() for s in skills)
        ]
    rank = {None: 0, "this_grid": 0, "district": 1, "other_grid": 2}
    people.sort(key=lambda p: (rank[p["place"]], p["open_assignments"], -matched[p["id"]], p["id"]))
    return people


def suggest_for_issue(conn: sqlite3.Connection, issue_id: str | int) -> dict[str, Any]:
    """Who can help on a work order: the skills of its category, its grid first."""
    issue = refs.work_order(conn, issue_id)
    skills = list(CATEGORY_SKILLS.get(issue["category"], CATEGORY_SKILLS["other"]))
    return {
        "issue": issue,
        "skills": skills,
        "people": suggest_people(conn, skills, issue["grid"]),
    }


def assign_person(
    conn: sqlite3.Connection,
    issue_id: str | int,
    person_ref: str | int,
    note: str | None = None,
    at: str | datetime | None = None,
) -> dict[str, Any]:
    """Record that a person helps on a work order: the `assign` move of the work-order state
    machine (services/issues.py writes the event), plus the person's open assignments."""
    from beiwen.services.issues import assign_issue

    when = iso(at) if isinstance(at, datetime) else at
    done = assign_issue(conn, issue_id, person_ref, note, when)
    done["open_assignments"] = repo.open_assignment_counts(conn).get(done["person_id"], 0)
    return done


# --- display helpers shared by the commands -------------------------------------------


MOBILE_PARTY_MEMBER = ("mobile Party member", "流动党员")


def display_role(role: str, mobile: bool = False) -> str:
    """A role's label; a mobile Party member's Party role reads 流动党员, not 在职党员."""
    from beiwen.i18n import label
    from beiwen.vocab import display

    if mobile and role == "party_member":
        return label(MOBILE_PARTY_MEMBER)
    return display(PERSON_ROLES, role)


def display_roles(roles: Sequence[str], mobile: bool = False) -> str:
    return "、".join(display_role(role, mobile) for role in roles) or t("people.none")


def display_grids(grids: Sequence[int]) -> str:
    return ", ".join(str(grid) for grid in grids) or t("people.whole_district")
