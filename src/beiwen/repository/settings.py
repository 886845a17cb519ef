"""The office's settings (`beiwen settings`): key -> value, as stored (migration m007)."""

from __future__ import annotations

import sqlite3

from beiwen.repository import scalar


def stored_settings(conn: sqlite3.Connection) -> dict[str, str]:
    """Every stored key and its value; none on a file whose schema predates the table (a
    read-only file that could not be upgraded)."""
    if not scalar(conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings'"):
        return {}
    return dict(conn.execute("SELECT key, value FROM settings ORDER BY key").fetchall())


def put_setting(conn: sqlite3.Connection, key: str, value: str, at: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        (key, value, at),
    )


def delete_setting(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("DELETE FROM settings WHERE key = ?", (key,)).rowcount > 0
