"""A rich progress bar on stderr for long file reads, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

LARGE_FILE = 2 * 1024 * 1024  # below this an import takes well under a second: no bar


@contextmanager
def byte_progress(path: Path) -> Iterator[Callable[[int], None] | None]:
    try:
        size = path.stat().st_size if path.is_file() else 0
    except OSError:  # a name too long for the file system: the reader reports it
        size = 0
    if not sys.stderr.isatty() or size < LARGE_FILE:
        yield None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from beiwen.render import stderr_console

    with Progress(
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=stderr_console(),
        transient=True,
    ) as progress:
        task = progress.add_task(path.name, total=size)

        def advance(count: int) -> None:
            progress.advance(task, count)

        yield advance
