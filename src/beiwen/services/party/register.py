"""The register's commands: add a member (linking the person the grids already know), edit,
leave, list and show them, and the units' Party branches.

A member is a person of `people`, matched as the roster import matches grid members
(people.exchange `_match_existing`: by ID number, else by name and phone, else by a name
that only one active person has), so that a grid member who is also a Party member is one
person. `people.mobile_party_member` is derived from the register: set on every change.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError, NotFoundError
from beiwen.i18n import t
from beiwen.parsing import iso, now
from beiwen.repository import Row
from beiwen.repository import party as repo
from beiwen.repository import people as people_repo
from beiwen.services import refs
from beiwen.services.party.fields import (
    PERSON_FIELDS,
    consistency,
    known_branches,
    past_day,
    raise_first,
    resolve_branch,
    validate_party,
)
from beiwen.services.people.exchange import _match_existing
from beiwen.services.people.members import _check_not_duplicate

MEMBER_FIELDS = (
    "branch",
    "status",
    "mobile",
    "home_org",
    "in_service",
    "unit_id",
    "reported_on",
    "joined",
    "since",
    "note",
)


@dataclass
class Added:
    """The new register row, the person it is, and whether that person was known already."""

    id: int
    person_id: int
    name: str
    linked: bool


def required(raw: dict[str, str], reasons: list[str], names: tuple[str, ...]) -> None:
    """A reason for each of `names` that `raw` lacks or leaves empty."""
    for name in names:
        if not raw.get(name, "").strip():
            reasons.append(t("party.required", field=name))


def person_for(conn: sqlite3.Connection, clean: dict[str, Any], stamp: str) -> tuple[int, bool]:
    """The person a member's name, phone and ID number describe (a grid member too), filling
    in a phone or an ID number they lacked; else a new person. Returns (id, linked)."""
    wanted = {key: clean[key] for key in PERSON_FIELDS if clean.get(key) is not None}
    match, reason = _match_existing(conn, wanted)
    if reason:
        raise ConflictError(reason)
    if match is None:
        person_id = people_repo.insert_person(
            conn,
            {
                "name": clean["name"],
                "phone": clean.get("phone"),
                "id_number": clean.get("id_number"),
                "unit_id": clean.get("unit_id"),
                "mobile_party_member": clean.get("mobile") or 0,
                "created_at": stamp,
            },
        )
        return person_id, False
    person = people_repo.get_person(conn, match)
    assert person is not None
    missing = {
        key: clean[key]
        for key in ("phone", "id_number", "unit_id")
        if clean.get(key) is not None and person[key] is None
    }
    people_repo.update_person(conn, match, missing)
    return match, True


def add_member(conn: sqlite3.Connection, raw: dict[str, str]) -> Added:
    """Register a Party member (`party add`); a person already known is linked, not copied."""
    clean, reasons = validate_party(conn, raw)
    required(raw, reasons, ("name", "branch"))
    reasons += consistency(clean)
    raise_first(reasons)
    stamp = iso(now())
    with db.write(conn):
        person_id, linked = person_for(conn, clean, stamp)
        current = repo.current_member_of(conn, person_id)
        if current is not None:
            raise ConflictError(
                t(
                    "party.already_member",
                    name=current["name"],
                    id=current["id"],
                    branch=current["branch"],
                )
            )
        row: dict[str, Any] = {key: clean.get(key) for key in MEMBER_FIELDS}
        row.update(
            status=clean.get("status") or "formal",
            mobile=clean.get("mobile") or 0,
            in_service=clean.get("in_service") or 0,
            since=clean.get("since") or stamp[:10],
            person_id=person_id,
            created_at=stamp,
        )
        member_id = repo.insert_member(conn, row)
        repo.set_mobile_flag(conn, person_id, row["mobile"])
    return Added(member_id, person_id, clean["name"], linked)


def resolve(conn: sqlite3.Connection, ref: str) -> Row:
    """A register row by its id, else the latest row of the person a name or phone names."""
    text = ref.strip()
    found_id = refs.number(text, "member")
    if found_id is not None:
        found = repo.get_member(conn, found_id)
        if found is None:
            raise NotFoundError(t("party.not_found", ref=ref))
        return found
    person = refs.person(conn, text)
    history = repo.history_of(conn, person["id"])
    if not history:
        raise NotFoundError(t("party.not_a_member", name=person["name"], id=person["id"]))
    return history[0]


def edit_member(conn: sqlite3.Connection, ref: str, raw: dict[str, str]) -> Row:
    """Change a member's record ('' clears a field); name, phone and ID number are the
    person's, shared with the grid roster."""
    if not raw:
        raise InvalidInputError(t("party.nothing_to_change"))
    clean, reasons = validate_party(conn, raw)
    if "name" in clean and not clean["name"]:
        reasons.append(t("party.required", field="name"))
    if "branch" in raw and not clean.get("branch"):
        reasons.append(t("party.required", field="branch"))
    raise_first(reasons)
    with db.write(conn):
        member = resolve(conn, ref)
        changes = {key: clean[key] for key in MEMBER_FIELDS if key in clean}
        if changes.get("mobile") == 0 and "home_org" not in changes:
            changes["home_org"] = None  # no longer mobile: no home organisation to keep
        if changes.get("in_service") == 0:
            changes.setdefault("unit_id", None)
            changes.setdefault("reported_on", None)
        for key in ("status", "mobile", "in_service"):
            if key in changes and changes[key] is None:
                changes[key] = "formal" if key == "status" else 0
        merged = {**member, **changes}
        raise_first(consistency(merged))
        if "since" in changes and merged["left_on"] and merged["since"] > merged["left_on"]:
            raise InvalidInputError(
                t("party.left_before_since", left=merged["left_on"], since=merged["since"])
            )
        person = {key: clean[key] for key in PERSON_FIELDS if key in clean}
        if person:
            whole = {**member, **person}
            _check_not_duplicate(
                conn, whole["name"], whole["phone"], whole["id_number"], member["person_id"]
            )
            people_repo.update_person(conn, member["person_id"], person)
        repo.update_member(conn, member["id"], changes)
        if member["left_on"] is None:
            repo.set_mobile_flag(conn, member["person_id"], int(merged["mobile"]))
        updated = repo.get_member(conn, member["id"])
    assert updated is not None
    return updated


def leave(conn: sqlite3.Connection, ref: str, day: str, to: str | None, note: str | None) -> Row:
    """The member leaves (转出): the row keeps its history with `left_on` and `left_to`; the
    person stops serving the grids as a Party member."""
    left_on = past_day("--date")(day)
    with db.write(conn):
        member = resolve(conn, ref)
        if member["left_on"] is not None:
            raise ConflictError(
                t(
                    "party.already_left",
                    name=member["name"],
                    id=member["id"],
                    date=member["left_on"],
                )
            )
        if left_on < member["since"]:
            raise InvalidInputError(
                t("party.left_before_since", left=left_on, since=member["since"])
            )
        notes = [part for part in (member["note"], (note or "").strip()) if part]
        repo.update_member(
            conn,
            member["id"],
            {
                "left_on": left_on,
                "left_to": (to or "").strip() or None,
                "note": "；".join(notes) or None,
            },
        )
        repo.end_party_roles(conn, member["person_id"], left_on)
        repo.set_mobile_flag(conn, member["person_id"], 0)
        updated = repo.get_member(conn, member["id"])
    assert updated is not None
    return updated


def list_members(
    conn: sqlite3.Connection,
    *,
    branch: str | None = None,
    mobile: bool = False,
    in_service: bool = False,
    search: str | None = None,
    include_left: bool = False,
) -> list[Row]:
    return repo.list_members(
        conn,
        branch=resolve_branch(conn, branch) if branch is not None else None,
        mobile=mobile,
        in_service=in_service,
        search=search.strip() if search else None,
        include_left=include_left,
    )


def member_detail(conn: sqlite3.Connection, ref: str) -> Row:
    """A member's record with every spell of membership and the sessions they attended."""
    member = resolve(conn, ref)
    return {
        **member,
        "history": repo.history_of(conn, member["person_id"]),
        "attended": repo.attendance_of(conn, member["person_id"]),
    }


# --- the units' branches -------------------------------------------------------------------


def add_branch(conn: sqlite3.Connection, name: str, unit: str | None) -> int:
    """A unit's own Party branch (机关、企业党支部), which members may then belong to."""
    text = name.strip()
    if not text:
        raise InvalidInputError(t("party.required", field="branch"))
    with db.write(conn):
        if text in known_branches(conn):
            raise ConflictError(t("party.branch_exists", branch=text))
        unit_id = int(refs.unit(conn, unit)["id"]) if unit is not None and unit.strip() else None
        return repo.insert_branch(
            conn, {"name": text, "unit_id": unit_id, "created_at": iso(now())}
        )


def list_branches(conn: sqlite3.Connection) -> list[Row]:
    """Every branch, the grids' first, with the members it has now."""
    counts = repo.member_counts_by_branch(conn)
    found: list[Row] = [
        {
            "branch": row["branch"],
            "grid": row["grid"],
            "unit": None,
            "members": counts.get(row["branch"], 0),
        }
        for row in repo.grid_branches(conn)
    ]
    found += [
        {
            "branch": row["name"],
            "grid": None,
            "unit": row["unit"],
            "members": counts.get(row["name"], 0),
        }
        for row in repo.unit_branches(conn)
    ]
    return found
