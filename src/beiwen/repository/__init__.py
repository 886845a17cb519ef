"""Domain-named reads and writes over SQLite: the only package that writes SQL.

One module per area (units, grids, ...). Functions take the connection, return plain dicts,
and never format text or open transactions: callers wrap writes in `db.write()`.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any

Row = dict[str, Any]


def rows(
    conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
) -> list[Row]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]


def iter_rows(
    conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
) -> Iterator[Row]:
    """`rows` one at a time, as the cursor reads them: a long list is written while SQLite
    reads it, and memory stays flat (the query runs now, its errors raise here)."""
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return (dict(zip(names, values, strict=True)) for values in cursor)


def one(
    conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
) -> Row | None:
    found = rows(conn, sql, params)
    return found[0] if found else None


def scalar(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def checked_name(name: str) -> str:
    """A table or column name, which comes from code, never from input: refused otherwise,
    so that no text can reach the SQL but as a parameter."""
    if not _NAME.fullmatch(name):
        raise ValueError(f"not an SQL name: {name!r}")
    return name


def insert(conn: sqlite3.Connection, table: str, row: Row) -> int:
    """INSERT one row (column -> value; values as parameters) and return its rowid."""
    columns = [checked_name(column) for column in row]
    placeholders = ", ".join(":" + column for column in columns)
    cursor = conn.execute(
        f"INSERT INTO {checked_name(table)} ({', '.join(columns)}) VALUES ({placeholders})", row
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def update(
    conn: sqlite3.Connection, table: str, key: Any, changes: Row, *, key_column: str = "id"
) -> None:
    """UPDATE the row whose `key_column` is `key` with `changes`; nothing to change, no SQL."""
    if not changes:
        return
    assignments = ", ".join(f"{checked_name(column)} = :{column}" for column in changes)
    conn.execute(
        f"UPDATE {checked_name(table)} SET {assignments} WHERE {checked_name(key_column)} = :_key",
        {**changes, "_key": key},
    )


def where_clause(conditions: list[str]) -> str:
    """`WHERE a AND b` of a list of conditions written in code, or nothing."""
    return f"WHERE {' AND '.join(conditions)}" if conditions else ""


def _digits(sql: str) -> str:
    """SQL for the text `sql` without the spaces, dashes, plus signs and brackets people put
    in phone numbers: stored phones keep them as typed, and searches may have them too."""
    for sign in (" ", "-", "+", "(", ")"):
        sql = f"replace({sql}, '{sign}', '')"
    return sql


def phone_search(column: str, param: str = "search") -> str:
    """SQL true when the search `:param` is a phone or a piece of one (four digits at least,
    with or without spaces or dashes) found among the digits of the stored phone `column`."""
    typed, stored = _digits(f":{param}"), _digits("coalesce(" + column + ", '')")
    return f"(length({typed}) >= 4 AND {typed} NOT GLOB '*[^0-9]*' AND instr({stored}, {typed}))"


def conditions(tests: Mapping[str, str], params: Mapping[str, Any]) -> list[str]:
    """The tests of the filters given: `tests` maps a parameter to the SQL (written in code,
    with its `:name` placeholder) that applies when the parameter is neither None nor ''."""
    return [test for name, test in tests.items() if params.get(name) not in (None, "")]


def references(
    conn: sqlite3.Connection, table: str, key: Any, *, besides: tuple[str, ...] = ()
) -> dict[str, int]:
    """Referring table -> how many of its rows point at the row `key` of `table`, read from
    every foreign key the database declares (later migrations' tables too); the tables in
    `besides` (the row's own parts, deleted with it) are left out, and so are those with none."""
    found: dict[str, int] = {}
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
        "ORDER BY name"
    ).fetchall()
    for (name,) in tables:
        if name in besides:
            continue
        columns = [
            fk[3]
            for fk in conn.execute("SELECT * FROM pragma_foreign_key_list(?)", (name,))
            if fk[2] == table
        ]
        if not columns:
            continue
        test = " OR ".join(f'"{column}" = :key' for column in columns)
        count = conn.execute(f'SELECT count(*) FROM "{name}" WHERE {test}', {"key": key})
        total = count.fetchone()[0]
        if total:
            found[name] = total
    return found
