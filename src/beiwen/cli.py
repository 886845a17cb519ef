"""The root command: global options, the explicit list of command groups, and the one error
translator that turns what a user can cause into a single `Error: …` line and exit 1."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from beiwen import __version__
from beiwen.commands import (
    State,
    activities,
    courses,
    database,
    doctor,
    grid,
    issues,
    report,
    rotation,
    units,
)
from beiwen.errors import BeiwenError
from beiwen.i18n import detect_language, set_language, t


def print_error(message: str, details: list[str] | None = None) -> None:
    lines = [f"Error: {message}", *(details or [])]
    sys.stderr.write("\n".join(lines) + "\n")
    sys.stderr.flush()


def translate(error: BaseException) -> int | None:
    """The exit code for an error a user can cause, after printing it; None for a bug."""
    if isinstance(error, BeiwenError):
        print_error(error.message, error.details)
        return error.exit_code
    if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
        print_error(t("error.database_locked", seconds=30))
        return 1
    if isinstance(error, sqlite3.DatabaseError):
        print_error(t("error.database", detail=error))
        return 1
    if isinstance(error, KeyboardInterrupt):
        print_error(t("error.interrupted"))
        return 130
    return None


class BeiwenGroup(TyperGroup):
    """The root group; its invoke() wraps every subcommand, so errors are translated once."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (BeiwenError, sqlite3.Error, KeyboardInterrupt) as error:
            code = translate(error)
            assert code is not None
            raise typer.Exit(code) from None


app = typer.Typer(
    cls=BeiwenGroup,
    help="beiwen: the toolkit of the Jialing Fengqing business-district Party committee "
    "(嘉陵风情步行街商圈党委). One SQLite file holds units, the rotation, work orders, grids, "
    "courses and activities.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# The explicit list of command groups (one module each in beiwen/commands/).
GROUPS: list[tuple[typer.Typer, str, bool]] = [
    (units.app, "units", False),
    (grid.app, "grid", False),
    (database.app, "db", False),
    (issues.app, "issue", False),
    (issues.app, "issues", True),
    (courses.app, "course", False),
    (activities.app, "activity", False),
    (rotation.app, "rotation", False),
]
for group, name, hidden in GROUPS:
    app.add_typer(group, name=name, hidden=hidden)
database.register_root_commands(app)
doctor.register_root_commands(app)
report.register_root_commands(app)


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"beiwen {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Database file. Default: $BEIWEN_DB, else the per-user data directory.",
            dir_okay=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Language of output: zh or en. Default: $BEIWEN_LANG, else the locale."
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    if lang is not None and lang.strip().lower() not in ("zh", "en"):
        raise typer.BadParameter("use zh or en", param_hint="--lang")
    set_language(detect_language(lang))
    if db is None:
        from beiwen.db import default_path

        db = default_path()
    state = State(db_path=db)
    ctx.obj = state

    def close() -> None:
        if state.connection is not None:
            state.connection.close()

    ctx.call_on_close(close)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `beiwen` script."""
    try:
        app(args=argv, prog_name="beiwen")
    except BrokenPipeError:
        # `beiwen units list | head`: the reader left; that is not an error worth a traceback.
        sys.stderr.close()
        sys.exit(0)
