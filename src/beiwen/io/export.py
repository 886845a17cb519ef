"""Write exports as CSV (UTF-8 with BOM), JSON or XLSX, to stdout or to a file.

Files go through `io.files.write_file`, the one safe writer: never onto the database or the
file being imported, never through a link or onto a device, all or nothing, mode 0600.
Text that a spreadsheet would run as a formula is neutralised with a leading apostrophe in
CSV, which every importer strips again; an XLSX for people marks such text by the cell's
quote prefix instead (io/formulas.py: `quote_prefixed`).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from beiwen.i18n import label
from beiwen.io import files
from beiwen.io.formulas import formula_like, neutralise, quote_prefixed
from beiwen.render import to_csv_table, to_json
from beiwen.render_exports import ExportColumn, Rate, exported, labelled_form


def write_text(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    files.write_text(output, text)


@dataclass
class Sheet:
    """One worksheet: a bold, frozen header row, the rows, maybe a bold totals row.

    Cells are text, numbers, or rates (`render_exports.Rate`, shown as `50.0%`).
    `quote_prefix` (the form for people): text goes in as stored, marked as text by the
    cell's quote prefix, so that `0023`, `+86 …` and `=…` stay text with no apostrophe to
    see; without it (the keys form) every value is a text cell and formulas keep their
    apostrophe, as in CSV.
    """

    name: str
    header: list[str]
    rows: list[list[Any]]
    total: list[Any] | None = None
    quote_prefix: bool = True


# Text Excel would turn into a number, a date or a formula when someone edits the cell.
_NUMBER_LIKE = re.compile(r"[\s+\-.,:/()%]*\d[\d\s+\-.,:/()%eE]*")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _cell_width(value: Any) -> int:
    """How many character cells `value` takes on screen: CJK and full-width count double."""
    text = str(value)
    longest = 0
    for line in text.split("\n"):
        width = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
        longest = max(longest, width)
    return longest


def sheet_name(name: str, taken: set[str]) -> str:
    """A worksheet name Excel accepts: no `[]:*?/\\`, at most 31 characters, unique."""
    base = _SHEET_NAME_BAD.sub(" ", name).strip("' ")[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.lower())
    return candidate


def write_workbook(sheets: list[Sheet], path: Path) -> None:
    """The sheets as one XLSX file, A4.

    XlsxWriter builds the file in memory (`in_memory`), so no worksheet with phone numbers is
    ever spooled to the system's temporary folder. Text is written as text, never guessed:
    `023-68281234` stays text and `#N/A` stays the unit's name, not an error cell.
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
        bold = workbook.add_format({"bold": True, "bottom": 1})
        styles = {
            (total, percent, quoted): workbook.add_format(
                {
                    **({"bold": True, "top": 1} if total else {}),
                    **({"num_format": "0.0%"} if percent else {}),
                    **({"quote_prefix": True} if quoted else {}),
                }
            )
            for total in (False, True)
            for percent in (False, True)
            for quoted in (False, True)
        }
        taken: set[str] = set()
        for sheet in sheets:
            page = workbook.add_worksheet(sheet_name(sheet.name, taken))
            page.set_paper(9)  # A4
            page.freeze_panes(1, 0)
            widths = [_cell_width(heading) for heading in sheet.header]
            for column, heading in enumerate(sheet.header):
                page.write_string(0, column, heading, bold)
            body = [(row, False) for row in sheet.rows]
            if sheet.total is not None:
                body.append((sheet.total, True))
            for line, (row, total) in enumerate(body, start=1):
                for column, value in enumerate(row):
                    if value is None or value == "":
                        continue
                    widths[column] = max(widths[column], _cell_width(value))
                    percent = isinstance(value, Rate)
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        if sheet.quote_prefix:
                            page.write_number(line, column, value, styles[total, percent, False])
                            continue
                        value = str(value)
                    text = str(value)
                    if not sheet.quote_prefix:
                        page.write_string(
                            line, column, neutralise(text), styles[total, False, False]
                        )
                        continue
                    quoted = formula_like(text) or bool(_NUMBER_LIKE.fullmatch(text))
                    page.write_string(
                        line, column, quote_prefixed(text), styles[total, percent, quoted]
                    )
            for column, width in enumerate(widths):
                page.set_column(column, column, min(max(width, 4), 60) + 2)
        workbook.close()

    files.write_file(path, write)


def write_export(
    rows: list[dict[str, Any]],
    columns: Sequence[ExportColumn],
    fmt: str,
    output: Path | None,
    *,
    keys: bool = False,
    sheet: tuple[str, str] = ("Sheet1", "Sheet1"),
) -> None:
    """An export of `rows`: JSON (the keys, always), or CSV/XLSX for people (in Chinese:
    headings, labels, 是/否, local times) or for scripts (`keys`, and English: today's keys,
    values and ISO times). See render_exports.py."""
    if fmt == "json":
        write_text(
            to_json([{c.key: row.get(c.key) for c in columns} for row in rows]) + "\n", output
        )
        return
    labelled = labelled_form(keys)
    header, cells = exported(rows, columns, labelled)
    if fmt == "xlsx":
        assert output is not None
        write_workbook([Sheet(label(sheet), header, cells, quote_prefix=labelled)], output)
    else:
        write_text(to_csv_table(header, cells), output)


def needs_output(fmt: str, output: Path | None) -> None:
    """A workbook or a Word file is written to a file, never to the terminal."""
    if fmt in ("xlsx", "docx") and output is None:
        from beiwen.errors import InvalidInputError
        from beiwen.i18n import t

        raise InvalidInputError(t("export.needs_output", format=fmt))


def write_issue_list(
    rows: list[dict[str, Any]], fmt: str, output: Path | None, *, keys: bool = False
) -> None:
    """`issue list` to a file: CSV/XLSX of the list's columns, JSON, or the printable list
    for a meeting (Markdown, or a Word file: io/issue_docx.py)."""
    from beiwen.render_exports import ISSUE_SHEET, issue_list_columns, meeting_markdown

    if fmt == "md":
        write_text(meeting_markdown(rows), output)
    elif fmt == "docx":
        from beiwen.io.issue_docx import write_issue_docx

        assert output is not None
        write_issue_docx(rows, output)
    elif fmt == "json":
        write_text(to_json(rows) + "\n", output)
    else:
        write_export(rows, issue_list_columns(), fmt, output, keys=keys, sheet=ISSUE_SHEET)
