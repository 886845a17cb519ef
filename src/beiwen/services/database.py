"""The database file as a whole: creating it, loading the demo, backups and checks."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from beiwen import db
from beiwen.errors import ConflictError
from beiwen.i18n import register, t
from beiwen.repository import database as repo

register(
    {
        "db.backup_exists": (
            "{path} already exists; choose a new file name for the backup",
            "{path} 已存在；请为备份选择一个新文件名",
        ),
        "db.demo_not_empty": (
            "{path} already holds data; load the demo into a new file: "
            "beiwen --db NEW.db init --demo",
            "{path} 中已有数据；请把演示数据载入新文件：beiwen --db 新文件.db init --demo",
        ),
        "db.check_integrity": ("integrity: {detail}", "完整性：{detail}"),
        "db.check_foreign_key": (
            "foreign key: {table} row {rowid} points to a missing {parent}",
            "外键：{table} 表第 {rowid} 行引用的 {parent} 不存在",
        ),
        "db.no_examples": (
            "the demo data (examples/) is not installed with this copy of beiwen",
            "当前安装的 beiwen 不含演示数据（examples/）",
        ),
    }
)


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
class CheckResult:
    problems: list[str]
    tables: dict[str, int]


def check_database(conn: sqlite3.Connection) -> CheckResult:
    problems = [t("db.check_integrity", detail=detail) for detail in repo.integrity_problems(conn)]
    problems += [
        t("db.check_foreign_key", table=table, rowid=rowid, parent=parent)
        for table, rowid, parent in repo.foreign_key_problems(conn)
    ]
    return CheckResult(problems=problems, tables=repo.table_counts(conn))


def file_mode(path: Path) -> int:
    return os.stat(path).st_mode & 0o777
