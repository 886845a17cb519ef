"""Grids (网格): the six areas the district is divided into, each with a Party branch."""

from __future__ import annotations

import sqlite3
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError, NotFoundError
from beiwen.i18n import register, t
from beiwen.parsing import iso, now
from beiwen.repository import grids as repo
from beiwen.services.importing import ImportSpec

register(
    {
        "grids.exists": (
            "grid {number} already exists ({name}); change it with: beiwen grid edit {number}",
            "网格 {number} 已存在（{name}）；如需修改：beiwen grid edit {number}",
        ),
        "grids.bad_number": (
            'grid number "{value}" must be a whole number from 1 to 999',
            "网格编号“{value}”必须是 1 到 999 的整数",
        ),
        "grids.not_found": (
            'unknown grid "{number}"; grids are {grids}, see: beiwen grid list',
            "网格“{number}”不存在；现有网格：{grids}，见 beiwen grid list",
        ),
        "grids.empty_name": ("grid name must not be empty", "网格名称不能为空"),
    }
)


def parse_grid_number(value: str | int) -> int:
    text = str(value).strip()
    if text.isdigit() and 1 <= int(text) <= 999:
        return int(text)
    raise InvalidInputError(t("grids.bad_number", value=value))


def require_grid(conn: sqlite3.Connection, value: str | int) -> dict[str, Any]:
    number = parse_grid_number(value)
    grid = repo.get_grid(conn, number)
    if grid is None:
        shown = ", ".join(str(n) for n in repo.grid_numbers(conn)) or "-"
        raise NotFoundError(t("grids.not_found", number=value, grids=shown))
    return grid


def add_grid(
    conn: sqlite3.Connection, number: str, name: str, branch: str | None, area: str | None
) -> int:
    grid_number = parse_grid_number(number)
    if not name.strip():
        raise InvalidInputError(t("grids.empty_name"))
    with db.write(conn):
        existing = repo.get_grid(conn, grid_number)
        if existing:
            raise ConflictError(t("grids.exists", number=grid_number, name=existing["name"]))
        repo.insert_grid(
            conn,
            {
                "number": grid_number,
                "name": name.strip(),
                "branch": branch,
                "area": area,
                "created_at": iso(now()),
            },
        )
    return grid_number


def list_grids(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return repo.list_grids(conn)


GRID_COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("网格", "网格编号", "编号"),
    "name": ("名称", "网格名称"),
    "branch": ("网格党支部", "党支部"),
    "area": ("范围", "区域"),
}


def import_spec() -> ImportSpec:
    """Grids through the shared import pipeline (used by the demo loader)."""

    def validate(raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        reasons: list[str] = []
        clean: dict[str, Any] = {k: (v or None) for k, v in raw.items()}
        try:
            clean["number"] = parse_grid_number(raw.get("number", ""))
        except InvalidInputError as error:
            reasons.append(error.message)
        if not raw.get("name"):
            reasons.append(t("grids.empty_name"))
        return clean, reasons

    def write(conn: sqlite3.Connection, clean: dict[str, Any]) -> str:
        existing = repo.get_grid(conn, clean["number"])
        if existing is None:
            repo.insert_grid(
                conn, {"branch": None, "area": None, **clean, "created_at": iso(now())}
            )
            return "inserted"
        changes = {k: v for k, v in clean.items() if existing.get(k) != v}
        if not changes:
            return "unchanged"
        repo.update_grid(conn, clean["number"], changes)
        return "updated"

    return ImportSpec(
        columns=GRID_COLUMNS,
        required=("number", "name"),
        validate=validate,
        key=lambda clean: ("number", str(clean["number"])),
        write=write,
    )
