"""`beiwen doctor`: look the database file over without changing it, and say how to fix what
is wrong.

Every other command opens the file through `db.open_db()`, which creates missing parts and
applies pending migrations. A diagnosis must not do either: it has to work on a missing, empty,
foreign, corrupt or newer file and leave it exactly as it found it. So this is the one place
that opens the file itself, read-only (SQLite URI `mode=ro`). Each finding is one line: what
is wrong, then the command that fixes it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path

from beiwen.db import Connection
from beiwen.errors import BeiwenError
from beiwen.i18n import label, t

SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite folds the log back at 1,000 pages (4 MB) while processes run and removes it when the
# last one closes, so a log this large means a process is stuck open or was killed mid-way.
WAL_WARN_BYTES = 64 * 1024 * 1024
# integrity_check can report thousands of lines for one broken page; the first few tell
# the story, the rest is counted.
MAX_DETAILS = 5


@dataclass
class Diagnosis:
    """What `diagnose` found: one line per problem (what, then how to fix it)."""

    path: Path
    problems: list[str] = field(default_factory=list)
    size: int = 0
    mode: int = 0
    schema: str = ""


def diagnose(path: Path) -> Diagnosis:
    """Check the database file at `path` without changing it."""
    found = Diagnosis(path=path)
    if not path.exists():
        found.problems.append(t("doctor.missing", path=path))
        return found
    if not path.is_file():
        found.problems.append(t("doctor.not_a_file", path=path))
        return found
    info = path.stat()
    found.size, found.mode = info.st_size, stat.S_IMODE(info.st_mode)
    found.problems += _permission_problems(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        found.problems.append(t("doctor.unreadable", path=path, detail=error.strerror))
        return found
    if info.st_size == 0:
        found.problems.append(t("doctor.empty_file", path=path))
        return found
    if head != SQLITE_HEADER:
        found.problems.append(t("doctor.not_sqlite", path=path))
        return found
    wal = _sidecar(path, "-wal")
    if wal.is_file() and wal.stat().st_size > WAL_WARN_BYTES:
        found.problems.append(t("doctor.large_wal", wal=wal, size=human_size(wal.stat().st_size)))
    found.problems += _database_problems(path, found)
    return found


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _mode_text(mode: int) -> str:
    return f"{mode:04o}"


def _permission_problems(path: Path) -> list[str]:
    problems: list[str] = []
    for file in (path, _sidecar(path, "-wal"), _sidecar(path, "-shm")):
        if not file.is_file():
            continue
        mode = stat.S_IMODE(file.stat().st_mode)
        if mode & 0o077:
            problems.append(t("doctor.open_to_others", path=file, mode=_mode_text(mode)))
    mode = stat.S_IMODE(path.stat().st_mode)
    if not os.access(path, os.R_OK | os.W_OK):
        problems.append(t("doctor.read_only", path=path, mode=_mode_text(mode)))
    folder = path.resolve().parent
    folder_mode = folder.stat().st_mode
    # A shared folder with the sticky bit (like /tmp) lets others add files but not replace ours.
    if stat.S_IMODE(folder_mode) & 0o022 and not folder_mode & stat.S_ISVTX:
        problems.append(
            t("doctor.folder_open", folder=folder, mode=_mode_text(stat.S_IMODE(folder_mode)))
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        problems.append(
            t("doctor.folder_read_only", folder=folder, mode=_mode_text(stat.S_IMODE(folder_mode)))
        )
    return problems


def _database_problems(path: Path, found: Diagnosis) -> list[str]:
    # mode=ro: no migration, no pragma that writes; SQLite may still create -wal and -shm.
    uri = path.resolve().as_uri() + "?mode=ro"
    sidecars = [_sidecar(path, "-wal"), _sidecar(path, "-shm")]
    missing = [file for file in sidecars if not file.exists()]
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, factory=Connection)
        conn.read_only = True  # the integrity check then verifies CHECK constraints on a copy
    except sqlite3.Error as error:
        return [t("doctor.cannot_open", path=path, detail=error)]
    try:
        return _content_problems(conn, path, found)
    except sqlite3.DatabaseError as error:
        return [t("doctor.damaged", path=path, detail=error)]
    finally:
        conn.close()
        # A read-only connection creates a WAL file's -wal and -shm but cannot remove them;
        # SQLite gives them the database's mode, which may be the loose one just reported.
        for file in missing:
            if file.exists():
                with contextlib.suppress(OSError):
                    os.chmod(file, 0o600)


def _content_problems(conn: sqlite3.Connection, path: Path, found: Diagnosis) -> list[str]:
    from beiwen.migrations import MIGRATIONS_TABLE, STEPS, pending_names
    from beiwen.services.database import check_database

    problems: list[str] = []
    checked = check_database(conn)
    fix = t("doctor.restore_fix")
    # integrity_check puts "*** in database main ***" on a line of its own: keep one line each.
    then = label(("; ", "；"))
    problems += [f"{' '.join(line.split())}{then}{fix}" for line in checked.problems[:MAX_DETAILS]]
    if len(checked.problems) > MAX_DETAILS:
        problems.append(t("doctor.more_problems", count=len(checked.problems) - MAX_DETAILS))
    problems += checked.repairs
    if MIGRATIONS_TABLE not in checked.tables:
        key = "doctor.not_beiwen" if checked.tables else "doctor.no_schema"
        problems.append(t(key, path=path))
        return problems
    try:
        pending = pending_names(conn, path)
    except BeiwenError as error:
        problems.append(error.message)
    else:
        if pending:
            problems.append(
                t("doctor.pending", path=path, count=len(pending), names=", ".join(pending))
            )
        applied = [step.__name__ for step in STEPS if step.__name__ not in pending]
        found.schema = applied[-1] if applied else "-"
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    if str(mode).lower() != "wal":
        problems.append(t("doctor.journal", path=path, mode=mode))
    return problems


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{size / 1024:.0f} KB"
