"""`beiwen activity`: the log of events and services (活动、服务) and what they achieved."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.importing import import_command
from beiwen.commands.options import (
    SHOW_FORMATS,
    FormatOption,
    MonthFilter,
    ShowFormatOption,
    all_option,
    given,
    id_argument,
)
from beiwen.i18n import t

app = typer.Typer(
    help="Activities (活动): finance visits, policy briefings, trainings, forums, salons, "
    "festivals and other services, with the enterprises and people they reached.",
    no_args_is_help=True,
)

KIND_HELP = (
    "finance_visit (金融服务进企业), policy_briefing (政策宣讲), training (培训), forum "
    "(政银企座谈), cooperation_meeting (合作洽谈会), salon (企业沙龙), festival (商圈活动), "
    "volunteer (志愿服务), party_day (主题党日) or other (其他)."
)
UNIT_HELP = "a unit id, credit code or exact name (see: beiwen units list)"

H_ID = ("ID", "编号")
H_DATE = ("Date", "日期")
H_KIND = ("Kind", "类型")
H_TITLE = ("Title", "标题")
H_LEAD = ("Lead unit", "牵头单位")
H_PARTNERS = ("Partners", "合作单位")
H_SERVED = ("Enterprises served", "服务企业")
H_HELPED = ("Enterprises helped", "解决问题企业")
H_PARTICIPANTS = ("Participants", "参与人数")
H_OUTCOME = ("Outcome", "成效")
H_REMOVED = ("Removed", "删除时间")
H_CREATED = ("Created", "创建时间")
COUNT_KEYS = ("enterprises_served", "enterprises_helped", "participants")
ActivityId = Annotated[str, id_argument("Activity id.")]


def _columns() -> list[Any]:
    from beiwen.render import Column
    from beiwen.vocab import ACTIVITY_KINDS, display

    return [
        Column("id", H_ID, justify="right"),
        Column("date", H_DATE),
        Column("kind", H_KIND, lambda v: display(ACTIVITY_KINDS, v)),
        Column("title", H_TITLE),
        Column("lead_unit", H_LEAD),
        Column("partners", H_PARTNERS),
        Column("enterprises_served", H_SERVED, justify="right"),
        Column("enterprises_helped", H_HELPED, justify="right"),
        Column("participants", H_PARTICIPANTS, justify="right"),
        Column("outcome", H_OUTCOME),
    ]


@app.command("add")
def activity_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="Title of the activity.")],
    kind: Annotated[str, typer.Option(help=KIND_HELP)],
    date: Annotated[
        str, typer.Option(help="The day it took place: 2024-08-03 (not in the future).")
    ],
    lead_unit: Annotated[
        str | None,
        typer.Option(help=f"Leading unit, {UNIT_HELP}. Default: the month's duty unit."),
    ] = None,
    partner: Annotated[
        list[str] | None, typer.Option(help=f"A partner unit, {UNIT_HELP}; repeat for more.")
    ] = None,
    enterprises_served: Annotated[
        str | None, typer.Option(help="Enterprises served (default 0).")
    ] = None,
    enterprises_helped: Annotated[
        str | None, typer.Option(help="Enterprises whose problem was solved (default 0).")
    ] = None,
    participants: Annotated[
        str | None, typer.Option(help="People taking part (default 0).")
    ] = None,
    outcome: Annotated[str | None, typer.Option(help="What came of it.")] = None,
) -> None:
    """Log an activity and print its id."""
    from beiwen.services.activities import add_activity

    raw = given(
        title=title,
        kind=kind,
        date=date,
        lead_unit_id=lead_unit,
        enterprises_served=enterprises_served,
        enterprises_helped=enterprises_helped,
        participants=participants,
        outcome=outcome,
    )
    result = add_activity(connect(ctx), raw, partner or [])
    sys.stdout.write(f"{result.id}\n")
    for notice in result.notices:
        sys.stderr.write(notice + "\n")
    sys.stderr.write(t("activity.added", id=result.id) + "\n")


@app.command("list")
def activity_list(
    ctx: typer.Context,
    month: MonthFilter = None,
    year: Annotated[str | None, typer.Option(help="Only this year: 2024.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind.")] = None,
    all_: Annotated[bool, all_option("Include removed activities.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """List activities in date order, with totals."""
    from beiwen.render import check_format, emit
    from beiwen.services.activities import list_activities

    fmt = check_format(fmt)
    found = list_activities(connect(ctx), month=month, year=year, kind=kind, include_removed=all_)
    footer = None
    if found:
        counted = [row for row in found if not row["removed_at"]]
        footer = {
            "title": f"{t('render.total')} {len(counted)}",
            **{key: sum(row[key] for row in counted) for key in COUNT_KEYS},
        }
    columns = _columns()
    if all_:
        from beiwen.render import Column

        columns.append(Column("removed_at", H_REMOVED, lambda v: (v or "")[:10]))
    emit(found, fmt, columns, footer=footer)


@app.command("show")
def activity_show(ctx: typer.Context, ref: ActivityId, fmt: ShowFormatOption = "table") -> None:
    """Show one activity."""
    from beiwen.render import Field, check_format, emit_record
    from beiwen.services.activities import activity_detail
    from beiwen.vocab import ACTIVITY_KINDS, display

    fmt = check_format(fmt, SHOW_FORMATS)
    fields = [
        Field("id", H_ID),
        Field("title", H_TITLE),
        Field("kind", H_KIND, lambda v: display(ACTIVITY_KINDS, v)),
        Field("date", H_DATE),
        Field("lead_unit", H_LEAD),
        Field("partners", H_PARTNERS),
        Field("enterprises_served", H_SERVED),
        Field("enterprises_helped", H_HELPED),
        Field("participants", H_PARTICIPANTS),
        Field("outcome", H_OUTCOME),
        Field("created_at", H_CREATED),
        Field("removed_at", H_REMOVED),
    ]
    emit_record(activity_detail(connect(ctx), ref), fmt, fields)


@app.command("edit")
def activity_edit(
    ctx: typer.Context,
    ref: ActivityId,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    kind: Annotated[str | None, typer.Option(help="New kind.")] = None,
    date: Annotated[str | None, typer.Option(help="New date.")] = None,
    lead_unit: Annotated[
        str | None, typer.Option(help=f"New lead unit, {UNIT_HELP} ('' to clear).")
    ] = None,
    partner: Annotated[
        list[str] | None,
        typer.Option(help="Partner unit; the ones given replace the stored partners."),
    ] = None,
    clear_partners: Annotated[
        bool, typer.Option("--clear-partners", help="Remove all partner units.")
    ] = False,
    enterprises_served: Annotated[str | None, typer.Option(help="New count.")] = None,
    enterprises_helped: Annotated[str | None, typer.Option(help="New count.")] = None,
    participants: Annotated[str | None, typer.Option(help="New count.")] = None,
    outcome: Annotated[str | None, typer.Option(help="New outcome ('' to clear).")] = None,
) -> None:
    """Change fields of an activity."""
    from beiwen.services.activities import edit_activity

    raw = given(
        title=title,
        kind=kind,
        date=date,
        lead_unit_id=lead_unit,
        enterprises_served=enterprises_served,
        enterprises_helped=enterprises_helped,
        participants=participants,
        outcome=outcome,
    )
    activity = edit_activity(connect(ctx), ref, raw, partner, clear_partners)
    sys.stderr.write(t("activity.updated", id=activity["id"]) + "\n")


@app.command("remove")
def activity_remove(
    ctx: typer.Context,
    ref: ActivityId,
) -> None:
    """Remove an activity (soft: kept, hidden from lists and reports; see list --all)."""
    from beiwen.services.activities import remove_activity

    activity = remove_activity(connect(ctx), ref)
    sys.stderr.write(t("activity.removed", id=activity["id"], title=activity["title"]) + "\n")


@import_command(
    app,
    file_help="Activity log (.csv/.xlsx): title, kind, date, lead_unit, partners (separated "
    "by 、 or ;), enterprises_served, enterprises_helped, participants, outcome.",
)
def activity_import() -> Any:
    """Import an activity log, all or nothing; rows match stored ones by title and date."""
    from beiwen.services.activities import import_activities

    return import_activities
