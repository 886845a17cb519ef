"""Read a roster file (CSV, TSV, XLSX, XLS, JSON) as a header and numbered rows of text cells.

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
import json
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, TYPE_CHECKING, BinaryIO

from beiwen.errors import BeiwenError, InvalidInputError
from beiwen.i18n import t
from beiwen.io.files import shown

if TYPE_CHECKING:
    import zipfile

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
            return _read_workbook(path, sheet)
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
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
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
            return "utf-8"
        bad_lines = []
        for candidate in ("utf-8", "gb18030"):
            handle.seek(0)
            bad_line = _first_undecodable_line(handle, candidate)
            if bad_line is None:
                return candidate
            bad_lines.append(bad_line)
    raise InvalidInputError(t("table.undecodable_auto", line=max(bad_lines)))


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
) -> Generator[str, None, None]:
    """Decode line by line so that an invalid byte names its line.

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
                raise InvalidInputError(t(key, line=number, encoding=encoding)) from None
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
    chosen = detect_encoding(path) if auto else encoding
    if path.stat().st_size == 0:
        raise InvalidInputError(t("table.empty", path=path))
    handle = path.open("rb")
    lines = _decoded_lines(handle, chosen, auto, on_bytes, LINE_LIMIT)
    reader = csv.reader(lines, delimiter=delimiter)
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
        header=header, rows=iterator, encoding=_display_encoding(chosen), close=iterator.close
    )


def _display_encoding(name: str) -> str:
    names = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "gb18030": "GB18030", "gbk": "GBK"}
    return names.get(name.lower(), name.upper() if name.lower().startswith("utf") else name)


class _CsvError(str):
    """A cell standing for a record the csv module could not parse; the pipeline reports it."""


def is_csv_error(cells: list[str]) -> str | None:
    if len(cells) == 1 and isinstance(cells[0], _CsvError):
        return str(cells[0])
    return None


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


def _read_workbook(path: Path, sheet: str | None) -> Table:
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
    for _line, cells in rows:
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

    return Table(header=header, rows=body(), encoding=None)


def _last_filled(cells: list[str]) -> int:
    for index in range(len(cells) - 1, -1, -1):
        if cells[index].strip():
            return index + 1
    return 0


def _read_json(path: Path, encoding: str, on_bytes: Callable[[int], None] | None) -> Table:
    """A JSON array of objects (what `--format json` writes): keys are the header, each
    object a row, numbered by the line it starts on."""
    auto = encoding.lower() == "auto"
    chosen = detect_encoding(path) if auto else encoding
    with path.open("rb") as handle:
        text = "".join(_decoded_lines(handle, chosen, auto, on_bytes)).lstrip("\ufeff")
    if not text.strip():
        raise InvalidInputError(t("table.empty", path=path))
    try:
        json.loads(text, parse_int=_json_int)
        records = _json_records(path, text)
        if _SURROGATE_ESCAPE.search(text):
            for line, record in records:
                if _has_lone_surrogate(record):
                    raise InvalidInputError(t("table.json_surrogate", path=path, line=line))
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            t("table.bad_json", path=path, line=error.lineno, detail=error.msg)
        ) from None
    except _BigNumber as error:
        line = text.count("\n", 0, max(text.find(error.digits), 0)) + 1
        raise InvalidInputError(
            t("table.json_big_number", path=path, line=line, limit=JSON_DIGITS)
        ) from None
    except RecursionError:  # the decoder recurses once per level of [ or {
        raise _too_deep(path, text) from None
    if not records:
        raise InvalidInputError(t("table.empty", path=path))
    header = list(dict.fromkeys(key for _line, record in records for key in record))

    def rows() -> Iterator[tuple[int, list[str]]]:
        for line, record in records:
            try:
                yield line, [_json_cell(record.get(key)) for key in header]
            except RecursionError:
                raise InvalidInputError(
                    t("table.json_too_deep", path=path, line=line, limit=JSON_DEPTH)
                ) from None

    return Table(header=header, rows=rows(), encoding=_display_encoding(chosen), escaped=False)


JSON_DEPTH = 100  # levels of [ and {: a roster has two, an array of flat objects
JSON_DIGITS = 100  # digits of a JSON integer: Python refuses to read more than 4,300
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class _BigNumber(Exception):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _json_int(digits: str) -> int:
    if len(digits.lstrip("-")) > JSON_DIGITS:
        raise _BigNumber(digits)
    return int(digits)


def _too_deep(path: Path, text: str) -> InvalidInputError:
    """The error for JSON nested past JSON_DEPTH, naming the line where it gets there."""
    depth, line = 0, 1
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > JSON_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                break
        elif token in "]}":
            depth -= 1
    return InvalidInputError(t("table.json_too_deep", path=path, line=line, limit=JSON_DEPTH))


def _has_lone_surrogate(value: object) -> bool:
    """True when a key or text holds half of a UTF-16 pair (from a `\\ud800` escape)."""
    if isinstance(value, str):
        return not value.isascii() and any("\ud800" <= char <= "\udfff" for char in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    return False


def _json_records(path: Path, text: str) -> list[tuple[int, dict[str, object]]]:
    """The objects of a (valid) JSON array with the line each starts on."""
    decoder = json.JSONDecoder(parse_int=_json_int)
    position = _skip_space(text, 0)
    line, counted = 1, 0

    def line_at(index: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, index)
        counted = index
        return line

    if not text.startswith("[", position):
        raise InvalidInputError(t("table.json_shape", path=path, line=line_at(position)))
    records: list[tuple[int, dict[str, object]]] = []
    position = _skip_space(text, position + 1)
    while not text.startswith("]", position):
        record, end = decoder.raw_decode(text, position)
        if not isinstance(record, dict):
            raise InvalidInputError(t("table.json_shape", path=path, line=line_at(position)))
        records.append((line_at(position), record))
        position = _skip_space(text, end)
        if text.startswith(",", position):
            position = _skip_space(text, position + 1)
    return records


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\n\r":
        index += 1
    return index


def _json_cell(value: object) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)
