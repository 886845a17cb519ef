"""`beiwen grid`: the district's grids (网格), their Party branches, and the people of their
"N" forces (网格"N"力量) who serve them: `grid member …`, `grid suggest`, `grid stats`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.importing import import_command
from beiwen.commands.options import (
    SHOW_FORMATS,
    FormatOption,
    NoteOption,
    ShowFormatOption,
    ShowPiiOption,
    TextArgument,
    TextOption,
    TextsOption,
    all_option,
    id_argument,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)
member_app = typer.Typer(no_args_is_help=True)
app.add_typer(member_app, name="member")

GridNumber = Annotated[str, id_argument()]
MemberRef = Annotated[str, id_argument()]


# --- grids ------------------------------------------------------------------------------


@app.command("add")
def grid_add(
    ctx: typer.Context,
    number: TextArgument,
    name: TextArgument,
    branch: TextOption = None,
    area: TextOption = None,
) -> None:
    """Add a grid."""
    from beiwen.services.grids import add_grid

    added = add_grid(connect(ctx), number, name, branch, area)
    sys.stdout.write(f"{added}\n")
    sys.stderr.write(t("grid.added", number=added) + "\n")


@app.command("edit")
def grid_edit(
    ctx: typer.Context,
    number: GridNumber,
    name: TextOption = None,
    branch: TextOption = None,
    area: TextOption = None,
) -> None:
    """Change a grid's name, Party branch or area."""
    from beiwen.services.grids import edit_grid

    grid = edit_grid(connect(ctx), number, name, branch, area)
    sys.stderr.write(t("grid.updated", number=grid["number"]) + "\n")


@app.command("list")
def grid_list(
    ctx: typer.Context,
    fmt: FormatOption = "table",
) -> None:
    """List grids with their branch, units, grid workers and all the people serving them."""
    from beiwen.render import check_format, emit
    from beiwen.render_grid import GRID_COLUMNS
    from beiwen.services.grids import list_grids

    emit(list_grids(connect(ctx)), check_format(fmt), GRID_COLUMNS)


@app.command("show")
def grid_show(
    ctx: typer.Context,
    number: GridNumber,
    fmt: ShowFormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """Show a grid: its branch, people by role, units and merchants, open work orders."""
    from beiwen.privacy import private_rows
    from beiwen.render import check_format, emit_record
    from beiwen.render_grid import GRID_FIELDS, grid_sections
    from beiwen.services.grids import grid_detail

    fmt = check_format(fmt, SHOW_FORMATS)
    grid = grid_detail(connect(ctx), number)
    grid["people_by_role"] = {
        role: private_rows("member", group, fmt, show_pii)
        for role, group in grid["people_by_role"].items()
    }

    def sections(grid: dict[str, Any]) -> Iterator[Any]:
        people, *others = grid_sections(grid, show_pii)
        yield people
        if grid["district_people"]:
            sys.stderr.write(t("grid.district_people", count=grid["district_people"]) + "\n")
        yield from others

    emit_record(grid, fmt, GRID_FIELDS, sections)


@app.command("stats")
def grid_stats(
    ctx: typer.Context,
    month: TextOption = None,
    year: TextOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Per grid: work orders collected, handled, handling rate, overdue, people active."""
    from beiwen.render import check_format, emit, to_csv, to_json
    from beiwen.render_grid import STATS_COLUMNS, STATS_KEYS
    from beiwen.services.grids import grid_stats as compute

    fmt = check_format(fmt)
    stats = compute(connect(ctx), month=month, year=year)
    if fmt == "json":
        sys.stdout.write(to_json(stats) + "\n")
        return
    if fmt == "csv":
        total = {**stats["total"], "grid": "total"}
        sys.stdout.write(to_csv([*stats["grids"], total], STATS_KEYS))
        return
    rows = [
        {**row, "grid": row["grid"] if row["grid"] is not None else t("grid.whole_district")}
        for row in stats["grids"]
    ]
    title = t("grid.stats_title", period=stats["period"] or t("grid.all_time"))
    footer = {**stats["total"], "grid": t("grid.total")}
    emit(rows, fmt, STATS_COLUMNS, title=title, footer=footer)


@app.command("suggest")
def grid_suggest(
    ctx: typer.Context,
    skill: Annotated[list[str], typer.Option("--skill")],
    grid: TextOption = None,
    fmt: FormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """Who can serve a need: people with the skill in the grid first, then the whole
    district's, then other grids'; fewest open assignments first."""
    from beiwen.render import check_format
    from beiwen.render_grid import emit_suggestions
    from beiwen.services.people import suggest_people

    fmt = check_format(fmt)
    people = suggest_people(connect(ctx), skill, grid)
    emit_suggestions(people, fmt, show_pii, "、".join(skill), with_place=grid is not None)


# --- members ----------------------------------------------------------------------------


@member_app.command("add")
def grid_member_add(
    ctx: typer.Context,
    name: TextArgument,
    role: Annotated[list[str], typer.Option("--role")],
    grid: Annotated[list[str] | None, typer.Option("--grid")] = None,
    skill: Annotated[list[str] | None, typer.Option("--skill")] = None,
    phone: TextOption = None,
    unit: TextOption = None,
    mobile_party_member: Annotated[bool, typer.Option("--mobile-party-member")] = False,
    id_number: TextOption = None,
    since: TextOption = None,
    note: NoteOption = None,
) -> None:
    """Add a person to the grids' "N" forces and print their id."""
    from beiwen.services.people import add_member

    raw = {"name": name, "role": "、".join(role)}
    given = {"grid": grid, "skill": skill}
    raw.update({key: "、".join(values) for key, values in given.items() if values})
    optional = {"phone": phone, "unit": unit, "id_number": id_number, "since": since, "note": note}
    raw.update({key: value for key, value in optional.items() if value is not None})
    if mobile_party_member:
        raw["mobile_party_member"] = "1"
    person_id = add_member(connect(ctx), raw)
    sys.stdout.write(f"{person_id}\n")
    sys.stderr.write(t("grid.member_added", id=person_id, name=name.strip()) + "\n")


@member_app.command("list")
def grid_member_list(
    ctx: typer.Context,
    grid: TextOption = None,
    role: TextOption = None,
    skill: TextOption = None,
    mobile_party_member: Annotated[bool, typer.Option("--mobile-party-member")] = False,
    search: Annotated[str | None, typer.Option()] = None,
    all_: Annotated[bool, all_option()] = False,
    fmt: FormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """List the people of the grids' "N" forces."""
    from beiwen.render import check_format
    from beiwen.render_grid import emit_people
    from beiwen.services.people import list_members

    fmt = check_format(fmt)
    people = list_members(
        connect(ctx),
        grid=grid,
        role=role,
        skill=skill,
        mobile_party_member=mobile_party_member,
        include_removed=all_,
        search=search,
    )
    emit_people(people, fmt, show_pii)


@member_app.command("show")
def grid_member_show(
    ctx: typer.Context,
    person: MemberRef,
    fmt: ShowFormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """Show one member with the work orders they were assigned to."""
    from beiwen.render import check_format, emit_record
    from beiwen.render_grid import member_assignments, member_fields, private_member
    from beiwen.services.people import member_detail

    fmt = check_format(fmt, SHOW_FORMATS)
    detail = private_member(member_detail(connect(ctx), person), show_pii, fmt)
    emit_record(detail, fmt, member_fields(), member_assignments)


@member_app.command("edit")
def grid_member_edit(
    ctx: typer.Context,
    person: MemberRef,
    name: TextOption = None,
    phone: TextOption = None,
    id_number: TextOption = None,
    unit: TextOption = None,
    mobile_party_member: Annotated[
        bool | None, typer.Option("--mobile-party-member/--no-mobile-party-member")
    ] = None,
    note: NoteOption = None,
    add_role: TextsOption = None,
    remove_role: TextsOption = None,
    add_grid: TextsOption = None,
    remove_grid: TextsOption = None,
    add_skill: TextsOption = None,
    remove_skill: TextsOption = None,
) -> None:
    """Change a member's details, roles, grids or skills (options may be repeated)."""
    from beiwen.services.people import edit_member

    fields = {
        key: value
        for key, value in {
            "name": name,
            "phone": phone,
            "id_number": id_number,
            "unit_id": unit,
            "note": note,
        }.items()
        if value is not None
    }
    if mobile_party_member is not None:
        fields["mobile_party_member"] = "1" if mobile_party_member else "0"
    detail = edit_member(
        connect(ctx),
        person,
        fields,
        add_roles=add_role or (),
        remove_roles=remove_role or (),
        add_grids=add_grid or (),
        remove_grids=remove_grid or (),
        add_skills=add_skill or (),
        remove_skills=remove_skill or (),
    )
    sys.stderr.write(t("grid.member_updated", id=detail["id"], name=detail["name"]) + "\n")


@member_app.command("remove")
def grid_member_remove(
    ctx: typer.Context,
    person: MemberRef,
) -> None:
    """Remove a member (soft: work-order history still names them; list --all shows them)."""
    from beiwen.services.people import remove_member

    removed = remove_member(connect(ctx), person)
    sys.stderr.write(t("grid.member_removed", id=removed["id"], name=removed["name"]) + "\n")
    if removed["open_assignments"]:
        sys.stderr.write(
            t("grid.member_open_left", name=removed["name"], count=removed["open_assignments"])
            + "\n"
        )


@import_command(member_app)
def grid_member_import() -> Any:
    """Import a roster of people: all or nothing, every bad row reported with its line."""
    from beiwen.services.people import import_members

    return import_members
