"""`beiwen issue`: work orders (工单) and their workflow, from report to follow-up call.

Kept light at import time: `beiwen issue add` is typed dozens of times a day, so this
module imports only typer and beiwen's small modules; services, rich and the file readers
are imported inside the commands that use them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.importing import import_command
from beiwen.commands.options import (
    SHOW_FORMATS,
    AtOption,
    FormatOption,
    NoteOption,
    OutputOption,
    RequiredNoteOption,
    RequiredTextOption,
    ShowFormatOption,
    ShowPiiOption,
    TextArgument,
    TextOption,
    all_option,
    format_option,
    id_argument,
    passed,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)

EXPORT_FORMATS = ("csv", "json", "xlsx", "open311")
LIST_FORMATS = ("table", "json", "csv", "xlsx", "md", "docx")
WorkOrder = Annotated[str, id_argument(metavar="ID")]
# What `issue add` passes on as text (its options, by their names).
ADD_FIELDS = (
    "title category grid source reported_at reporter phone unit place description due".split()
)


def _local(value: Any) -> str:
    # The service's own form of a time in a message: no renderer (and no rich) for `add`.
    from beiwen.services.issues import local_time

    return local_time(value)


def _move(ctx: typer.Context, action: str, *args: Any) -> None:
    """Every step of the workflow: `services.issues.<action>_issue(conn, ref, ...)`, then the
    notice of the state it left the work order in."""
    from beiwen.services import issues

    move: Callable[..., dict[str, Any]] = getattr(issues, f"{action}_issue")
    _moved(move(connect(ctx), *args), action)


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
    title: TextArgument,
    category: RequiredTextOption,
    grid: TextOption = None,
    source: TextOption = None,
    reported_at: Annotated[str | None, typer.Option("--reported-at")] = None,
    reporter: TextOption = None,
    phone: TextOption = None,
    unit: TextOption = None,
    place: TextOption = None,
    description: TextOption = None,
    due: TextOption = None,
) -> None:
    """Record a work order and print its number."""
    from beiwen.services.issues import add_issue

    raw = passed(ctx, *ADD_FIELDS, due="due_at")
    added = add_issue(connect(ctx), raw)
    sys.stdout.write(f"{added['id']}\n")
    if added["due_at"]:
        notice = t("issues.added", id=added["id"], due=_local(added["due_at"]))
    else:
        notice = t("issues.added_no_due", id=added["id"])
    sys.stderr.write(notice + "\n")


@app.command("dispatch")
def issue_dispatch(
    ctx: typer.Context,
    ref: WorkOrder,
    unit: Annotated[list[str], typer.Option()],
    at: AtOption = None,
    note: NoteOption = None,
) -> None:
    """Blow the whistle (街道吹哨): dispatch the work order to one or more departments."""
    _move(ctx, "dispatch", ref, unit, at, note)


@app.command("accept")
def issue_accept(
    ctx: typer.Context,
    ref: WorkOrder,
    unit: RequiredTextOption,
    at: AtOption = None,
    note: NoteOption = None,
) -> None:
    """A department reports in (部门报到) on a work order dispatched to it."""
    _move(ctx, "accept", ref, unit, at, note)


@app.command("resolve")
def issue_resolve(
    ctx: typer.Context,
    ref: WorkOrder,
    note: RequiredNoteOption,
    at: AtOption = None,
) -> None:
    """Mark a work order resolved; from then on it counts as handled."""
    _move(ctx, "resolve", ref, note, at)


@app.command("close")
def issue_close(
    ctx: typer.Context,
    ref: WorkOrder,
    satisfaction: RequiredTextOption,
    note: NoteOption = None,
    at: AtOption = None,
) -> None:
    """Record the follow-up call (回访) on a resolved work order and close it."""
    _move(ctx, "close", ref, satisfaction, note, at)


@app.command("reopen")
def issue_reopen(
    ctx: typer.Context,
    ref: WorkOrder,
    note: RequiredNoteOption,
    at: AtOption = None,
) -> None:
    """Reopen a resolved, closed or cancelled work order (back to its departments)."""
    _move(ctx, "reopen", ref, note, at)


@app.command("transfer")
def issue_transfer(
    ctx: typer.Context,
    ref: WorkOrder,
    to: RequiredTextOption,
    note: RequiredNoteOption,
    from_: Annotated[str | None, typer.Option("--from")] = None,
    at: AtOption = None,
) -> None:
    """Pass a work order on (转单) to the competent department, association or enterprise."""
    _move(ctx, "transfer", ref, to, note, from_, at)


@app.command("comment")
def issue_comment(
    ctx: typer.Context,
    ref: WorkOrder,
    text: TextArgument,
    at: AtOption = None,
) -> None:
    """Add a remark to the timeline (any state; changes nothing else)."""
    from beiwen.services.issues import comment_issue

    issue = comment_issue(connect(ctx), ref, text, at)
    sys.stderr.write(t("issues.commented", id=issue["id"]) + "\n")


@app.command("cancel")
def issue_cancel(
    ctx: typer.Context,
    ref: WorkOrder,
    note: RequiredNoteOption,
    at: AtOption = None,
) -> None:
    """Cancel a work order that is not the district's matter (reopen takes it back)."""
    _move(ctx, "cancel", ref, note, at)


@app.command("edit")
def issue_edit(
    ctx: typer.Context,
    ref: WorkOrder,
    note: RequiredNoteOption,
    title: TextOption = None,
    description: TextOption = None,
    category: TextOption = None,
    source: TextOption = None,
    grid: TextOption = None,
    unit: TextOption = None,
    place: TextOption = None,
    reporter: TextOption = None,
    phone: TextOption = None,
    due: TextOption = None,
) -> None:
    """Correct a work order's facts; each change is an edit event (old and new value)."""
    from beiwen.services.issues import EDIT_OPTIONS, edit_issue

    names = {option.removeprefix("--"): field for field, option in EDIT_OPTIONS.items()}
    edited = edit_issue(connect(ctx), ref, passed(ctx, *names, **names), note)
    if edited["due_recomputed"]:
        old, new = _local(edited["old_due_at"]) or "-", _local(edited["due_at"])
        sys.stderr.write(t("issues.due_recomputed", id=edited["id"], old=old, new=new) + "\n")
    if not edited["changes"]:
        sys.stderr.write(t("issues.edit_unchanged", id=edited["id"]) + "\n")
        return
    from beiwen.i18n import label

    separator = label((", ", "、"))
    fields = separator.join(dict.fromkeys(_edited_label(c["field"]) for c in edited["changes"]))
    sys.stderr.write(t("issues.edited", id=edited["id"], fields=fields) + "\n")


def _edited_label(field: str) -> str:
    from beiwen.i18n import label
    from beiwen.render_issues import EDITED

    return label(EDITED[field][0])


@app.command("void")
def issue_void(ctx: typer.Context, ref: WorkOrder, note: RequiredNoteOption) -> None:
    """Void (作废) a work order entered by mistake: it leaves every list, count and report."""
    _corrected(ctx, "void", ref, note)


@app.command("unvoid")
def issue_unvoid(ctx: typer.Context, ref: WorkOrder, note: RequiredNoteOption) -> None:
    """Take back a voiding: the work order counts again, in the state it had."""
    _corrected(ctx, "unvoid", ref, note)


@app.command("duplicate")
def issue_duplicate(
    ctx: typer.Context,
    ref: WorkOrder,
    of: RequiredTextOption,
    note: RequiredNoteOption,
    at: AtOption = None,
) -> None:
    """Close a work order as a duplicate of another: it counts once, as the other."""
    from beiwen.services.issues import duplicate_issue

    issue = duplicate_issue(connect(ctx), ref, of, note, at)
    sys.stderr.write(t("issues.duplicated", id=issue["id"], of=issue["duplicate_of"]) + "\n")


def _corrected(ctx: typer.Context, action: str, ref: str, note: str) -> None:
    """void and unvoid: the move, then one notice (`issues.voided`, `issues.unvoided`)."""
    from beiwen.services import issues
    from beiwen.vocab import ISSUE_STATUSES, display

    move: Callable[..., dict[str, Any]] = getattr(issues, f"{action}_issue")
    issue = move(connect(ctx), ref, note)
    status = display(ISSUE_STATUSES, issue["status"])
    sys.stderr.write(t(f"issues.{action}ed", id=issue["id"], status=status) + "\n")


@app.command("suggest")
def issue_suggest(
    ctx: typer.Context,
    ref: WorkOrder,
    fmt: FormatOption = "table",
    show_pii: ShowPiiOption = False,
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
    ref: WorkOrder,
    person: RequiredTextOption,
    note: NoteOption = None,
    at: AtOption = None,
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


@app.command("list")
def issue_list(
    ctx: typer.Context,
    status: TextOption = None,
    category: TextOption = None,
    grid: TextOption = None,
    unit: TextOption = None,
    month: TextOption = None,
    overdue: Annotated[bool, typer.Option("--overdue")] = False,
    search: TextOption = None,
    all_: Annotated[bool, all_option()] = False,
    fmt: Annotated[str, format_option(*LIST_FORMATS)] = "table",
    show_pii: ShowPiiOption = False,
    output: OutputOption = None,
    keys: Annotated[bool, typer.Option("--keys")] = False,
) -> None:
    """List work orders, oldest report first (cancelled ones only with --all)."""
    from beiwen.privacy import private_rows, shown_in_sql
    from beiwen.render import check_format, emit, write_json_lines
    from beiwen.services.issues import list_issues, stream_issues

    fmt = check_format(fmt, LIST_FORMATS)
    filters: dict[str, Any] = {
        "status": status,
        "category": category,
        "grid": grid,
        "unit": unit,
        "month": month,
        "overdue": overdue,
        "search": search,
        "include_cancelled": all_,
    }
    if fmt == "json" and output is None:  # SQLite writes each row's JSON: memory stays flat
        conn = connect(ctx)
        write_json_lines(
            stream_issues(conn, shown_in_sql(conn, "reporter", fmt, show_pii), **filters)
        )
        return
    from beiwen.io.export import needs_output, write_issue_list
    from beiwen.render_issues import list_columns

    needs_output(fmt, output)
    found = list_issues(connect(ctx), **filters)
    rows = private_rows("reporter", found, fmt, show_pii)
    if fmt in ("table", "json") and output is None:
        emit(rows, fmt, list_columns())
    else:
        write_issue_list(rows, fmt, output, keys=keys)
    if output is not None:
        sys.stderr.write(t("issues.exported", count=len(rows), path=output) + "\n")


@app.command("show")
def issue_show(
    ctx: typer.Context,
    ref: WorkOrder,
    fmt: ShowFormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """Show a work order: its details, its departments and its whole timeline."""
    from beiwen.privacy import private_row
    from beiwen.render import check_format, emit_record
    from beiwen.render_issues import ISSUE_FIELDS, issue_sections
    from beiwen.services.issues import issue_details

    fmt = check_format(fmt, SHOW_FORMATS)
    issue = private_row("reporter", issue_details(connect(ctx), ref), fmt, show_pii)
    issue["events"] = [_private_change(event, fmt, show_pii) for event in issue["events"]]
    emit_record(issue, fmt, ISSUE_FIELDS, issue_sections)


def _private_change(event: dict[str, Any], fmt: str, show_pii: bool) -> dict[str, Any]:
    """An edit of the reporter's phone shows its old and new value as the policy allows."""
    from beiwen.privacy import shown

    if event.get("field") != "phone":
        return event
    values = ("old_value", "new_value")
    return {**event, **{k: shown("reporter", "phone", event[k], fmt, show_pii) for k in values}}


@app.command("deadlines")
def issue_deadlines(
    ctx: typer.Context,
    set_: Annotated[tuple[str, str] | None, typer.Option("--set", metavar="CATEGORY DAYS")] = None,
    report_in_hours: Annotated[str | None, typer.Option("--report-in-hours")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Show (or --set) the days each category allows from report to due time."""
    from beiwen.errors import InvalidInputError
    from beiwen.render import check_format, emit
    from beiwen.render_issues import DEADLINE_COLUMNS
    from beiwen.services.issues import deadlines, set_deadline
    from beiwen.vocab import ISSUE_CATEGORIES, display

    fmt = check_format(fmt)
    conn = connect(ctx)
    if report_in_hours is not None and set_ is None:
        raise InvalidInputError(t("issues.report_in_needs_set"))
    if set_ is not None:
        changed = set_deadline(conn, set_[0], set_[1], report_in_hours)
        sys.stderr.write(
            t(
                "issues.deadline_set",
                category=display(ISSUE_CATEGORIES, changed["category"]),
                days=changed["days"],
            )
            + "\n"
        )
        if changed["report_in_hours"] is not None:
            sys.stderr.write(
                t(
                    "issues.report_in_set",
                    category=display(ISSUE_CATEGORIES, changed["category"]),
                    hours=changed["report_in_hours"],
                )
                + "\n"
            )
        return
    rows = [{**row, "label": display(ISSUE_CATEGORIES, row["category"])} for row in deadlines(conn)]
    emit(rows, fmt, DEADLINE_COLUMNS)


@import_command(
    app,
    summary_key="import.summary_present",
)
def issue_import() -> Any:
    """Import work orders, historical ones with their status and times: all or nothing."""
    from beiwen.services.issues import import_issues

    return import_issues


@app.command("export")
def issue_export(
    ctx: typer.Context,
    month: TextOption = None,
    fmt: Annotated[str, format_option(*EXPORT_FORMATS)] = "csv",
    output: OutputOption = None,
    keys: Annotated[bool, typer.Option("--keys")] = False,
    services: Annotated[bool, typer.Option("--services")] = False,
) -> None:
    """Export work orders as CSV or JSON (re-importable) or as Open311 requests.json."""
    from beiwen.errors import InvalidInputError
    from beiwen.io.export import needs_output, write_export, write_text
    from beiwen.render import check_format, to_json
    from beiwen.render_exports import ISSUE_COLUMNS, ISSUE_SHEET
    from beiwen.services.issues import export_rows, open311_rows, open311_services

    fmt = check_format(fmt, EXPORT_FORMATS)
    needs_output(fmt, output)
    if services and fmt != "open311":
        raise InvalidInputError(t("issues.open311_services_format", format=fmt))
    if fmt == "open311":  # the service list needs no database
        requests = open311_services(month) if services else open311_rows(connect(ctx), month)
        write_text(to_json(requests) + "\n", output)
        count = len(requests)
    else:
        rows = export_rows(connect(ctx), month)
        write_export(rows, ISSUE_COLUMNS, fmt, output, keys=keys, sheet=ISSUE_SHEET)
        count = len(rows)
    if output is not None:
        done = "issues.services_exported" if services else "issues.exported"
        sys.stderr.write(t(done, count=count, path=output) + "\n")
