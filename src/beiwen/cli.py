"""The root command: global options, the explicit list of command groups, and the one error
translator that turns what a user can cause into a single `Error: …` line and exit 1."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable
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
    imports,
    issues,
    localise,
    meetings,
    needs,
    party,
    projects,
    report,
    resources,
    rollup,
    rotation,
    serve,
    service,
    settings,
    units,
)
from beiwen.commands.light_params import install as install_light_params
from beiwen.errors import BeiwenError
from beiwen.i18n import detect_language, set_language, t

install_light_params()
localise.install()


def print_error(message: str, details: list[str] | None = None) -> None:
    from beiwen.printable import printable

    lines = [f"{t('error.prefix')}{t('error.colon')}{message}", *(details or [])]
    sys.stderr.write(printable("\n".join(lines)) + "\n")
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
        from beiwen.db import database_error

        print_error(database_error(error).message)
        return 1
    if isinstance(error, KeyboardInterrupt):
        print_error(t("error.interrupted"))
        return 130
    return None


class BeiwenGroup(TyperGroup):
    """The root group; its invoke() wraps every subcommand, so errors are translated once."""

    def main(  # type: ignore[override]
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Click's main, with usage errors worded by `localise.usage_error`."""
        from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
        from typer.exceptions import Abort

        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else 0
        except NoArgsIsHelpError as error:  # `beiwen issue`: the group's help, not an error
            error.show()
            code = error.exit_code
        except UsageError as error:
            sys.stderr.write(localise.usage_error(error))
            code = error.exit_code
        except ClickException as error:
            print_error(localise.translate_usage(error.format_message()))
            code = error.exit_code
        except Abort:
            print_error(t("error.interrupted"))
            code = 1
        if standalone_mode:
            sys.exit(code)
        return code

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        # The language is known before any help or usage error is written: --lang anywhere
        # on the line, else $BEIWEN_LANG, else the locale.
        lang, args = _root_options_first(args)
        set_language(detect_language(lang))
        bad = _undecodable_argument(args)
        if bad is not None:
            # Bytes the terminal's encoding could not decode reach Python as lone surrogates;
            # SQLite and the terminal would fail on them later with a traceback.
            print_error(t("error.undecodable_argument", position=bad))
            raise typer.Exit(2)
        localise.help_texts(self)
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The root's commands in panels by task (工单, 单位与名册 …), not one long list."""
        shown = {
            name: command
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        }
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name in shown)
        for panel, names in PANELS:
            rows = [
                (name, shown[name].get_short_help_str(limit)) for name in names if name in shown
            ]
            if rows:
                with formatter.section(t(panel)):
                    formatter.write_dl(rows)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (BeiwenError, sqlite3.Error, KeyboardInterrupt) as error:
            code = translate(error)
            assert code is not None
            raise typer.Exit(code) from None


def version_callback(value: bool) -> None:
    if value:
        sys.stdout.write(f"beiwen {__version__}\n")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            dir_okay=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang"),
    ] = None,
    wide: Annotated[bool, typer.Option("--wide")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True),
    ] = False,
) -> None:
    if lang is not None and lang.strip().lower() not in ("zh", "en"):
        raise typer.BadParameter(t("usage.bad_lang"), param_hint="--lang")
    set_language(detect_language(lang))
    if wide:
        from beiwen import render

        render.WIDE = True
    if db is None:
        from beiwen.db import default_path

        db = default_path()
    state = State(db_path=db)
    ctx.obj = state

    def close() -> None:
        if state.connection is not None:
            state.connection.close()

    ctx.call_on_close(close)


# The explicit list of command groups (one module each in beiwen/commands/) ...
GROUPS: list[tuple[typer.Typer, str, bool]] = [
    (units.app, "units", False),
    (rotation.app, "rotation", False),
    (meetings.app, "meeting", False),
    (issues.app, "issue", False),
    (issues.app, "issues", True),  # alias
    (grid.app, "grid", False),
    (party.app, "party", False),
    (courses.app, "course", False),
    (activities.app, "activity", False),
    (needs.app, "need", False),
    (resources.app, "resource", False),
    (projects.app, "project", False),
    (imports.app, "imports", False),
    (database.app, "db", False),
    (settings.app, "settings", False),
    (service.app, "service", False),
]
# ... and of the commands that sit at the root.
ROOT_COMMANDS: list[tuple[str, Callable[[typer.Typer], None]]] = [
    ("init", database.register_root_commands),
    ("report", report.register_root_commands),
    ("rollup", rollup.register_root_commands),
    ("doctor", doctor.register_root_commands),
    ("serve", serve.register_root_commands),
]
ROOT_OPTIONS_WITH_VALUE = ("--db", "--lang")
# How `beiwen --help` groups them, by the task a user has in mind.
PANELS: list[tuple[str, tuple[str, ...]]] = [
    ("help.panel.issues", ("issue",)),
    ("help.panel.units", ("units",)),
    ("help.panel.rotation", ("rotation",)),
    ("help.panel.meetings", ("meeting",)),
    ("help.panel.grids", ("grid",)),
    ("help.panel.party", ("party", "service")),
    ("help.panel.courses", ("course", "activity")),
    ("help.panel.lists", ("need", "resource", "project")),
    ("help.panel.report", ("report", "rollup")),
    ("help.panel.web", ("serve",)),
    ("help.panel.database", ("init", "db", "doctor")),
    ("help.panel.imports", ("imports",)),
    ("help.panel.settings", ("settings",)),
]


def build_app(only: str | None = None, command: str | None = None) -> typer.Typer:
    """The root app with every group, or with only the group or root command `only` (and in
    that group only `command`, when it names one of its commands).

    Typer builds the Click command of every registered command on each start; building just
    the one a user typed keeps `beiwen issue add` from paying for the other 80.
    """
    root_app = typer.Typer(
        add_completion=False,  # a secretary's terminal needs no shell completion scripts
        cls=BeiwenGroup,
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    root_app.callback()(root)
    for group, name, hidden in GROUPS:
        if only is None or only == name:
            root_app.add_typer(narrowed(group, command), name=name, hidden=hidden)
    for name, register in ROOT_COMMANDS:
        if only is None or only == name:
            register(root_app)
    return root_app


def narrowed(group: typer.Typer, command: str | None) -> typer.Typer:
    """`group` holding just `command` when that is one of its own commands, else `group`."""
    if command is None:
        return group
    matches = [
        info
        for info in group.registered_commands
        if (info.name or getattr(info.callback, "__name__", "").replace("_", "-")) == command
    ]
    if not matches:
        return group  # a nested group (`grid member`), --help or a typo: keep everything
    copy = typer.Typer()
    copy.__dict__.update(group.__dict__)  # the same settings, help and callback ...
    copy.registered_commands = matches  # ... with one command and no subgroups
    copy.registered_groups = []
    return copy


def invoked(args: list[str]) -> tuple[str | None, str | None]:
    """(group or root command, the word after it) that `args` name.

    The first is "" for --version (no command needed) and None when the whole tree is needed
    (help, no command, a typo to suggest against); the second is None unless it can be a
    command of that group.
    """
    known = {name for _, name, _ in GROUPS} | {name for name, _ in ROOT_COMMANDS}
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ROOT_OPTIONS_WITH_VALUE:
            index += 2
            continue
        if arg.startswith("-"):
            if arg.split("=", 1)[0] in ROOT_OPTIONS_WITH_VALUE:
                index += 1
                continue
            # --version answers before any command is looked at: build none of them.
            return ("" if arg == "--version" else None), None
        if arg not in known:
            return None, None
        following = args[index + 1] if index + 1 < len(args) else ""
        return arg, (following if following and not following.startswith("-") else None)
    return None, None


app = build_app()


class _GuardedStdout:
    """sys.stdout, with a failed write turned into one `Error:` line instead of a traceback
    or (worse) exit 0 with the output cut short: a full disk, /dev/full, a closed file."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return int(self._stream.write(text))
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _stdout_error(error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise _stdout_error(error) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _stdout_error(error: OSError) -> BeiwenError:
    return BeiwenError(t("error.stdout", detail=error.strerror or error))


def _silence_stdout() -> None:
    """Point fd 1 at /dev/null so that Python's last flush at exit cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _root_options_first(args: list[str]) -> tuple[str | None, list[str]]:
    """The value of --lang, and the line with --lang and --wide moved to the front, wherever
    they stand: they are root options, so `beiwen issue list --wide --lang zh` means
    `beiwen --lang zh --wide issue list`."""
    lang: str | None = None
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg == "--lang" and index + 1 < len(args) and lang is None:
            lang = args[index + 1]
            front += ["--lang", lang]
            index += 2
            continue
        if arg.startswith("--lang=") and lang is None:
            lang = arg.split("=", 1)[1]
            front += ["--lang", lang]
        elif arg == "--wide" and "--wide" not in front:
            front.append("--wide")
        else:
            rest.append(arg)
        index += 1
    return lang, [*front, *rest]


def _undecodable_argument(args: list[str]) -> int | None:
    """The 1-based position of an argument that is not valid text (bytes the terminal's
    encoding cannot decode reach Python as lone surrogates), or None."""
    for position, arg in enumerate(args, start=1):
        if any("\ud800" <= char <= "\udfff" for char in arg):
            return position
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `beiwen` script."""
    args = list(sys.argv[1:] if argv is None else argv)
    real_stdout = sys.stdout
    sys.stdout = _GuardedStdout(real_stdout)
    code: int | str | None = 0
    try:
        try:
            build_app(*invoked(args))(args=args, prog_name="beiwen")
        except SystemExit as done:
            code = done.code
        sys.stdout.flush()
    except BrokenPipeError:
        # `beiwen units list | head`: the reader left; that is not an error worth a traceback.
        _silence_stdout()
        code = 0
    except BeiwenError as error:  # the final flush of data to a full disk or /dev/full
        print_error(error.message)
        _silence_stdout()
        code = 1
    finally:
        sys.stdout = real_stdout
    sys.exit(code)
