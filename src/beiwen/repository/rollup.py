"""What `beiwen rollup` needs to know about a file opened read-only: which migrations it
has, which tables and columns exist, and the one stand-in that lets the report's own SQL
read a file older than m002 without migrating it.

The stand-in is a TEMP view (it lives in the connection's temporary schema, in memory:
nothing is written to the file) named `issues`, which SQLite finds before `main.issues`,
with the columns later migrations added to work orders as NULL where the file lacks them:
m002's `place`, `voided_at`, `duplicate_of` (before it no order could be voided or be a
duplicate: NULL is what the upgraded file holds) and m014's `last_event_at`,
`response_hours`, `resolution_hours` (stored copies of hours the report's SQL otherwise
works out with the same arithmetic, `repository.report.facts_as_of`'s coalesce).
"""

from __future__ import annotations

import sqlite3

from beiwen.repository import scalar

# The columns of `issues` that later migrations added and the report's SQL reads; NULL is
# exact for a file without them (see above).
ISSUE_COLUMNS_ADDED = (
    "place",  # m002_issue_corrections
    "voided_at",
    "duplicate_of",
    "last_event_at",  # m014_issue_speed
    "response_hours",
    "resolution_hours",
)


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
    """TEMP view `issues`: main.issues with the `missing` added columns as NULL."""
    assert set(missing) <= set(ISSUE_COLUMNS_ADDED)
    extra = "".join(f", NULL AS {name}" for name in missing)
    conn.execute(f"CREATE TEMP VIEW IF NOT EXISTS issues AS SELECT *{extra} FROM main.issues")
