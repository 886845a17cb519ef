"""What every `… import FILE` command shares: its file options, the progress bar, and the
summary it prints; `import_command` makes a whole command of an importer. The rows
themselves go through `services.importing.run_import`.

No `from __future__ import annotations` here: the command `import_command` builds has
annotations made at run time (its file's help), which Typer must see as objects.
"""

import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from beiwen.commands import connect
from beiwen.commands.options import notices
from beiwen.i18n import t

EncodingOption = Annotated[str, typer.Option()]
SheetOption = Annotated[str | None, typer.Option()]
DryRunOption = Annotated[bool, typer.Option("--dry-run")]
SkipInvalidOption = Annotated[
    bool,
    typer.Option("--skip-invalid"),
]
RejectsOption = Annotated[Path | None, typer.Option()]
# The options above, as every importer takes them.
FILE_OPTIONS = ("encoding", "sheet", "dry_run", "skip_invalid", "rejects")


def run_import_command(
    ctx: typer.Context,
    file: Path,
    do_import: Callable[..., Any],
    summary_key: str = "import.summary",
) -> Any:
    """Run one importer with the file options of the command (`ctx.params`) and a progress
    bar on stderr, then print what it did."""
    from beiwen.commands.progress import byte_progress

    options = {name: ctx.params[name] for name in FILE_OPTIONS}
    dry_run, rejects = options["dry_run"], options["rejects"]
    with byte_progress(file) as advance:
        summary = do_import(**options, on_bytes=advance)
    if summary.encoding:
        sys.stderr.write(t("table.encoding_used", path=file, encoding=summary.encoding) + "\n")
    notices(summary.notices)
    notices(summary.errors)
    if summary.rejected and rejects is not None:
        sys.stderr.write(t("import.rejects_written", path=rejects) + "\n")
    counts = {
        "inserted": summary.inserted,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
    }
    prefix = t("import.dry_run_prefix") if dry_run else ""
    sys.stdout.write(t(summary_key, prefix=prefix, **counts) + "\n")
    return summary


Importer = Callable[..., Any]


def import_command(
    app: typer.Typer,
    *,
    name: str = "import",
    summary_key: str = "import.summary",
) -> Callable[[Callable[[], Importer]], Callable[..., None]]:
    """Register `name FILE` on `app` with the shared file options.

    It decorates a function that returns the importer, `importer(conn, file, *, encoding,
    sheet, dry_run, skip_invalid, rejects, on_bytes)`: it imports the service inside, so
    that start-up stays light, and lends the command its name and docstring (the help).
    """

    def register(importer: Callable[[], Importer]) -> Callable[..., None]:
        def command(
            ctx: typer.Context,
            file: Annotated[Path, typer.Argument()],
            encoding: EncodingOption = "auto",
            sheet: SheetOption = None,
            dry_run: DryRunOption = False,
            skip_invalid: SkipInvalidOption = False,
            rejects: RejectsOption = None,
        ) -> None:
            run_import_command(ctx, file, partial(importer(), connect(ctx), file), summary_key)

        command.__name__ = command.__qualname__ = importer.__name__
        command.__doc__ = importer.__doc__
        command.__module__ = importer.__module__
        app.command(name)(command)
        return command

    return register
