"""Write exports as CSV (UTF-8 with BOM), JSON or XLSX, to stdout or to a file.

Files go through `io.files.write_file`, the one safe writer: never onto the database or the
file being imported, never through a link or onto a device, all or nothing, mode 0600.
Text that a spreadsheet would run as a formula is neutralised with a leading apostrophe,
which every importer strips again.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Any

from beiwen.io import files
from beiwen.render import neutralise, to_csv, to_json


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    files.write_text(output, text)


def write_xlsx(rows: list[dict[str, Any]], keys: list[str], path: Path) -> None:
    """One sheet, every cell a text cell.

    XlsxWriter builds the file in memory (`in_memory`), so no worksheet with phone numbers is
    ever spooled to the system's temporary folder. Cells are written as strings, never
    guessed: `023-68281234` stays text and `#N/A` stays the unit's name, not an error cell.
    """
    import xlsxwriter

    def write(handle: IO[bytes]) -> None:
        workbook = xlsxwriter.Workbook(
            handle,
            {
                "in_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        sheet = workbook.add_worksheet()
        for column, key in enumerate(keys):
            sheet.write_string(0, column, key)
        for line, row in enumerate(rows, start=1):
            for column, key in enumerate(keys):
                value = row.get(key)
                if value is not None and value != "":
                    sheet.write_string(line, column, neutralise(str(value)))
        workbook.close()

    files.write_file(path, write)


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
