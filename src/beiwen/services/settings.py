"""The office's settings (`beiwen settings`): what the documents beiwen writes say about
who writes them, the committee's name (委员会名称) and the issuing body (落款), kept in the
database rather than in code. A key not set has its default here."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from beiwen.db import write
from beiwen.errors import InvalidInputError
from beiwen.i18n import label, t
from beiwen.parsing import iso, now
from beiwen.repository import grids as grids_repo
from beiwen.repository import settings as repo

DEFAULT_ORG_NAME = "北温泉街道嘉陵风情步行街商圈党委"
# Key -> default; None: the default is another key's value (the issuer is the committee).
DEFAULTS: dict[str, str | None] = {
    "org.name": DEFAULT_ORG_NAME,
    "org.issuer": None,
}
FALLBACK = {"org.issuer": "org.name"}
LONGEST = 200


def _key(key: str) -> str:
    typed = key.strip().lower()
    if typed not in DEFAULTS:
        choices = label((", ", "、")).join(DEFAULTS)
        raise InvalidInputError(t("settings.unknown_key", key=key, choices=choices))
    return typed


def _values(stored: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, default in DEFAULTS.items():
        value = stored.get(key, default)
        values[key] = value if value is not None else ""
    for key, other in FALLBACK.items():
        if key not in stored:
            values[key] = values[other]
    return values


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> dict[str, str]:
    """Store `value` (trimmed; not empty, at most 200 characters) for the known `key`."""
    key = _key(key)
    value = value.strip()
    if not value:
        raise InvalidInputError(t("settings.empty_value", key=key))
    if len(value) > LONGEST:
        raise InvalidInputError(t("settings.too_long", key=key, limit=LONGEST))
    with write(conn):
        repo.put_setting(conn, key, value, iso(now()))
    return {"key": key, "value": value}


def get_setting(conn: sqlite3.Connection, key: str) -> str:
    """The value of `key`: as set, else its default."""
    return _values(repo.stored_settings(conn))[_key(key)]


def list_settings(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every key with its value and whether that value is the default (not set)."""
    stored = repo.stored_settings(conn)
    values = _values(stored)
    return [
        {
            "key": key,
            "value": values[key],
            "default": key not in stored,
            "meaning": t(f"settings.meaning.{key}"),
        }
        for key in DEFAULTS
    ]


@dataclass(frozen=True)
class Letterhead:
    """What a document needs to know about its writer: the committee's name (in the
    title), the issuing body (落款) and the grids' names (tables name grids, not numbers)."""

    name: str = DEFAULT_ORG_NAME
    issuer: str = DEFAULT_ORG_NAME
    grids: dict[int, str] = field(default_factory=dict)


def letterhead(conn: sqlite3.Connection) -> Letterhead:
    values = _values(repo.stored_settings(conn))
    return Letterhead(values["org.name"], values["org.issuer"], grids_repo.grid_names(conn))
