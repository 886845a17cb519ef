"""What `beiwen serve` reads of the file to describe it to Datasette: the schema's objects
with the SQL that made them (their `-- comments` included), and the figures the dashboard
starts from."""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, rows, scalar


def schema_objects(conn: sqlite3.Connection) -> list[Row]:
    """Every table and view of the main database (name, type, sql), by name; the FTS5
    index's own tables are kept (`beiwen serve` hides them)."""
    return rows(
        conn,
        "SELECT name, type, coalesce(sql, '') AS sql FROM main.sqlite_master "
        "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )


def columns_of(conn: sqlite3.Connection, name: str) -> list[str]:
    """The columns of the table or view `name` (a name read from sqlite_master)."""
    quoted = '"' + name.replace('"', '""') + '"'
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({quoted})")]


def latest_year(conn: sqlite3.Connection) -> str | None:
    """The year of the latest work order reported (the dashboard's default year)."""
    found = scalar(conn, "SELECT substr(max(reported_at), 1, 4) FROM issues")
    return str(found) if found else None
