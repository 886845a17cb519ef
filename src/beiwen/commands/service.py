"""`beiwen service`: service records (志愿服务记录): log hours, list them, total them per
person, certify a person's year, and send an 在职党员's unit the service of its members."""

from __future__ import annotations

import sys
from functools import partial
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
    FormatOption,
    MonthFilter,
    NoteOption,
    RequiredTextOption,
    ShowPiiOption,
    TextArgument,
    TextOption,
    id_argument,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)

ClassOption = Annotated[str | None, typer.Option("--class")]
DateOption = Annotated[str | None, typer.Option("--date")]


@app.command("log")
def service_log(
    ctx: typer.Context,
    person: TextArgument,
    hours: RequiredTextOption,
    date: DateOption = None,
    activity: TextOption = None,
    course_class: ClassOption = None,
    issue: TextOption = None,
    note: NoteOption = None,
) -> None:
    """Log hours of service by one person and print the record's id."""
    from beiwen.services.service_records import hours_text, log_service

    logged = log_service(
        connect(ctx),
        person,
        hours=hours,
        day=date,
        activity=activity,
        course_class=course_class,
        issue=issue,
        note=note,
    )
    sys.stdout.write(f"{logged['id']}\n")
    sys.stderr.write(
        t(
            "service.logged",
            id=logged["id"],
            name=logged["person"],
            hours=hours_text(logged["hours"]),
            day=logged["date"],
        )
        + "\n"
    )


@app.command("log-sheet")
def service_log_sheet(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument()],
    activity: TextOption = None,
    course_class: ClassOption = None,
    hours: TextOption = None,
    date: DateOption = None,
    note: NoteOption = None,
    encoding: EncodingOption = "auto",
    sheet: SheetOption = None,
    dry_run: DryRunOption = False,
    skip_invalid: SkipInvalidOption = False,
    rejects: RejectsOption = None,
) -> None:
    """Log service for every volunteer on an activity's or a class's sign-in sheet, all or
    nothing."""
    from beiwen.services.service_records import log_sheet

    importer = partial(
        log_sheet,
        connect(ctx),
        file,
        activity=activity,
        course_class=course_class,
        hours=hours,
        day=date,
        note=note,
    )
    run_import_command(ctx, file, importer)


@import_command(app)
def service_import() -> Any:
    """Import a service ledger (志愿服务台账), all or nothing, by the rules of service log."""
    from beiwen.services.service_records import import_records

    return import_records


@app.command("list")
def service_list(
    ctx: typer.Context,
    person: TextOption = None,
    month: MonthFilter = None,
    year: TextOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List service records in date order, with the hours summed."""
    from beiwen.render import check_format, emit
    from beiwen.render_service import hours_footer, record_columns, with_served_at
    from beiwen.services.service_records import list_records

    fmt = check_format(fmt)
    found = with_served_at(list_records(connect(ctx), person=person, month=month, year=year))
    footer = hours_footer(found, "person") if found else None
    emit(found, fmt, record_columns(), footer=footer)


@app.command("total")
def service_total(
    ctx: typer.Context,
    month: MonthFilter = None,
    year: TextOption = None,
    points_per_hour: TextOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Hours per person, most first, with their rank and points."""
    from beiwen.render import check_format, emit
    from beiwen.render_service import hours_footer, total_columns
    from beiwen.services.service_records import totals

    fmt = check_format(fmt)
    found = totals(connect(ctx), month=month, year=year, points_per_hour=points_per_hour)
    footer = None
    if found:
        footer = {**hours_footer(found, "person"), "points": sum(r["points"] for r in found)}
        footer["points"] = round(footer["points"], 2)
    emit(found, fmt, total_columns(), footer=footer)


@app.command("certificate")
def service_certificate(
    ctx: typer.Context,
    person: TextArgument,
    year: RequiredTextOption,
    output: Annotated[Path, typer.Option()],
    show_pii: ShowPiiOption = False,
) -> None:
    """Write a one-page A4 certificate of a person's service hours in a year (Word)."""
    from beiwen.io.certificate_docx import write_certificate
    from beiwen.privacy import shown
    from beiwen.services.service_records import certificate

    data = certificate(connect(ctx), person, year)
    who = data["person"]
    id_number = shown("member", "id_number", who.get("id_number"), "docx", show_pii)
    write_certificate({**data, "id_number": id_number}, output)
    sys.stderr.write(t("service.certificate_written", path=output, name=who["name"]) + "\n")


@app.command("feedback")
def service_feedback(
    ctx: typer.Context,
    unit: TextArgument,
    year: RequiredTextOption,
    fmt: FormatOption = "table",
) -> None:
    """The service of a unit's in-service Party members (在职党员) in a year, to send back
    to the unit."""
    from beiwen.render import check_format, emit, to_json
    from beiwen.render_service import feedback_columns, hours_footer, with_served_at
    from beiwen.services.service_records import feedback, hours_text

    fmt = check_format(fmt)
    data = feedback(connect(ctx), unit, year)
    if fmt == "json":
        sys.stdout.write(to_json(data) + "\n")
    else:
        rows = with_served_at(data["rows"])
        emit(rows, fmt, feedback_columns(), footer=hours_footer(rows, "person") if rows else None)
    sys.stderr.write(
        t(
            "service.feedback_summary" if data["members"] else "service.feedback_none",
            unit=data["unit"]["name"],
            year=data["year"],
            members=data["members"],
            hours=hours_text(data["hours"]),
        )
        + "\n"
    )


@app.command("remove")
def service_remove(
    ctx: typer.Context,
    ref: Annotated[str, id_argument()],
) -> None:
    """Remove a record logged by mistake (kept, marked removed; it leaves every total)."""
    from beiwen.services.service_records import hours_text, remove_record

    removed = remove_record(connect(ctx), ref)
    sys.stderr.write(
        t(
            "service.removed",
            id=removed["id"],
            name=removed["person"],
            hours=hours_text(removed["hours"]),
            day=removed["date"],
        )
        + "\n"
    )
