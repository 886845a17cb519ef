"""The options and arguments that many commands share, defined once: `--format` (one
factory for its variants), `--show-pii`, `--output`, `--at`, `--note`, `--all`, the id
argument, plain text options (`TextOption` …), and `given` and `notices`. Light on purpose
(typer and the standard library only): every command imports it.

Use them as annotations: `fmt: FormatOption = "table"`, or for another set of formats
`fmt: Annotated[str, format_option("csv", "json", "xlsx")] = "csv"`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

LIST_FORMATS = ("table", "json", "csv")
SHOW_FORMATS = ("table", "json")


def format_option(*choices: str) -> Any:
    """`--format` taking one of `choices` (the command checks it with `render.check_format`,
    so that a wrong value is beiwen's one-line error; its help text, like every help text,
    is in the catalogue: commands/localise.py)."""
    return typer.Option("--format")


def output_option() -> Any:
    return typer.Option()


def id_argument(metavar: str | None = None) -> Any:
    """The positional reference to one record: an id, or whatever the kind's resolver takes."""
    return typer.Argument(metavar=metavar)


def all_option() -> Any:
    """`--all`: include what is retired, removed or cancelled."""
    return typer.Option("--all")


def note_option() -> Any:
    return typer.Option()


FormatOption = Annotated[str, format_option(*LIST_FORMATS)]
ShowFormatOption = Annotated[str, format_option(*SHOW_FORMATS)]
ShowPiiOption = Annotated[bool, typer.Option("--show-pii")]
OutputOption = Annotated[Path | None, output_option()]
AtOption = Annotated[str | None, typer.Option()]
MonthFilter = Annotated[str | None, typer.Option()]
NoteOption = Annotated[str | None, note_option()]
RequiredNoteOption = Annotated[str, note_option()]
# `--name VALUE`, named after its parameter: optional (default None), required, repeatable.
TextOption = Annotated[str | None, typer.Option()]
RequiredTextOption = Annotated[str, typer.Option()]
TextsOption = Annotated[list[str] | None, typer.Option()]
TextArgument = Annotated[str, typer.Argument()]


def given(**options: Any) -> dict[str, str]:
    """The options the user actually passed, as text for the shared validators."""
    return {key: str(value) for key, value in options.items() if value is not None}


def passed(ctx: typer.Context, *names: str, **keys: str) -> dict[str, str]:
    """`given` for the parameters `names` of the command being run; `keys` renames one
    whose field the service names otherwise (`due="due_at"`)."""
    return given(**{keys.get(name, name): ctx.params[name] for name in names})


def notices(lines: list[str]) -> None:
    """The notices a service returned, one stderr line each."""
    for line in lines:
        sys.stderr.write(line + "\n")
