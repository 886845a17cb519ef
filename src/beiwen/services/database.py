"""The database file as a whole: creating it, loading the demo, backups and checks."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from beiwen import db
from beiwen.errors import BeiwenError, ConflictError
from beiwen.i18n import t
from beiwen.repository import database as repo
from beiwen.repository import search
from beiwen.vocab import TABLES, display


def open_database(path: Path) -> sqlite3.Connection:
    """The database at `path`, opened (and brought up to date) for a command."""
    return db.open_db(path)


def init_database(path: Path) -> sqlite3.Connection:
    """Create (or bring up to date) the database at `path`."""
    return db.open_db(path, create=True)


def has_data(conn: sqlite3.Connection) -> bool:
    return repo.has_rows(conn)


def backup_database(conn: sqlite3.Connection, destination: Path) -> int:
    """A verified copy at `destination` (a new name); returns its size in bytes."""
    if os.path.lexists(destination):
        raise ConflictError(t("db.backup_exists", path=destination))
    db.backup(conn, destination)
    return destination.stat().st_size


@dataclass
class RestoreResult:
    counts: dict[str, int]
    kept_as: Path | None  # where the replaced database now is (None: there was none)


def restore_database(path: Path, backup: Path, *, now: datetime | None = None) -> RestoreResult:
    """Put the verified `backup` in place of the database at `path`, keeping the old file.

    The backup is checked first (a beiwen database, not newer than this beiwen, integrity
    and CHECK constraints sound) and copied beside the database under a temporary name; the
    current file and its -wal are then renamed to `NAME.before-restore-YYYYMMDD-HHMMSS` and
    the copy takes the database's name in one rename. The current file may be damaged: it is
    never opened, only moved aside.
    """
    from beiwen.io.files import check_target

    try:
        same = path.exists() and backup.exists() and os.path.samefile(path, backup)
    except OSError as error:
        raise BeiwenError(t("error.cannot_write", path=backup, detail=error.strerror)) from None
    if same:
        raise ConflictError(t("db.restore_same", path=backup))
    source = db.open_read_only(backup)
    try:
        problems = repo.integrity_problems(source) + foreign_key_messages(source)
        if problems:
            raise BeiwenError(t("db.restore_damaged", path=backup, detail=problems[0]))
        check_target(path)  # the database's own name: a link or a device is refused here too
        counts = db.copy_into_place(source, path, now or datetime.now())
    finally:
        source.close()
    return RestoreResult(counts=counts.counts, kept_as=counts.kept_as)


@dataclass
class CheckResult:
    problems: list[str]  # damage: integrity, foreign keys (a backup is the fix)
    tables: dict[str, int]
    repairs: list[str] = field(default_factory=list)  # each with its own fix, no restore


def check_database(conn: sqlite3.Connection) -> CheckResult:
    problems = [t("db.check_integrity", detail=detail) for detail in repo.integrity_problems(conn)]
    problems += foreign_key_messages(conn)
    repairs = [t("db.search_paused")] if search.is_paused(conn) else []
    return CheckResult(problems=problems, tables=repo.table_counts(conn), repairs=repairs)


def reindex_database(conn: sqlite3.Connection) -> int:
    """Index every row again and end a pause of the index's triggers that another program
    left committed (`beiwen db reindex`); the number of documents."""
    with db.write(conn):
        return search.rebuild(conn)


def table_label(name: str) -> str:
    """A table as messages name it: `units` in English, 单位 in Chinese (vocab.TABLES); a
    table beiwen does not know by its own name."""
    return display(TABLES, name)


def foreign_key_messages(conn: sqlite3.Connection) -> list[str]:
    """One line per broken reference, the tables by their labels."""
    return [
        t("db.check_foreign_key", table=table_label(table), rowid=rowid, parent=table_label(parent))
        for table, rowid, parent in repo.foreign_key_problems(conn)
    ]


def file_mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777
