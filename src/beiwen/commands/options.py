"""The options and arguments that many commands share, defined once: `--format` (one
factory for its variants), `--show-pii`, `--output`, `--at`, `--note`, `--all` and the id
argument. Light on purpose (typer and the standard library only): every command imports it.

Use them as annotations: `fmt: FormatOption = "table"`, or for another set of formats
`fmt: Annotated[str, format_option("csv", "json", "xlsx")] = "csv"`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from beiwen.commands import FORMAT_HELP, SHOW_PII_HELP

LIST_FORMATS = ("table", "json", "csv")
SHOW_FORMATS = ("table", "json")


def choices_help(choices: tuple[str, ...]) -> str:
    """`table, json or csv.`: the help of an option that takes one of `choices`."""
    return f"{', '.join(choices[:-1])} or {choices[-1]}." if len(choices) > 1 else f"{choices[0]}."


def format_option(*choices: str, help: str | None = None) -> Any:
    """`--format` taking one of `choices` (the command checks it with `render.check_format`,
    so that a wrong value is beiwen's one-line error); its help lists them unless given."""
    if help is None:
        help = FORMAT_HELP if choices == LIST_FORMATS else choices_help(choices)
    return typer.Option("--format", help=help)


def output_option(help: str = "Write to this file instead of stdout.") -> Any:
    return typer.Option(help=help)


def id_argument(help: str, metavar: str | None = None) -> Any:
    """The positional reference to one record: an id, or whatever the kind's resolver takes."""
    return typer.Argument(metavar=metavar, help=help)


def all_option(help: str) -> Any:
    """`--all`: include what is retired, removed or cancelled."""
    return typer.Option("--all", help=help)


def note_option(help: str) -> Any:
    return typer.Option(help=help)


FormatOption = Annotated[str, format_option(*LIST_FORMATS)]
ShowFormatOption = Annotated[str, format_option(*SHOW_FORMATS)]
ShowPiiOption = Annotated[bool, typer.Option("--show-pii", help=SHOW_PII_HELP)]
OutputOption = Annotated[Path | None, output_option()]
AT_HELP = "When it happened, for entering paper records: 2024-08-03 09:30 (default: now)."
AtOption = Annotated[str | None, typer.Option(help=AT_HELP)]
MonthFilter = Annotated[str | None, typer.Option(help="Only this month: 2024-08.")]


def given(**options: Any) -> dict[str, str]:
    """The options the user actually passed, as text for the shared validators."""
    return {key: str(value) for key, value in options.items() if value is not None}
