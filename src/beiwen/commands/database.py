"""`beiwen init` and `beiwen db`: creating, locating, backing up and checking the file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from beiwen.commands import connect, state
from beiwen.i18n import label, t

app = typer.Typer(no_args_is_help=True)


def register_root_commands(root: typer.Typer) -> None:
    root.command("init")(init)


def init(
    ctx: typer.Context,
    demo: Annotated[
        bool,
        typer.Option("--demo"),
    ] = False,
) -> None:
    """Create the database (mode 0600) or bring its schema up to date."""
    from beiwen.services.database import init_database

    path = state(ctx).db_path
    conn = init_database(path)
    state(ctx).connection = conn
    if demo:
        from beiwen.services.demo import load_demo
        from beiwen.vocab import DEMO_PARTS

        loaded = load_demo(conn, path)
        parts = {name: DEMO_PARTS.get(name.replace(" ", "_"), (name, name)) for name in loaded}
        summary = label((", ", "，")).join(
            f"{label(parts[name])} {count}" for name, count in loaded.items()
        )
        sys.stderr.write(t("db.demo_loaded", summary=summary) + "\n")
    sys.stderr.write(t("db.initialised", path=path) + "\n")


@app.command("path")
def db_path(ctx: typer.Context) -> None:
    """Print the database path in use (--db, else $BEIWEN_DB, else the user data directory)."""
    sys.stdout.write(f"{state(ctx).db_path}\n")


@app.command("backup")
def db_backup(
    ctx: typer.Context,
    destination: Annotated[Path, typer.Argument(dir_okay=False)],
) -> None:
    """Copy the database with SQLite's online backup: consistent while others write."""
    from beiwen.services.database import backup_database

    size = backup_database(connect(ctx), destination)
    sys.stderr.write(t("db.backup_done", path=destination, size=size) + "\n")


@app.command("restore")
def db_restore(
    ctx: typer.Context,
    backup: Annotated[Path, typer.Argument()],
) -> None:
    """Replace the database with a verified backup; the current file is kept beside it.

    Stop other beiwen commands first. The backup is checked (a beiwen database, integrity,
    foreign keys, row counts) before anything changes; the current file, even a damaged one,
    is renamed NAME.before-restore-DATE, never deleted.
    """
    from beiwen.services.database import restore_database

    path = state(ctx).db_path
    result = restore_database(path, backup)
    counts = _counts(result.counts)
    sys.stderr.write(t("db.restored", path=path, backup=backup, counts=counts) + "\n")
    if result.kept_as is not None:
        sys.stderr.write(t("db.restore_kept", kept=result.kept_as) + "\n")


@app.command("check")
def db_check(ctx: typer.Context) -> None:
    """Run integrity and foreign-key checks; exit 1 on any problem."""
    from beiwen.errors import BeiwenError
    from beiwen.services.database import check_database

    result = check_database(connect(ctx))
    found = [*result.problems, *result.repairs]
    if found:
        raise BeiwenError(t("db.check_failed", count=len(found)), details=found)
    sys.stdout.write(t("db.check_ok", counts=_counts(result.tables)) + "\n")


@app.command("reindex")
def db_reindex(ctx: typer.Context) -> None:
    """Rebuild the full-text search index from the tables (a repair: it keeps itself true)."""
    from beiwen.services.database import reindex_database

    count = reindex_database(connect(ctx))
    sys.stderr.write(t("db.reindexed", count=count) + "\n")


def _counts(counts: dict[str, int]) -> str:
    """`units 1438, issues 77` (`单位 1438，工单 77`): each table by its label, the internal
    ones (`_sqlite_migrations`) left out."""
    from beiwen.services.database import table_label

    return label((", ", "，")).join(
        f"{table_label(name)} {count}" for name, count in counts.items() if not name.startswith("_")
    )
