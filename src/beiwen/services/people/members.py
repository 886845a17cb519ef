"""The register of the grids' "N" forces: add, edit and remove a person, their roles,
grids and skills, and read them back (`member list`, `member show`).

A person holds each of their roles in each of their grids (no grid: the whole district);
leaving a role or grid ends the row instead of deleting it, so past months still count
them. The roster import (exchange.py) writes through the same helpers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError, NotFoundError
from beiwen.i18n import t
from beiwen.parsing import iso, now, parse_id_number
from beiwen.privacy import in_message, parse_person_phone
from beiwen.repository import people as repo
from beiwen.services import refs
from beiwen.services.people.fields import (
    PERSON_ROLES,
    _raise_first,
    _unit_resolver,
    display_grids,
    display_role,
    display_roles,
    parse_flag,
    parse_role,
    split_values,
    validate_member,
)

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


def _flag_of_the_register(
    conn: sqlite3.Connection, person_id: int, name: str, changes: dict[str, Any]
) -> None:
    """A person in the Party member register is mobile or not as the register says (m011):
    the flag of such a person changes through `party edit`, never here."""
    from beiwen.repository import party as party_repo

    if "mobile_party_member" not in changes:
        return
    member = party_repo.current_member_of(conn, person_id)
    if member is not None and int(member["mobile"]) != int(changes["mobile_party_member"] or 0):
        raise ConflictError(t("party.flag_from_register", name=name, id=member["id"]))


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


def _take_out(held: list[Any], leaving: Sequence[Any], lacks: Callable[[Any], str]) -> None:
    """Remove each of `leaving` from `held`; one not held is a conflict (`lacks(it)`)."""
    for item in leaving:
        if item not in held:
            raise ConflictError(lacks(item))
        held.remove(item)


def _put_in(held: list[Any], joining: Sequence[Any], has: Callable[[Any], str]) -> None:
    """Append each of `joining` to `held`; one already held is a conflict (`has(it)`)."""
    for item in joining:
        if item in held:
            raise ConflictError(has(item))
        held.append(item)


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
        "mobile_party_member": lambda v: parse_flag(v, "--mobile-party-member"),
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
        _take_out(
            roles,
            roles_out,
            lambda role: t(
                "people.lacks_role",
                id=pid,
                name=name,
                role=display_role(role),
                roles=display_roles(roles),
            ),
        )
        _put_in(
            roles,
            roles_in,
            lambda role: t("people.has_role", id=pid, name=name, role=display_role(role)),
        )
        if not roles:
            raise ConflictError(t("people.last_role", id=pid, name=name))
        _take_out(
            grids,
            grids_out,
            lambda grid: t(
                "people.lacks_grid", id=pid, name=name, grid=grid, grids=display_grids(grids)
            ),
        )
        _put_in(grids, grids_in, lambda grid: t("people.has_grid", id=pid, name=name, grid=grid))
        skills = [row["skill"] for row in repo.skills_of(conn, [pid])]
        _take_out(
            skills,
            skills_out,
            lambda skill: t(
                "people.lacks_skill",
                id=pid,
                name=name,
                skill=skill,
                skills="、".join(skills) or t("people.none"),
            ),
        )
        skills += [skill for skill in skills_in if skill not in skills]
        _flag_of_the_register(conn, pid, name, changes)
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
    search: str | None = None,
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
        search=search.strip() if search else None,
    )
    return _decorate(conn, found)


def member_detail(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """One person (removed ones too, by id) with their assignments to work orders."""
    person = refs.person(conn, ref, removed=True)
    detail = _decorate(conn, [person])[0]
    detail["assignments"] = repo.assignments_of(conn, person["id"])
    return detail
