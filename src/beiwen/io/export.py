"""Write exports as CSV (UTF-8 with BOM), JSON or XLSX, to stdout or atomically to a file.

Files are written to a temporary name beside the target and renamed into place, so an
interrupted export never leaves half a file. Text that a spreadsheet would run as a
formula is neutralised with a leading apostrophe, which every importer strips again.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from beiwen.errors import BeiwenError
from beiwen.i18n import t
from beiwen.render import neutralise, to_csv, to_json


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp)` then rename tmp over `path`; on any failure remove tmp."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise BeiwenError(t("error.cannot_write", path=path, detail="no such directory"))
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise BeiwenError(t("error.cannot_write", path=path, detail=error.strerror)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8", newline="")

    write_atomically(output, write)


def write_xlsx(rows: list[dict[str, Any]], keys: list[str], path: Path) -> None:
    from openpyxl import Workbook

    def write(tmp: Path) -> None:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(keys)
        for row in rows:
            # Every cell as text: Excel must not turn 023-68281234 or 0571… into numbers.
            sheet.append(["" if row.get(k) is None else neutralise(str(row.get(k))) for k in keys])
        workbook.save(tmp)

    write_atomically(path, write)


def write_export(
    rows: list[dict[str, Any]], keys: list[str], fmt: str, output: Path | None
) -> None:
    if fmt == "xlsx":
        assert output is not None
        write_xlsx(rows, keys, output)
    elif fmt == "json":
        write_text(to_json([{k: row.get(k) for k in keys} for row in rows]) + "\n", output)
    else:
        write_text(to_csv(rows, keys), output)
