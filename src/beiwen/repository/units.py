"""Units (单位): agencies, banks, enterprises, merchants, associations, stations."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from beiwen.repository import (
    Row,
    conditions,
    insert,
    one,
    phone_search,
    rows,
    update,
    where_clause,
)
from beiwen.repository.search import match_query, search_clause

UNIT_FIELDS = ("code", "name", "kind", "category", "grid", "address", "contact", "phone", "opened")


def insert_unit(conn: sqlite3.Connection, unit: Row) -> int:
    return insert(conn, "units", unit)


def update_unit(conn: sqlite3.Connection, unit_id: int, changes: Row) -> None:
    update(conn, "units", unit_id, changes)


def get_unit(conn: sqlite3.Connection, unit_id: int) -> Row | None:
    return one(conn, "SELECT * FROM units WHERE id = ?", (unit_id,))


def unit_by_code(conn: sqlite3.Connection, code: str) -> Row | None:
    return one(conn, "SELECT * FROM units WHERE code = ?", (code,))


def units_by_name(conn: sqlite3.Connection, name: str) -> list[Row]:
    return rows(conn, "SELECT * FROM units WHERE name = ? ORDER BY id", (name,))


def units_containing(conn: sqlite3.Connection, text: str, in_order: bool = False) -> list[Row]:
    """Active units (id, name) whose name contains `text`, or with `in_order` its characters
    in that order with anything between them (城管局: 北碚区城市管理局), by id."""
    if in_order:
        escaped = [c if c not in "%_\\" else "\\" + c for c in text]
        test, value = "name LIKE :text ESCAPE '\\'", "%" + "%".join(escaped) + "%"
    else:
        test, value = "instr(name, :text)", text
    return rows(
        conn,
        f"SELECT id, name FROM units WHERE {test} AND retired_at IS NULL ORDER BY id",
        {"text": value},
    )


# Aliases: the short names the office uses (城管局), one unit each.


def unit_by_alias(conn: sqlite3.Connection, alias: str) -> Row | None:
    return one(
        conn,
        "SELECT u.* FROM unit_aliases a JOIN units u ON u.id = a.unit_id WHERE a.alias = ?",
        (alias,),
    )


def alias_row(conn: sqlite3.Connection, alias: str) -> Row | None:
    return one(
        conn,
        "SELECT a.*, u.name AS unit FROM unit_aliases a JOIN units u ON u.id = a.unit_id "
        "WHERE a.alias = ?",
        (alias,),
    )


def aliases_of(conn: sqlite3.Connection, unit_id: int) -> list[str]:
    return [
        row["alias"]
        for row in rows(
            conn, "SELECT alias FROM unit_aliases WHERE unit_id = ? ORDER BY alias", (unit_id,)
        )
    ]


def insert_alias(conn: sqlite3.Connection, alias: Row) -> int:
    return insert(conn, "unit_aliases", alias)


def delete_alias(conn: sqlite3.Connection, alias_id: int) -> None:
    conn.execute("DELETE FROM unit_aliases WHERE id = ?", (alias_id,))


def delete_unit(conn: sqlite3.Connection, unit_id: int) -> None:
    """The unit and its aliases; the caller has checked that nothing else refers to it."""
    conn.execute("DELETE FROM unit_aliases WHERE unit_id = ?", (unit_id,))
    conn.execute("DELETE FROM units WHERE id = ?", (unit_id,))


def unit_matches(
    conn: sqlite3.Connection, code: str | None, name: str
) -> list[tuple[int, str | None, str]]:
    """(id, code, name) of the units, retired too, holding `code` or named `name`."""
    found: list[tuple[int, str | None, str]] = conn.execute(
        "SELECT id, code, name FROM units WHERE code = ? OR name = ?", (code, name)
    ).fetchall()
    return found


def units_matching(conn: sqlite3.Connection, codes: list[str], names: list[str]) -> list[Row]:
    """Every unit, retired too, holding one of `codes` or named one of `names`, by id: one
    query for a whole batch of imported rows (two index searches, no statement per row)."""
    import json

    return rows(
        conn,
        "SELECT * FROM units WHERE code IN (SELECT value FROM json_each(?)) "
        "OR name IN (SELECT value FROM json_each(?)) ORDER BY id",
        (json.dumps(codes, ensure_ascii=False), json.dumps(names, ensure_ascii=False)),
    )


def next_unit_id(conn: sqlite3.Connection) -> int:
    """The id SQLite gives the next unit inserted (its rowid rule: the largest plus one)."""
    return int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM units").fetchone()[0])


# The columns an imported unit is written with, in the order of `insert_units`' tuples.
IMPORTED_COLUMNS = (
    "id",
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
    "council_since",
    "created_at",
    "updated_at",
)
_INSERT_IMPORTED = (
    f"INSERT INTO units ({', '.join(IMPORTED_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(IMPORTED_COLUMNS))})"
)


def insert_units(conn: sqlite3.Connection, values: Iterable[tuple[Any, ...]]) -> None:
    """Many units in one `executemany`, each a tuple in IMPORTED_COLUMNS order; `values`
    is consumed one row at a time, as each is written."""
    conn.executemany(_INSERT_IMPORTED, values)


def list_units(
    conn: sqlite3.Connection,
    *,
    kind: str | None = None,
    council: bool = False,
    grid: int | None = None,
    category: str | None = None,
    search: str | None = None,
    include_retired: bool = False,
) -> list[Row]:
    params = {
        "kind": kind,
        "grid": grid,
        "category": category,
        "search": search,
        "search_match": match_query(search),
    }
    tests = {
        "kind": "kind = :kind",
        "grid": "grid = :grid",
        "category": "category = :category",
        # the name, address, contact and aliases through the search index; codes and phones
        # (their digits) as typed
        "search": (
            f"({search_clause('unit', 'id')} OR instr(coalesce(code, ''), :search) "
            f"OR {phone_search('phone')})"
        ),
    }
    where = conditions(tests, params)
    if council:
        where.append("council = 1")
    if not include_retired:
        where.append("retired_at IS NULL")
    clause = where_clause(where)
    order = "coalesce(rotation_order, 1e9), council_since, id" if council else "id"
    return rows(conn, f"SELECT * FROM units {clause} ORDER BY {order}", params)


def all_units_for_export(conn: sqlite3.Connection) -> list[Row]:
    return rows(
        conn,
        f"SELECT {', '.join(UNIT_FIELDS)} FROM units WHERE retired_at IS NULL ORDER BY id",
    )
