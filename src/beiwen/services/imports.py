"""The import history and its undo (`beiwen imports list`, `beiwen imports undo ID`).

`recording` wraps the one import pipeline (`services.importing.run_import`): it opens the
import's transaction, records the file (name, SHA-256, time, counts) and, through TEMP
triggers on every table, every row the import inserted, updated or deleted with its image
before and after (and the file's line that caused it). The triggers are dropped before the
transaction ends; a dry run, a refused import or one that changed no row records nothing.

`undo_import` takes an import back in one transaction: only when every row it changed is
still exactly as the import left it, and no row added since refers to a row it added;
otherwise it refuses and lists those rows, by the line of the file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from beiwen import search_schema
from beiwen.db import write
from beiwen.errors import ConflictError, NotFoundError
from beiwen.i18n import t
from beiwen.io.tables import Table
from beiwen.parsing import iso, now
from beiwen.repository import Row
from beiwen.repository import imports as repo
from beiwen.repository.database import foreign_key_problems
from beiwen.services.refs import number
from beiwen.vocab import TABLES, display


class Counts(Protocol):
    inserted: int
    updated: int
    unchanged: int
    rejected: int


class Spec(Protocol):
    @property
    def write(self) -> Callable[..., Any]: ...


def import_kind(spec: Spec) -> str:
    """What an importer imports, named by where its writer lives: `units`, `people`,
    `issues`, `activities`, `grids`; a module with several (courses) by the spec's factory
    (`course_spec` -> `courses`, `class_spec` -> `classes`, `roster_spec` -> `rosters`)."""
    module = getattr(spec.write, "__module__", "") or ""
    factory = (getattr(spec.write, "__qualname__", "") or "").split(".")[0]
    if factory.endswith("_spec") and factory != "import_spec":
        stem = factory.removesuffix("_spec")
        return stem + ("es" if stem.endswith("s") else "s")
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["beiwen", "services"] else "other"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def recording(
    conn: sqlite3.Connection,
    path: Path,
    spec: Spec,
    table: Table,
    *,
    dry_run: bool,
    line: list[int | None] | None = None,
) -> Iterator[Callable[[Counts], None]]:
    """The import's one transaction (`db.write`), recorded unless `dry_run`.

    Yields `done(summary)`, which the pipeline calls with its summary once every row is
    written: it stores the counts. Each change is recorded with the line `line[0]` holds
    (the pipeline sets it before it writes a row); without `line`, the line last read.
    """
    if dry_run:
        with write(conn, dry_run=True):
            search_schema.pause(conn)  # rolled back with the rest: nothing to rewrite
            yield lambda summary: None
        return
    digest = file_sha256(path)
    if line is None:
        line = [None]
        rows = table.rows

        def tracked() -> Iterator[tuple[int, list[str]]]:
            for number_, cells in rows:
                line[0] = number_
                yield number_, cells

        table.rows = tracked()
    current = line
    with write(conn):
        import_id = repo.add_import(
            conn,
            {
                "kind": import_kind(spec),
                "file": str(path),
                "sha256": digest,
                "at": iso(now()),
            },
        )
        # The search index is rewritten once at the end, not by its triggers row by row.
        search_schema.pause(conn)
        repo.start_capture(conn, import_id, lambda: current[0])
        try:

            def done(summary: Counts) -> None:
                search_schema.resume(conn, repo.CHANGES_OF_IMPORT, (import_id,))
                if not repo.has_changes(conn, import_id):
                    # Nothing to take back (every row matched): the file stays as it was.
                    repo.forget_import(conn, import_id)
                    return
                repo.set_counts(
                    conn,
                    import_id,
                    {
                        "inserted": summary.inserted,
                        "updated": summary.updated,
                        "unchanged": summary.unchanged,
                        "rejected": summary.rejected,
                    },
                )

            yield done
            search_schema.resume(conn)  # a pause never outlives the import, done or not
        finally:
            repo.stop_capture(conn)


# --- the history ---------------------------------------------------------------------------


def list_imports(conn: sqlite3.Connection) -> list[Row]:
    """Every import, oldest first, `undone` true once it was taken back."""
    return [{**row, "undone": row["undone_at"] is not None} for row in repo.list_imports(conn)]


def get_import(conn: sqlite3.Connection, ref: str | int) -> Row:
    found_id = number(ref, "import")
    found = repo.get_import(conn, found_id) if found_id is not None else None
    if found is None:
        raise NotFoundError(t("imports.not_found", ref=ref))
    return found


# --- undo ----------------------------------------------------------------------------------


@dataclass
class UndoResult:
    id: int
    kind: str
    file: str
    deleted: int = 0  # rows the import inserted, deleted again
    restored: int = 0  # rows it updated, given their previous values
    reinserted: int = 0  # rows it deleted, put back
    dry_run: bool = False
    notices: list[str] = field(default_factory=list)


def _where(change: Row) -> str:
    """A row changed by an import as messages name it: by the file's line, and the row."""
    table = display(TABLES, change["table_name"])
    if change["line"] is not None:
        return t("imports.at_line", line=change["line"], table=table, row=change["row_id"])
    return t("imports.at_row", table=table, row=change["row_id"])


def _changed_since(conn: sqlite3.Connection, changes: list[Row]) -> list[str]:
    """The rows whose present state is not the one the import left them in."""
    last: dict[tuple[str, int], Row] = {}
    for change in changes:
        last[(change["table_name"], change["row_id"])] = change
    conflicts = []
    for (table, row_id), change in last.items():
        left = change["after"]
        present = repo.current_image(conn, table, row_id)
        if left is None:
            same = present is None
        else:
            same = present is not None and all(
                present.get(column) == value for column, value in left.items()
            )
        if not same:
            conflicts.append(t("imports.changed_since", where=_where(change)))
    return conflicts


def _revert(conn: sqlite3.Connection, change: Row, undo_id: int) -> None:
    table, row_id = change["table_name"], change["row_id"]
    try:
        if change["action"] == "insert":
            repo.delete_row(conn, table, row_id)
        else:
            repo.put_back(conn, table, row_id, change["before"])
    except sqlite3.IntegrityError as error:
        raise ConflictError(
            t("imports.undo_refused", id=undo_id),
            details=[t("imports.clash", where=_where(change), detail=error)],
        ) from None


def _count(changes: list[Row], result: UndoResult) -> None:
    """Rows, not changes: a row the import added and then changed is one row deleted."""
    first: dict[tuple[str, int], Row] = {}
    last: dict[tuple[str, int], Row] = {}
    for change in changes:
        key = (change["table_name"], change["row_id"])
        first.setdefault(key, change)
        last[key] = change
    for key, change in first.items():
        gone = last[key]["after"] is None
        if change["before"] is None:
            result.deleted += not gone
        elif gone:
            result.reinserted += 1
        else:
            result.restored += 1


def undo_import(conn: sqlite3.Connection, ref: str, *, dry_run: bool = False) -> UndoResult:
    """Put every row the import changed back as it was before, in one transaction."""
    with write(conn, dry_run=dry_run):
        record = get_import(conn, ref)
        if record["undone_at"] is not None:
            raise ConflictError(
                t("imports.already_undone", id=record["id"], at=record["undone_at"])
            )
        result = UndoResult(
            id=record["id"], kind=record["kind"], file=record["file"], dry_run=dry_run
        )
        changes = repo.changes_of(conn, record["id"])
        conflicts = _changed_since(conn, changes)
        if conflicts:
            raise ConflictError(t("imports.undo_refused", id=record["id"]), details=conflicts)
        # The rows are put back as they were, so the schema's own triggers (the append-only
        # guard of issue_events) stand aside; references are checked once, at the end.
        repo.defer_foreign_keys(conn)
        dangling_before = set(foreign_key_problems(conn))
        guards = repo.set_aside_triggers(conn, {change["table_name"] for change in changes})
        search_schema.pause(conn)  # the documents of the rows put back: at once, below
        for change in reversed(changes):
            _revert(conn, change, record["id"])
        _count(changes, result)
        search_schema.resume(conn, repo.CHANGES_OF_IMPORT, (record["id"],))
        repo.restore_triggers(conn, guards)
        dangling = [
            t("imports.dangling", table=display(TABLES, table), row=row, parent=display(TABLES, to))
            for table, row, to in foreign_key_problems(conn)
            if (table, row, to) not in dangling_before
        ]
        if dangling:
            raise ConflictError(t("imports.undo_refused", id=record["id"]), details=dangling)
        if not dry_run:
            repo.mark_undone(conn, record["id"], iso(now()))
    return result
