"""`party import`: a register kept in a spreadsheet (Chinese headers), through the one
import pipeline. A row is a person as the grid roster import finds them (ID number, else
name and phone, else a name only one person has); a current member is updated, anyone else
is registered. ID numbers are checked as for grid members (`parsing.parse_id_number`).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beiwen.parsing import iso, now
from beiwen.privacy import in_message
from beiwen.repository import party as repo
from beiwen.services.party.fields import consistency, raise_first, validate_party
from beiwen.services.party.register import MEMBER_FIELDS, person_for, required

if TYPE_CHECKING:
    from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome

IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "党员姓名"),
    "branch": ("党支部", "所在党支部", "支部", "所在支部"),
    "status": ("党员类别", "党籍状态", "类别", "正式/预备"),
    "mobile": ("流动党员", "是否流动党员"),
    "home_org": ("原组织关系所在", "原组织关系", "原党组织", "组织关系所在"),
    "in_service": ("在职党员", "是否在职党员"),
    "unit_id": ("工作单位", "单位", "所在单位"),
    "reported_on": ("双报到日期", "报到日期", "到社区报到日期"),
    "phone": ("电话", "联系电话", "手机", "手机号"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "身份证"),
    "joined": ("入党日期", "入党时间"),
    "since": ("转入日期", "纳入日期", "加入日期"),
    "note": ("备注",),
}


def import_spec(conn: sqlite3.Connection) -> ImportSpec:
    from beiwen.services.importing import ImportSpec

    stamp = iso(now())

    def validate(raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        clean, reasons = validate_party(conn, raw)
        required(raw, reasons, ("name", "branch"))
        if not reasons:
            reasons += consistency(clean)
        return clean, reasons

    def key(clean: dict[str, Any]) -> tuple[str, str]:
        if clean.get("id_number"):
            return ("id_number", clean["id_number"])
        return ("name+phone", f"{clean['name']} {clean.get('phone') or ''}".strip())

    def shown_key(clean: dict[str, Any]) -> str:
        if clean.get("id_number"):
            return in_message("id_number", clean["id_number"])
        return f"{clean['name']} {in_message('phone', clean.get('phone'))}".strip()

    def write(conn: sqlite3.Connection, clean: dict[str, Any]) -> RowOutcome:
        person_id, _ = person_for(conn, clean, stamp)
        current = repo.current_member_of(conn, person_id)
        row = {field: clean[field] for field in MEMBER_FIELDS if field in clean}
        if current is not None:
            changes = {k: v for k, v in row.items() if current.get(k) != v}
            merged = {**current, **changes}
            raise_first(consistency(merged))
            repo.update_member(conn, current["id"], changes)
            repo.set_mobile_flag(conn, person_id, int(merged["mobile"]))
            return "updated" if changes else "unchanged"
        row.update(
            status=row.get("status") or "formal",
            mobile=row.get("mobile") or 0,
            in_service=row.get("in_service") or 0,
            since=row.get("since") or stamp[:10],
            person_id=person_id,
            created_at=stamp,
        )
        repo.insert_member(conn, row)
        repo.set_mobile_flag(conn, person_id, row["mobile"])
        return "inserted"

    return ImportSpec(
        columns=IMPORT_COLUMNS,
        required=("name", "branch"),
        validate=validate,
        key=key,
        write=write,
        shown_key=shown_key,
    )


def import_members(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    from beiwen.services.importing import run_import

    return run_import(conn, path, import_spec(conn), **options)


# Who came to the demo year's 主题党日 (examples/activities_2024.csv, 2024-08-27).
DEMO_THEME_DAY = ("主题党日：党建引领商圈治理", "2024-08-27")
DEMO_ATTENDED = (
    "潘琳婷",
    "邓勇娜",
    "高琴云",
    "马桂红",
    "彭洋",
    "魏萍云",
    "袁琴",
    "卢平",
    "袁刚雪",
    "宋婷明",
    "郑涛平",
    "韩磊",
    "姚英刚",
)


def demo_party(conn: sqlite3.Connection, folder: Path) -> int:
    """`init --demo`: the 2024 register (a mobile member leaves in June) and who attended
    the 主题党日 in August."""
    from beiwen.repository.activities import activity_by_title_date
    from beiwen.services.party.attendance import attend
    from beiwen.services.party.register import leave

    inserted = import_members(conn, folder / "party_members_2024.csv").inserted
    leave(conn, "冯婷娜", "2024-06-15", "贵州省遵义市汇川区上海路街道党工委", "返回原籍")
    theme_day = activity_by_title_date(conn, *DEMO_THEME_DAY)
    if theme_day is not None:
        attend(conn, str(theme_day["id"]), list(DEMO_ATTENDED), "theme_day")
    return inserted
