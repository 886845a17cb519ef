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
    RequiredTextOption,
    ShowFormatOption,
    TextArgument,
    TextOption,
    TextsOption,
    all_option,
    id_argument,
    notices,
    passed,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)


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
ActivityId = Annotated[str, id_argument()]
# The fields `activity add` and `activity edit` pass on as text (the partners apart).
ACTIVITY_FIELDS = ("title", "kind", "date", "lead_unit", *COUNT_KEYS, "outcome")


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
    title: TextArgument,
    kind: RequiredTextOption,
    date: RequiredTextOption,
    lead_unit: TextOption = None,
    partner: TextsOption = None,
    enterprises_served: TextOption = None,
    enterprises_helped: TextOption = None,
    participants: TextOption = None,
    outcome: TextOption = None,
) -> None:
    """Log an activity and print its id."""
    from beiwen.services.activities import add_activity

    raw = passed(ctx, *ACTIVITY_FIELDS, lead_unit="lead_unit_id")
    result = add_activity(connect(ctx), raw, partner or [])
    sys.stdout.write(f"{result.id}\n")
    notices(result.notices)
    sys.stderr.write(t("activity.added", id=result.id) + "\n")


@app.command("list")
def activity_list(
    ctx: typer.Context,
    month: MonthFilter = None,
    year: TextOption = None,
    kind: TextOption = None,
    all_: Annotated[bool, all_option()] = False,
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
    title: TextOption = None,
    kind: TextOption = None,
    date: TextOption = None,
    lead_unit: TextOption = None,
    partner: TextsOption = None,
    clear_partners: Annotated[bool, typer.Option("--clear-partners")] = False,
    enterprises_served: TextOption = None,
    enterprises_helped: TextOption = None,
    participants: TextOption = None,
    outcome: TextOption = None,
) -> None:
    """Change fields of an activity."""
    from beiwen.services.activities import edit_activity

    raw = passed(ctx, *ACTIVITY_FIELDS, lead_unit="lead_unit_id")
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


@import_command(app)
def activity_import() -> Any:
    """Import an activity log, all or nothing; rows match stored ones by title and date."""
    from beiwen.services.activities import import_activities

    return import_activities
