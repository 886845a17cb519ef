"""`beiwen issue`: work orders (工单) and their workflow, from report to follow-up call.

Kept light at import time: `beiwen issue add` is typed dozens of times a day, so this
module imports only typer and beiwen's small modules; services, rich and the file readers
are imported inside the commands that use them.
"""

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
    help="Work orders (工单): record, dispatch (吹哨), report in (报到), resolve, follow up "
    "(回访), transfer (转单); list, import and export.",
    no_args_is_help=True,
)

H_ID = ("No.", "工单号")
H_TITLE = ("Title", "标题")
H_CATEGORY = ("Category", "类别")
H_SOURCE = ("Source", "来源")
H_GRID = ("Grid", "网格")
H_UNIT = ("Unit concerned", "涉及单位")
H_REPORTER = ("Reporter", "反映人")
H_PHONE = ("Phone", "联系电话")
H_STATUS = ("Status", "状态")
H_REPORTED = ("Reported", "上报时间")
H_DUE = ("Due", "办理期限")
H_DISPATCHED = ("First dispatched", "首次吹哨")
H_ACCEPTED = ("First reported in", "首次报到")
H_RESOLVED = ("Resolved", "解决时间")
H_CLOSED = ("Followed up", "回访时间")
H_CANCELLED = ("Cancelled", "撤销时间")
H_SATISFACTION = ("Satisfaction", "满意度")
H_OVERDUE = ("Overdue", "逾期")
H_RESPONSE = ("Response time", "响应用时")
H_RESOLUTION = ("Resolution time", "办结用时")
H_DESCRIPTION = ("Description", "问题描述")
H_DEPARTMENTS = ("Departments", "承办单位")
H_DAYS = ("Days", "天数")
H_KEY = ("Key", "代码")

AT_HELP = "When it happened, for entering paper records: 2024-08-03 09:30 (default: now)."
ID_HELP = "Work-order number (工单号)."
UNIT_HELP = "Unit id, credit code or exact name."


def _local(value: Any) -> str:
    from beiwen.services.issues import local_time

    return local_time(value)


def _moved(issue: dict[str, Any], action: str) -> None:
    from beiwen.vocab import ISSUE_ACTIONS, ISSUE_STATUSES, display

    sys.stderr.write(
        t(
            "issues.moved",
            id=issue["id"],
            action=display(ISSUE_ACTIONS, action),
            status=display(ISSUE_STATUSES, issue["status"]),
        )
        + "\n"
    )


@app.command("add")
def issue_add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="Short title of the problem (标题).")],
    category: Annotated[
        str,
        typer.Option(
            help="property, supervision, safety, vendor, fire_lane, sanitation, consumer, "
            "labour, dispute, service or other (or the Chinese label: 物业纠纷, 游摊占道, …)."
        ),
    ],
    grid: Annotated[str | None, typer.Option(help="Grid number where it happened.")] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="patrol (default), hotline, visit, station_315, mediation, merchant or other."
        ),
    ] = None,
    reported_at: Annotated[
        str | None,
        typer.Option(
            "--reported-at", help="When it was reported: 2024-08-03 09:30 (default: now)."
        ),
    ] = None,
    reporter: Annotated[str | None, typer.Option(help="Who reported it.")] = None,
    phone: Annotated[str | None, typer.Option(help="Reporter's phone.")] = None,
    unit: Annotated[
        str | None, typer.Option(help="Unit or merchant concerned: id, credit code or name.")
    ] = None,
    description: Annotated[str | None, typer.Option(help="Details.")] = None,
    due: Annotated[
        str | None,
        typer.Option(help="Due time (default: the category's deadline, see: issue deadlines)."),
    ] = None,
) -> None:
    """Record a work order and print its number."""
    from beiwen.services.issues import add_issue

    given = {
        "title": title,
        "category": category,
        "grid": grid,
        "source": source,
        "reported_at": reported_at,
        "reporter": reporter,
        "phone": phone,
        "unit": unit,
        "description": description,
        "due_at": due,
    }
    added = add_issue(connect(ctx), {k: v for k, v in given.items() if v is not None})
    sys.stdout.write(f"{added['id']}\n")
    if added["due_at"]:
        notice = t("issues.added", id=added["id"], due=_local(added["due_at"]))
    else:
        notice = t("issues.added_no_due", id=added["id"])
    sys.stderr.write(notice + "\n")


@app.command("dispatch")
def issue_dispatch(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    unit: Annotated[
        list[str],
        typer.Option(help="Department to whistle (吹哨); repeat for several. " + UNIT_HELP),
    ],
    at: Annotated[str | None, typer.Option(help=AT_HELP)] = None,
    note: Annotated[str | None, typer.Option(help="What was asked of them.")] = None,
) -> None:
    """Blow the whistle (街道吹哨): dispatch the work order to one or more departments."""
    from beiwen.services.issues import dispatch_issue

    _moved(dispatch_issue(connect(ctx), ref, unit, at, note), "dispatch")


@app.command("accept")
def issue_accept(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    unit: Annotated[str, typer.Option(help="The department reporting in. " + UNIT_HELP)],
    at: Annotated[str | None, typer.Option(help=AT_HELP)] = None,
    note: Annotated[str | None, typer.Option(help="Who took it on, what was promised.")] = None,
) -> None:
    """A department reports in (部门报到) on a work order dispatched to it."""
    from beiwen.services.issues import accept_issue

    _moved(accept_issue(connect(ctx), ref, unit, at, note), "accept")


@app.command("resolve")
def issue_resolve(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    note: Annotated[str, typer.Option(help="How it was solved (协商解决).")],
    at: Annotated[str | None, typer.Option(help=AT_HELP)] = None,
) -> None:
    """Mark a work order resolved; from then on it counts as handled."""
    from beiwen.services.issues import resolve_issue

    _moved(resolve_issue(connect(ctx), ref, note, at), "resolve")


@app.command("close")
def issue_close(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    satisfaction: Annotated[
        str, typer.Option(help="satisfied, basic or unsatisfied (满意, 基本满意, 不满意).")
    ],
    note: Annotated[str | None, typer.Option(help="What the reporter said.")] = None,
    at: Annotated[str | None, typer.Option(help=AT_HELP)] = None,
) -> None:
    """Record the follow-up call (回访) on a resolved work order and close it."""
    from beiwen.services.issues import close_issue

    _moved(close_issue(connect(ctx), ref, satisfaction, note, at), "close")


@app.command("reopen")
def issue_reopen(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    note: Annotated[str, typer.Option(help="Why it needs work again.")],
    at: Annotated[str | None, typer.Option(help=AT_HELP)] = None,
) -> None:
    """Reopen a resolved or closed work order (back to its departments)."""
    from beiwen.services.issues import reopen_issue

    _moved(reopen_issue(connect(ctx), ref, note, at), "reopen")


@app.command("transfer")
def issue_transfer(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    to: Annotated[str, typer.Option(help="The competent unit it goes to. " + UNIT_HELP)],
    note: Annotated[str, typer.Option(help="Why it goes there.")],
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", help="The department passing it on, when several hold it. " + UNIT_HELP
        ),
    ] = None,
    at: Annotated[str | None, typer.Option(help=AT_HELP)] = None,
) -> None:
    """Pass a work order on (转单) to the competent department, association or enterprise."""
    from beiwen.services.issues import transfer_issue

    _moved(transfer_issue(connect(ctx), ref, to, note, from_, at), "transfer")


@app.command("comment")
def issue_comment(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    text: Annotated[str, typer.Argument(help="The remark.")],
    at: Annotated[str | None, typer.Option(help=AT_HELP)] = None,
) -> None:
    """Add a remark to the timeline (any state; changes nothing else)."""
    from beiwen.services.issues import comment_issue

    issue = comment_issue(connect(ctx), ref, text, at)
    sys.stderr.write(t("issues.commented", id=issue["id"]) + "\n")


@app.command("cancel")
def issue_cancel(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    note: Annotated[str, typer.Option(help="Why: a duplicate of which order, or whose matter.")],
    at: Annotated[str | None, typer.Option(help=AT_HELP)] = None,
) -> None:
    """Cancel a work order that is a duplicate or not the district's matter (final)."""
    from beiwen.services.issues import cancel_issue

    _moved(cancel_issue(connect(ctx), ref, note, at), "cancel")


@app.command("suggest")
def issue_suggest(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
    show_pii: Annotated[bool, typer.Option("--show-pii", help=SHOW_PII_HELP)] = False,
) -> None:
    """Who can help on a work order: the grid's "N" forces whose skills fit its category
    (its grid first, then the whole district's, then other grids'; least busy first)."""
    from beiwen.render import check_format
    from beiwen.render_grid import emit_suggestions
    from beiwen.services.people import suggest_for_issue
    from beiwen.vocab import ISSUE_CATEGORIES, display

    fmt = check_format(fmt)
    found = suggest_for_issue(connect(ctx), ref)
    issue, skills = found["issue"], "、".join(found["skills"])
    grid = issue["grid"] if issue["grid"] is not None else "-"
    category = display(ISSUE_CATEGORIES, issue["category"])
    sys.stderr.write(
        t("grid.suggest_for", id=issue["id"], category=category, grid=grid, skills=skills) + "\n"
    )
    emit_suggestions(found["people"], fmt, show_pii, skills, issue["grid"] is not None)


@app.command("assign")
def issue_assign(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    person: Annotated[
        str, typer.Option(help="The helper: member id or exact name (see: beiwen issue suggest).")
    ],
    note: Annotated[str | None, typer.Option(help="What they are to do.")] = None,
    at: Annotated[str | None, typer.Option(help=AT_HELP)] = None,
) -> None:
    """Assign a person of the grids' "N" forces to help on an unfinished work order."""
    from beiwen.services.people import assign_person

    done = assign_person(connect(ctx), ref, person, note, at)
    sys.stderr.write(
        t(
            "issues.assigned",
            name=done["name"],
            person=done["person_id"],
            id=done["issue_id"],
            count=done["open_assignments"],
        )
        + "\n"
    )


def _list_columns() -> list[Any]:
    from beiwen.render import Column, cell
    from beiwen.vocab import ISSUE_CATEGORIES, ISSUE_STATUSES, display

    return [
        Column("id", H_ID, justify="right"),
        Column("reported_at", H_REPORTED, _local),
        Column("category", H_CATEGORY, lambda v: display(ISSUE_CATEGORIES, v)),
        Column("grid", H_GRID, justify="right"),
        Column("title", H_TITLE),
        Column("status", H_STATUS, lambda v: display(ISSUE_STATUSES, v)),
        Column("departments", H_DEPARTMENTS),
        Column("due_at", H_DUE, _local),
        Column("overdue", H_OVERDUE, cell),
    ]


@app.command("list")
def issue_list(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option(help="open, dispatched, in_progress, resolved, closed or cancelled."),
    ] = None,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    grid: Annotated[str | None, typer.Option(help="Only this grid.")] = None,
    unit: Annotated[
        str | None,
        typer.Option(help="Only orders concerning this unit or sent to it. " + UNIT_HELP),
    ] = None,
    month: Annotated[
        str | None, typer.Option(help="Only orders reported in this month: 2024-08.")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only orders not handled and past their due time.")
    ] = False,
    search: Annotated[
        str | None,
        typer.Option(help="Text in the title, description, reporter, unit or any note."),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Include cancelled orders (hidden by default).")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
    show_pii: Annotated[bool, typer.Option("--show-pii", help=SHOW_PII_HELP)] = False,
) -> None:
    """List work orders, oldest report first (cancelled ones only with --all)."""
    from beiwen.privacy import private_rows
    from beiwen.render import check_format, emit
    from beiwen.services.issues import list_issues

    fmt = check_format(fmt)
    found = list_issues(
        connect(ctx),
        status=status,
        category=category,
        grid=grid,
        unit=unit,
        month=month,
        overdue=overdue,
        search=search,
        include_cancelled=all_,
    )
    emit(private_rows("reporter", found, fmt, show_pii), fmt, _list_columns())


def _hours(value: float | None) -> str:
    return t("issues.hours", hours=value) if value is not None else ""


@app.command("show")
def issue_show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID", help=ID_HELP)],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    show_pii: Annotated[bool, typer.Option("--show-pii", help=SHOW_PII_HELP)] = False,
) -> None:
    """Show a work order: its details, its departments and its whole timeline."""
    from beiwen.privacy import private_row
    from beiwen.render import Column, build_table, check_format, record, show, to_json
    from beiwen.services.issues import issue_details
    from beiwen.vocab import (
        ISSUE_ACTIONS,
        ISSUE_CATEGORIES,
        ISSUE_SOURCES,
        ISSUE_STATUSES,
        SATISFACTION,
        display,
    )

    fmt = check_format(fmt, ("table", "json"))
    issue = private_row("reporter", issue_details(connect(ctx), ref), fmt, show_pii)
    if fmt == "json":
        sys.stdout.write(to_json(issue) + "\n")
        return
    grid = f"{issue['grid']} {issue['grid_name'] or ''}".strip() if issue["grid"] else None
    show(
        record(
            [
                (H_ID, issue["id"]),
                (H_TITLE, issue["title"]),
                (H_CATEGORY, display(ISSUE_CATEGORIES, issue["category"])),
                (H_SOURCE, display(ISSUE_SOURCES, issue["source"])),
                (H_GRID, grid),
                (H_UNIT, issue["unit_name"]),
                (H_REPORTER, issue["reporter"]),
                (H_PHONE, issue["phone"]),
                (H_STATUS, display(ISSUE_STATUSES, issue["status"])),
                (H_REPORTED, _local(issue["reported_at"])),
                (H_DUE, _local(issue["due_at"])),
                (H_DISPATCHED, _local(issue["first_dispatched_at"])),
                (H_ACCEPTED, _local(issue["first_accepted_at"])),
                (H_RESOLVED, _local(issue["resolved_at"])),
                (H_CLOSED, _local(issue["closed_at"])),
                (H_CANCELLED, _local(issue["cancelled_at"])),
                (H_SATISFACTION, display(SATISFACTION, issue["satisfaction"])),
                (H_OVERDUE, issue["overdue"]),
                (H_RESPONSE, _hours(issue["response_hours"])),
                (H_RESOLUTION, _hours(issue["resolution_hours"])),
                (H_DESCRIPTION, issue["description"]),
            ]
        )
    )
    if issue["units"]:
        show(
            build_table(
                issue["units"],
                [
                    Column("unit_name", ("Unit", "单位")),
                    Column("dispatched_at", ("Sent", "派单时间"), _local),
                    Column("accepted_at", ("Reported in", "报到时间"), _local),
                    Column("transferred_from_name", ("Transferred from", "转自")),
                    Column("released_at", ("Passed on", "转出时间"), _local),
                ],
                title=t("issues.departments_title"),
            )
        )

    def detail(event: dict[str, Any]) -> str:
        parts = [
            t("issues.from_unit", unit=event["from_unit_name"]) if event["from_unit_name"] else "",
            event["person_name"] or "",
            display(SATISFACTION, event["satisfaction"]),
            event["note"] or "",
        ]
        return "; ".join(part for part in parts if part)

    show(
        build_table(
            [{**event, "detail": detail(event)} for event in issue["events"]],
            [
                Column("at", ("Time", "时间"), _local),
                Column("action", ("Step", "步骤"), lambda v: display(ISSUE_ACTIONS, v)),
                Column("unit_name", ("Unit", "单位")),
                Column("detail", ("Note", "说明")),
                Column("recorded_at", ("Entered", "录入时间"), _local),
            ],
            title=t("issues.timeline_title"),
        )
    )


@app.command("deadlines")
def issue_deadlines(
    ctx: typer.Context,
    set_: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--set",
            metavar="CATEGORY DAYS",
            help="Change the days allowed for a category (new work orders only).",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "table",
) -> None:
    """Show (or --set) the days each category allows from report to due time."""
    from beiwen.render import Column, check_format, emit
    from beiwen.services.issues import deadlines, set_deadline
    from beiwen.vocab import ISSUE_CATEGORIES, display

    fmt = check_format(fmt)
    conn = connect(ctx)
    if set_ is not None:
        changed = set_deadline(conn, set_[0], set_[1])
        sys.stderr.write(
            t(
                "issues.deadline_set",
                category=display(ISSUE_CATEGORIES, changed["category"]),
                days=changed["days"],
            )
            + "\n"
        )
        return
    rows = [{**row, "label": display(ISSUE_CATEGORIES, row["category"])} for row in deadlines(conn)]
    emit(
        rows,
        fmt,
        [
            Column("label", H_CATEGORY),
            Column("category", H_KEY),
            Column("days", H_DAYS, justify="right"),
        ],
    )


@app.command("import")
def issue_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="Work orders: .csv, .tsv, .xlsx or .xls, English or Chinese headers "
            "(标题, 类别, 网格, 来源, 上报时间, 状态, 承办单位, 派单时间, …)."
        ),
    ],
    encoding: EncodingOption = "auto",
    sheet: SheetOption = None,
    dry_run: DryRunOption = False,
    skip_invalid: SkipInvalidOption = False,
    rejects: RejectsOption = None,
) -> None:
    """Import work orders, historical ones with their status and times: all or nothing."""
    from functools import partial

    from beiwen.services.issues import import_issues

    run_import_command(
        file,
        partial(import_issues, connect(ctx), file),
        encoding=encoding,
        sheet=sheet,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        rejects=rejects,
        summary_key="import.summary_present",
    )


@app.command("export")
def issue_export(
    ctx: typer.Context,
    month: Annotated[
        str | None, typer.Option(help="Only orders reported in this month: 2024-08.")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="csv (the columns import reads), json, or open311 (GeoReport v2 requests.json).",
        ),
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option(help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Export work orders as CSV or JSON (re-importable) or as Open311 requests.json."""
    from beiwen.io.export import write_export, write_text
    from beiwen.render import check_format, to_json
    from beiwen.services.issues import EXPORT_COLUMNS, export_rows, open311_rows

    fmt = check_format(fmt, ("csv", "json", "open311"))
    conn = connect(ctx)
    if fmt == "open311":
        requests = open311_rows(conn, month)
        write_text(to_json(requests) + "\n", output)
        count = len(requests)
    else:
        rows = export_rows(conn, month)
        write_export(rows, list(EXPORT_COLUMNS), fmt, output)
        count = len(rows)
    if output is not None:
        sys.stderr.write(t("issues.exported", count=count, path=output) + "\n")
