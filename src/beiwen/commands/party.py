"""`beiwen party`: the Party member register (党员名册): members, who are people of the grid
roster too; their branches; the 主题党日 and 三会一课 sessions they attended."""

from __future__ import annotations

import sys
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
    import_command,
    run_import_command,
)
from beiwen.commands.options import (
    SHOW_FORMATS,
    FormatOption,
    NoteOption,
    RequiredTextOption,
    ShowFormatOption,
    ShowPiiOption,
    TextArgument,
    TextOption,
    all_option,
    id_argument,
    passed,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)
branch_app = typer.Typer(no_args_is_help=True)
app.add_typer(branch_app, name="branch")

MemberRef = Annotated[str, id_argument()]
# The text options `party add` and `party edit` share, passed to the service as its fields.
MEMBER_OPTIONS = (
    "name",
    "branch",
    "status",
    "home_org",
    "unit",
    "reported_on",
    "phone",
    "id_number",
    "joined",
    "since",
    "note",
)
Flag = Annotated[bool, typer.Option()]


@app.command("add")
def party_add(
    ctx: typer.Context,
    name: TextArgument,
    branch: RequiredTextOption,
    status: TextOption = None,
    mobile: Flag = False,
    home_org: TextOption = None,
    in_service: Flag = False,
    unit: TextOption = None,
    reported_on: TextOption = None,
    phone: TextOption = None,
    id_number: TextOption = None,
    joined: TextOption = None,
    since: TextOption = None,
    note: NoteOption = None,
) -> None:
    """Register a Party member and print their number (a person already known is linked)."""
    from beiwen.services.party import add_member

    raw = passed(ctx, *MEMBER_OPTIONS, unit="unit_id")
    if mobile:
        raw["mobile"] = "1"
    if in_service:
        raw["in_service"] = "1"
    added = add_member(connect(ctx), raw)
    sys.stdout.write(f"{added.id}\n")
    key = "party.added_linked" if added.linked else "party.added"
    sys.stderr.write(t(key, id=added.id, name=added.name, person=added.person_id) + "\n")


@app.command("list")
def party_list(
    ctx: typer.Context,
    branch: TextOption = None,
    mobile: Flag = False,
    in_service: Flag = False,
    search: TextOption = None,
    all_: Annotated[bool, all_option()] = False,
    fmt: FormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """List the members (those who left too with --all)."""
    from beiwen.render import check_format
    from beiwen.render_party import emit_members
    from beiwen.services.party import list_members

    fmt = check_format(fmt)
    members = list_members(
        connect(ctx),
        branch=branch,
        mobile=mobile,
        in_service=in_service,
        search=search,
        include_left=all_,
    )
    emit_members(members, fmt, show_pii)


@app.command("show")
def party_show(
    ctx: typer.Context,
    member: MemberRef,
    fmt: ShowFormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """Show a member: their record, every spell of membership, the sessions they attended."""
    from beiwen.render import check_format, emit_record
    from beiwen.render_party import MEMBER_FIELDS, member_sections, private_member
    from beiwen.services.party import member_detail

    fmt = check_format(fmt, SHOW_FORMATS)
    detail = private_member(member_detail(connect(ctx), member), fmt, show_pii)
    emit_record(detail, fmt, MEMBER_FIELDS, member_sections)


@app.command("edit")
def party_edit(
    ctx: typer.Context,
    member: MemberRef,
    name: TextOption = None,
    branch: TextOption = None,
    status: TextOption = None,
    mobile: Annotated[bool | None, typer.Option("--mobile/--no-mobile")] = None,
    home_org: TextOption = None,
    in_service: Annotated[bool | None, typer.Option("--in-service/--no-in-service")] = None,
    unit: TextOption = None,
    reported_on: TextOption = None,
    phone: TextOption = None,
    id_number: TextOption = None,
    joined: TextOption = None,
    since: TextOption = None,
    note: NoteOption = None,
) -> None:
    """Change a member's record ('' clears a field)."""
    from beiwen.services.party import edit_member

    raw = passed(ctx, *MEMBER_OPTIONS, unit="unit_id")
    for key, flag in (("mobile", mobile), ("in_service", in_service)):
        if flag is not None:
            raw[key] = "1" if flag else "0"
    updated = edit_member(connect(ctx), member, raw)
    sys.stderr.write(t("party.updated", id=updated["id"], name=updated["name"]) + "\n")


@app.command("leave")
def party_leave(
    ctx: typer.Context,
    member: MemberRef,
    date: RequiredTextOption,
    to: TextOption = None,
    note: NoteOption = None,
) -> None:
    """A member leaves (转出): the record stays, with the day and where they went."""
    from beiwen.services.party import leave

    left = leave(connect(ctx), member, date, to, note)
    sys.stderr.write(t("party.left", id=left["id"], name=left["name"], date=left["left_on"]) + "\n")


@import_command(app)
def party_import() -> Any:
    """Import a register (花名册): all or nothing, every bad row reported with its line."""
    from beiwen.services.party import import_members

    return import_members


@app.command("attend")
def party_attend(
    ctx: typer.Context,
    activity: Annotated[str, id_argument()],
    names: Annotated[list[str], typer.Argument()],
    session: TextOption = None,
) -> None:
    """Record the members who attended a 主题党日 or 三会一课 session (an activity)."""
    from beiwen.services.party import attend

    done = attend(connect(ctx), activity, names, session)
    sys.stderr.write(
        t("party.attended", id=done["activity"]["id"], added=done["added"], total=done["total"])
        + "\n"
    )


@app.command("sign-in")
def party_sign_in(
    ctx: typer.Context,
    activity: Annotated[str, id_argument()],
    file: Annotated[Path, typer.Argument()],
    session: TextOption = None,
    encoding: EncodingOption = "auto",
    sheet: SheetOption = None,
    dry_run: DryRunOption = False,
    skip_invalid: SkipInvalidOption = False,
    rejects: RejectsOption = None,
) -> None:
    """Import a session's sign-in sheet (签到表): one member per row."""
    from functools import partial

    from beiwen.services.party import sign_in

    conn = connect(ctx)
    run_import_command(ctx, file, partial(sign_in, conn, activity, file, session))


@branch_app.command("add")
def party_branch_add(
    ctx: typer.Context,
    name: TextArgument,
    unit: TextOption = None,
) -> None:
    """Add a unit's own Party branch (the grids' branches come from grid edit --branch)."""
    from beiwen.services.party import add_branch

    branch_id = add_branch(connect(ctx), name, unit)
    sys.stdout.write(f"{branch_id}\n")
    sys.stderr.write(t("party.branch_added", branch=name.strip()) + "\n")


@branch_app.command("list")
def party_branch_list(
    ctx: typer.Context,
    fmt: FormatOption = "table",
) -> None:
    """List the branches a member may belong to, with their members now."""
    from beiwen.render import check_format, emit
    from beiwen.render_party import BRANCH_COLUMNS
    from beiwen.services.party import list_branches

    emit(list_branches(connect(ctx)), check_format(fmt), BRANCH_COLUMNS)
