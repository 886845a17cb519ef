"""One module per command group. Commands parse options, call one service, render.

Commands import services inside their functions: `beiwen --help` and the daily
`beiwen issue add` must start without loading what they do not use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import sqlite3


@dataclass
class State:
    """What the root options decided, and the connection opened on first use."""

    db_path: Path
    connection: sqlite3.Connection | None = field(default=None, repr=False)

    def connect(self) -> sqlite3.Connection:
        if self.connection is None:
            from beiwen.services.database import open_database

            self.connection = open_database(self.db_path)
        return self.connection


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    assert isinstance(root.obj, State)
    return root.obj


def connect(ctx: typer.Context) -> sqlite3.Connection:
    return state(ctx).connect()
