"""`beiwen settings`: the office's own settings (设置), such as the committee's name and the
issuing body that the Word report prints (services/settings.py lists the keys)."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.options import FormatOption

app = typer.Typer(no_args_is_help=True)

Key = Annotated[str, typer.Argument(metavar="KEY")]
Value = Annotated[str, typer.Argument(metavar="VALUE")]


def _columns() -> list[Any]:
    from beiwen.render import Column

    return [
        Column("key", ("Key", "键"), rank=1),
        Column("value", ("Value", "取值"), rank=2),
        Column("default", ("Default", "默认")),
        Column("meaning", ("Meaning", "含义")),
    ]


@app.command("set")
def settings_set(ctx: typer.Context, key: Key, value: Value) -> None:
    """Set a key."""
    from beiwen.i18n import t
    from beiwen.services.settings import set_setting

    result = set_setting(connect(ctx), key, value)
    sys.stderr.write(t("settings.saved", key=result["key"], value=result["value"]) + "\n")


@app.command("get")
def settings_get(ctx: typer.Context, key: Key) -> None:
    """Print a key's value."""
    from beiwen.render import printable
    from beiwen.services.settings import get_setting

    sys.stdout.write(printable(get_setting(connect(ctx), key)) + "\n")


@app.command("list")
def settings_list(ctx: typer.Context, fmt: FormatOption = "table") -> None:
    """List every key with its value."""
    from beiwen.render import check_format, emit
    from beiwen.services.settings import list_settings

    fmt = check_format(fmt)
    emit(list_settings(connect(ctx)), fmt, _columns())
