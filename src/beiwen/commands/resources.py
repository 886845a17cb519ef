"""`beiwen resource`: the list of resources (资源清单) the co-building units and member
enterprises offer or seek: supply, demand, professional services, business activities."""

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
    OutputOption,
    RequiredTextOption,
    ShowFormatOption,
    TextArgument,
    TextOption,
    all_option,
    export,
    format_option,
    id_argument,
    passed,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)

ResourceId = Annotated[str, id_argument()]
EXPORT_FORMATS = ("csv", "json", "xlsx")
FIELDS = ("title", "kind", "topic", "unit", "capacity", "until", "description")


def _raw(ctx: typer.Context) -> dict[str, str]:
    return passed(ctx, *FIELDS, unit="unit_id")


@app.command("add")
def resource_add(
    ctx: typer.Context,
    title: TextArgument,
    kind: RequiredTextOption,
    unit: RequiredTextOption,
    topic: TextOption = None,
    capacity: TextOption = None,
    until: TextOption = None,
    description: TextOption = None,
) -> None:
    """Record a resource a unit offers and print its id."""
    from beiwen.services.lists.resources import add_resource

    resource_id = add_resource(connect(ctx), _raw(ctx))
    sys.stdout.write(f"{resource_id}\n")
    sys.stderr.write(t("resources.added", id=resource_id) + "\n")


@app.command("list")
def resource_list(
    ctx: typer.Context,
    kind: TextOption = None,
    topic: TextOption = None,
    unit: TextOption = None,
    all_: Annotated[bool, all_option()] = False,
    fmt: FormatOption = "table",
) -> None:
    """List the resources on offer."""
    from beiwen.render import check_format, emit
    from beiwen.render_lists import resource_columns
    from beiwen.services.lists.resources import list_resources

    fmt = check_format(fmt)
    found = list_resources(connect(ctx), kind=kind, topic=topic, unit=unit, include_retired=all_)
    emit(found, fmt, resource_columns())


@app.command("show")
def resource_show(ctx: typer.Context, ref: ResourceId, fmt: ShowFormatOption = "table") -> None:
    """Show a resource and the projects that use it."""
    from beiwen.render import check_format, emit_record
    from beiwen.render_lists import resource_fields
    from beiwen.services.lists.resources import resource_detail

    fmt = check_format(fmt, SHOW_FORMATS)
    emit_record(resource_detail(connect(ctx), ref), fmt, resource_fields())


@app.command("edit")
def resource_edit(
    ctx: typer.Context,
    ref: ResourceId,
    title: TextOption = None,
    kind: TextOption = None,
    unit: TextOption = None,
    topic: TextOption = None,
    capacity: TextOption = None,
    until: TextOption = None,
    description: TextOption = None,
) -> None:
    """Change fields of a resource."""
    from beiwen.services.lists.resources import edit_resource

    resource = edit_resource(connect(ctx), ref, _raw(ctx))
    sys.stderr.write(t("resources.updated", id=resource["id"]) + "\n")


@app.command("retire")
def resource_retire(ctx: typer.Context, ref: ResourceId) -> None:
    """Withdraw a resource (kept for the projects that used it; no longer matched)."""
    from beiwen.services.lists.resources import retire_resource

    resource = retire_resource(connect(ctx), ref)
    sys.stderr.write(t("resources.retired_done", id=resource["id"], title=resource["title"]) + "\n")


@import_command(app)
def resource_import() -> Any:
    """Import a list of resources, all or nothing; rows match stored ones by title and unit."""
    from beiwen.services.lists.exchange import import_resources

    return import_resources


@app.command("export")
def resource_export(
    ctx: typer.Context,
    fmt: Annotated[str, format_option(*EXPORT_FORMATS)] = "csv",
    output: OutputOption = None,
    keys: Annotated[bool, typer.Option("--keys")] = False,
) -> None:
    """Export the resources in the columns import reads back."""
    from beiwen.render import check_format
    from beiwen.render_lists import RESOURCE_EXPORT, RESOURCE_SHEET
    from beiwen.services.lists.exchange import resource_rows

    fmt = check_format(fmt, EXPORT_FORMATS)
    load = partial(resource_rows, connect(ctx))
    export(
        load,
        RESOURCE_EXPORT,
        fmt,
        output,
        keys=keys,
        sheet=RESOURCE_SHEET,
        written="lists.exported",
    )
