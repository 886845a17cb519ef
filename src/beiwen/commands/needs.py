"""`beiwen need`: the list of needs (需求清单) and every step of one, from its raising to
its transfer (转单), the unit's reply, its project and its closing."""

from __future__ import annotations

import sys
from functools import partial
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.importing import import_command
from beiwen.commands.options import (
    SHOW_FORMATS,
    FormatOption,
    MonthFilter,
    OutputOption,
    RequiredTextOption,
    ShowFormatOption,
    TextArgument,
    TextOption,
    export,
    format_option,
    id_argument,
    passed,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)

NeedId = Annotated[str, id_argument()]
DateOption = Annotated[str | None, typer.Option("--date")]
FromOption = Annotated[str, typer.Option("--from")]
EXPORT_FORMATS = ("csv", "json", "xlsx")


@app.command("add")
def need_add(
    ctx: typer.Context,
    title: TextArgument,
    kind: RequiredTextOption,
    from_unit: FromOption,
    grid: TextOption = None,
    day: DateOption = None,
    description: TextOption = None,
    note: TextOption = None,
) -> None:
    """Record a need an enterprise raised and print its id."""
    from beiwen.services.lists.needs import add_need

    need_id = add_need(
        connect(ctx),
        title=title,
        kind=kind,
        from_unit=from_unit,
        grid=grid,
        day=day,
        description=description,
        note=note,
    )
    sys.stdout.write(f"{need_id}\n")
    sys.stderr.write(t("needs.added", id=need_id) + "\n")


@app.command("list")
def need_list(
    ctx: typer.Context,
    status: TextOption = None,
    kind: TextOption = None,
    month: MonthFilter = None,
    search: TextOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List the needs by the day they were raised."""
    from beiwen.render import check_format, emit
    from beiwen.render_lists import need_columns
    from beiwen.services.lists.needs import list_needs

    fmt = check_format(fmt)
    found = list_needs(connect(ctx), status=status, kind=kind, month=month, search=search)
    emit(found, fmt, need_columns())


@app.command("show")
def need_show(ctx: typer.Context, ref: NeedId, fmt: ShowFormatOption = "table") -> None:
    """Show a need with its timeline."""
    from beiwen.render import check_format, emit_record
    from beiwen.render_lists import need_fields, need_sections
    from beiwen.services.lists.needs import need_detail

    fmt = check_format(fmt, SHOW_FORMATS)
    emit_record(need_detail(connect(ctx), ref), fmt, need_fields(), need_sections)


@app.command("edit")
def need_edit(
    ctx: typer.Context,
    ref: NeedId,
    title: TextOption = None,
    kind: TextOption = None,
    from_unit: Annotated[str | None, typer.Option("--from")] = None,
    grid: TextOption = None,
    day: DateOption = None,
    description: TextOption = None,
) -> None:
    """Correct a need (each change is kept in its timeline)."""
    from beiwen.services.lists.needs import edit_need

    raw = passed(ctx, "title", "kind", "from_unit", "grid", "day", "description")
    if "from_unit" in raw:
        raw["from_unit_id"] = raw.pop("from_unit")
    need = edit_need(connect(ctx), ref, raw)
    sys.stderr.write(t("needs.updated", id=need["id"]) + "\n")


@app.command("transfer")
def need_transfer(
    ctx: typer.Context,
    ref: NeedId,
    to: RequiredTextOption,
    note: RequiredTextOption,
    day: DateOption = None,
) -> None:
    """Pass a need to a department, association or enterprise (转单)."""
    from beiwen.services.lists.needs import transfer_need

    need = transfer_need(connect(ctx), ref, to=to, note=note, day=day)
    sys.stderr.write(t("needs.transferred", id=need["id"], unit=need["holder"]) + "\n")


@app.command("reply")
def need_reply(
    ctx: typer.Context,
    ref: NeedId,
    unit: RequiredTextOption,
    note: RequiredTextOption,
    day: DateOption = None,
) -> None:
    """Record what the unit a need was passed to reports back."""
    from beiwen.services.lists.needs import reply_need

    need = reply_need(connect(ctx), ref, unit=unit, note=note, day=day)
    sys.stderr.write(t("needs.replied", id=need["id"]) + "\n")


@app.command("close")
def need_close(
    ctx: typer.Context, ref: NeedId, note: RequiredTextOption, day: DateOption = None
) -> None:
    """Close a need that has been answered."""
    from beiwen.services.lists.needs import finish_need

    need = finish_need(connect(ctx), ref, "close", note=note, day=day)
    sys.stderr.write(t("needs.closed", id=need["id"]) + "\n")


@app.command("cancel")
def need_cancel(
    ctx: typer.Context, ref: NeedId, note: RequiredTextOption, day: DateOption = None
) -> None:
    """Cancel a need (withdrawn, or entered by mistake)."""
    from beiwen.services.lists.needs import finish_need

    need = finish_need(connect(ctx), ref, "cancel", note=note, day=day)
    sys.stderr.write(t("needs.cancelled", id=need["id"]) + "\n")


@app.command("match")
def need_match(ctx: typer.Context, ref: NeedId, fmt: ShowFormatOption = "table") -> None:
    """List the resources that fit a need, and the units that offer them."""
    from beiwen.render import build_table, check_format, show, to_json
    from beiwen.render_lists import match_columns, match_unit_columns
    from beiwen.services.lists.matching import match_need

    fmt = check_format(fmt, SHOW_FORMATS)
    found = match_need(connect(ctx), ref)
    if fmt == "json":
        sys.stdout.write(to_json(found) + "\n")
        return
    need = found["need"]
    if not found["resources"]:
        sys.stderr.write(t("needs.no_match", id=need["id"]) + "\n")
        return
    show(build_table(found["resources"], match_columns(), title=t("needs.match_title", **need)))
    show(build_table(found["units"], match_unit_columns(), title=t("needs.match_units")))


@import_command(app)
def need_import() -> Any:
    """Import a list of needs, all or nothing; rows match stored ones by title and unit."""
    from beiwen.services.lists.exchange import import_needs

    return import_needs


@app.command("export")
def need_export(
    ctx: typer.Context,
    fmt: Annotated[str, format_option(*EXPORT_FORMATS)] = "csv",
    output: OutputOption = None,
    keys: Annotated[bool, typer.Option("--keys")] = False,
) -> None:
    """Export the needs in the columns import reads back."""
    from beiwen.render import check_format
    from beiwen.render_lists import NEED_EXPORT, NEED_SHEET
    from beiwen.services.lists.exchange import need_rows

    fmt = check_format(fmt, EXPORT_FORMATS)
    load = partial(need_rows, connect(ctx))
    export(load, NEED_EXPORT, fmt, output, keys=keys, sheet=NEED_SHEET, written="lists.exported")
