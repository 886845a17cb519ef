"""`beiwen meeting`: the joint meeting (区域党建联席会) of the council units: meetings, who
attended, and `meeting decision`: the decisions taken and followed up."""

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
    RequiredNoteOption,
    RequiredTextOption,
    ShowFormatOption,
    TextArgument,
    TextOption,
    TextsOption,
    export,
    format_option,
    given,
    id_argument,
    notices,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)
decision_app = typer.Typer(no_args_is_help=True)
app.add_typer(decision_app, name="decision")

EXPORT_FORMATS = ("csv", "json", "xlsx")
MeetingRef = Annotated[str, id_argument("MEETING")]
DecisionRef = Annotated[str, id_argument("ID")]
KeysOption = Annotated[bool, typer.Option("--keys")]


@app.command("add")
def meeting_add(
    ctx: typer.Context,
    date: RequiredTextOption,
    topic: RequiredTextOption,
    host: TextOption = None,
    attend: TextsOption = None,
    note: TextOption = None,
) -> None:
    """Record a joint meeting held and print its id."""
    from beiwen.services.meetings import add_meeting

    raw = given(date=date, topic=topic, host=host, note=note)
    result = add_meeting(connect(ctx), raw, attend or [])
    sys.stdout.write(f"{result.id}\n")
    notices(result.notices)
    sys.stderr.write(t("meetings.added", id=result.id) + "\n")


@app.command("list")
def meeting_list(
    ctx: typer.Context,
    month: MonthFilter = None,
    year: TextOption = None,
    host: TextOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List the joint meetings in date order."""
    from beiwen.render import check_format, emit
    from beiwen.render_meetings import meeting_columns
    from beiwen.services.meetings import list_meetings

    fmt = check_format(fmt)
    emit(list_meetings(connect(ctx), month=month, year=year, host=host), fmt, meeting_columns())


@app.command("show")
def meeting_show(ctx: typer.Context, ref: MeetingRef, fmt: ShowFormatOption = "table") -> None:
    """Show one joint meeting: who attended and its decisions."""
    from beiwen.render import check_format, emit_record
    from beiwen.render_meetings import meeting_fields, meeting_sections
    from beiwen.services.meetings import meeting_detail

    fmt = check_format(fmt, SHOW_FORMATS)
    emit_record(meeting_detail(connect(ctx), ref), fmt, meeting_fields(), meeting_sections)


@app.command("attendance")
def meeting_attendance(
    ctx: typer.Context,
    month: MonthFilter = None,
    year: TextOption = None,
    start: Annotated[str | None, typer.Option("--from")] = None,
    end: Annotated[str | None, typer.Option("--to")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Attendance of every council unit at the joint meetings of a period."""
    from beiwen.render import check_format, emit
    from beiwen.render_meetings import attendance_columns, attendance_rows
    from beiwen.render_report import fraction
    from beiwen.services.meetings import attendance
    from beiwen.services.period import parse_period

    fmt = check_format(fmt)
    period = parse_period(month, year, start, end)
    data = attendance(connect(ctx), period.start, period.end)
    rows, footer = attendance_rows(data, fmt, fraction)
    title = t("meetings.attendance_title", label=period.label, held=data["held"])
    emit(rows, fmt, attendance_columns(), title=title if fmt == "table" else None, footer=footer)


@import_command(app)
def meeting_import() -> Any:
    """Import joint meetings, all or nothing; rows match stored ones by date and topic."""
    from beiwen.services.meetings_exchange import import_meetings

    return import_meetings


@app.command("export")
def meeting_export(
    ctx: typer.Context,
    month: MonthFilter = None,
    year: TextOption = None,
    fmt: Annotated[str, format_option(*EXPORT_FORMATS)] = "csv",
    output: OutputOption = None,
    keys: KeysOption = False,
) -> None:
    """Export joint meetings in the columns `meeting import` reads back unchanged."""
    from beiwen.render import check_format
    from beiwen.render_exports import ExportColumn
    from beiwen.services.meetings_exchange import meeting_export_rows

    fmt = check_format(fmt, EXPORT_FORMATS)
    columns = [
        ExportColumn("date", ("Date", "日期")),
        ExportColumn("host", ("Host", "主持单位")),
        ExportColumn("topic", ("Topic", "议题")),
        ExportColumn("attendees", ("Attending", "参会单位")),
        ExportColumn("note", ("Note", "备注")),
    ]
    load = partial(meeting_export_rows, connect(ctx), month, year)
    sheet = ("Joint meetings", "联席会")
    export(load, columns, fmt, output, keys=keys, sheet=sheet, written="meetings.exported")


# Decisions ---------------------------------------------------------------------------------


@decision_app.command("add")
def decision_add(
    ctx: typer.Context,
    meeting: MeetingRef,
    text: TextArgument,
    owner: RequiredTextOption,
    due: TextOption = None,
    as_issue: Annotated[bool, typer.Option("--as-issue")] = False,
    category: TextOption = None,
    as_need: Annotated[bool, typer.Option("--as-need")] = False,
    kind: TextOption = None,
) -> None:
    """Record a decision of a joint meeting and print its id."""
    from beiwen.services.meetings import add_decision

    raw = given(text=text, owner_unit_id=owner, due=due)
    result = add_decision(
        connect(ctx),
        meeting,
        raw,
        as_issue=as_issue,
        category=category,
        as_need=as_need,
        kind=kind,
    )
    sys.stdout.write(f"{result.id}\n")
    sys.stderr.write(t("meetings.decision_added", id=result.id) + "\n")
    if result.issue_id is not None:
        sys.stderr.write(t("meetings.as_issue", id=result.id, issue=result.issue_id) + "\n")
    if result.need_id is not None:
        sys.stderr.write(t("meetings.as_need", id=result.id, need=result.need_id) + "\n")


@decision_app.command("done")
def decision_done(
    ctx: typer.Context,
    ref: DecisionRef,
    note: RequiredNoteOption,
    at: TextOption = None,
) -> None:
    """Mark a decision done, saying what was done."""
    from beiwen.services.meetings import finish_decision

    decision = finish_decision(connect(ctx), ref, note, at)
    sys.stderr.write(
        t("meetings.decision_done", id=decision["id"], at=decision["done_at"][:10]) + "\n"
    )


@decision_app.command("list")
def decision_list(
    ctx: typer.Context,
    meeting: TextOption = None,
    owner: TextOption = None,
    open_: Annotated[bool, typer.Option("--open")] = False,
    month: MonthFilter = None,
    year: TextOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List decisions by meeting, with their owners and whether they are done."""
    from beiwen.render import check_format, emit
    from beiwen.render_meetings import decision_columns
    from beiwen.services.meetings import list_decisions

    fmt = check_format(fmt)
    found = list_decisions(
        connect(ctx), meeting=meeting, owner=owner, month=month, year=year, open_only=open_
    )
    emit(found, fmt, decision_columns())


@import_command(decision_app)
def decision_import() -> Any:
    """Import decisions, all or nothing: each row names its meeting (by id or date)."""
    from beiwen.services.meetings_exchange import import_decisions

    return import_decisions


@decision_app.command("export")
def decision_export(
    ctx: typer.Context,
    month: MonthFilter = None,
    year: TextOption = None,
    fmt: Annotated[str, format_option(*EXPORT_FORMATS)] = "csv",
    output: OutputOption = None,
    keys: KeysOption = False,
) -> None:
    """Export decisions in the columns `meeting decision import` reads back unchanged."""
    from beiwen.render import check_format
    from beiwen.render_exports import ExportColumn, local_moment
    from beiwen.services.meetings_exchange import decision_export_rows

    fmt = check_format(fmt, EXPORT_FORMATS)
    columns = [
        ExportColumn("meeting", ("Meeting", "会议日期")),
        ExportColumn("text", ("Decision", "议定事项")),
        ExportColumn("owner", ("Owner", "责任单位")),
        ExportColumn("due", ("Due", "完成时限")),
        ExportColumn("done_at", ("Done on", "完成时间"), local_moment),
        ExportColumn("done_note", ("What was done", "完成情况")),
    ]
    load = partial(decision_export_rows, connect(ctx), month, year)
    sheet = ("Decisions", "联席会议定事项")
    export(load, columns, fmt, output, keys=keys, sheet=sheet, written="meetings.exported")
