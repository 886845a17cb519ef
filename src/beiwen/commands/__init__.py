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
    """The database, opened on first use; when the command has done its work, the notices of
    the units it found by a guess go to stderr (`refs.taken_notices`). A command that fails
    drops them: its one error line stands alone."""
    current = state(ctx)
    if current.connection is None:
        from beiwen.services import refs

        refs.taken_notices()  # none left over from an earlier run in this process
        ctx.call_on_close(_print_taken)
    return current.connect()


def _print_taken() -> None:
    import sys

    from beiwen.services import refs

    notices = refs.taken_notices()
    # Called as the command's context closes: an exception on its way out is the failure.
    failing = sys.exc_info()[1]
    if failing is not None and not (isinstance(failing, typer.Exit) and failing.exit_code == 0):
        return
    for line in notices:
        sys.stderr.write(line + "\n")
