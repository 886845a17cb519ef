"""The import history: one row per import (`imports`) and the row images it changed
(`import_changes`), captured by TEMP triggers while the import's transaction runs.

The triggers are generated from each table's columns (PRAGMA table_info), so a table a later
migration adds is captured too; a row is named by its table and rowid, its image is the
json_object of all its columns.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from beiwen.repository import Row, insert, one, rows

# The tables an import never captures: the history itself, SQLite's and the migrations', and
# the search index's pause (search_schema.py), which no import may leave behind.
NOT_CAPTURED = ("imports", "import_changes", "_sqlite_migrations", "search_paused")
TRIGGER_PREFIX = "beiwen_import_"
LINE_FUNCTION = "beiwen_import_line"


def _name(identifier: str) -> str:
    """An SQL identifier, quoted (names come from sqlite_master, never from input)."""
    return '"' + identifier.replace('"', '""') + '"'


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def captured_tables(conn: sqlite3.Connection) -> list[str]:
    """Every ordinary table of the main database an import may write."""
    return [
        row[1]
        for row in conn.execute("PRAGMA main.table_list")
        if row[2] == "table"
        and not row[1].startswith("sqlite_")
        and row[1] not in NOT_CAPTURED
        and not row[4]  # WITHOUT ROWID tables have no rowid to name a row by
    ]


def columns_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({_name(table)})")]


def _image(columns: list[str], prefix: str) -> str:
    pairs = ", ".join(f"{_text(column)}, {prefix}{_name(column)}" for column in columns)
    return f"json_object({pairs})"


def start_capture(conn: sqlite3.Connection, import_id: int, line: Callable[[], int | None]) -> None:
    """TEMP triggers that log every INSERT, UPDATE and DELETE into import_changes for
    `import_id`, with the file's line that `line()` names at the moment of the change."""
    conn.create_function(LINE_FUNCTION, 0, line)
    for table in captured_tables(conn):
        columns = columns_of(conn, table)
        new, old = _image(columns, "NEW."), _image(columns, "OLD.")
        for action, when, row_id, before, after in (
            ("insert", "INSERT", "NEW.rowid", "NULL", new),
            ("update", "UPDATE", "NEW.rowid", old, new),
            ("delete", "DELETE", "OLD.rowid", old, "NULL"),
        ):
            conn.execute(
                f"CREATE TEMP TRIGGER {_name(TRIGGER_PREFIX + table + '_' + action)} "
                f"AFTER {when} ON main.{_name(table)} BEGIN "
                "INSERT INTO import_changes "
                "(import_id, line, table_name, row_id, action, before, after) VALUES "
                f"({int(import_id)}, {LINE_FUNCTION}(), {_text(table)}, {row_id}, "
                f"{_text(action)}, {before}, {after}); END"
            )


def stop_capture(conn: sqlite3.Connection) -> None:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_temp_master WHERE type = 'trigger' AND name LIKE ?",
            (TRIGGER_PREFIX + "%",),
        )
    ]
    for name in names:
        conn.execute(f"DROP TRIGGER IF EXISTS temp.{_name(name)}")


# The changes of one import as search_schema.resume reads them: (table_name, before, after).
CHANGES_OF_IMPORT = "SELECT table_name, before, after FROM import_changes WHERE import_id = ?"


def add_import(conn: sqlite3.Connection, row: Row) -> int:
    return insert(conn, "imports", row)


def set_counts(conn: sqlite3.Connection, import_id: int, counts: Row) -> None:
    conn.execute(
        "UPDATE imports SET inserted = :inserted, updated = :updated, unchanged = :unchanged, "
        "rejected = :rejected WHERE id = :id",
        {**counts, "id": import_id},
    )


def has_changes(conn: sqlite3.Connection, import_id: int) -> bool:
    found = conn.execute("SELECT 1 FROM import_changes WHERE import_id = ? LIMIT 1", (import_id,))
    return found.fetchone() is not None


def forget_import(conn: sqlite3.Connection, import_id: int) -> None:
    conn.execute("DELETE FROM imports WHERE id = ?", (import_id,))


def list_imports(conn: sqlite3.Connection) -> list[Row]:
    return rows(conn, "SELECT * FROM imports ORDER BY id")


def get_import(conn: sqlite3.Connection, import_id: int) -> Row | None:
    return one(conn, "SELECT * FROM imports WHERE id = ?", (import_id,))


def mark_undone(conn: sqlite3.Connection, import_id: int, at: str) -> None:
    conn.execute("UPDATE imports SET undone_at = ? WHERE id = ?", (at, import_id))


def changes_of(conn: sqlite3.Connection, import_id: int) -> list[Row]:
    """The changes of one import in the order they were made, images as dicts."""
    found = rows(
        conn,
        "SELECT id, line, table_name, row_id, action, before, after FROM import_changes "
        "WHERE import_id = ? ORDER BY id",
        (import_id,),
    )
    for change in found:
        for key in ("before", "after"):
            change[key] = json.loads(change[key]) if change[key] is not None else None
    return found


def current_image(conn: sqlite3.Connection, table: str, row_id: int) -> dict[str, Any] | None:
    """The row of `table` with this rowid as the triggers saw it, or None when it is gone."""
    found = conn.execute(
        f"SELECT {_image(columns_of(conn, table), '')} FROM main.{_name(table)} WHERE rowid = ?",
        (row_id,),
    ).fetchone()
    return json.loads(found[0]) if found else None


def delete_row(conn: sqlite3.Connection, table: str, row_id: int) -> None:
    conn.execute(f"DELETE FROM main.{_name(table)} WHERE rowid = ?", (row_id,))


def put_back(conn: sqlite3.Connection, table: str, row_id: int, image: dict[str, Any]) -> None:
    """Give the row with this rowid the values of `image`: updated when it is there, else
    inserted again under its rowid."""
    known = set(columns_of(conn, table))
    values = {column: value for column, value in image.items() if column in known}
    names = list(values)
    if conn.execute(f"SELECT 1 FROM main.{_name(table)} WHERE rowid = ?", (row_id,)).fetchone():
        assignments = ", ".join(f"{_name(column)} = ?" for column in names)
        conn.execute(
            f"UPDATE main.{_name(table)} SET {assignments} WHERE rowid = ?",
            (*values.values(), row_id),
        )
        return
    conn.execute(
        f"INSERT INTO main.{_name(table)} (rowid, {', '.join(_name(c) for c in names)}) "
        f"VALUES (?, {', '.join('?' for _ in names)})",
        (row_id, *values.values()),
    )


def defer_foreign_keys(conn: sqlite3.Connection) -> None:
    """References are checked when the transaction ends (or by foreign_key_check), not by
    each statement: an undo deletes a parent row before the child rows that point at it."""
    conn.execute("PRAGMA defer_foreign_keys = ON")


def set_aside_triggers(conn: sqlite3.Connection, tables: set[str]) -> list[str]:
    """Drop the schema's own triggers on `tables` (e.g. issue_events' append-only guard) for
    the undo's transaction; returns their SQL, to create them again before it commits. The
    search index's triggers stay (the undo pauses them and rewrites the documents of the
    rows it put back at once: search_schema.pause/resume)."""
    found = [
        (name, sql)
        for name, table, sql in conn.execute(
            "SELECT name, tbl_name, sql FROM main.sqlite_master WHERE type = 'trigger'"
        )
        if table in tables and not name.startswith("search_")
    ]
    for name, _ in found:
        conn.execute(f"DROP TRIGGER main.{_name(name)}")
    return [sql for _, sql in found]


def restore_triggers(conn: sqlite3.Connection, statements: list[str]) -> None:
    for sql in statements:
        conn.execute(sql)
