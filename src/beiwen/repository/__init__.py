"""Domain-named reads and writes over SQLite: the only package that writes SQL.

One module per area (units, grids, ...). Functions take the connection, return plain dicts,
and never format text or open transactions: callers wrap writes in `db.write()`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

Row = dict[str, Any]


def rows(
    conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
) -> list[Row]:
    cursor = conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor]


def one(
    conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()
) -> Row | None:
    found = rows(conn, sql, params)
    return found[0] if found else None


def scalar(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...] = ()) -> Any:
    row = conn.execute(sql, params).fetchone()
    return row[0] if row else None
