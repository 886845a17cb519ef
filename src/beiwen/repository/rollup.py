"""What `beiwen rollup` needs to know about a file opened read-only: which migrations it
has, which tables and columns exist, and the one stand-in that lets the report's own SQL
read a file older than m002 without migrating it.

The stand-in is a TEMP view (it lives in the connection's temporary schema, in memory:
nothing is written to the file) named `issues`, which SQLite finds before `main.issues`:
the columns m002 added (`place`, `voided_at`, `duplicate_of`) as NULL. That is exact, not
a guess: before m002 no order could be voided or marked a duplicate, and `beiwen report`
on the same file migrated reads NULL in the same columns.
"""

from __future__ import annotations

import sqlite3

from beiwen.repository import scalar

# The columns of `issues` that m002_issue_corrections added, and their value before it.
ISSUE_COLUMNS_M002 = ("place", "voided_at", "duplicate_of")


def applied_migrations(conn: sqlite3.Connection, migration_set: str, table: str) -> list[str]:
    """The names of the migrations the file has, in the order they were applied."""
    return [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {table} WHERE migration_set = ? ORDER BY id",  # table from code
            (migration_set,),
        )
    ]


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return bool(
        scalar(
            conn,
            "SELECT 1 FROM main.sqlite_master WHERE type IN ('table', 'view') AND name = ?",
            (name,),
        )
    )


def columns_of(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute("SELECT * FROM pragma_table_info(?, 'main')", (table,))}


def stand_in_issue_columns(conn: sqlite3.Connection, missing: list[str]) -> None:
    """TEMP view `issues`: main.issues with the `missing` m002 columns as NULL."""
    assert set(missing) <= set(ISSUE_COLUMNS_M002)
    extra = "".join(f", NULL AS {name}" for name in missing)
    conn.execute(f"CREATE TEMP VIEW IF NOT EXISTS issues AS SELECT *{extra} FROM main.issues")
