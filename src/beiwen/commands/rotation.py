"""`beiwen rotation`: the rotating secretary (轮值书记), one council unit per month."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.options import (
    SHOW_FORMATS,
    FormatOption,
    NoteOption,
    ShowFormatOption,
    TextArgument,
    format_option,
    notices,
    output_option,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)

MONTH_FORMS = "2025-03, 2025/3, 202503 or 2025年3月"
SCHEDULE_FORMATS = ("table", "json", "csv", "ics")


def _emit_schedule(conn: Any, entries: list[dict[str, Any]], fmt: str) -> None:
    from beiwen.render import emit
    from beiwen.render_rotation import entry_columns, show_schedule
    from beiwen.services.rotation import unit_counts

    if fmt == "table":
        show_schedule(entries, unit_counts(conn, entries))
    else:
        emit(entries, fmt, entry_columns())


def _hint_gaps(entries: list[dict[str, Any]]) -> None:
    from beiwen.services.rotation import replan_hint_months

    gaps = [entry["month"] for entry in entries if entry["unit_id"] is None]
    if gaps:
        sys.stderr.write(
            t(
                "rotation.gaps_hint",
                count=len(gaps),
                first=gaps[0],
                months=replan_hint_months(gaps),
            )
            + "\n"
        )


def report_vacated(name: str, months: list[str]) -> None:
    """The notice `units retire` and `units edit --no-council` print when months are freed."""
    from beiwen.services.rotation import replan_hint_months

    if not months:
        return
    sys.stderr.write(t("rotation.vacated", name=name, months=", ".join(months)) + "\n")
    sys.stderr.write(
        t("rotation.vacated_hint", first=months[0], months=replan_hint_months(months)) + "\n"
    )


@app.command("plan")
def rotation_plan(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from")],
    months: Annotated[str, typer.Option("--months")] = "12",
    replace: Annotated[bool, typer.Option("--replace")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Give each month of a range a duty unit, in rotation order, and print the schedule.

    Turns continue after the last active unit that held a month before the range; no unit
    gets two months in a row while another can take one; counts per unit differ by at most
    one. Months that already have a duty unit are kept (and counted) unless --replace.
    """
    from beiwen.render import check_format
    from beiwen.services.rotation import plan

    fmt = check_format(fmt)
    conn = connect(ctx)
    result = plan(conn, start, months, replace=replace)
    _emit_schedule(conn, result.entries, fmt)
    if result.changed == 0 and result.kept == len(result.entries):
        sys.stderr.write(t("rotation.all_kept", start=result.start, end=result.end) + "\n")
    else:
        sys.stderr.write(
            t(
                "rotation.planned",
                start=result.start,
                end=result.end,
                changed=result.changed,
                kept=result.kept,
            )
            + "\n"
        )
    if result.replanned:
        sys.stderr.write(t("rotation.replanned", months=", ".join(result.replanned)) + "\n")


@app.command("show")
def rotation_show(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option("--from")] = None,
    end: Annotated[str | None, typer.Option("--to")] = None,
    year: Annotated[str | None, typer.Option("--year")] = None,
    fmt: Annotated[str, format_option(*SCHEDULE_FORMATS)] = "table",
    output: Annotated[Path | None, output_option()] = None,
) -> None:
    """Show the schedule: months with their duty units, months per unit, and gaps."""
    from beiwen.errors import InvalidInputError
    from beiwen.io.export import write_text
    from beiwen.render import check_format, to_csv, to_json
    from beiwen.render_rotation import entry_columns
    from beiwen.services.rotation import resolve_range, schedule

    fmt = check_format(fmt, SCHEDULE_FORMATS)
    if output is not None and fmt == "table":
        raise InvalidInputError(t("rotation.output_needs_file_format"))
    first, last = resolve_range(start, end, year)
    conn = connect(ctx)
    entries = schedule(conn, first, last)
    if fmt == "ics":
        from beiwen.i18n import language
        from beiwen.io.ics import rotation_calendar
        from beiwen.services.rotation import calendar_months

        months = calendar_months(conn, first, last)
        text = rotation_calendar(
            months,
            language=language(),
            calendar_name=t("rotation.calendar_name"),
            summary=t("rotation.event_summary", unit="{unit}"),
            cancelled_summary=t("rotation.event_cancelled"),
        )
        events = sum(1 for entry in entries if entry["unit_id"] is not None)
        cancelled = [entry["month"] for entry in months if entry["cancelled"]]
        if cancelled:
            sys.stderr.write(
                t("rotation.ics_cancelled", count=len(cancelled), months=", ".join(cancelled))
                + "\n"
            )
        elif events == 0:
            sys.stderr.write(t("rotation.no_events", start=first, end=last) + "\n")
        write_text(text, output)
        if output is not None:
            sys.stderr.write(t("rotation.ics_written", count=events, path=output) + "\n")
        return
    if fmt == "json":
        write_text(to_json(entries) + "\n", output)
    elif fmt == "csv":
        write_text(to_csv(entries, [column.key for column in entry_columns()]), output)
    else:
        _emit_schedule(conn, entries, fmt)
        _hint_gaps(entries)


@app.command("current")
def rotation_current(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option("--month")] = None,
    fmt: ShowFormatOption = "table",
) -> None:
    """The duty unit of this month (or --month) and of the next one."""
    from beiwen.render import check_format, show, to_json
    from beiwen.render_rotation import current_table
    from beiwen.services.rotation import current

    fmt = check_format(fmt, SHOW_FORMATS)
    entries = current(connect(ctx), month)
    if fmt == "json":
        sys.stdout.write(to_json(entries) + "\n")
        return
    show(current_table(entries))


def _emit_change(entries: list[dict[str, Any]], fmt: str) -> None:
    from beiwen.render import emit
    from beiwen.render_rotation import entry_columns

    emit(entries, fmt, entry_columns())


@app.command("assign")
def rotation_assign(
    ctx: typer.Context,
    month: TextArgument,
    unit: TextArgument,
    note: NoteOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Make a council unit the duty unit of a month (replacing any other)."""
    from beiwen.render import check_format
    from beiwen.services.rotation import assign

    fmt = check_format(fmt)
    change = assign(connect(ctx), month, unit, note)
    _emit_change(change.entries, fmt)
    entry = change.entries[0]
    key = "rotation.assigned" if change.changed else "rotation.unchanged"
    sys.stderr.write(t(key, month=entry["month"], unit=entry["unit"]) + "\n")
    notices(change.warnings)


@app.command("unassign")
def rotation_unassign(
    ctx: typer.Context,
    month: TextArgument,
    note: NoteOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Leave a month without a duty unit (a gap to plan or assign later)."""
    from beiwen.render import check_format
    from beiwen.services.rotation import unassign

    fmt = check_format(fmt)
    change = unassign(connect(ctx), month, note)
    _emit_change(change.entries, fmt)
    sys.stderr.write(t("rotation.unassigned_done", month=change.entries[0]["month"]) + "\n")


@app.command("swap")
def rotation_swap(
    ctx: typer.Context,
    first: TextArgument,
    second: TextArgument,
    note: NoteOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Exchange the duty units of two months, when a unit asks to change its turn."""
    from beiwen.render import check_format
    from beiwen.services.rotation import swap

    fmt = check_format(fmt)
    change = swap(connect(ctx), first, second, note)
    _emit_change(change.entries, fmt)
    sys.stderr.write(
        t(
            "rotation.swapped",
            first=change.entries[0]["month"],
            second=change.entries[1]["month"],
        )
        + "\n"
    )
    notices(change.warnings)


@app.command("order")
def rotation_order_command(
    ctx: typer.Context,
    units: Annotated[list[str] | None, typer.Argument()] = None,
    fmt: FormatOption = "table",
) -> None:
    """Print or change the rotation order of the council units.

    By default units take turns in the order they joined the council.
    """
    from beiwen.render import check_format, emit
    from beiwen.render_rotation import ORDER_COLUMNS
    from beiwen.services.rotation import rotation_order, set_order

    fmt = check_format(fmt)
    conn = connect(ctx)
    rows = set_order(conn, units) if units else rotation_order(conn)
    emit(rows, fmt, ORDER_COLUMNS, title=t("rotation.order_title"))
    if units:
        sys.stderr.write(t("rotation.order_set") + "\n")


@app.command("history")
def rotation_history(
    ctx: typer.Context,
    month: Annotated[str | None, typer.Option("--month")] = None,
    unit: Annotated[str | None, typer.Option("--unit")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Every change to the schedule, oldest first: plans, assignments, swaps, gaps left."""
    from beiwen.render import check_format, emit
    from beiwen.render_rotation import history_columns
    from beiwen.services.rotation import history

    fmt = check_format(fmt)
    rows = history(connect(ctx), month, unit)
    emit(rows, fmt, history_columns(), title=t("rotation.history_title"))
