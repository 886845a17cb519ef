"""Reads about the database as a whole: is anything in it, integrity, foreign keys, sizes."""

from __future__ import annotations

import sqlite3

# The one count of rows per table, shared with the backup (re-exported for services).
from beiwen.db import table_counts as table_counts

CONTENT_TABLES = ("grids", "units", "issues", "people", "courses", "activities")


def has_rows(conn: sqlite3.Connection) -> bool:
    return any(
        conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in CONTENT_TABLES
    )


def integrity_problems(conn: sqlite3.Connection) -> list[str]:
    """SQLite's integrity check, CHECK constraints included.

    On a read-only connection (doctor's, a backup being verified, a read-only file) SQLite
    skips the CHECK constraints, so the check runs on an in-memory copy there: the same
    findings whichever command asks.
    """
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
    if problems or not getattr(conn, "read_only", False):
        return problems
    from beiwen.db import plain_connection

    copy = plain_connection(":memory:")
    try:
        conn.backup(copy)
        return [row[0] for row in copy.execute("PRAGMA integrity_check") if row[0] != "ok"]
    finally:
        copy.close()


def foreign_key_problems(conn: sqlite3.Connection) -> list[tuple[str, int, str]]:
    return [
        (table, rowid, parent)
        for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")
    ]
