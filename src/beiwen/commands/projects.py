"""`beiwen project`: the list of projects (项目清单) that answer needs with resources, and
their outcome ("为3家企业解决资金难题")."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from beiwen.commands import connect
from beiwen.commands.options import (
    SHOW_FORMATS,
    FormatOption,
    MonthFilter,
    RequiredTextOption,
    ShowFormatOption,
    TextArgument,
    TextOption,
    TextsOption,
    id_argument,
    passed,
)
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)

ProjectId = Annotated[str, id_argument()]
DateOption = Annotated[str | None, typer.Option("--date")]
FIELDS = ("title", "lead", "day", "due", "note")


def _raw(ctx: typer.Context) -> dict[str, str]:
    return passed(ctx, *FIELDS, lead="lead_unit_id")


@app.command("add")
def project_add(
    ctx: typer.Context,
    title: TextArgument,
    lead: RequiredTextOption,
    need: TextsOption = None,
    resource: TextsOption = None,
    day: DateOption = None,
    due: TextOption = None,
    note: TextOption = None,
) -> None:
    """Start a project for one need or more and print its id."""
    from beiwen.services.lists.projects import add_project

    project_id = add_project(connect(ctx), _raw(ctx), need or [], resource or [])
    sys.stdout.write(f"{project_id}\n")
    sys.stderr.write(t("projects.added", id=project_id) + "\n")


@app.command("done")
def project_done(
    ctx: typer.Context,
    ref: ProjectId,
    outcome: RequiredTextOption,
    helped: TextOption = None,
    day: DateOption = None,
) -> None:
    """Record a project's outcome and the enterprises it helped; its needs are closed."""
    from beiwen.services.lists.projects import done_project

    project = done_project(connect(ctx), ref, outcome=outcome, helped=helped, day=day)
    sys.stderr.write(t("projects.done", id=project["id"], helped=project["helped"]) + "\n")


@app.command("list")
def project_list(
    ctx: typer.Context,
    status: TextOption = None,
    month: MonthFilter = None,
    fmt: FormatOption = "table",
) -> None:
    """List the projects by the day they started (overdue ones marked)."""
    from beiwen.render import check_format, emit
    from beiwen.render_lists import project_columns
    from beiwen.services.lists.projects import list_projects

    fmt = check_format(fmt)
    emit(list_projects(connect(ctx), status=status, month=month), fmt, project_columns())


@app.command("show")
def project_show(ctx: typer.Context, ref: ProjectId, fmt: ShowFormatOption = "table") -> None:
    """Show a project with its needs and resources."""
    from beiwen.render import check_format, emit_record
    from beiwen.render_lists import project_fields, project_sections
    from beiwen.services.lists.projects import project_detail

    fmt = check_format(fmt, SHOW_FORMATS)
    emit_record(project_detail(connect(ctx), ref), fmt, project_fields(), project_sections)


@app.command("edit")
def project_edit(
    ctx: typer.Context,
    ref: ProjectId,
    title: TextOption = None,
    lead: TextOption = None,
    day: DateOption = None,
    due: TextOption = None,
    note: TextOption = None,
) -> None:
    """Change fields of a project."""
    from beiwen.services.lists.projects import edit_project

    project = edit_project(connect(ctx), ref, _raw(ctx))
    sys.stderr.write(t("projects.updated", id=project["id"]) + "\n")


@app.command("cancel")
def project_cancel(
    ctx: typer.Context, ref: ProjectId, note: RequiredTextOption, day: DateOption = None
) -> None:
    """Cancel a project (its needs stay open for another)."""
    from beiwen.services.lists.projects import cancel_project

    project = cancel_project(connect(ctx), ref, note=note, day=day)
    sys.stderr.write(t("projects.cancelled", id=project["id"]) + "\n")
