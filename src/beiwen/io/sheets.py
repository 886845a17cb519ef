"""Spreadsheets (XLSX, XLSM, XLS, ODS) read through python-calamine, and the sheet-size guard.

calamine is imported only when a workbook is read. Before it is asked for an .xlsx sheet,
`check_sheet_size` reads the sheet's XML from the zip and refuses one that reaches past
what beiwen reads (calamine would allocate the whole rectangle and abort the process).
`cell_text` is how any cell becomes the text a person sees (JSON rosters use it too).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from beiwen.errors import InvalidInputError
from beiwen.i18n import t
from beiwen.io.files import shown

if TYPE_CHECKING:
    import zipfile


def cell_text(value: object) -> str:
    """Spreadsheet cells as the text a person sees: 13812345678.0 -> 13812345678."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M:%S")
            if value.time() != time()
            else value.date().isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# What a sheet may span before calamine is asked for it: calamine allocates every cell of
# the rectangle from A1 to the farthest filled cell, so one stray cell at row 200,000,
# column 3,000 of a 5 KB file asks for 19 GB and aborts the process (no exception).
SHEET_ROWS = 1_048_576  # Excel's own limit
SHEET_COLUMNS = 100  # a roster has a dozen
SHEET_CELLS = 20_000_000  # rows x columns of that rectangle: about 640 MB in calamine
SHEET_XML_LIMIT = 512 * 1024 * 1024  # bytes of the sheet's XML once unzipped
_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\s([^>]*)>")
_RELATIONSHIP_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s([^>]*)>")
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s/>]")
_CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{0,7})([0-9]{0,12})["']""")


def _xml_attribute(attributes: bytes, name: bytes) -> str | None:
    import html

    match = re.search(rb"(?:^|\s)" + name + rb'\s*=\s*"([^"]*)"', attributes)
    return html.unescape(match[1].decode("utf-8", "replace")) if match else None


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, from xl/workbook.xml and its rels."""
    import posixpath

    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    targets: dict[str, str] = {}
    for match in _RELATIONSHIP_TAG.finditer(archive.read("xl/_rels/workbook.xml.rels")):
        ident, target = _xml_attribute(match[1], b"Id"), _xml_attribute(match[1], b"Target")
        if ident and target:
            joined = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[ident] = posixpath.normpath(joined)
    parts: dict[str, str] = {}
    for match in _SHEET_TAG.finditer(archive.read("xl/workbook.xml")):
        name = _xml_attribute(match[1], b"name")
        ident = _xml_attribute(match[1], rb"[\w.-]+:id")
        if name is not None and ident in targets and targets[ident] in names:
            parts[name] = targets[ident]
    return parts


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _sheet_tags(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """<row> and <c> tags (in the sheet's namespace prefix): one pattern finding just their
    `r` reference (b"" for a tag without one), one finding the tag's name and attributes."""
    start = rb"<" + re.escape(prefix)
    refs = start + rb"""(?:row|c)(?=[\s/>])(?:[^>]*?\sr\s*=\s*["']([A-Za-z]*[0-9]*)["'])?"""
    return re.compile(refs), re.compile(start + rb"(row|c)(?=[\s/>])([^>]*)>")


def _largest_number(numbers: bytes) -> int:
    """The largest of the space-separated numbers in `numbers` (0 when none).

    The longest runs of digits hold it, and among runs of one length text order is number
    order: only one run is converted, unless leading zeros make length mislead.
    """
    runs = numbers.split()
    if not runs:
        return 0
    longest = max(map(len, runs))
    top = max(re.findall(rb"[0-9]{%d}" % longest, numbers))
    return max(map(int, runs)) if top.startswith(b"0") else int(top)


_DIGIT_BYTES = b"0123456789"
_LETTER_BYTES = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _sheet_extent(stream: IO[bytes], path: Path, sheet: str) -> tuple[int, int]:
    """The last row and column a sheet's cells reach, read from its XML without keeping it.

    Where every <row> and <c> tag carries its `r` reference (as Excel writes them) the refs
    are taken all at once; tags without one follow the tag before them, as calamine places
    them, which needs a walk in order. Stops, raising, once past what beiwen reads.
    """
    last_row = last_column = row = column = read = 0
    tail = b""
    patterns: tuple[re.Pattern[bytes], re.Pattern[bytes]] | None = None
    while True:
        chunk = stream.read(1 << 20)
        read += len(chunk)
        if read > SHEET_XML_LIMIT:
            limit = SHEET_XML_LIMIT // 1024 // 1024
            raise InvalidInputError(
                t("table.sheet_xml_too_large", path=shown(path), sheet=sheet, limit=limit)
            )
        data = tail + chunk
        cut = data.rfind(b"<") if chunk else len(data)
        data, tail = data[:cut], data[cut:]
        if len(tail) > 65536:  # no tag of a sheet is this long; calamine refuses the file
            tail = b""
        if patterns is None:
            root = _ROOT_TAG.search(data)
            patterns = _sheet_tags(root[1] or b"" if root else b"")
        refs = patterns[0].findall(data)
        if refs and b"" not in refs:
            joined = b" ".join(refs).upper()
            row = max(row, _largest_number(joined.translate(None, _LETTER_BYTES)))
            letters = set(joined.translate(None, _DIGIT_BYTES).split())
            column = max(map(_column_number, letters)) if letters else column
            last_column = max(last_column, column)
            last_row = max(last_row, row)
        elif refs:
            for match in patterns[1].finditer(data):
                ref = _CELL_REF.search(match[2])
                if match[1] == b"row":
                    row = int(ref[2]) if ref and ref[2] else row + 1
                    column = 0
                else:
                    if ref and ref[2]:
                        row = max(row, int(ref[2]))
                    column = _column_number(ref[1]) if ref and ref[1] else column + 1
                    last_column = max(last_column, column)
                last_row = max(last_row, row)
        if (
            last_row > SHEET_ROWS
            or last_column > SHEET_COLUMNS
            or last_row * last_column > SHEET_CELLS
        ):
            raise InvalidInputError(
                t(
                    "table.sheet_too_large",
                    path=shown(path),
                    sheet=sheet,
                    rows=f"{last_row:,}",
                    columns=f"{last_column:,}",
                    max_rows=f"{SHEET_ROWS:,}",
                    max_columns=SHEET_COLUMNS,
                    max_cells=f"{SHEET_CELLS:,}",
                )
            )
        if not chunk:
            return last_row, last_column


def check_sheet_size(path: Path, sheet: str) -> None:
    """Refuse an .xlsx/.xlsm sheet that reaches past SHEET_ROWS, SHEET_COLUMNS or SHEET_CELLS,
    or whose XML unzips to more than SHEET_XML_LIMIT, before calamine allocates it.

    A file that is not a readable zip is left to calamine, which reports it as bad.
    """
    import zipfile
    import zlib

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        try:
            parts = _sheet_parts(archive)
            members = [parts[sheet]] if sheet in parts else [
                name
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            ]  # fmt: skip
            for member in members:
                if archive.getinfo(member).file_size > SHEET_XML_LIMIT:
                    limit = SHEET_XML_LIMIT // 1024 // 1024
                    raise InvalidInputError(
                        t("table.sheet_xml_too_large", path=shown(path), sheet=sheet, limit=limit)
                    )
                with archive.open(member) as stream:
                    _sheet_extent(stream, path, sheet)
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, NotImplementedError):
            return  # a damaged or encrypted archive: calamine reports it


def read_workbook(
    path: Path, sheet: str | None
) -> tuple[list[str], Iterator[tuple[int, list[str]]], int]:
    """The header, numbered rows and header's row number of `sheet` (default: the first
    sheet) of a workbook."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own types for every kind of bad file
        raise InvalidInputError(t("table.bad_workbook", path=path, detail=error)) from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise InvalidInputError(
            t("table.no_sheet", path=path, sheet=sheet, sheets=", ".join(names))
        )
    if not names:
        raise InvalidInputError(t("table.empty", path=path))
    chosen = sheet if sheet is not None else names[0]
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        check_sheet_size(path, chosen)
    data = workbook.get_sheet_by_name(chosen)
    # iter_rows() starts at row 1 even when the data starts lower (it yields the empty rows
    # above), so the index alone is the row number Excel shows.
    rows = (
        (index + 1, [cell_text(cell) for cell in cells])
        for index, cells in enumerate(data.iter_rows())
    )
    header: list[str] | None = None
    header_line = 1
    for header_line, cells in rows:  # noqa: B007
        if any(cell.strip() for cell in cells):
            header = [cell.strip() for cell in cells[: _last_filled(cells)]]
            break
    if header is None:
        raise InvalidInputError(t("table.empty", path=path))
    width = len(header)

    def body() -> Iterator[tuple[int, list[str]]]:
        # Spreadsheets pad rows to the widest one; cut the padding, keep real extra cells.
        for number, cells in rows:
            if any(cell.strip() for cell in cells):
                yield number, cells[: max(width, _last_filled(cells))]

    return header, body(), header_line


def _last_filled(cells: list[str]) -> int:
    for index in range(len(cells) - 1, -1, -1):
        if cells[index].strip():
            return index + 1
    return 0
