"""The options and arguments that many commands share, defined once: `--format` (one
factory for its variants), `--show-pii`, `--output`, `--at`, `--note`, `--all`, the id
argument, plain text options (`TextOption` …), `given`, `notices` and `export` (the one
last step of every `… export` command). Light on purpose
(typer and the standard library only): every command imports it.

Use them as annotations: `fmt: FormatOption = "table"`, or for another set of formats
`fmt: Annotated[str, format_option("csv", "json", "xlsx")] = "csv"`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
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


def export(
    load: Callable[[], list[dict[str, Any]]],
    columns: Sequence[Any],
    fmt: str,
    output: Path | None,
    *,
    keys: bool,
    sheet: tuple[str, str],
    written: str,
) -> None:
    """What every `… export` command does once its format is checked: refuse a workbook
    without --output before any row is read, write the rows `load` gives in `columns`
    (`io.export.write_export`: stdout or a file through the one safe writer), and say on
    stderr how many went to the file (the catalogue's `written`, with count and path)."""
    from beiwen.i18n import t
    from beiwen.io.export import needs_output, write_export

    needs_output(fmt, output)
    rows = load()
    write_export(rows, columns, fmt, output, keys=keys, sheet=sheet)
    if output is not None:
        sys.stderr.write(t(written, count=len(rows), path=output) + "\n")
