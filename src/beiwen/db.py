"""The one place that opens the SQLite file, sets its pragmas and brings its schema up to date.

Everything else receives the connection from `open_db()` and writes through `write()`,
which holds one BEGIN IMMEDIATE transaction: concurrent beiwen processes queue on the
write lock (for up to BUSY_TIMEOUT_MS) instead of failing, and a failure rolls back all.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from beiwen.errors import BeiwenError, DatabaseMissingError
from beiwen.i18n import t

BUSY_TIMEOUT_MS = 30_000
PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": "on",
    "busy_timeout": str(BUSY_TIMEOUT_MS),
    "synchronous": "full",
}


def default_path() -> Path:
    """BEIWEN_DB, else the per-user data directory."""
    env = os.environ.get("BEIWEN_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("beiwen")) / "beiwen.db"


def create_private_file(path: Path) -> None:
    """Create `path` (and missing parents, 0700) readable by its owner only (0600)."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def open_db(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """Open the beiwen database at `path`, apply pending migrations, return the connection.

    A missing file is an error unless `create` (only `beiwen init` passes it), so that a
    typo in --db never leaves stray files behind.
    """
    if not path.exists():
        if not create:
            raise DatabaseMissingError(t("error.no_database", path=path))
        try:
            create_private_file(path)
        except OSError as error:
            raise BeiwenError(t("error.cannot_write", path=path, detail=error.strerror)) from None
    # isolation_level=None: no implicit transactions; write() issues BEGIN IMMEDIATE itself.
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        for name, value in PRAGMAS.items():
            conn.execute(f"PRAGMA {name} = {value}")
        migrate(conn)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise BeiwenError(t("error.not_a_database", path=path, detail=error)) from None
    return conn


def migrate(conn: sqlite3.Connection) -> None:
    from beiwen.migrations import apply_pending, pending_names

    if not pending_names(conn):
        return
    with write(conn):
        apply_pending(conn)


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One BEGIN IMMEDIATE transaction: all of the block is written, or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def backup(conn: sqlite3.Connection, destination: Path) -> None:
    """SQLite's online backup: a consistent copy even while other processes write."""
    create_private_file(destination)
    target = sqlite3.connect(destination)
    try:
        conn.backup(target)
    finally:
        target.close()
    os.chmod(destination, 0o600)
