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
from typing import Any

from beiwen.errors import BeiwenError, DatabaseMissingError, InvalidInputError
from beiwen.i18n import register, t

register(
    {
        "db.number_too_large": (
            "a number you gave is too large (ids and counts go up to 9223372036854775807); "
            "check it",
            "输入的数字过大（编号和数量最大为 9223372036854775807）；请核对",
        ),
        "db.migration_failed": (
            "upgrading {path} failed at {names} ({detail}); nothing was changed: keep using the "
            "previous beiwen version and report this message",
            "升级 {path} 的表结构在 {names} 失败（{detail}）；数据库未作任何改动：请继续使用旧版 "
            "beiwen，并报告此消息",
        ),
    }
)

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
    # mkdir(parents=True) would give the intermediate folders the umask's mode, not 0700.
    missing = [folder for folder in (path.parent, *path.parent.parents) if not folder.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # another beiwen process made it a moment ago
            continue
        os.chmod(folder, 0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


class Connection(sqlite3.Connection):
    """sqlite3's connection, with one user error translated where it arises.

    Any id or count typed on the command line ends up as a query parameter; SQLite integers
    stop at 2**63 - 1, and a larger one raises OverflowError, which no caller expects.
    """

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except OverflowError:
            raise InvalidInputError(t("db.number_too_large")) from None


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
    conn = sqlite3.connect(
        path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, factory=Connection
    )
    try:
        for name, value in PRAGMAS.items():
            conn.execute(f"PRAGMA {name} = {value}")
        migrate(conn, path)
    except sqlite3.OperationalError as error:
        conn.close()
        if "locked" in str(error):
            raise  # the translator's "locked by another beiwen process" message fits
        raise BeiwenError(t("error.not_a_database", path=path, detail=error)) from None
    except sqlite3.DatabaseError as error:
        conn.close()
        raise BeiwenError(t("error.not_a_database", path=path, detail=error)) from None
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(conn: sqlite3.Connection, path: Path | None = None) -> None:
    from beiwen.migrations import apply_pending, pending_names

    pending = pending_names(conn, path if path is not None else "the database")
    if not pending:
        return
    try:
        with write(conn):
            apply_pending(conn)
    except sqlite3.DatabaseError as error:
        if "locked" in str(error):
            raise
        # The file is a beiwen database that this version could not upgrade; write() has
        # rolled every step back, so the user can keep working with the previous version.
        raise BeiwenError(
            t("db.migration_failed", path=path, names=", ".join(pending), detail=error)
        ) from None


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
