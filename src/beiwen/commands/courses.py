"""`beiwen course`: free public-benefit courses, their terms (期), classes (堂) and attendance."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.importing import EncodingOption, import_command
from beiwen.commands.options import (
    SHOW_FORMATS,
    FormatOption,
    MonthFilter,
    NoteOption,
    RequiredTextOption,
    ShowFormatOption,
    ShowPiiOption,
    TextArgument,
    TextOption,
    given,
    id_argument,
    notices,
    passed,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)
term_app = typer.Typer(no_args_is_help=True)
class_app = typer.Typer(no_args_is_help=True)
app.add_typer(term_app, name="term")
app.add_typer(class_app, name="class")

CourseRef = Annotated[str, id_argument()]
ClassId = Annotated[str, id_argument()]
# The fields `course add` and `course edit` pass on as text.
COURSE_FIELDS = ("name", "category", "partner", "teacher", "venue", "capacity")


# Courses ---------------------------------------------------------------------------------


@app.command("add")
def course_add(
    ctx: typer.Context,
    name: TextArgument,
    category: TextOption = None,
    partner: TextOption = None,
    teacher: TextOption = None,
    venue: TextOption = None,
    capacity: TextOption = None,
) -> None:
    """Add a course and print its id."""
    from beiwen.services import refs
    from beiwen.services.courses import add_course

    conn = connect(ctx)
    raw = passed(ctx, *COURSE_FIELDS)
    course_id = add_course(conn, raw)
    sys.stdout.write(f"{course_id}\n")
    course = refs.course(conn, course_id)
    if course["partner_text"]:
        sys.stderr.write(t("course.partner_text", partner=course["partner_text"]) + "\n")
    sys.stderr.write(t("course.added", id=course_id) + "\n")


@app.command("edit")
def course_edit(
    ctx: typer.Context,
    ref: CourseRef,
    name: TextOption = None,
    category: TextOption = None,
    partner: TextOption = None,
    teacher: TextOption = None,
    venue: TextOption = None,
    capacity: TextOption = None,
) -> None:
    """Change fields of a course."""
    from beiwen.services.courses import edit_course

    raw = passed(ctx, *COURSE_FIELDS)
    course = edit_course(connect(ctx), ref, raw)
    if partner and course["partner_text"]:
        sys.stderr.write(t("course.partner_text", partner=course["partner_text"]) + "\n")
    sys.stderr.write(t("course.updated", id=course["id"]) + "\n")


@app.command("list")
def course_list(
    ctx: typer.Context,
    category: TextOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List courses with terms, classes held and planned, attendance and fill rate."""
    from beiwen.render import check_format, emit
    from beiwen.render_courses import course_columns
    from beiwen.services.courses import list_courses

    fmt = check_format(fmt)
    found = list_courses(connect(ctx), category)
    footer = None
    if found:
        footer = {
            "name": t("render.total"),
            **{k: sum(row[k] for row in found) for k in ("held", "planned", "attendance")},
        }
    emit(found, fmt, course_columns(), footer=footer)


@app.command("show")
def course_show(
    ctx: typer.Context,
    ref: CourseRef,
    fmt: ShowFormatOption = "table",
) -> None:
    """Show a course: its details, totals, terms and classes."""
    from beiwen.render import check_format, emit_record
    from beiwen.render_courses import COURSE_FIELDS, course_sections
    from beiwen.services.courses import course_detail

    fmt = check_format(fmt, SHOW_FORMATS)
    emit_record(course_detail(connect(ctx), ref), fmt, COURSE_FIELDS, course_sections)


@import_command(app)
def course_import() -> Any:
    """Import a course catalogue: new names are added, known names updated; all or nothing."""
    from beiwen.services.courses import import_courses

    return import_courses


@app.command("remove")
def course_remove(ctx: typer.Context, ref: CourseRef) -> None:
    """Delete a course entered by mistake, with its terms, when no class refers to it."""
    from beiwen.services.courses import remove_course

    course = remove_course(connect(ctx), ref)
    sys.stderr.write(t("course.removed", id=course["id"], name=course["name"]) + "\n")


# Terms -----------------------------------------------------------------------------------


@term_app.command("add")
def course_term_add(
    ctx: typer.Context,
    course: CourseRef,
    name: TextArgument,
    start: RequiredTextOption,
    end: TextOption = None,
) -> None:
    """Add a term (期) to a course and print its id."""
    from beiwen.services.courses import add_term

    term_id = add_term(connect(ctx), course, name, start, end)
    sys.stdout.write(f"{term_id}\n")
    sys.stderr.write(t("course.term_added", id=term_id) + "\n")


@term_app.command("edit")
def course_term_edit(
    ctx: typer.Context,
    course: CourseRef,
    term: Annotated[str, typer.Argument()],
    name: Annotated[str | None, typer.Option()] = None,
    start: Annotated[str | None, typer.Option()] = None,
    end: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change a term's name, first day or last day."""
    from beiwen.services.courses import edit_term

    raw = given(name=name, start=start, end=end)
    updated = edit_term(connect(ctx), course, term, raw)
    sys.stderr.write(t("course.term_updated", id=updated["id"], name=updated["name"]) + "\n")


# Classes ---------------------------------------------------------------------------------


@class_app.command("add")
def course_class_add(
    ctx: typer.Context,
    course: CourseRef,
    date: RequiredTextOption,
    term: TextOption = None,
    venue: TextOption = None,
    attendance: TextOption = None,
    note: NoteOption = None,
) -> None:
    """Record one class held and print its id; a planned class that day becomes held."""
    from beiwen.services.courses import add_class

    outcome = add_class(
        connect(ctx), course, date, term=term, venue=venue, attendance=attendance, note=note
    )
    sys.stdout.write(f"{outcome.id}\n")
    notices(outcome.notices)
    sys.stderr.write(t("course.class_added", id=outcome.id) + "\n")


@class_app.command("list")
def course_class_list(
    ctx: typer.Context,
    month: MonthFilter = None,
    course: TextOption = None,
    status: TextOption = None,
    fmt: FormatOption = "table",
) -> None:
    """List classes in time order, with attendance and a flag when above capacity."""
    from beiwen.render import check_format, emit
    from beiwen.render_courses import class_columns
    from beiwen.services.courses import list_classes

    fmt = check_format(fmt)
    found = list_classes(connect(ctx), month=month, course=course, status=status)
    footer = None
    if found:
        footer = {
            "starts_at": t("render.total"),
            "attendance": sum(r["attendance"] or 0 for r in found if r["status"] == "held"),
        }
    emit(found, fmt, class_columns(), footer=footer)


@class_app.command("show")
def course_class_show(
    ctx: typer.Context,
    ref: ClassId,
    fmt: ShowFormatOption = "table",
    show_pii: ShowPiiOption = False,
) -> None:
    """Show a class and its roster of attendees."""
    from beiwen.privacy import private_rows
    from beiwen.render import check_format, emit_record
    from beiwen.render_courses import CLASS_FIELDS, roster
    from beiwen.services.courses import class_detail

    fmt = check_format(fmt, SHOW_FORMATS)
    found = class_detail(connect(ctx), ref)
    found["attendees"] = private_rows("attendee", found["attendees"], fmt, show_pii)
    emit_record(found, fmt, CLASS_FIELDS, roster)


@class_app.command("edit")
def course_class_edit(
    ctx: typer.Context,
    ref: ClassId,
    date: TextOption = None,
    term: TextOption = None,
    venue: TextOption = None,
    attendance: TextOption = None,
    note: NoteOption = None,
    status: TextOption = None,
) -> None:
    """Correct a class, or change its status: planned, held or cancelled."""
    from beiwen.services.courses import edit_class

    raw = given(date=date, term=term, venue=venue, attendance=attendance, note=note, status=status)
    outcome = edit_class(connect(ctx), ref, raw)
    notices(outcome.notices)
    sys.stderr.write(t("course.class_updated", id=outcome.id) + "\n")


@import_command(class_app)
def course_class_import() -> Any:
    """Import a ledger of classes held (all or nothing); unknown terms are created."""
    from beiwen.services.courses import import_classes

    return import_classes


# Attendance and planning -------------------------------------------------------------------


@app.command("attend")
def course_attend(
    ctx: typer.Context,
    ref: ClassId,
    people: Annotated[list[str] | None, typer.Argument()] = None,
    file: Annotated[Path | None, typer.Option()] = None,
    encoding: EncodingOption = "auto",
) -> None:
    """Record named attendees of a class; its attendance is then counted from the roster."""
    from beiwen.errors import InvalidInputError
    from beiwen.services.courses import attend, attend_file

    conn = connect(ctx)
    if people and file is not None:
        raise InvalidInputError(t("courses.people_or_file"))
    if file is not None:
        outcome, summary = attend_file(conn, ref, file, encoding=encoding)
        if summary.encoding:
            sys.stderr.write(t("table.encoding_used", path=file, encoding=summary.encoding) + "\n")
    else:
        outcome = attend(conn, ref, people or [])
    if outcome.became_held:
        sys.stderr.write(t("course.became_held", id=outcome.class_id) + "\n")
    notices(outcome.notices)
    sys.stdout.write(
        t(
            "course.attend_summary",
            id=outcome.class_id,
            added=outcome.added,
            unchanged=outcome.unchanged,
            attendance=outcome.attendance,
        )
        + "\n"
    )


@app.command("plan")
def course_plan(
    ctx: typer.Context,
    course: CourseRef,
    weekly: Annotated[list[str], typer.Option()],
    time: Annotated[str, typer.Option("--time")],
    start: Annotated[str, typer.Option("--from")],
    count: RequiredTextOption,
    term: TextOption = None,
    skip_holidays: Annotated[bool, typer.Option("--skip-holidays")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Generate N planned classes on a weekly schedule; they become held when recorded."""
    from beiwen.render import check_format, emit
    from beiwen.render_courses import class_columns
    from beiwen.services.courses import plan_classes

    fmt = check_format(fmt)
    outcome = plan_classes(
        connect(ctx),
        course,
        weekly=weekly,
        at=time,
        start=start,
        count=count,
        term=term,
        skip_holidays=skip_holidays,
    )
    notices(outcome.notices)
    emit(outcome.classes, fmt, class_columns())
    sys.stderr.write(t("course.planned", count=len(outcome.classes)) + "\n")
