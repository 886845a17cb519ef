"""`beiwen units`: the register of units (单位) and roster import/export."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.importing import (
    DryRunOption,
    EncodingOption,
    RejectsOption,
    SheetOption,
    SkipInvalidOption,
    run_import_command,
)
from beiwen.commands.options import (
    SHOW_FORMATS,
    FormatOption,
    OutputOption,
    RequiredTextOption,
    ShowFormatOption,
    ShowPiiOption,
    TextArgument,
    TextOption,
    all_option,
    export,
    format_option,
    id_argument,
    passed,
)
from beiwen.i18n import t

EXPORT_FORMATS = ("csv", "json", "xlsx")

app = typer.Typer(no_args_is_help=True)

H_ID = ("ID", "编号")
H_CODE = ("Credit code", "信用代码")
H_NAME = ("Name", "名称")
H_KIND = ("Kind", "类型")
H_CATEGORY = ("Category", "业态")
H_GRID = ("Grid", "网格")
H_ADDRESS = ("Address", "地址")
H_CONTACT = ("Contact", "联系人")
H_PHONE = ("Phone", "电话")
H_OPENED = ("Opened", "开业日期")
H_COUNCIL = ("Council", "联席会")
H_RETIRED = ("Retired", "退出时间")
H_ALIASES = ("Aliases", "简称")
UnitRef = Annotated[str, id_argument()]
# The fields `units add` and `units edit` pass on as text (the council flag apart).
UNIT_FIELDS = ("name", "kind", "code", "category", "grid", "address", "contact", "phone", "opened")


def _columns(show_pii: bool) -> list[Any]:
    from beiwen.privacy import shown
    from beiwen.render import Column, cell
    from beiwen.vocab import MERCHANT_CATEGORIES, UNIT_KINDS, display

    return [
        Column("id", H_ID, justify="right"),
        Column("code", H_CODE),
        Column("name", H_NAME),
        Column("kind", H_KIND, lambda v: display(UNIT_KINDS, v)),
        Column("category", H_CATEGORY, lambda v: display(MERCHANT_CATEGORIES, v)),
        Column("grid", H_GRID, justify="right"),
        Column("contact", H_CONTACT),
        # JSON and CSV rows carry the phone whole (beiwen.privacy: a unit's contact line).
        Column("phone", H_PHONE, lambda v: cell(shown("unit", "phone", v, "table", show_pii))),
        Column("council", H_COUNCIL, lambda v: cell(bool(v))),
    ]


@app.command("add")
def units_add(
    ctx: typer.Context,
    name: TextArgument,
    kind: RequiredTextOption,
    code: TextOption = None,
    council: Annotated[bool, typer.Option("--council")] = False,
    category: TextOption = None,
    grid: TextOption = None,
    address: TextOption = None,
    contact: TextOption = None,
    phone: TextOption = None,
    opened: TextOption = None,
) -> None:
    """Add a unit and print its id."""
    from beiwen.services.units import add_unit

    raw = passed(ctx, *UNIT_FIELDS)
    if council:
        raw["council"] = "1"
    unit_id = add_unit(connect(ctx), raw)
    sys.stdout.write(f"{unit_id}\n")
    sys.stderr.write(t("units.added", id=unit_id) + "\n")


@app.command("list")
def units_list(
    ctx: typer.Context,
    kind: TextOption = None,
    council: Annotated[bool, typer.Option("--council")] = False,
    grid: TextOption = None,
    category: TextOption = None,
    search: TextOption = None,
    all_: Annotated[bool, all_option()] = False,
    fmt: FormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """List units."""
    from beiwen.render import check_format, emit
    from beiwen.services.units import list_units

    fmt = check_format(fmt)
    found = list_units(
        connect(ctx),
        kind=kind,
        council=council,
        grid=grid,
        category=category,
        search=search,
        include_retired=all_,
    )
    emit(found, fmt, _columns(show_pii))


@app.command("show")
def units_show(
    ctx: typer.Context,
    ref: UnitRef,
    fmt: ShowFormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """Show one unit."""
    from beiwen.privacy import shown
    from beiwen.render import Field, check_format, emit_record
    from beiwen.services.units import unit_detail
    from beiwen.vocab import MERCHANT_CATEGORIES, UNIT_KINDS, display

    fmt = check_format(fmt, SHOW_FORMATS)
    fields = [
        Field("id", H_ID),
        Field("name", H_NAME),
        Field("code", H_CODE),
        Field("kind", H_KIND, lambda v: display(UNIT_KINDS, v)),
        Field("category", H_CATEGORY, lambda v: display(MERCHANT_CATEGORIES, v)),
        Field("grid", H_GRID),
        Field("address", H_ADDRESS),
        Field("contact", H_CONTACT),
        Field("phone", H_PHONE, lambda v: shown("unit", "phone", v, "table", show_pii)),
        Field("opened", H_OPENED),
        Field("council", H_COUNCIL, bool),
        Field("retired_at", H_RETIRED),
        Field("aliases", H_ALIASES, lambda v: t("refs.separator").join(v)),
    ]
    emit_record(unit_detail(connect(ctx), ref), fmt, fields)


@app.command("edit")
def units_edit(
    ctx: typer.Context,
    ref: UnitRef,
    name: TextOption = None,
    kind: TextOption = None,
    code: TextOption = None,
    council: Annotated[bool | None, typer.Option("--council/--no-council")] = None,
    category: TextOption = None,
    grid: TextOption = None,
    address: TextOption = None,
    contact: TextOption = None,
    phone: TextOption = None,
    opened: TextOption = None,
) -> None:
    """Change fields of a unit."""
    from beiwen.services.units import edit_unit

    raw = passed(ctx, *UNIT_FIELDS)
    if council is not None:
        raw["council"] = "1" if council else "0"
    unit = edit_unit(connect(ctx), ref, raw)
    sys.stderr.write(t("units.updated", id=unit["id"]) + "\n")
    from beiwen.commands.rotation import report_vacated

    report_vacated(unit["name"], unit["vacated"])


@app.command("retire")
def units_retire(
    ctx: typer.Context,
    ref: UnitRef,
) -> None:
    """Retire a unit (soft: history keeps pointing at it; lists hide it unless --all)."""
    from beiwen.services.units import retire_unit

    unit = retire_unit(connect(ctx), ref)
    sys.stderr.write(t("units.retired", id=unit["id"], name=unit["name"]) + "\n")
    from beiwen.commands.rotation import report_vacated

    report_vacated(unit["name"], unit["vacated"])


@app.command("remove")
def units_remove(ctx: typer.Context, ref: UnitRef) -> None:
    """Delete a unit entered by mistake, when nothing refers to it (else: units retire)."""
    from beiwen.services.units import remove_unit

    unit = remove_unit(connect(ctx), ref)
    sys.stderr.write(t("units.removed", id=unit["id"], name=unit["name"]) + "\n")


alias_app = typer.Typer(no_args_is_help=True)
app.add_typer(alias_app, name="alias")


@alias_app.command("add")
def units_alias_add(
    ctx: typer.Context,
    unit: UnitRef,
    alias: Annotated[str, typer.Argument()],
) -> None:
    """Give a unit a short name (城管局) that finds it wherever a unit is typed."""
    from beiwen.services.units import add_alias

    found = add_alias(connect(ctx), unit, alias)
    sys.stderr.write(
        t("units.alias_added", alias=alias.strip(), id=found["id"], name=found["name"]) + "\n"
    )


@alias_app.command("remove")
def units_alias_remove(ctx: typer.Context, alias: Annotated[str, typer.Argument()]) -> None:
    """Forget a short name of a unit."""
    from beiwen.services.units import remove_alias

    gone = remove_alias(connect(ctx), alias)
    sys.stderr.write(
        t("units.alias_removed", alias=gone["alias"], id=gone["unit_id"], name=gone["unit"]) + "\n"
    )


@app.command("import")
def units_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument()],
    kind: RequiredTextOption = "merchant",
    encoding: EncodingOption = "auto",
    sheet: SheetOption = None,
    dry_run: DryRunOption = False,
    skip_invalid: SkipInvalidOption = False,
    rejects: RejectsOption = None,
) -> None:
    """Import a merchant roster: all or nothing, every bad row reported with its line."""
    from beiwen.services.units import import_units

    run_import_command(ctx, file, partial(import_units, connect(ctx), file, default_kind=kind))


@app.command("export")
def units_export(
    ctx: typer.Context,
    fmt: Annotated[str, format_option(*EXPORT_FORMATS)] = "csv",
    output: OutputOption = None,
    keys: Annotated[bool, typer.Option("--keys")] = False,
) -> None:
    """Export active units in the columns import reads back unchanged."""
    from beiwen.render import check_format
    from beiwen.render_exports import UNIT_COLUMNS, UNIT_SHEET
    from beiwen.services.units import export_rows

    fmt = check_format(fmt, EXPORT_FORMATS)
    load = partial(export_rows, connect(ctx))
    export(load, UNIT_COLUMNS, fmt, output, keys=keys, sheet=UNIT_SHEET, written="units.exported")
