"""The register of units (单位): validation, add/edit/retire, roster import and export.

One row validator, `validate_unit`, serves `units add`, `units edit` and every imported
row, so the rules cannot drift between the command line and the roster files.
"""

from __future__ import annotations

import sqlite3
from bisect import insort
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from beiwen import db, parsing
from beiwen.errors import ConflictError, InvalidInputError, NotFoundError
from beiwen.i18n import t
from beiwen.parsing import FieldCheck, iso, now
from beiwen.repository import units as repo
from beiwen.services import refs
from beiwen.services.importing import (
    ImportSpec,
    ImportSummary,
    RowOutcome,
    memoised,
    read_fields,
    run_import,
)
from beiwen.vocab import ALIASES, MERCHANT_CATEGORIES, UNIT_KINDS, parse_choice

IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("统一社会信用代码", "信用代码", "社会信用代码", "credit_code"),
    "name": ("名称", "商户名称", "企业名称", "单位名称", "店名"),
    "category": ("类别", "业态", "行业", "经营类别"),
    "address": ("地址", "经营地址", "详细地址"),
    "grid": ("网格", "所属网格", "网格号"),
    "contact": ("联系人", "负责人", "法定代表人"),
    "phone": ("联系电话", "电话", "手机", "手机号"),
    "opened": ("开业日期", "成立日期"),
    "kind": ("类型", "单位类型"),
    "council": ("联席会成员", "联席会", "共建单位"),
}
EXPORT_COLUMNS = (
    "code",
    "name",
    "kind",
    "category",
    "grid",
    "address",
    "contact",
    "phone",
    "opened",
    "council",
)

# How each field of a unit is read; imports call these for every cell, so they are plain
# module-level functions rather than closures built per row.
# A parser None keeps the text as it is (services.importing.read_fields).
_FIELD_PARSERS: tuple[tuple[str, Callable[[str, Mapping[int, str]], Any] | None], ...] = (
    ("code", lambda v, _: parsing.parse_credit_code(v, "code")),
    ("name", None),
    ("kind", lambda v, _: parse_choice(UNIT_KINDS, v, "kind", ALIASES["UNIT_KINDS"])),
    (
        "category",
        lambda v, _: parse_choice(
            MERCHANT_CATEGORIES, v, "category", ALIASES["MERCHANT_CATEGORIES"]
        ),
    ),
    ("grid", lambda v, grids: refs.grid_number(v, grids)),
    ("address", None),
    ("contact", None),
    ("phone", lambda v, _: parsing.parse_phone(v, "phone")),
    ("opened", lambda v, _: parsing.parse_date(v, "opened").isoformat()),
    ("council", lambda v, _: parsing.parse_yes_no(v, "council")),
)


def validate_unit(
    raw: dict[str, str],
    known_grids: Mapping[int, str],
    default_kind: str | None = None,
    partial: bool = False,
    parsers: Sequence[tuple[str, Callable[[str, Mapping[int, str]], Any] | None]] = (
        _FIELD_PARSERS
    ),
) -> tuple[dict[str, Any], list[str]]:
    """Clean the given fields of one unit; return (clean, reasons). Empty text means 'none'.

    `partial` (edit) checks only the fields given; otherwise name and kind are required.
    `parsers`: `_FIELD_PARSERS`, or an import's memoised copy of them.
    """
    check = FieldCheck(raw)
    read_fields(check, parsers, known_grids)  # a fixed order: reasons in column order
    clean, reasons = check.clean, check.reasons
    if not partial:
        if clean.get("kind") is None:
            if default_kind:
                clean["kind"] = default_kind
            elif not any(r.startswith("kind") for r in reasons):
                reasons.append(t("units.required", field="kind"))
        if not clean.get("name") and not any(r.startswith("name") for r in reasons):
            reasons.append(t("units.required", field="name"))
    else:
        # Name and kind can be changed, never cleared.
        for required in ("name", "kind"):
            if required in raw and not raw[required].strip():
                reasons.append(t("units.required", field=required))
    if "council" in clean:
        clean["council"] = 1 if clean["council"] else 0
    return clean, reasons


def _raise_first(reasons: list[str]) -> None:
    if reasons:
        raise InvalidInputError(reasons[0], details=reasons[1:])


def add_unit(conn: sqlite3.Connection, raw: dict[str, str]) -> int:
    clean, reasons = validate_unit(raw, refs.known_grids(conn))
    _raise_first(reasons)
    stamp = iso(now())
    with db.write(conn):
        if clean.get("code"):
            _check_code_free(conn, clean["code"], None)
        if clean.get("council"):
            clean["council_since"] = stamp
        return repo.insert_unit(conn, {**clean, "created_at": stamp, "updated_at": stamp})


def _check_code_free(conn: sqlite3.Connection, code: str, own_id: int | None) -> None:
    holder = repo.unit_by_code(conn, code)
    if holder and holder["id"] != own_id:
        raise ConflictError(t("units.code_taken", code=code, id=holder["id"], name=holder["name"]))


def edit_unit(conn: sqlite3.Connection, ref: str, raw: dict[str, str]) -> dict[str, Any]:
    if not raw:
        raise InvalidInputError(t("units.nothing_to_change"))
    clean, reasons = validate_unit(raw, refs.known_grids(conn), partial=True)
    _raise_first(reasons)
    with db.write(conn):
        unit = refs.unit(conn, ref)
        if clean.get("code"):
            _check_code_free(conn, clean["code"], unit["id"])
        if clean.get("council") and not unit["council"]:
            clean["council_since"] = iso(now())
        clean["updated_at"] = iso(now())
        repo.update_unit(conn, unit["id"], clean)
        vacated: list[str] = []
        if clean.get("council") == 0 and unit["council"]:
            from beiwen.services.rotation import current_month, vacate_future_months

            vacated = vacate_future_months(conn, unit["id"], current_month(), "left")
        updated = repo.get_unit(conn, unit["id"])
    assert updated is not None
    return {**updated, "vacated": vacated}


def retire_unit(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    with db.write(conn):
        unit = refs.unit(conn, ref)
        if unit["retired_at"]:
            raise ConflictError(t("units.already_retired", id=unit["id"], name=unit["name"]))
        stamp = iso(now())
        repo.update_unit(conn, unit["id"], {"retired_at": stamp, "updated_at": stamp})
        from beiwen.services.rotation import current_month, vacate_future_months

        vacated = vacate_future_months(conn, unit["id"], current_month())
    return {**unit, "retired_at": stamp, "vacated": vacated}


def list_units(conn: sqlite3.Connection, **filters: Any) -> list[dict[str, Any]]:
    if filters.get("grid") is not None:
        filters["grid"] = refs.grid(conn, filters["grid"], "--grid")["number"]
    if filters.get("kind"):
        filters["kind"] = parse_choice(UNIT_KINDS, filters["kind"], "--kind", ALIASES["UNIT_KINDS"])
    if filters.get("category"):
        filters["category"] = parse_choice(
            MERCHANT_CATEGORIES, filters["category"], "--category", ALIASES["MERCHANT_CATEGORIES"]
        )
    return repo.list_units(conn, **filters)


# The fields whose few distinct values a roster repeats on every row: parsed once per file.
_MEMOISED_FIELDS = frozenset({"kind", "category", "grid", "opened", "council"})


def import_spec(conn: sqlite3.Connection, default_kind: str | None) -> ImportSpec:
    known_grids = refs.known_grids(conn)
    parsers = tuple(
        (field, memoised(parse) if parse and field in _MEMOISED_FIELDS else parse)
        for field, parse in _FIELD_PARSERS
    )
    present: list[tuple[str, Any]] = []  # the parsers of the file's columns, from its first row

    def validate(raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        # The name two stored units share is checked by the writer (UnitWriter.check).
        if not present:
            present.extend((field, parse) for field, parse in parsers if field in raw)
        return validate_unit(raw, known_grids, default_kind, parsers=present)

    def key(clean: dict[str, Any]) -> tuple[str, str] | None:
        return ("code", clean["code"]) if clean.get("code") else ("name", clean["name"])

    stamp = iso(now())

    def batch(conn: sqlite3.Connection, at: Callable[[int], None]) -> UnitWriter:
        return UnitWriter(stamp, at)

    def write(conn: sqlite3.Connection, clean: dict[str, Any]) -> RowOutcome:
        """One row on its own (the pipeline uses `batch`)."""
        writer = UnitWriter(stamp, lambda line: None)
        writer.prepare(conn, [clean])
        outcome = writer.add(conn, 0, clean)
        writer.flush(conn)
        return outcome

    return ImportSpec(
        columns=IMPORT_COLUMNS,
        required=("name",),
        validate=validate,
        key=key,
        write=write,
        batch=batch,
    )


class UnitWriter:
    """Writes imported units a batch at a time (services.importing.BatchWriter).

    Each row is matched as if the rows before it were written: by its credit code, else
    (when one unit has the name, and a code-less row or a code-less unit) by its name; the
    batch's stored units come from one query, the units the file added or changed so far in
    the batch are kept here. New units go in with one `executemany` (their ids given, as
    SQLite would give them); a row that touches a unit still waiting to be written writes
    the waiting rows first.
    """

    def __init__(self, stamp: str, at: Callable[[int], None]) -> None:
        self.stamp, self.at = stamp, at
        self.units: dict[int, dict[str, Any]] = {}  # id -> the unit as the rows before left it
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}  # ids by id
        self.inserts: list[tuple[int, tuple[Any, ...]]] = []  # (line, values)
        self.updates: list[tuple[int, int, dict[str, Any]]] = []  # (line, id, changes)
        self.waiting: set[int] = set()
        self.added: set[int] = set()  # ids this file inserted, in `units` by their keys only
        self.next_id: int | None = None

    def prepare(self, conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
        self.units, self.by_code, self.by_name = {}, {}, {}
        self.added.clear()
        if not rows:
            return
        codes = sorted({row["code"] for row in rows if row.get("code")})
        names = sorted({row["name"] for row in rows})
        for unit in repo.units_matching(conn, codes, names):
            self._index(unit)
        if self.next_id is None:
            self.next_id = repo.next_unit_id(conn)

    def _index(self, unit: dict[str, Any]) -> None:
        self.units[unit["id"]] = unit
        if unit.get("code"):
            self.by_code[unit["code"]] = unit["id"]
        ids = self.by_name.setdefault(unit["name"], [])
        insort(ids, unit["id"])

    def check(self, clean: dict[str, Any]) -> list[str]:
        if clean.get("code"):
            return []
        # Without a code the name is the key; a name two units share names neither.
        named = self.by_name.get(clean["name"], [])
        if len(named) > 1:
            ids = ", ".join(map(str, named))
            return [t("units.import_ambiguous", name=clean["name"], count=len(named), ids=ids)]
        return []

    def add(self, conn: sqlite3.Connection, line: int, clean: dict[str, Any]) -> RowOutcome:
        code = clean.get("code")
        existing_id = self.by_code.get(code) if code else None
        if existing_id is None:
            candidates = [
                unit_id
                for unit_id in self.by_name.get(clean["name"], [])
                if not code or not self.units[unit_id].get("code")
            ]
            existing_id = candidates[0] if len(candidates) == 1 else None
        if existing_id is None:
            return self._insert(line, clean)
        if existing_id in self.waiting:
            self.flush(conn)  # the row it changes is written first
        if existing_id in self.added:  # known by its keys only: read back whole
            unit = repo.get_unit(conn, existing_id)
            assert unit is not None
            self.units[existing_id] = unit
            self.added.discard(existing_id)
        existing = self.units[existing_id]
        # A blank code cell means "not known to this roster", never "erase the stored code".
        changes = {
            k: v
            for k, v in clean.items()
            if existing.get(k) != v and not (k == "code" and v is None)
        }
        if not changes:
            return "unchanged"
        if changes.get("council") and not existing["council"]:
            changes["council_since"] = self.stamp
        changes["updated_at"] = self.stamp
        self.updates.append((line, existing_id, changes))
        self.waiting.add(existing_id)
        if "name" in changes:
            self.by_name[existing["name"]].remove(existing_id)
            insort(self.by_name.setdefault(changes["name"], []), existing_id)
        if changes.get("code"):
            self.by_code[changes["code"]] = existing_id
        existing.update(changes)
        return "updated"

    def _insert(self, line: int, clean: dict[str, Any]) -> RowOutcome:
        assert self.next_id is not None
        unit_id, self.next_id = self.next_id, self.next_id + 1
        get = clean.get
        council = get("council") or 0
        values = (
            unit_id,
            get("code"),
            clean["name"],
            get("kind"),
            get("category"),
            get("grid"),
            get("address"),
            get("contact"),
            get("phone"),
            get("opened"),
            council,
            self.stamp if council else None,
            self.stamp,
            self.stamp,
        )
        self.inserts.append((line, values))
        self.waiting.add(unit_id)
        self.added.add(unit_id)
        self._index({"id": unit_id, "code": get("code"), "name": clean["name"]})
        return "inserted"

    def flush(self, conn: sqlite3.Connection) -> None:
        at = self.at

        def values() -> Iterator[tuple[Any, ...]]:
            for line, row in self.inserts:
                at(line)  # read by the import history's triggers as the row is written
                yield row

        repo.insert_units(conn, values())
        for line, unit_id, changes in self.updates:
            at(line)
            repo.update_unit(conn, unit_id, changes)
        self.inserts, self.updates = [], []
        self.waiting.clear()


def import_units(
    conn: sqlite3.Connection,
    path: Path,
    *,
    default_kind: str | None = "merchant",
    **options: Any,
) -> ImportSummary:
    kind = (
        parse_choice(UNIT_KINDS, default_kind, "--kind", ALIASES["UNIT_KINDS"])
        if default_kind
        else None
    )
    return run_import(conn, path, import_spec(conn, kind), **options)


def export_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Active units with exactly the columns import reads."""
    return [
        {**{c: unit[c] for c in EXPORT_COLUMNS if c != "council"}, "council": unit["council"]}
        for unit in repo.list_units(conn)
    ]


# Removing a unit entered by mistake, and the short names it goes by


def referred_to(conn: sqlite3.Connection, table: str, key: int, besides: tuple[str, ...]) -> str:
    """What refers to the row `key` of `table` (`工单 3、轮值安排 1`), '' when nothing does."""
    from beiwen.repository import references
    from beiwen.vocab import TABLES, display

    found = references(conn, table, key, besides=besides)
    return t("refs.separator").join(
        t("refs.count_of", kind=display(TABLES, name), count=count) for name, count in found.items()
    )


def remove_unit(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """Delete a unit nothing refers to (its aliases go with it); otherwise a ConflictError
    that names what refers to it and suggests `units retire`."""
    with db.write(conn):
        unit = refs.unit(conn, ref)
        users = referred_to(conn, "units", unit["id"], ("unit_aliases",))
        if users:
            raise ConflictError(t("units.in_use", id=unit["id"], name=unit["name"], users=users))
        repo.delete_unit(conn, unit["id"])
    return unit


def unit_detail(conn: sqlite3.Connection, ref: str) -> dict[str, Any]:
    """One unit with its aliases."""
    unit = refs.unit(conn, ref)
    return {**unit, "aliases": repo.aliases_of(conn, unit["id"])}


def add_alias(conn: sqlite3.Connection, ref: str, alias: str) -> dict[str, Any]:
    """Give the unit `ref` names a short name that finds it everywhere a unit is typed.

    An alias is not all digits (that is an id) and not already a unit's name or alias."""
    text = alias.strip()
    if not text:
        raise InvalidInputError(t("units.required", field="ALIAS"))
    if refs.number(text, "ALIAS") is not None:
        raise InvalidInputError(t("units.alias_digits", alias=text))
    with db.write(conn):
        unit = refs.unit(conn, ref)
        holder = repo.alias_row(conn, text)
        if holder:
            raise ConflictError(
                t("units.alias_taken", alias=text, id=holder["unit_id"], name=holder["unit"])
            )
        named = repo.units_by_name(conn, text)
        if named:
            raise ConflictError(
                t("units.alias_is_name", alias=text, id=named[0]["id"], name=named[0]["name"])
            )
        repo.insert_alias(conn, {"unit_id": unit["id"], "alias": text, "created_at": iso(now())})
    return unit


def remove_alias(conn: sqlite3.Connection, alias: str) -> dict[str, Any]:
    """Forget a short name; returns the alias row with its unit's name."""
    text = alias.strip()
    with db.write(conn):
        holder = repo.alias_row(conn, text)
        if holder is None:
            raise NotFoundError(t("units.alias_not_found", alias=text))
        repo.delete_alias(conn, holder["id"])
    return holder
