"""`beiwen rotation`: the rotating secretary (轮值书记), one council unit per month."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from beiwen.commands import FORMAT_HELP, connect
from beiwen.i18n import t

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

app = typer.Typer(
    help="The rotating secretary (轮值书记): each month one council unit leads the Party "
    "activities. Plan, show, swap and assign the months.",
    no_args_is_help=True,
)

MONTH_NAMES = (
    ("Jan", "1月"),
    ("Feb", "2月"),
    ("Mar", "3月"),
    ("Apr", "4月"),
    ("May", "5月"),
    ("Jun", "6月"),
    ("Jul", "7月"),
    ("Aug", "8月"),
    ("Sep", "9月"),
    ("Oct", "10月"),
    ("Nov", "11月"),
    ("Dec", "12月"),
)
H_MONTH = ("Month", "月份")
H_QUARTER = ("Quarter", "季度")
H_UNIT_ID = ("Unit ID", "单位编号")
H_UNIT = ("Duty unit", "轮值单位")
H_NOTE = ("Note", "备注")
H_POSITION = ("#", "序号")
H_ID = ("ID", "编号")
H_NAME = ("Unit", "单位")
H_MONTHS = ("Months", "月数")
H_SINCE = ("On the council since", "加入联席会")
H_AT = ("Time", "时间")
H_ACTION = ("Action", "操作")
H_PREVIOUS = ("Previous unit", "原轮值单位")
H_OTHER = ("Swapped with", "对调月份")

MONTHS_HELP = "How many months to plan, 1 to 240."
MONTH_FORMS = "2025-03, 2025/3, 202503 or 2025年3月"
NOTE_HELP = "Why: kept in the history (beiwen rotation history)."
GAP_STYLE = "bold red"


def _entry_columns() -> list[Any]:
    from beiwen.render import Column

    return [
        Column("month", H_MONTH),
        Column("unit_id", H_UNIT_ID, justify="right"),
        Column("unit", H_UNIT),
        Column("note", H_NOTE),
    ]


def _unit_text(entry: dict[str, Any]) -> Text:
    from beiwen.render import text

    if entry["unit_id"] is None:
        return text(t("rotation.gap"), style=GAP_STYLE)
    return text(entry["unit"])


def _month_name(month: str) -> str:
    from beiwen.i18n import label

    return label(MONTH_NAMES[int(month[5:7]) - 1])


def _year_grid(year: str, entries: list[dict[str, Any]]) -> Table:
    """A year as four quarters (rows) of three months (columns)."""
    from rich.table import Table
    from rich.text import Text

    from beiwen.render import printable

    table = Table(
        title=t("rotation.title", span=year),
        title_justify="left",
        show_header=False,
        show_lines=True,
    )
    table.add_column(style="bold")
    for _ in range(3):
        table.add_column()
    by_month = {entry["month"]: entry for entry in entries}
    for quarter in range(4):
        cells: list[RenderableType] = [Text(t("rotation.quarter", number=quarter + 1))]
        for offset in range(3):
            month = f"{year}-{quarter * 3 + offset + 1:02d}"
            entry = by_month[month]
            cell = Text(_month_name(month), style="bold")
            cell.append("\n")
            cell.append_text(_unit_text(entry))
            if entry["note"]:
                cell.append("\n" + printable(entry["note"]), style="dim")
            cells.append(cell)
        table.add_row(*cells)
    return table


def _month_list(entries: list[dict[str, Any]]) -> Table:
    """Months in rows, grouped by quarter."""
    from rich.table import Table
    from rich.text import Text

    from beiwen.i18n import label
    from beiwen.render import text

    span = f"{entries[0]['month']} - {entries[-1]['month']}"
    table = Table(title=t("rotation.title", span=span), title_justify="left")
    for heading in (H_QUARTER, H_MONTH, H_UNIT, H_NOTE):
        table.add_column(label(heading))
    for index, entry in enumerate(entries):
        month = entry["month"]
        quarter = (int(month[5:7]) - 1) // 3 + 1
        last_of_quarter = int(month[5:7]) % 3 == 0 and index < len(entries) - 1
        table.add_row(
            Text(f"{month[:4]} {t('rotation.quarter', number=quarter)}"),
            Text(month),
            _unit_text(entry),
            text(entry["note"]),
            end_section=last_of_quarter,
        )
    return table


def _counts_table(counts: list[dict[str, Any]]) -> Table:
    from rich.table import Table
    from rich.text import Text

    from beiwen.i18n import label
    from beiwen.render import text

    table = Table(title=t("rotation.counts_title"), title_justify="left", show_footer=True)
    table.add_column(label(H_POSITION), justify="right")
    table.add_column(label(H_NAME), footer=Text(t("render.total")))
    total = sum(row["months"] for row in counts)
    table.add_column(label(H_MONTHS), justify="right", footer=Text(str(total)))
    for row in counts:
        name = row["unit"] if row["active"] else t("rotation.inactive", unit=row["unit"])
        table.add_row(Text(str(row["position"] or "")), text(name), Text(str(row["months"])))
    return table


def _show_schedule(entries: list[dict[str, Any]], counts: list[dict[str, Any]]) -> None:
    """The calendar-like view: a 3x4 grid per whole year, else months by quarter; then the
    months per unit and the gaps."""
    from rich.text import Text

    from beiwen.render import show

    first, last = entries[0]["month"], entries[-1]["month"]
    if first.endswith("-01") and last.endswith("-12"):
        for year in range(int(first[:4]), int(last[:4]) + 1):
            show(_year_grid(str(year), [e for e in entries if e["month"].startswith(str(year))]))
    else:
        show(_month_list(entries))
    show(_counts_table(counts))
    gaps = [entry["month"] for entry in entries if entry["unit_id"] is None]
    if gaps:
        show(Text(t("rotation.gaps", months=", ".join(gaps)), style=GAP_STYLE))


def _emit_schedule(conn: Any, entries: list[dict[str, Any]], fmt: str) -> None:
    from beiwen.render import emit
    from beiwen.services.rotation import unit_counts

    if fmt == "table":
        _show_schedule(entries, unit_counts(conn, entries))
    else:
        emit(entries, fmt, _entry_columns())


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
    start: Annotated[str, typer.Option("--from", help=f"First month: {MONTH_FORMS}.")],
    months: Annotated[str, typer.Option("--months", help=MONTHS_HELP)] = "12",
    replace: Annotated[
        bool,
        typer.Option("--replace", help="Plan months that already have a duty unit anew too."),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
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
    start: Annotated[
        str | None, typer.Option("--from", help="First month (default: January this year).")
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--to", help="Last month (default: 11 months after --from)."),
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", help="A whole calendar year, e.g. 2024.")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="table (a year grid), json, csv or ics (iCalendar for phones)."
        ),
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(help="Write ics, json or csv to this file instead of stdout."),
    ] = None,
) -> None:
    """Show the schedule: months with their duty units, months per unit, and gaps."""
    from beiwen.errors import InvalidInputError
    from beiwen.io.export import write_text
    from beiwen.render import check_format, to_csv, to_json
    from beiwen.services.rotation import resolve_range, schedule

    fmt = check_format(fmt, ("table", "json", "csv", "ics"))
    if output is not None and fmt == "table":
        raise InvalidInputError(t("rotation.output_needs_file_format"))
    first, last = resolve_range(start, end, year)
    conn = connect(ctx)
    entries = schedule(conn, first, last)
    if fmt == "ics":
        from beiwen.io.ics import rotation_calendar

        text = rotation_calendar(
            entries,
            calendar_name=t("rotation.calendar_name"),
            summary=t("rotation.event_summary", unit="{unit}"),
        )
        events = sum(1 for entry in entries if entry["unit_id"] is not None)
        if events == 0:
            sys.stderr.write(t("rotation.no_events", start=first, end=last) + "\n")
        write_text(text, output)
        if output is not None:
            sys.stderr.write(t("rotation.ics_written", count=events, path=output) + "\n")
        return
    if fmt == "json":
        write_text(to_json(entries) + "\n", output)
    elif fmt == "csv":
        write_text(to_csv(entries, [column.key for column in _entry_columns()]), output)
    else:
        _emit_schedule(conn, entries, fmt)
        _hint_gaps(entries)


@app.command("current")
def rotation_current(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option("--month", help="Another month than this one.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """The duty unit of this month (or --month) and of the next one."""
    from rich.table import Table
    from rich.text import Text

    from beiwen.i18n import label
    from beiwen.render import check_format, show, text, to_json
    from beiwen.services.rotation import current

    fmt = check_format(fmt, ("table", "json"))
    entries = current(connect(ctx), month)
    if fmt == "json":
        sys.stdout.write(to_json(entries) + "\n")
        return
    table = Table(title_justify="left")
    for heading in (("", ""), H_MONTH, H_UNIT, H_NOTE):
        table.add_column(label(heading))
    for key, entry in zip(("rotation.this_month", "rotation.next_month"), entries, strict=True):
        table.add_row(
            Text(t(key), style="bold"),
            Text(entry["month"]),
            _unit_text(entry),
            text(entry["note"]),
        )
    show(table)


def _emit_change(entries: list[dict[str, Any]], fmt: str) -> None:
    from beiwen.render import emit

    emit(entries, fmt, _entry_columns())


def _warn(lines: list[str]) -> None:
    for line in lines:
        sys.stderr.write(line + "\n")


@app.command("assign")
def rotation_assign(
    ctx: typer.Context,
    month: Annotated[str, typer.Argument(help=f"The month: {MONTH_FORMS}.")],
    unit: Annotated[str, typer.Argument(help="Unit id, credit code or exact name.")],
    note: Annotated[str | None, typer.Option(help=NOTE_HELP)] = None,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
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
    _warn(change.warnings)


@app.command("unassign")
def rotation_unassign(
    ctx: typer.Context,
    month: Annotated[str, typer.Argument(help=f"The month: {MONTH_FORMS}.")],
    note: Annotated[str | None, typer.Option(help=NOTE_HELP)] = None,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
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
    first: Annotated[str, typer.Argument(help="One month.")],
    second: Annotated[str, typer.Argument(help="The other month.")],
    note: Annotated[str | None, typer.Option(help=NOTE_HELP)] = None,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
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
    _warn(change.warnings)


@app.command("order")
def rotation_order_command(
    ctx: typer.Context,
    units: Annotated[
        list[str] | None,
        typer.Argument(
            help="Units (id, credit code or name) to put first, in this order; the others "
            "follow in their present order. None: print the order."
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
) -> None:
    """Print or change the rotation order of the council units.

    By default units take turns in the order they joined the council.
    """
    from beiwen.render import Column, check_format, emit
    from beiwen.services.rotation import rotation_order, set_order

    fmt = check_format(fmt)
    conn = connect(ctx)
    rows = set_order(conn, units) if units else rotation_order(conn)
    emit(
        rows,
        fmt,
        [
            Column("position", H_POSITION, justify="right"),
            Column("id", H_ID, justify="right"),
            Column("name", H_NAME),
            Column("council_since", H_SINCE, lambda v: (v or "")[:10]),
        ],
        title=t("rotation.order_title"),
    )
    if units:
        sys.stderr.write(t("rotation.order_set") + "\n")


@app.command("history")
def rotation_history(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option("--month", help="Only changes of this month.")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Only changes concerning this unit.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
) -> None:
    """Every change to the schedule, oldest first: plans, assignments, swaps, gaps left."""
    from beiwen.render import Column, check_format, emit
    from beiwen.services.rotation import ROTATION_ACTIONS, history
    from beiwen.vocab import display

    fmt = check_format(fmt)
    rows = history(connect(ctx), month, unit)
    emit(
        rows,
        fmt,
        [
            Column("id", H_ID, justify="right"),
            Column("at", H_AT, lambda v: v[:16].replace("T", " ")),
            Column("action", H_ACTION, lambda v: display(ROTATION_ACTIONS, v)),
            Column("month", H_MONTH),
            Column("unit", H_UNIT, lambda v: v or t("rotation.gap")),
            Column("previous_unit", H_PREVIOUS),
            Column("other_month", H_OTHER),
            Column("note", H_NOTE),
        ],
        title=t("rotation.history_title"),
    )
