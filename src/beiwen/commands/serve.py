"""`beiwen serve`: the database in the browser (Datasette), read-only, for colleagues who
never type a command."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from beiwen.commands import connect, state
from beiwen.commands.options import ShowPiiOption

LOCALHOST = "127.0.0.1"


def register_root_commands(root: typer.Typer) -> None:
    root.command("serve")(serve)


def serve(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8001,
    host: Annotated[str, typer.Option()] = LOCALHOST,
    show_pii: ShowPiiOption = False,
) -> None:
    """Open the database in the browser (Datasette), read-only."""
    from pathlib import Path

    from beiwen.i18n import t
    from beiwen.io.web import serve as launch
    from beiwen.services.web_config import build_config

    path = state(ctx).db_path
    conn = connect(ctx)
    config = build_config(conn, Path(path).stem, show_pii=show_pii)
    conn.close()
    state(ctx).connection = None
    if host not in (LOCALHOST, "localhost", "::1"):
        sys.stderr.write(t("serve.exposed", host=host) + "\n")
    launch(Path(path), config, host, port)
