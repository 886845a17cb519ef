"""The roster import of the grids' "N" forces (CSV/XLSX): a row matches an active member
by ID number, else by name and phone, and updates them; otherwise it adds a person. The
pipeline itself (services/importing.py) is imported only when an import runs.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beiwen.i18n import t
from beiwen.parsing import iso, now
from beiwen.privacy import in_message
from beiwen.repository import people as repo
from beiwen.services import refs
from beiwen.services.people.fields import _unit_resolver, validate_member
from beiwen.services.people.members import (
    _insert_member,
    _serving,
    _set_serving,
    _set_skills,
)

if TYPE_CHECKING:
    from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome

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


def import_spec(conn: sqlite3.Connection) -> ImportSpec:
    from beiwen.services.importing import ImportSpec

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
        if match is not None and "mobile_party_member" in clean:
            from beiwen.repository import party as party_repo

            member = party_repo.current_member_of(conn, match)
            if member is not None and member["mobile"] != clean["mobile_party_member"]:
                return clean, [t("party.flag_from_register", name=clean["name"], id=member["id"])]
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
    from beiwen.services.importing import run_import

    return run_import(conn, path, import_spec(conn), **options)
