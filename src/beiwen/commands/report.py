"""`beiwen report`: the monthly (or yearly, or any-range) report to the sub-district."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.i18n import t

FORMATS = ("table", "json", "csv", "xlsx", "md", "docx")


def register_root_commands(root: typer.Typer) -> None:
    root.command("report")(report)


def report(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option()] = None,
    year: Annotated[str | None, typer.Option()] = None,
    start: Annotated[str | None, typer.Option("--from")] = None,
    end: Annotated[str | None, typer.Option("--to")] = None,
    fmt: Annotated[str, typer.Option("--format")] = "table",
    output: Annotated[Path | None, typer.Option()] = None,
    explain: Annotated[str | None, typer.Option()] = None,
    compare: Annotated[bool, typer.Option("--compare")] = False,
    keys: Annotated[bool, typer.Option("--keys")] = False,
) -> None:
    """The report for --month, --year or --from/--to."""
    from beiwen.errors import InvalidInputError
    from beiwen.render import check_format, show, to_json
    from beiwen.services.period import parse_period
    from beiwen.services.report import build_report

    fmt = check_format(fmt, FORMATS)
    period = parse_period(month, year, start, end)
    if fmt in ("docx", "xlsx") and output is None:
        raise InvalidInputError(
            t("report.needs_output" if fmt == "docx" else "export.needs_output", format=fmt)
        )
    conn = connect(ctx)
    if explain is not None:
        _explain(conn, period, explain, fmt, output)
        return
    data = build_report(conn, period, compare=compare)
    if fmt == "docx":
        from beiwen.io.report_docx import write_report_docx
        from beiwen.services.settings import letterhead

        assert output is not None
        write_report_docx(data, output, letterhead(conn))
        sys.stderr.write(t("report.written", path=output) + "\n")
        return
    if fmt == "xlsx":
        from beiwen.io.report_xlsx import write_report_xlsx

        assert output is not None
        write_report_xlsx(data, output)
        sys.stderr.write(t("report.written", path=output) + "\n")
        return
    if fmt == "table" and output is None:
        from beiwen.render_report_screen import report_renderable

        show(report_renderable(data))
        return
    from beiwen.io.export import write_text

    if fmt == "json":
        text = to_json(data) + "\n"
    else:
        from beiwen.render_exports import labelled_form
        from beiwen.render_report import report_csv, report_markdown
        from beiwen.render_report_sheets import report_csv_blocks

        if fmt == "md":
            text = report_markdown(data)
        else:
            text = report_csv_blocks(data) if labelled_form(keys) else report_csv(data)
    write_text(text, output)
    if output is not None:
        sys.stderr.write(t("report.written", path=output) + "\n")


def _explain(conn: Any, period: Any, metric: str, fmt: str, output: Path | None) -> None:
    from beiwen.render import check_format, emit, to_json
    from beiwen.render_report import EXPLAIN_COLUMNS
    from beiwen.services.report import explain, metric_name
    from beiwen.services.report_meetings import metric_name as meeting_name

    fmt = check_format(fmt, ("table", "json", "csv"))
    from beiwen.services.report_party import metric as party_metric

    party = party_metric(metric)  # a figure of the Party member register: render_party
    if party is not None:
        from beiwen.render_party import emit_explained
        from beiwen.services.report_party import explain as explain_party

        emit_explained(explain_party(conn, period, party), period.label, fmt)
        return
    from beiwen.services.report_lists import metric as lists_metric

    lists_key = lists_metric(metric)  # a figure of the three lists: render_report_lists
    if lists_key is not None:
        from beiwen.render_report_lists import emit_explained as emit_lists
        from beiwen.services.report_lists import explain as explain_lists

        emit_lists(explain_lists(conn, period, lists_key), period.label, fmt)
        return
    from beiwen.services.report_service import explained_metric

    if explained_metric(metric) is not None:  # a figure of the service records
        from beiwen.render_service import emit_explained as emit_service
        from beiwen.services.report_service import explain as explain_service

        emit_service(explain_service(conn, period, metric), period.label, fmt)
        return
    result = explain(conn, period, metric)
    if fmt == "json":
        sys.stdout.write(to_json(result) + "\n")
        return
    sys.stderr.write(
        t(
            "report.explain_title",
            metric=metric_name(result["metric"]) if "issues" in result else meeting_name(result),
            label=period.label,
            numerator=result["numerator"],
            denominator="-" if result["denominator"] is None else result["denominator"],
        )
        + "\n"
    )
    from beiwen.render_meetings import explained

    rows, columns = explained(result) or (result["issues"], EXPLAIN_COLUMNS)  # 联席会, or orders
    emit(rows, fmt, columns)
