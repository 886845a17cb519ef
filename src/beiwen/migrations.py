"""Schema migrations as code, applied by sqlite-utils' `Migrations`.

m001 runs the packaged schema. A later change is a new function appended to STEPS; a
released step is never edited. Opening a database compares the applied names with STEPS
by one cheap query, so sqlite_utils is imported only when something is pending.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from importlib.resources import files
from typing import Any

MIGRATION_SET = "beiwen"
MIGRATIONS_TABLE = "_sqlite_migrations"


def schema_statements() -> list[str]:
    """The packaged schema.sql split into statements (triggers keep their inner semicolons)."""
    text = files("beiwen").joinpath("schema.sql").read_text(encoding="utf-8")
    statements: list[str] = []
    pending = ""
    for line in text.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statement = pending.strip()
            if statement and not all(
                part.strip().startswith("--") or not part.strip() for part in statement.splitlines()
            ):
                statements.append(statement)
            pending = ""
    return statements


def m001_schema(db: Any) -> None:
    for statement in schema_statements():
        db.execute(statement)


def m004_import_history(db: Any) -> None:
    """Every import, and the row images it changed, so that `beiwen imports undo` can put
    the database back as it was before it (services/imports.py)."""
    db.execute(
        """
        CREATE TABLE imports (
            id          INTEGER PRIMARY KEY,                     -- import id
            kind        TEXT NOT NULL,                           -- units, people, issues, ...
            file        TEXT NOT NULL,                           -- the file as it was named
            sha256      TEXT NOT NULL,                           -- SHA-256 of the file's bytes
            at          TEXT NOT NULL,                           -- when it was imported
            inserted    INTEGER NOT NULL DEFAULT 0,              -- rows inserted
            updated     INTEGER NOT NULL DEFAULT 0,              -- rows updated
            unchanged   INTEGER NOT NULL DEFAULT 0,              -- rows that matched unchanged
            rejected    INTEGER NOT NULL DEFAULT 0,              -- rows skipped (--skip-invalid)
            undone_at   TEXT                                     -- when `imports undo` took it back
        )
        """
    )
    db.execute(
        """
        CREATE TABLE import_changes (
            id          INTEGER PRIMARY KEY,                     -- order of the changes
            import_id   INTEGER NOT NULL REFERENCES imports (id), -- the import that made it
            line        INTEGER,                                 -- the file's line being imported
            table_name  TEXT NOT NULL,                           -- the table changed
            row_id      INTEGER NOT NULL,                        -- the rowid of the row changed
            action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            before      TEXT,                                    -- the row before (JSON)
            after       TEXT                                     -- the row after (JSON)
        )
        """
    )
    db.execute("CREATE INDEX import_changes_import ON import_changes (import_id, id)")


STEPS: list[Callable[[Any], None]] = [m001_schema, m004_import_history]


def pending_names(conn: sqlite3.Connection, path: object = "the database") -> list[str]:
    """Names of STEPS not yet applied to `conn`; raises if the file (`path`) knows newer steps."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    applied: set[str] = set()
    if exists:
        applied = {
            row[0]
            for row in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", (MIGRATION_SET,)
            )
        }
    known = [step.__name__ for step in STEPS]
    unknown = applied - set(known)
    if unknown:
        from beiwen.errors import BeiwenError
        from beiwen.i18n import t

        raise BeiwenError(t("error.newer_schema", path=path, name=sorted(unknown)[0]))
    return [name for name in known if name not in applied]


def apply_pending(
    conn: sqlite3.Connection, steps: list[Callable[[Any], None]] | None = None
) -> None:
    """Apply pending steps inside the caller's BEGIN IMMEDIATE transaction.

    Each step runs in a savepoint (sqlite-utils nests `atomic()` that way), so a failing
    step leaves the database exactly as it was once the caller rolls back.
    """
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for step in steps if steps is not None else STEPS:
        migrations(name=step.__name__)(step)
    migrations.apply(Database(conn))
