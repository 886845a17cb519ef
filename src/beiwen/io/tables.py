"""Read a roster file (CSV, TSV, XLSX, XLS, JSON) as a header and numbered rows of text cells.

This room holds the `Table` every importer reads, `read_table` (which picks the reader by
the file's extension), delimited text, and the encoding chain. Spreadsheets are read in
`sheets.py`, JSON rosters parsed in `json_rosters.py`; their limits are re-exported here.

The encoding chain is hand-written because no library does it the way a secretary's files
need: a BOM decides first, else the whole file must be strict UTF-8, else GB18030 (a
superset of GBK and GB2312). Byte-oriented encodings are decoded line by line, so an
invalid byte is reported with its line number and nothing is guessed.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import itertools
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from beiwen.errors import BeiwenError, InvalidInputError
from beiwen.i18n import t
from beiwen.io.files import shown
from beiwen.io.json_rosters import JSON_DEPTH, JSON_DIGITS, json_rows
from beiwen.io.sheets import (
    SHEET_CELLS,
    SHEET_COLUMNS,
    SHEET_ROWS,
    SHEET_XML_LIMIT,
    cell_text,
    check_sheet_size,
    read_workbook,
)

__all__ = [
    "BYTE_ENCODINGS",
    "CELL_LIMIT",
    "ENCODINGS",
    "JSON_DEPTH",
    "JSON_DIGITS",
    "LINE_LIMIT",
    "SHEET_CELLS",
    "SHEET_COLUMNS",
    "SHEET_ROWS",
    "SHEET_XML_LIMIT",
    "Table",
    "cell_text",
    "check_sheet_size",
    "detect_encoding",
    "is_csv_error",
    "read_table",
]

CELL_LIMIT = 131_072  # csv's default field limit: a larger cell is an error, not a hang
# The encodings --encoding accepts, by the name codecs.lookup gives them (so aliases such as
# utf8, cp936 or windows-1252 work too) -> the name error messages list. Codecs that are not
# text encodings (rot13, base64, zlib, hex) or that no roster is saved in (idna) are refused.
ENCODINGS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "gb18030": "gb18030",
    "gbk": "gbk",
    "gb2312": "gb2312",
    "big5": "big5",
    "utf-16": "utf-16",
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
    "iso8859-1": "latin-1",
    "cp1252": "cp1252",
    "ascii": "ascii",
}
# Encodings in which b"\n" only ever ends a line, so the bytes can be split before decoding.
BYTE_ENCODINGS = {
    "utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "big5", "ascii", "cp1252", "iso8859-1"
}  # fmt: skip


@dataclass
class Table:
    """A header and an iterator of (line number, cells); line numbers count the header as 1."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    # Spreadsheet formats may carry the apostrophe our exports put before formula-like text;
    # JSON never does, so its cells are taken exactly as written.
    escaped: bool = True
    # Releases the open file when the rows are not read to the end (a refused header).
    close: Callable[[], None] = lambda: None
    # The line (sheet row) the header stands on: the first that is not blank.
    header_line: int = 1
    # Spreadsheet rows end at their last filled cell: a shorter row is padded, not ragged.
    short_rows: bool = False
    # Made by people (CSV, sheets): titles above the header, total rows; JSON never has them.
    by_hand: bool = True


def read_table(
    path: Path,
    encoding: str = "auto",
    sheet: str | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> Table:
    """Open `path` by its extension and return its header and rows as text."""
    try:
        if not path.is_file():
            raise BeiwenError(t("error.file_missing", path=shown(path)))
        suffix = path.suffix.lower()
        if suffix in (".csv", ".tsv", ".txt"):
            return _read_delimited(path, encoding, "\t" if suffix == ".tsv" else ",", on_bytes)
        if suffix in (".xlsx", ".xls", ".xlsm", ".ods"):
            header, rows, line = read_workbook(path, sheet)
            return Table(header=header, rows=rows, header_line=line, short_rows=True)
        if suffix == ".json":
            return _read_json(path, encoding, on_bytes)
    except OSError as error:  # also a path longer than the file system allows (is_file)
        if error.errno == errno.ENAMETOOLONG:
            raise BeiwenError(t("files.name_too_long", path=shown(path))) from None
        detail = error.strerror or str(error)
        raise BeiwenError(t("table.cannot_read", path=shown(path), detail=detail)) from None
    raise InvalidInputError(
        t("table.bad_format", path=shown(path), suffix=shown(suffix or path.name))
    )


def detect_encoding(path: Path) -> str:
    """BOM, else strict UTF-8 over the whole file, else GB18030.

    A file that is neither is refused here, naming the line where the better of the two
    readings failed: a UTF-8 file with one stray byte on line 5,001 must be reported as
    such, not read as GB18030 and refused for a garbled header.
    """
    chosen, not_utf8 = _choose_encoding(path)
    if not_utf8 is not None:
        with path.open("rb") as handle:
            bad_line = _first_undecodable_line(handle, chosen)
        if bad_line is not None:
            raise InvalidInputError(t("table.undecodable_auto", line=max(not_utf8, bad_line)))
    return chosen


def _choose_encoding(path: Path) -> tuple[str, int | None]:
    """`detect_encoding` without a second full decode: (encoding, line) where `line` is the
    first line that is not UTF-8 when GB18030 was chosen before reading the rest of the file.

    That is when every line before it is ASCII (the same text in both readings, as a
    GB18030 roster's Chinese header makes it line 1): the reader then decodes the file once
    and names, for a line that is not GB18030 either, the later of the two lines, as
    `detect_encoding` does. Otherwise (valid UTF-8 text before a stray byte) GB18030 is
    checked over the whole file first, and a file that is neither is refused here.
    """
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig", None
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16", None
        handle.seek(0)
        if b"\x00" in handle.readline(4096):
            # A NUL in the header line is UTF-16 saved without its byte-order mark: both
            # readings below would "succeed" and yield a header full of NULs.
            raise InvalidInputError(t("table.utf16_without_bom"))
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            pass
        else:
            return "utf-8", None
        handle.seek(0)
        not_utf8 = _first_undecodable_line(handle, "utf-8") or 1
        handle.seek(0)
        if all(raw.isascii() for raw in itertools.islice(handle, not_utf8 - 1)):
            return "gb18030", not_utf8
        handle.seek(0)
        bad_line = _first_undecodable_line(handle, "gb18030")
        if bad_line is None:
            return "gb18030", None
    raise InvalidInputError(t("table.undecodable_auto", line=max(not_utf8, bad_line)))


def _first_undecodable_line(handle: BinaryIO, encoding: str) -> int | None:
    """The first line that is not valid `encoding` (b"\\n" only ever ends a line in it)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    number = 0
    for number, raw in enumerate(handle, start=1):  # noqa: B007
        try:
            decoder.decode(raw)
        except UnicodeDecodeError:
            return number
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return max(number, 1)
    return None


def _canonical_encoding(name: str) -> str:
    try:
        codec = codecs.lookup(name).name
    except (LookupError, ValueError):  # ValueError: a name holding NUL
        raise InvalidInputError(t("table.bad_encoding_name", name=name)) from None
    if codec not in ENCODINGS:
        names = ", ".join(["auto", *ENCODINGS.values()])
        raise InvalidInputError(t("table.not_text_encoding", name=name, names=names))
    return codec


def _decoded_lines(
    handle: BinaryIO,
    encoding: str,
    auto: bool,
    on_bytes: Callable[[int], None] | None,
    line_limit: int | None = None,
    not_utf8: int | None = None,
) -> Generator[str, None, None]:
    """Decode line by line so that an invalid byte names its line (with `not_utf8`, the
    line where UTF-8 failed, for GB18030 chosen by `_choose_encoding`: the later of the two).

    A line longer than `line_limit` bytes is replaced by `_LONG_LINE`, which the reader
    reports as an error of that line: split into cells, 50 MB of "a,a,a" would take gigabytes.
    """
    codec = _canonical_encoding(encoding)
    if codec in BYTE_ENCODINGS:
        strip_bom = codec == "utf-8-sig"
        plain = "utf-8" if strip_bom else codec
        for number, raw in enumerate(handle, start=1):
            if on_bytes:
                on_bytes(len(raw))
            if line_limit is not None and len(raw) > line_limit:
                yield _LONG_LINE + "\n"
                continue
            if strip_bom and number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield raw.decode(plain)
            except UnicodeDecodeError:
                key = (
                    "table.undecodable_auto" if auto and codec == "gb18030" else "table.undecodable"
                )
                bad_line = max(number, not_utf8 or 0)
                raise InvalidInputError(t(key, line=bad_line, encoding=encoding)) from None
        return
    # Multi-byte-unit encodings (UTF-16/32) are decoded as a stream, which reads ahead; bad
    # units become a marker (a lone surrogate, which no valid decoding yields) so that the
    # error names the line that holds them rather than the line being read at the time.
    if codec == "utf-16" and handle.read(2) not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        # Python's utf-16 codec needs the mark to know the byte order, and raises without it.
        raise InvalidInputError(t("table.utf16_no_bom_given"))
    handle.seek(0)
    number = 0
    try:
        with io.TextIOWrapper(handle, encoding=codec, errors=_MARK_ERRORS, newline="") as text:
            for number, line in enumerate(text, start=1):  # noqa: B007
                if _UNDECODABLE in line:
                    raise InvalidInputError(t("table.undecodable", line=number, encoding=encoding))
                if line_limit is not None and len(line) * 2 > line_limit:
                    yield _LONG_LINE + "\n"
                    continue
                yield line.lstrip("\ufeff") if number == 1 else line
    except UnicodeError:  # what the marker cannot stand in for: refused at the line reached
        raise InvalidInputError(
            t("table.undecodable", line=number + 1, encoding=encoding)
        ) from None


_UNDECODABLE = "\udfff"
LINE_LIMIT = 4 * 1024 * 1024  # bytes; a roster row is a few hundred
# Stands for a line over LINE_LIMIT; its NUL bytes make any cell that absorbs it invalid too.
_LONG_LINE = "\x00beiwen:line-too-long\x00"
_MARK_ERRORS = "beiwen.mark_undecodable"


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return _UNDECODABLE, error.end


codecs.register_error(_MARK_ERRORS, _mark_undecodable)


def _read_delimited(
    path: Path, encoding: str, delimiter: str, on_bytes: Callable[[int], None] | None
) -> Table:
    auto = encoding.lower() == "auto"
    chosen, not_utf8 = _choose_encoding(path) if auto else (encoding, None)
    if path.stat().st_size == 0:
        raise InvalidInputError(t("table.empty", path=path))
    handle = path.open("rb")
    lines = _decoded_lines(handle, chosen, auto, on_bytes, LINE_LIMIT, not_utf8)
    try:
        head = list(itertools.islice(lines, SNIFF_LINES))
    except BaseException:
        lines.close()
        handle.close()
        raise
    delimiter = sniff_delimiter(head, delimiter)
    reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter)
    csv.field_size_limit(CELL_LIMIT)

    def records() -> Generator[tuple[int, list[str]], None, None]:
        """Yield (first line of the record, cells); a csv error is a one-cell error row."""
        last = 0
        try:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    detail = str(error)
                    if "field larger" in detail:
                        detail = t("table.cell_too_long", limit=CELL_LIMIT)
                    start, last = last + 1, reader.line_num
                    yield start, [_CsvError(detail)]
                    continue
                start, last = last + 1, reader.line_num
                if cells == [_LONG_LINE]:
                    limit = LINE_LIMIT // 1024 // 1024
                    yield start, [_CsvError(t("table.line_too_long", limit=limit))]
                    continue
                # Blank lines and the ",,,," rows Excel leaves below a table are not rows.
                if any(cell.strip() for cell in cells):
                    yield start, cells
        finally:
            lines.close()
            handle.close()

    iterator = records()
    try:
        first = next(iterator)
    except StopIteration:
        raise InvalidInputError(t("table.empty", path=path)) from None
    header = [cell.lstrip("\ufeff") for cell in first[1]]
    return Table(
        header=header,
        rows=iterator,
        encoding=_display_encoding(chosen),
        close=iterator.close,
        header_line=first[0],
    )


SNIFF_LINES = 20  # lines looked at to choose the delimiter (a title row may stand first)
DELIMITERS = (",", "\t", ";")


def sniff_delimiter(head: list[str], default: str) -> str:
    """The delimiter among comma, tab and semicolon that the first lines use most, outside
    quotes (Excel's "Unicode text" is tab-separated whatever its extension); `default` (the
    extension's) on a tie."""
    counts = dict.fromkeys(DELIMITERS, 0)
    for line in head:
        quoted = False
        for char in line[:65536]:  # a roster's line is short; a 4 MB one is not read twice
            if char == '"':
                quoted = not quoted
            elif not quoted and char in counts:
                counts[char] += 1
    best = max(counts.values())
    return default if best == 0 or counts[default] == best else max(counts, key=counts.__getitem__)


def _display_encoding(name: str) -> str:
    names = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "gb18030": "GB18030", "gbk": "GBK"}
    return names.get(name.lower(), name.upper() if name.lower().startswith("utf") else name)


class _CsvError(str):
    """A cell standing for a record the csv module could not parse; the pipeline reports it."""


def is_csv_error(cells: list[str]) -> str | None:
    if len(cells) == 1 and isinstance(cells[0], _CsvError):
        return str(cells[0])
    return None


def _read_json(path: Path, encoding: str, on_bytes: Callable[[int], None] | None) -> Table:
    """A JSON array of objects (what `--format json` writes), decoded by the chain above;
    `json_rows` makes its keys the header and each object a row."""
    auto = encoding.lower() == "auto"
    chosen, not_utf8 = _choose_encoding(path) if auto else (encoding, None)
    with path.open("rb") as handle:
        lines = _decoded_lines(handle, chosen, auto, on_bytes, not_utf8=not_utf8)
        text = "".join(lines).lstrip("\ufeff")
    header, rows = json_rows(path, text)
    return Table(
        header=header,
        rows=rows,
        encoding=_display_encoding(chosen),
        escaped=False,
        by_hand=False,
    )
