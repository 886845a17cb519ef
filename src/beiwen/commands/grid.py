"""`beiwen grid`: the district's grids (网格) and their Party branches."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from beiwen.commands import FORMAT_HELP, connect
from beiwen.i18n import register, t

app = typer.Typer(
    help="Grids (网格): the areas of the district and their Party branches.", no_args_is_help=True
)

register({"grid.added": ("added grid {number}", "已添加网格 {number}")})


@app.command("add")
def grid_add(
    ctx: typer.Context,
    number: Annotated[
        str, typer.Argument(help="Grid number (1, 2, ...), as rosters and work orders refer to it.")
    ],
    name: Annotated[str, typer.Argument(help="Grid name.")],
    branch: Annotated[
        str | None, typer.Option(help="The grid's Party branch (网格党支部).")
    ] = None,
    area: Annotated[str | None, typer.Option(help="Streets or buildings it covers.")] = None,
) -> None:
    """Add a grid."""
    from beiwen.services.grids import add_grid

    added = add_grid(connect(ctx), number, name, branch, area)
    sys.stdout.write(f"{added}\n")
    sys.stderr.write(t("grid.added", number=added) + "\n")


@app.command("list")
def grid_list(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
) -> None:
    """List grids with their branch and number of units."""
    from beiwen.render import Column, check_format, emit
    from beiwen.services.grids import list_grids

    fmt = check_format(fmt)
    emit(
        list_grids(connect(ctx)),
        fmt,
        [
            Column("number", ("Grid", "网格"), justify="right"),
            Column("name", ("Name", "名称")),
            Column("branch", ("Party branch", "网格党支部")),
            Column("area", ("Area", "范围")),
            Column("units", ("Units", "单位数"), justify="right"),
        ],
    )
