"""`beiwen doctor`: diagnose the database file and say, one line each, how to fix it."""

from __future__ import annotations

import sys

import typer

from beiwen.commands import state


def register_root_commands(root: typer.Typer) -> None:
    root.command("doctor")(doctor)


def doctor(ctx: typer.Context) -> None:
    """Check the database: file, permissions, integrity, foreign keys, schema, WAL.

    Prints one line per problem with the command that fixes it and exits 1, or one all-clear
    line and exits 0. It never changes the file, so it also works on a damaged one.
    """
    from beiwen.errors import BeiwenError
    from beiwen.i18n import t
    from beiwen.services.doctor import diagnose, human_size

    path = state(ctx).db_path
    found = diagnose(path)
    if found.problems:
        sys.stdout.write("".join(f"{line}\n" for line in found.problems))
        sys.stdout.flush()
        raise BeiwenError(t("doctor.found", count=len(found.problems), path=path))
    sys.stdout.write(
        t(
            "doctor.all_clear",
            path=path,
            size=human_size(found.size),
            schema=found.schema,
            mode=f"{found.mode:04o}",
        )
        + "\n"
    )
