"""The one place that opens the SQLite file, sets its pragmas and brings its schema up to date.

Everything else receives the connection from `open_db()` and writes through `write()`,
which holds one BEGIN IMMEDIATE transaction: concurrent beiwen processes queue on the
write lock (for up to BUSY_TIMEOUT_MS) instead of failing, and a failure rolls back all.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from beiwen.errors import BeiwenError, DatabaseMissingError, InvalidInputError
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

    read_only = False  # opened with mode=ro or immutable=1 (see _connect)
    protected_path: Path | None = None  # the database file io.files refuses to overwrite

    # The -wal/-shm a read-only look at someone's file made (SQLite cannot remove them
    # itself without write access): removed again on close when the log is empty.
    made_sidecars: tuple[Path, ...] = ()

    def close(self) -> None:
        if self.protected_path is not None:
            from beiwen.io.files import unprotect

            unprotect(self.protected_path, sidecars=True)
            self.protected_path = None
        super().close()
        wal = next((p for p in self.made_sidecars if p.name.endswith("-wal")), None)
        if self.made_sidecars and (wal is None or not wal.exists() or wal.stat().st_size == 0):
            for sidecar in self.made_sidecars:
                with contextlib.suppress(OSError):
                    sidecar.unlink()
        self.made_sidecars = ()

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except OverflowError:
            raise InvalidInputError(t("db.number_too_large")) from None


def open_db(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """Open the beiwen database at `path`, apply pending migrations, return the connection.

    A missing or empty file is an error unless `create` (only `beiwen init` passes it), so
    that a typo in --db never leaves stray files behind. A file that holds tables but no
    beiwen schema (another program's database) is refused before anything touches it. A
    file or folder the user cannot write is opened read-only: reads work, writes say why not.
    """
    from beiwen.io.files import os_error, protect

    try:
        exists = path.exists()
        writable = not exists or _writable(path)
    except OSError as error:
        raise os_error(path, error) from None
    if not exists:
        if not create:
            raise DatabaseMissingError(t("error.no_database", path=path))
        try:
            create_private_file(path)
        except OSError as error:
            raise os_error(path, error) from None
    conn = _connect(path, read_only=not writable)
    protect(path, "database", sidecars=True)
    conn.protected_path = path  # released when the connection closes
    with _closed_on_error(conn, path, keep_locked=True):
        _check_is_beiwen(conn, path, create)
        for name, value in PRAGMAS.items():
            if writable or name in ("foreign_keys", "busy_timeout"):
                conn.execute(f"PRAGMA {name} = {value}")
        if writable:
            migrate(conn, path)
        else:
            conn.execute("PRAGMA query_only = on")
            _refuse_pending_read_only(conn, path)
    return conn


@contextmanager
def _closed_on_error(
    conn: Connection, path: Path, *, keep_locked: bool = False, named: bool = False
) -> Iterator[None]:
    """Close `conn` when what is done with it fails, SQLite's errors in beiwen's words;
    `keep_locked`: a locked database stays SQLite's error, for the translator's message;
    `named`: the file was named on the command line (a backup, a roll-up's input), not --db."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        conn.close()
        if keep_locked and isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
            raise  # the translator's "locked by another beiwen process" message fits
        raise database_error(error, path, named=named) from None
    except BaseException:
        conn.close()
        raise


def _writable(path: Path) -> bool:
    """Can this process change the file, and create the -wal and -shm files beside it?"""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _connect(path: Path, *, read_only: bool) -> Connection:
    if not read_only:
        return _sqlite_connect(str(path), uri=False)
    uri = path.resolve().as_uri()
    conn = _sqlite_connect(f"{uri}?mode=ro", uri=True)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        # A WAL file in a folder we cannot write: SQLite cannot make its -shm. Nothing can
        # change the file from here, so reading it as immutable is exact.
        conn.close()
        conn = _sqlite_connect(f"{uri}?immutable=1", uri=True)
    conn.read_only = True
    return conn


def open_read_only(path: Path) -> Connection:
    """A beiwen database opened to read only: a backup to verify before restoring it.

    Refused like open_db refuses: not SQLite, another program's file, a newer schema.
    """
    from beiwen.io.files import os_error
    from beiwen.migrations import pending_names

    try:
        if not path.is_file():
            raise BeiwenError(t("error.file_missing", path=path))
    except OSError as error:
        raise os_error(path, error) from None
    sidecars = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    missing = tuple(sidecar for sidecar in sidecars if not sidecar.exists())
    try:
        conn = _connect(path, read_only=True)
    except sqlite3.DatabaseError as error:
        raise database_error(error, path, named=True) from None
    conn.made_sidecars = missing
    with _closed_on_error(conn, path, named=True):
        _check_is_beiwen(conn, path, create=False, named=True)
        pending_names(conn, path)  # raises for a file of a newer beiwen
    return conn


def _sqlite_connect(database: str, *, uri: bool) -> Connection:
    # isolation_level=None: no implicit transactions; write() issues BEGIN IMMEDIATE itself.
    return sqlite3.connect(
        database,
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        factory=Connection,
        uri=uri,
    )


def _check_is_beiwen(
    conn: sqlite3.Connection, path: Path, create: bool, *, named: bool = False
) -> None:
    """Refuse, unchanged, a file that is not (or not yet) a beiwen database; `named`: one
    named on the command line, whose message says to check that name, not --db."""
    from beiwen.migrations import MIGRATION_SET, MIGRATIONS_TABLE

    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if not tables:
        if not create:
            raise DatabaseMissingError(
                t("db.no_schema_named" if named else "db.no_schema", path=path)
            )
        return
    if (
        MIGRATIONS_TABLE in tables
        and conn.execute(
            f"SELECT 1 FROM {MIGRATIONS_TABLE} WHERE migration_set = ? LIMIT 1", (MIGRATION_SET,)
        ).fetchone()
    ):
        return
    raise BeiwenError(t("db.foreign_named" if named else "db.foreign", path=path))


def _refuse_pending_read_only(conn: sqlite3.Connection, path: Path) -> None:
    from beiwen.migrations import pending_names

    if pending_names(conn, path):
        raise BeiwenError(t("db.read_only_upgrade", path=path))


def database_error(
    error: sqlite3.DatabaseError, path: Path | None = None, *, named: bool = False
) -> BeiwenError:
    """The one wording of what SQLite reports: read-only, disk full, I/O error, damage
    (`named`: of a file named on the command line, not --db)."""
    text = str(error)
    where = path if path is not None else t("db.this_database")
    if "readonly" in text or "read-only" in text:
        return BeiwenError(t("db.read_only", path=where))
    if "disk is full" in text:
        return BeiwenError(t("db.disk_full", path=where))
    if "disk I/O error" in text:
        return BeiwenError(t("db.disk_io", path=where))
    if (
        path is not None
        and isinstance(error, sqlite3.DatabaseError)
        and ("not a database" in text or "malformed" in text or "encrypted" in text)
    ):
        key = "error.not_a_database_named" if named else "error.not_a_database"
        return BeiwenError(t(key, path=path, detail=error))
    return BeiwenError(t("error.database", detail=error))


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
def write(conn: sqlite3.Connection, *, dry_run: bool = False) -> Iterator[sqlite3.Connection]:
    """One BEGIN IMMEDIATE transaction: all of the block is written, or none of it.

    Nested inside another `write`, the block is a savepoint and the outer call owns the
    commit: a failing inner block is undone alone, and nothing is final before the outer
    block ends. With `dry_run` the block runs in full and is then rolled back (an import's
    --dry-run): every check and every write happens, none of it stays.
    """
    if conn.in_transaction:
        conn.execute("SAVEPOINT beiwen_write")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK TO beiwen_write")
            conn.execute("RELEASE beiwen_write")
            raise
        if dry_run:
            conn.execute("ROLLBACK TO beiwen_write")
        conn.execute("RELEASE beiwen_write")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("ROLLBACK" if dry_run else "COMMIT")


def backup(conn: sqlite3.Connection, destination: Path) -> dict[str, int]:
    """SQLite's online backup to `destination`, complete and verified or not at all.

    The copy is written under a hidden temporary name beside `destination` and takes its name
    only after its integrity check passes and its row counts equal the source's (read in the
    same read transaction as the copy), so a kill leaves no file or a complete one.
    Returns the row count of each table.
    """
    from beiwen.io.files import os_error, staged_path

    try:
        missing = [f for f in (destination.parent, *destination.parent.parents) if not f.exists()]
        for folder in reversed(missing):  # a backup folder of its own is private too: 0700
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)
    except OSError as error:
        raise os_error(destination, error) from None
    with staged_path(destination) as temp:
        create_private_file(temp)
        conn.execute("BEGIN")  # one snapshot: the copy and the counts see the same rows
        try:
            source_counts = table_counts(conn)
            target = plain_connection(temp)
            try:
                conn.backup(target)
                problems = [row[0] for row in target.execute("PRAGMA integrity_check")]
                copied = table_counts(target)
            finally:
                target.close()
        finally:
            conn.execute("COMMIT")
        if problems != ["ok"] or copied != source_counts:
            raise BeiwenError(t("db.backup_unverified", path=destination))
    return source_counts


@dataclass
class Restored:
    counts: dict[str, int]
    kept_as: Path | None


def copy_into_place(source: sqlite3.Connection, path: Path, when: datetime) -> Restored:
    """Copy the database `source` to `path`, moving the file there (and its -wal) aside."""
    from beiwen.io.files import staged_path

    counts = table_counts(source)
    kept_as: Path | None = None
    with staged_path(path, "database") as temp:
        create_private_file(temp)
        target = plain_connection(temp)
        try:
            source.backup(target)
            copied = table_counts(target)
        finally:
            target.close()
        if copied != counts:
            raise BeiwenError(t("db.backup_unverified", path=path))
        if path.exists():
            kept_as = _keep_aside(path, f"{path.name}.before-restore-{when:%Y%m%d-%H%M%S}")
            for suffix in ("-wal", "-shm"):
                sidecar = path.with_name(path.name + suffix)
                if sidecar.exists():
                    # A -wal left beside the restored file would be replayed into it.
                    os.replace(sidecar, kept_as.with_name(kept_as.name + suffix))
    return Restored(counts=counts, kept_as=kept_as)


def plain_connection(path: Path | str) -> sqlite3.Connection:
    """A bare connection to a file beiwen is writing whole (a backup's copy, a restore's
    staged file) or to ":memory:" (doctor's copy for the CHECK constraints): no pragmas,
    no migrations, nothing of the user's database."""
    return sqlite3.connect(path, isolation_level=None)


def _keep_aside(path: Path, name: str) -> Path:
    """Give the file at `path` a second name (`name`, else `name-2`, `name-3` …), so that it
    keeps a name before the restored file takes its own."""
    for attempt in range(1, 1000):
        kept = path.with_name(name if attempt == 1 else f"{name}-{attempt}")
        try:
            os.link(path, kept)
            return kept
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows per table: what a backup or a restore must carry over unchanged."""
    names = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
