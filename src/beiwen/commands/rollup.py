"""`beiwen rollup`: the report's figures of several committees' files, one row each and a
total row (services/rollup.py; each file read-only, never migrated, --db not used)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from beiwen.i18n import t

FORMATS = ("table", "json", "csv", "md", "docx", "xlsx")


def register_root_commands(root: typer.Typer) -> None:
    root.command("rollup")(rollup)


def rollup(
    files: Annotated[list[Path], typer.Argument(metavar="FILE")],
    month: Annotated[str | None, typer.Option()] = None,
    year: Annotated[str | None, typer.Option()] = None,
    start: Annotated[str | None, typer.Option("--from")] = None,
    end: Annotated[str | None, typer.Option("--to")] = None,
    fmt: Annotated[str, typer.Option("--format")] = "table",
    output: Annotated[Path | None, typer.Option()] = None,
    explain: Annotated[str | None, typer.Option()] = None,
) -> None:
    """One row per committee's file and a total row, for --month, --year or --from/--to."""
    from beiwen.errors import InvalidInputError
    from beiwen.render import check_format
    from beiwen.services import rollup as service
    from beiwen.services.period import parse_period

    fmt = check_format(fmt, FORMATS)
    period = parse_period(month, year, start, end)
    if fmt in ("docx", "xlsx") and output is None:
        raise InvalidInputError(t("export.needs_output", format=fmt))
    paths = service.check_files(list(files))
    with service.inputs_protected(paths):
        if explain is not None:
            _explain(service.rollup_explain(paths, period, explain), fmt, output)
            return
        data = service.rollup(paths, period)
        _write(data, fmt, output)


def _write(data: dict[str, Any], fmt: str, output: Path | None) -> None:
    from beiwen.render_rollup import notes

    for line in notes(data):
        sys.stderr.write(line + "\n")
    if fmt in ("docx", "xlsx"):
        from beiwen.io.rollup_office import write_rollup_docx, write_rollup_xlsx

        assert output is not None
        (write_rollup_docx if fmt == "docx" else write_rollup_xlsx)(data, output)
        sys.stderr.write(t("report.written", path=output) + "\n")
        return
    if fmt == "table" and output is None:
        from beiwen.render import show
        from beiwen.render_rollup import rollup_table

        show(rollup_table(data))
        return
    from beiwen.io.export import write_text

    if fmt == "json":
        from beiwen.render import to_json

        text = to_json(data) + "\n"
    elif fmt == "md":
        from beiwen.render_rollup import rollup_markdown

        text = rollup_markdown(data)
    elif fmt == "csv":
        from beiwen.render_rollup import rollup_csv

        text = rollup_csv(data)
    else:  # a table into a file: its text, as the screen shows it
        from beiwen.render_rollup import rollup_markdown

        text = rollup_markdown(data)
    write_text(text, output)
    if output is not None:
        sys.stderr.write(t("report.written", path=output) + "\n")


def _explain(result: dict[str, Any], fmt: str, output: Path | None) -> None:
    from beiwen.io.export import write_text
    from beiwen.render import check_format, emit, to_csv, to_json
    from beiwen.render_rollup import EXPLAIN_ROLLUP_COLUMNS, explain_rows
    from beiwen.services.report import metric_name

    fmt = check_format(fmt, ("table", "json", "csv"))
    for committee in result["committees"]:
        sys.stderr.write(
            t(
                "rollup.explain_file",
                name=committee["name"],
                file=committee["file"],
                numerator=committee["numerator"],
                denominator="-" if committee["denominator"] is None else committee["denominator"],
            )
            + "\n"
        )
    sys.stderr.write(
        t(
            "report.explain_title",
            metric=metric_name(result["metric"]),
            label=result["period"]["label"],
            numerator=result["numerator"],
            denominator="-" if result["denominator"] is None else result["denominator"],
        )
        + "\n"
    )
    if fmt == "table" and output is None:
        emit(explain_rows(result), fmt, EXPLAIN_ROLLUP_COLUMNS)
        return
    if fmt == "json":
        text = to_json(result) + "\n"
    else:  # CSV (also for a table written to a file): the file of each order first
        keys = ["file", *(column.key for column in EXPLAIN_ROLLUP_COLUMNS)]
        text = to_csv(explain_rows(result), keys)
    write_text(text, output)
    if output is not None:
        sys.stderr.write(t("report.written", path=output) + "\n")
