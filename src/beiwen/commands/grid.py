"""`beiwen grid`: the district's grids (网格), their Party branches, and the people of their
"N" forces (网格"N"力量) who serve them: `grid member …`, `grid suggest`, `grid stats`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from beiwen.commands import FORMAT_HELP, SHOW_PII_HELP, connect
from beiwen.commands.importing import (
    DryRunOption,
    EncodingOption,
    RejectsOption,
    SheetOption,
    SkipInvalidOption,
    run_import_command,
)
from beiwen.i18n import t

app = typer.Typer(
    help="Grids (网格): the areas of the district, their Party branches and the people who "
    "serve them.",
    no_args_is_help=True,
)
member_app = typer.Typer(
    help='People of the grids\' "N" forces ("N"力量): grid workers, volunteers, Party members, '
    "merchant representatives, lawyers, mediators, social workers.",
    no_args_is_help=True,
)
app.add_typer(member_app, name="member")

H_GRID = ("Grid", "网格")
H_NAME = ("Name", "名称")
H_PERSON = ("Name", "姓名")
H_BRANCH = ("Party branch", "网格党支部")
H_AREA = ("Area", "范围")
H_ID = ("ID", "编号")
H_ROLES = ("Roles", "角色")
H_ROLE = ("Role", "角色")
H_GRIDS = ("Grids", "服务网格")
H_SKILLS = ("Skills", "技能")
H_PHONE = ("Phone", "电话")
H_ID_NUMBER = ("ID number", "身份证号")
H_UNIT = ("Unit", "单位")
H_MOBILE = ("Mobile member", "流动党员")
H_OPEN = ("Open assignments", "在办工单")
H_SINCE = ("Since", "加入日期")
H_NOTE = ("Note", "备注")
H_REMOVED = ("Removed", "移除时间")
H_COUNT = ("Count", "数量")

MULTI_HELP = "Repeat the option, or separate values with 、 , ; or /."


def _join(values: Any) -> str:
    return "、".join(str(v) for v in values) if values else ""


def _private(person: dict[str, Any], show_pii: bool, fmt: str) -> dict[str, Any]:
    """A member as `fmt` may show them (beiwen.privacy: masked in every view)."""
    from beiwen.privacy import private_row

    return private_row("member", person, fmt, show_pii)


def _flat(person: dict[str, Any]) -> dict[str, Any]:
    """Lists joined for CSV cells."""
    return {
        **person,
        "roles": _join(person["roles"]),
        "grids": _join(person["grids"]),
        "skills": _join(person["skills"]),
        "mobile_party_member": int(person["mobile_party_member"]),
    }


def _people_columns(brief: bool, extra: list[Any] | None = None) -> list[Any]:
    """The columns of member tables; `brief` (suggestions) leaves out the ID number, unit
    and mobile flag."""
    from beiwen.render import Column, cell

    full = not brief
    return [
        *(extra or []),
        Column("id", H_ID, justify="right"),
        Column("name", H_PERSON),
        Column("roles", H_ROLES),
        Column("grids", H_GRIDS),
        Column("skills", H_SKILLS),
        Column("phone", H_PHONE),
        *([Column("id_number", H_ID_NUMBER), Column("unit", H_UNIT)] if full else []),
        *([Column("mobile_party_member", H_MOBILE, lambda v: cell(bool(v)))] if full else []),
        Column("open_assignments", H_OPEN, justify="right"),
    ]


def emit_suggestions(
    people: list[dict[str, Any]], fmt: str, show_pii: bool, skills: str, with_place: bool
) -> None:
    """Suggested helpers (from `services.people.suggest_people`), as `grid suggest` and
    `issue suggest` print them; nobody suggested is a notice on stderr."""
    from beiwen.render import Column
    from beiwen.services.people import PLACES
    from beiwen.vocab import display

    if not people:
        sys.stderr.write(t("grid.nobody", skill=skills) + "\n")
    place = Column("place", ("Where", "范围"), lambda v: display(PLACES, v))
    _emit_people(people, fmt, show_pii, brief=True, extra=[place] if with_place else [])


def _emit_people(
    people: list[dict[str, Any]],
    fmt: str,
    show_pii: bool,
    brief: bool = False,
    extra: list[Any] | None = None,
) -> None:
    from beiwen.render import emit
    from beiwen.services.people import display_grids, display_roles

    shown = [_private(person, show_pii, fmt) for person in people]
    if fmt == "csv":
        shown = [_flat(person) for person in shown]
    elif fmt == "table":
        shown = [
            {
                **person,
                "roles": display_roles(person["roles"], person["mobile_party_member"]),
                "grids": display_grids(person["grids"]),
                "skills": _join(person["skills"]),
            }
            for person in shown
        ]
    emit(shown, fmt, _people_columns(brief, extra))


# --- grids ------------------------------------------------------------------------------


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


@app.command("edit")
def grid_edit(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Grid number.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    branch: Annotated[
        str | None, typer.Option(help="New Party branch (网格党支部); '' clears it.")
    ] = None,
    area: Annotated[str | None, typer.Option(help="New area; '' clears it.")] = None,
) -> None:
    """Change a grid's name, Party branch or area."""
    from beiwen.services.grids import edit_grid

    grid = edit_grid(connect(ctx), number, name, branch, area)
    sys.stderr.write(t("grid.updated", number=grid["number"]) + "\n")


@app.command("list")
def grid_list(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
) -> None:
    """List grids with their branch, units, grid workers and all the people serving them."""
    from beiwen.render import Column, check_format, emit
    from beiwen.services.grids import list_grids

    fmt = check_format(fmt)
    emit(
        list_grids(connect(ctx)),
        fmt,
        [
            Column("number", H_GRID, justify="right"),
            Column("name", H_NAME),
            Column("branch", H_BRANCH),
            Column("area", H_AREA),
            Column("units", ("Units", "单位数"), justify="right"),
            Column("grid_workers", ("Grid workers", "网格员"), justify="right"),
            Column("people", ("People", "人员数"), justify="right"),
        ],
    )


@app.command("show")
def grid_show(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Grid number.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    show_pii: Annotated[bool, typer.Option("--show-pii", help=SHOW_PII_HELP)] = False,
) -> None:
    """Show a grid: its branch, people by role, units and merchants, open work orders."""
    from rich.console import Group
    from rich.table import Table

    from beiwen.i18n import label
    from beiwen.privacy import private_rows
    from beiwen.render import check_format, record, show, text, to_json
    from beiwen.services.grids import grid_detail
    from beiwen.services.people import PERSON_ROLES, display_role
    from beiwen.vocab import ISSUE_CATEGORIES, ISSUE_STATUSES, MERCHANT_CATEGORIES, UNIT_KINDS
    from beiwen.vocab import display as show_label

    fmt = check_format(fmt, ("table", "json"))
    grid = grid_detail(connect(ctx), number)
    grid["people_by_role"] = {
        role: private_rows("member", group, fmt, show_pii)
        for role, group in grid["people_by_role"].items()
    }
    if fmt == "json":
        sys.stdout.write(to_json(grid) + "\n")
        return

    def table(title: str, headings: list[tuple[str, str]], rows: list[list[Any]]) -> Any:
        if not rows:
            return text(f"{title}: {t('render.none')}")
        # The title on its own line: a narrow table would wrap a table title.
        built = Table()
        for heading in headings:
            built.add_column(text(label(heading)))
        for row in rows:
            built.add_row(*(text(value) for value in row))
        return Group(text(title), built)

    show(
        record(
            [
                (H_GRID, grid["number"]),
                (H_NAME, grid["name"]),
                (H_BRANCH, grid["branch"]),
                (H_AREA, grid["area"]),
                (("People", "人员数"), grid["people"]),
                (("Units", "单位数"), grid["units"]),
                (("Open work orders", "未办结工单"), grid["open_work_orders"]),
                (("Overdue", "已超期"), grid["overdue_work_orders"]),
            ]
        )
    )
    # Mobile Party members are listed apart from the in-service ones they share a role with.
    groups: dict[tuple[int, bool], list[dict[str, Any]]] = {}
    for role, group in grid["people_by_role"].items():
        for person in group:
            key = (list(PERSON_ROLES).index(role), person["mobile_party_member"])
            groups.setdefault(key, []).append(person)
    people_rows = [
        [
            display_role(list(PERSON_ROLES)[index], mobile),
            len(group),
            "、".join(
                f"{p['name']} {p['phone']}" if p["phone"] and show_pii else p["name"] for p in group
            ),
        ]
        for (index, mobile), group in sorted(groups.items())
    ]
    show(table(t("grid.people_title"), [H_ROLE, H_COUNT, ("Names", "姓名")], people_rows))
    if grid["district_people"]:
        sys.stderr.write(t("grid.district_people", count=grid["district_people"]) + "\n")
    unit_rows = [[show_label(UNIT_KINDS, k), n] for k, n in grid["units_by_kind"].items()]
    show(table(t("grid.units_title"), [("Kind", "类型"), H_COUNT], unit_rows))
    merchant_rows = [
        [show_label(MERCHANT_CATEGORIES, k), n] for k, n in grid["merchants_by_category"].items()
    ]
    show(table(t("grid.merchants_title"), [("Category", "业态"), H_COUNT], merchant_rows))
    order_rows = [
        [
            order["id"],
            order["title"],
            show_label(ISSUE_CATEGORIES, order["category"]),
            show_label(ISSUE_STATUSES, order["status"]),
            (order["due_at"] or "")[:16].replace("T", " "),
            t("render.yes") if order["overdue"] else "",
        ]
        for order in grid["work_orders"]
    ]
    show(
        table(
            t("grid.orders_title"),
            [
                H_ID,
                ("Title", "标题"),
                ("Category", "类别"),
                ("Status", "状态"),
                ("Due", "办理时限"),
                ("Overdue", "已超期"),
            ],
            order_rows,
        )
    )


@app.command("stats")
def grid_stats(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option(help="Only work orders reported in this month (2024-08).")
    ] = None,
    year: Annotated[
        str | None, typer.Option(help="Only work orders reported in this year (2024).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
) -> None:
    """Per grid: work orders collected, handled, handling rate, overdue, people active."""
    from beiwen.render import Column, check_format, emit, to_csv, to_json
    from beiwen.services.grids import grid_stats as compute

    fmt = check_format(fmt)
    stats = compute(connect(ctx), month=month, year=year)
    if fmt == "json":
        sys.stdout.write(to_json(stats) + "\n")
        return
    keys = ["grid", "name", "collected", "handled", "handling_rate", "overdue", "people"]
    if fmt == "csv":
        total = {**stats["total"], "grid": "total"}
        sys.stdout.write(to_csv([*stats["grids"], total], keys))
        return
    rows = [
        {**row, "grid": row["grid"] if row["grid"] is not None else t("grid.whole_district")}
        for row in stats["grids"]
    ]
    emit(
        rows,
        fmt,
        [
            Column("grid", H_GRID, justify="right"),
            Column("name", H_NAME),
            Column("collected", ("Collected", "收集"), justify="right"),
            Column("handled", ("Handled", "处理"), justify="right"),
            Column("rate", ("Handling rate", "处理率"), justify="right"),
            Column("overdue", ("Overdue", "超期"), justify="right"),
            Column("people", ("People active", "在岗人员"), justify="right"),
        ],
        title=t("grid.stats_title", period=stats["period"] or t("grid.all_time")),
        footer={**stats["total"], "grid": t("grid.total")},
    )


@app.command("suggest")
def grid_suggest(
    ctx: typer.Context,
    skill: Annotated[
        list[str], typer.Option("--skill", help="Skill needed (调解, 法律, ...). " + MULTI_HELP)
    ],
    grid: Annotated[
        str | None, typer.Option(help="Grid of the need: its people come first.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
    show_pii: Annotated[bool, typer.Option("--show-pii", help=SHOW_PII_HELP)] = False,
) -> None:
    """Who can serve a need: people with the skill in the grid first, then the whole
    district's, then other grids'; fewest open assignments first."""
    from beiwen.render import check_format
    from beiwen.services.people import suggest_people

    fmt = check_format(fmt)
    people = suggest_people(connect(ctx), skill, grid)
    emit_suggestions(people, fmt, show_pii, "、".join(skill), with_place=grid is not None)


# --- members ----------------------------------------------------------------------------


@member_app.command("add")
def grid_member_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Name (姓名).")],
    role: Annotated[
        list[str],
        typer.Option(
            "--role",
            help="grid_worker (网格员), volunteer (志愿者), party_member (在职党员), merchant_rep "
            "(商家代表), lawyer (律师), mediator (调解员) or social_worker (社工). " + MULTI_HELP,
        ),
    ],
    grid: Annotated[
        list[str] | None,
        typer.Option("--grid", help="Grid served; none: the whole district. " + MULTI_HELP),
    ] = None,
    skill: Annotated[
        list[str] | None,
        typer.Option("--skill", help="Skill or speciality (专业技能). " + MULTI_HELP),
    ] = None,
    phone: Annotated[
        str | None, typer.Option(help="Mobile (11 digits) or landline (023-68281234).")
    ] = None,
    unit: Annotated[
        str | None, typer.Option(help="Employer or unit represented: id, credit code or name.")
    ] = None,
    mobile_party_member: Annotated[
        bool,
        typer.Option(
            "--mobile-party-member", help="A mobile Party member (流动党员) in the alliance."
        ),
    ] = False,
    id_number: Annotated[
        str | None,
        typer.Option(help="Resident ID number (身份证号), checked by GB 11643; shown masked."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Day the person started serving (default: today).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Free text.")] = None,
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
    grid: Annotated[str | None, typer.Option(help="Only people serving this grid.")] = None,
    role: Annotated[str | None, typer.Option(help="Only this role.")] = None,
    skill: Annotated[
        str | None, typer.Option(help="Only people with a skill containing this text.")
    ] = None,
    mobile_party_member: Annotated[
        bool, typer.Option("--mobile-party-member", help="Only mobile Party members (流动党员).")
    ] = False,
    all_: Annotated[bool, typer.Option("--all", help="Include removed members.")] = False,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
    show_pii: Annotated[bool, typer.Option("--show-pii", help=SHOW_PII_HELP)] = False,
) -> None:
    """List the people of the grids' "N" forces."""
    from beiwen.render import check_format
    from beiwen.services.people import list_members

    fmt = check_format(fmt)
    people = list_members(
        connect(ctx),
        grid=grid,
        role=role,
        skill=skill,
        mobile_party_member=mobile_party_member,
        include_removed=all_,
    )
    _emit_people(people, fmt, show_pii)


@member_app.command("show")
def grid_member_show(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Member id, exact name or phone.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    show_pii: Annotated[bool, typer.Option("--show-pii", help=SHOW_PII_HELP)] = False,
) -> None:
    """Show one member with the work orders they were assigned to."""
    from beiwen.render import Column, build_table, cell, check_format, record, show, to_json
    from beiwen.services.people import display_grids, display_roles, member_detail
    from beiwen.vocab import ISSUE_STATUSES, display

    fmt = check_format(fmt, ("table", "json"))
    detail = _private(member_detail(connect(ctx), person), show_pii, fmt)
    if fmt == "json":
        sys.stdout.write(to_json(detail) + "\n")
        return
    show(
        record(
            [
                (H_ID, detail["id"]),
                (H_PERSON, detail["name"]),
                (H_ROLES, display_roles(detail["roles"], detail["mobile_party_member"])),
                (H_GRIDS, display_grids(detail["grids"])),
                (H_SKILLS, _join(detail["skills"])),
                (H_PHONE, detail["phone"]),
                (H_ID_NUMBER, detail["id_number"]),
                (H_UNIT, detail["unit"]),
                (H_MOBILE, cell(detail["mobile_party_member"])),
                (H_SINCE, detail["since"]),
                (H_OPEN, detail["open_assignments"]),
                (H_NOTE, detail["note"]),
                (H_REMOVED, detail["removed_at"]),
            ]
        )
    )
    if detail["assignments"]:
        show(
            build_table(
                detail["assignments"],
                [
                    Column("issue_id", ("Work order", "工单号"), justify="right"),
                    Column("title", ("Title", "标题")),
                    Column("grid", H_GRID, justify="right"),
                    Column("status", ("Status", "状态"), lambda v: display(ISSUE_STATUSES, v)),
                    Column("at", ("Assigned", "指派时间"), lambda v: v[:16].replace("T", " ")),
                    Column("note", H_NOTE),
                ],
                title=t("grid.assignments_title"),
            )
        )


@member_app.command("edit")
def grid_member_edit(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help="Member id, exact name or phone.")],
    name: Annotated[str | None, typer.Option(help="New name.")] = None,
    phone: Annotated[str | None, typer.Option(help="New phone ('' clears it).")] = None,
    id_number: Annotated[
        str | None, typer.Option(help="New resident ID number ('' clears it).")
    ] = None,
    unit: Annotated[str | None, typer.Option(help="New unit ('' clears it).")] = None,
    mobile_party_member: Annotated[
        bool | None,
        typer.Option(
            "--mobile-party-member/--no-mobile-party-member",
            help="Mark or unmark as a mobile Party member (流动党员).",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option(help="New note ('' clears it).")] = None,
    add_role: Annotated[list[str] | None, typer.Option(help="Add a role.")] = None,
    remove_role: Annotated[list[str] | None, typer.Option(help="End a role.")] = None,
    add_grid: Annotated[list[str] | None, typer.Option(help="Serve another grid.")] = None,
    remove_grid: Annotated[
        list[str] | None,
        typer.Option(help="Stop serving a grid (with no grid left: the whole district)."),
    ] = None,
    add_skill: Annotated[list[str] | None, typer.Option(help="Add a skill.")] = None,
    remove_skill: Annotated[list[str] | None, typer.Option(help="Remove a skill.")] = None,
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
    person: Annotated[str, typer.Argument(help="Member id, exact name or phone.")],
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


@member_app.command("import")
def grid_member_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="Roster: .csv, .tsv, .xlsx or .xls; headers such as 姓名, 角色, 网格, 技能, "
            "电话, 身份证号."
        ),
    ],
    encoding: EncodingOption = "auto",
    sheet: SheetOption = None,
    dry_run: DryRunOption = False,
    skip_invalid: SkipInvalidOption = False,
    rejects: RejectsOption = None,
) -> None:
    """Import a roster of people: all or nothing, every bad row reported with its line."""
    from functools import partial

    from beiwen.services.people import import_members

    run_import_command(
        file,
        partial(import_members, connect(ctx), file),
        encoding=encoding,
        sheet=sheet,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        rejects=rejects,
    )
