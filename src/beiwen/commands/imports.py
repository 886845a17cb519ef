"""`beiwen imports`: the history of every import (导入记录) and `imports undo` to take one back."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.options import FormatOption, id_argument, notices
from beiwen.i18n import t

app = typer.Typer(no_args_is_help=True)

ImportId = Annotated[str, id_argument()]
# What an import brought in (services.imports.import_kind), as the list shows it.
KINDS = {
    "units": ("units", "单位"),
    "grids": ("grids", "网格"),
    "people": ("people", "人员"),
    "issues": ("work orders", "工单"),
    "courses": ("courses", "课程"),
    "classes": ("classes", "课堂"),
    "rosters": ("class roster", "课堂名单"),
    "activities": ("activities", "活动"),
    "service_records": ("service records", "服务记录"),
    "sheets": ("sign-in sheets", "签到表"),
    "needs": ("needs", "需求清单"),
    "resources": ("resources", "资源清单"),
}


def _kind(value: str) -> str:
    from beiwen.i18n import label

    return label(KINDS[value]) if value in KINDS else value


def _columns() -> list[Any]:
    from beiwen.render import Column

    return [
        Column("id", ("ID", "编号"), justify="right", rank=1),
        Column("at", ("Imported", "导入时间"), rank=2),
        Column("kind", ("Kind", "类型"), _kind, rank=3),
        Column("file", ("File", "文件"), rank=4),
        Column("inserted", ("Inserted", "新增"), justify="right", rank=5),
        Column("updated", ("Updated", "更新"), justify="right", rank=6),
        Column("unchanged", ("Unchanged", "未变"), justify="right"),
        Column("undone_at", ("Undone", "撤销时间")),
        Column("sha256", ("SHA-256", "SHA-256"), lambda v: v[:12], wrap=False),
    ]


@app.command("list")
def imports_list(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """List every import, oldest first."""
    from beiwen.render import check_format, emit
    from beiwen.services.imports import list_imports

    fmt = check_format(fmt)
    emit(list_imports(connect(ctx)), fmt, _columns())


@app.command("undo")
def imports_undo(
    ctx: typer.Context,
    ref: ImportId,
    dry_run: Annotated[bool, typer.Option("--dry-run")] = False,
) -> None:
    """Take an import back: the rows it added go, the rows it changed get their old values."""
    from beiwen.services.imports import undo_import

    result = undo_import(connect(ctx), ref, dry_run=dry_run)
    notices(result.notices)
    sys.stdout.write(
        t(
            "imports.would_undo" if dry_run else "imports.undone",
            prefix="",
            id=result.id,
            file=result.file,
            deleted=result.deleted,
            restored=result.restored,
            reinserted=result.reinserted,
        )
        + "\n"
    )
