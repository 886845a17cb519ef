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
from beiwen.i18n import register, t

register(
    {
        "doctor.missing": (
            "{path} does not exist; create it with: beiwen init (or pass --db with the right file)",
            "{path} 不存在；请用 beiwen init 创建（或用 --db 指定正确的文件）",
        ),
        "doctor.not_a_file": (
            "{path} is a folder, not a database file; pass --db with the file, e.g. "
            "{path}/beiwen.db",
            "{path} 是文件夹而不是数据库文件；请用 --db 指定文件，如 {path}/beiwen.db",
        ),
        "doctor.unreadable": (
            "{path} cannot be read ({detail}); run: chmod 600 {path}",
            "无法读取 {path}（{detail}）；请运行：chmod 600 {path}",
        ),
        "doctor.empty_file": (
            "{path} is empty (0 bytes); create the database with: beiwen init, or restore a "
            "backup: beiwen db restore BACKUP.db",
            "{path} 是空文件（0 字节）；请用 beiwen init 创建数据库，或从备份恢复：beiwen db "
            "restore 备份.db",
        ),
        "doctor.not_sqlite": (
            "{path} is not an SQLite database; check --db and BEIWEN_DB, or restore a backup: "
            "beiwen db restore BACKUP.db",
            "{path} 不是 SQLite 数据库；请检查 --db 和 BEIWEN_DB，或从备份恢复：beiwen db restore "
            "备份.db",
        ),
        "doctor.open_to_others": (
            "{path} can be read or changed by other users (mode {mode}); run: chmod 600 {path}",
            "其他用户可以读取或修改 {path}（权限 {mode}）；请运行：chmod 600 {path}",
        ),
        "doctor.read_only": (
            "{path} is read-only for you (mode {mode}), so nothing can be recorded; run: chmod "
            "600 {path}",
            "{path} 对你是只读的（权限 {mode}），无法记录任何内容；请运行：chmod 600 {path}",
        ),
        "doctor.folder_open": (
            "the folder {folder} can be changed by other users (mode {mode}), who could replace "
            "the database; run: chmod 700 {folder}",
            "其他用户可以修改文件夹 {folder}（权限 {mode}），可能替换数据库；请运行：chmod 700 "
            "{folder}",
        ),
        "doctor.folder_read_only": (
            "the folder {folder} is not writable for you (mode {mode}), so SQLite cannot create "
            "its -wal and -shm files beside the database; run: chmod u+rwx {folder}",
            "文件夹 {folder} 对你不可写（权限 {mode}），SQLite 无法在数据库旁创建 -wal 和 -shm "
            "文件；请运行：chmod u+rwx {folder}",
        ),
        "doctor.large_wal": (
            "the write-ahead log {wal} holds {size} not yet folded into the database (a beiwen "
            "process is still running, or one was stopped abruptly); close other beiwen "
            "processes, then run: beiwen db check (the last process to finish folds it in)",
            "预写日志 {wal} 中有 {size} 尚未并入数据库（有 beiwen 进程仍在运行，或曾被强行终止）；"
            "请关闭其他 beiwen 进程后运行：beiwen db check（最后结束的进程会把日志并入）",
        ),
        "doctor.cannot_open": (
            "{path} cannot be opened ({detail}); restore a backup: beiwen db restore BACKUP.db",
            "无法打开 {path}（{detail}）；请从备份恢复：beiwen db restore 备份.db",
        ),
        "doctor.damaged": (
            "{path} is damaged ({detail}); restore a backup: beiwen db restore BACKUP.db",
            "{path} 已损坏（{detail}）；请从备份恢复：beiwen db restore 备份.db",
        ),
        "doctor.restore_fix": (
            "restore a backup: beiwen db restore BACKUP.db",
            "请从备份恢复：beiwen db restore 备份.db",
        ),
        "doctor.more_problems": (
            "... and {count} more of the same kind; restore a backup: beiwen db restore BACKUP.db",
            "……另有 {count} 个同类问题；请从备份恢复：beiwen db restore 备份.db",
        ),
        "doctor.not_beiwen": (
            "{path} is an SQLite database but not a beiwen one (it has no migrations table); "
            "check --db and BEIWEN_DB",
            "{path} 是 SQLite 数据库，但不是 beiwen 数据库（没有迁移记录表）；请检查 --db 和 "
            "BEIWEN_DB",
        ),
        "doctor.no_schema": (
            "{path} holds no tables yet; create the schema with: beiwen init",
            "{path} 中还没有任何表；请用 beiwen init 创建表结构",
        ),
        "doctor.pending": (
            "{path} lacks {count} schema upgrade(s) ({names}); back it up with: beiwen db backup "
            "COPY.db, then run: beiwen init",
            "{path} 缺少 {count} 个表结构升级（{names}）；请先备份：beiwen db backup 副本.db，"
            "再运行：beiwen init",
        ),
        "doctor.journal": (
            "{path} is in {mode} journal mode, not WAL, so concurrent beiwen commands may fail "
            'with "database is locked"; run: beiwen init (it switches the file back to WAL)',
            "{path} 处于 {mode} 日志模式而非 WAL，多个 beiwen 命令同时运行时可能报“数据库被锁定”；"
            "请运行：beiwen init（会切换回 WAL）",
        ),
        "doctor.all_clear": (
            "{path}: no problems found ({size}, schema {schema}, WAL, mode {mode}; integrity, "
            "foreign keys and permissions checked)",
            "{path}：未发现问题（{size}，表结构 {schema}，WAL，权限 {mode}；已检查完整性、"
            "外键和权限）",
        ),
        "doctor.found": (
            "{count} problem(s) found in {path}; fix them as shown above",
            "{path} 中发现 {count} 个问题；请按上面的提示修复",
        ),
    }
)

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
    problems += [f"{' '.join(line.split())}; {fix}" for line in checked.problems[:MAX_DETAILS]]
    if len(checked.problems) > MAX_DETAILS:
        problems.append(t("doctor.more_problems", count=len(checked.problems) - MAX_DETAILS))
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
