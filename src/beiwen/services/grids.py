"""Grids (网格): the six areas the district is divided into, each with a Party branch."""

from __future__ import annotations

import sqlite3
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import iso, now, whole_number
from beiwen.repository import grids as repo
from beiwen.services import refs
from beiwen.services.importing import ImportSpec, RowOutcome, update_changed


def parse_grid_number(value: str | int) -> int:
    """The number of a new grid (`grid add`, the grids file): 1 to 999, `５` allowed.

    Existing grids are found by `refs.grid`, which also takes `第5网格` and names.
    """
    number = value if isinstance(value, int) else whole_number(value, "grid")
    if number is not None and 1 <= number <= 999:
        return number
    raise InvalidInputError(t("grids.bad_number", value=value))


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

    def write(conn: sqlite3.Connection, clean: dict[str, Any]) -> RowOutcome:
        existing = repo.get_grid(conn, clean["number"])
        if existing is None:
            repo.insert_grid(
                conn, {"branch": None, "area": None, **clean, "created_at": iso(now())}
            )
            return "inserted"
        return update_changed(existing, clean, partial(repo.update_grid, conn, clean["number"]))

    return ImportSpec(
        columns=GRID_COLUMNS,
        required=("number", "name"),
        validate=validate,
        key=lambda clean: ("number", str(clean["number"])),
        write=write,
    )


def edit_grid(
    conn: sqlite3.Connection,
    number: str,
    name: str | None,
    branch: str | None,
    area: str | None,
) -> dict[str, Any]:
    """Change a grid's name, branch or area ('' clears the branch or the area)."""
    if name is None and branch is None and area is None:
        raise InvalidInputError(t("grids.nothing_to_change"))
    if name is not None and not name.strip():
        raise InvalidInputError(t("grids.empty_name"))
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = name.strip()
    if branch is not None:
        changes["branch"] = branch.strip() or None
    if area is not None:
        changes["area"] = area.strip() or None
    with db.write(conn):
        grid = refs.grid(conn, number)
        repo.update_grid(conn, grid["number"], changes)
    return {**grid, **changes}


def grid_detail(conn: sqlite3.Connection, number: str) -> dict[str, Any]:
    """A grid with its people by role, its units by kind and category, and its open and
    overdue work orders."""
    grid = refs.grid(conn, number)
    people_by_role: dict[str, list[dict[str, Any]]] = {}
    for row in repo.grid_people(conn, grid["number"]):
        people_by_role.setdefault(row.pop("role"), []).append(
            {**row, "mobile_party_member": bool(row["mobile_party_member"])}
        )
    units_by_kind: dict[str, int] = {}
    merchants_by_category: dict[str, int] = {}
    for row in repo.unit_counts(conn, grid["number"]):
        units_by_kind[row["kind"]] = units_by_kind.get(row["kind"], 0) + row["count"]
        if row["kind"] == "merchant":
            category = row["category"] or "other"
            merchants_by_category[category] = merchants_by_category.get(category, 0) + row["count"]
    moment = iso(now())
    open_orders = [
        {**row, "overdue": bool(row["due_at"] and row["due_at"] < moment)}
        for row in repo.open_issues(conn, grid["number"])
    ]
    return {
        **grid,
        "people": len({p["id"] for group in people_by_role.values() for p in group}),
        "people_by_role": people_by_role,
        "district_people": len({row["id"] for row in repo.grid_people(conn, None)}),
        "units": sum(units_by_kind.values()),
        "units_by_kind": units_by_kind,
        "merchants_by_category": dict(
            sorted(merchants_by_category.items(), key=lambda item: (-item[1], item[0]))
        ),
        "open_work_orders": len(open_orders),
        "overdue_work_orders": sum(order["overdue"] for order in open_orders),
        "work_orders": open_orders,
    }


def format_rate(numerator: int, denominator: int) -> str:
    """`73/77 = 94.8%` (half up, one decimal); `-` when there is nothing to divide by."""
    if not denominator:
        return "-"
    return f"{numerator}/{denominator} = {percent(numerator, denominator)}%"


def percent(numerator: int, denominator: int) -> Decimal:
    exact = Decimal(numerator * 100) / Decimal(denominator)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _period(month: str | None, year: str | None) -> tuple[str | None, str, str]:
    """(label, start, end) of the period as stored times; all of time when neither is given."""
    from datetime import datetime

    from beiwen.parsing import CHINA_TZ, add_months, parse_month, parse_year

    if month is not None and year is not None:
        raise InvalidInputError(t("grids.month_and_year"))
    if month is not None:
        first = parse_month(month, "--month")
        after = add_months(first, 1)
        start = datetime(int(first[:4]), int(first[5:]), 1, tzinfo=CHINA_TZ)
        end = datetime(int(after[:4]), int(after[5:]), 1, tzinfo=CHINA_TZ)
        return first, iso(start), iso(end)
    if year is not None:
        number = parse_year(year, "--year")
        start = datetime(number, 1, 1, tzinfo=CHINA_TZ)
        end = datetime(number + 1, 1, 1, tzinfo=CHINA_TZ)
        return str(number), iso(start), iso(end)
    return None, "", "9999-12-31T00:00:00+08:00"


def grid_stats(
    conn: sqlite3.Connection, month: str | None = None, year: str | None = None
) -> dict[str, Any]:
    """Per grid: work orders collected, handled, handling rate, overdue, people active.

    Collected: reported in the period and not cancelled before its end. Handled: of those,
    resolved or closed before the period's end. Overdue: of those, not handled by then and
    past their due time (by the period's end, or now if that is earlier). People active:
    people who served the grid at some time in the period (without a period: serving now).
    The total row counts each person once, however many grids they serve.
    """
    period, start, end = _period(month, year)
    moment = iso(now())
    due_before = min(end, moment)
    issues = {row["grid"]: row for row in repo.issue_stats(conn, start, end, due_before)}
    # Without a period, "active" means serving now, not "ever served".
    people_start = start if period else moment
    active = {
        row["grid"]: row["people"] for row in repo.people_active(conn, people_start, end[:10])
    }
    keys: list[int | None] = [grid["number"] for grid in repo.list_grids(conn)]
    names = {grid["number"]: grid["name"] for grid in repo.list_grids(conn)}
    if None in issues or None in active:
        keys.append(None)
    rows: list[dict[str, Any]] = []
    for key in keys:
        counts = issues.get(key, {"collected": 0, "handled": 0, "overdue": 0})
        rows.append(_stats_row(key, names.get(key), counts, active.get(key, 0)))
    totals = {
        field: sum(row[field] for row in rows) for field in ("collected", "handled", "overdue")
    }
    total = _stats_row(None, None, totals, repo.people_active_total(conn, people_start, end[:10]))
    return {"period": period, "grids": rows, "total": total}


def _stats_row(
    grid: int | None, name: str | None, counts: dict[str, Any], people: int
) -> dict[str, Any]:
    collected, handled = int(counts["collected"]), int(counts["handled"])
    return {
        "grid": grid,
        "name": name,
        "collected": collected,
        "handled": handled,
        "handling_rate": float(percent(handled, collected)) if collected else None,
        "rate": format_rate(handled, collected),
        "overdue": int(counts["overdue"]),
        "people": people,
    }
