"""Read a roster file (CSV, TSV, XLSX, XLS, JSON) as a header and numbered rows of text cells.

The encoding chain is hand-written because no library does it the way a secretary's files
need: a BOM decides first, else the whole file must be strict UTF-8, else GB18030 (a
superset of GBK and GB2312). Byte-oriented encodings are decoded line by line, so an
invalid byte is reported with its line number and nothing is guessed.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO

from beiwen.errors import BeiwenError, InvalidInputError
from beiwen.i18n import register, t

register(
    {
        "table.bad_format": (
            '{path}: unsupported file type "{suffix}"; use .csv, .tsv, .xlsx, .xls or .json',
            "{path}：不支持的文件类型“{suffix}”；请使用 .csv、.tsv、.xlsx、.xls 或 .json",
        ),
        "table.bad_encoding_name": (
            'unknown encoding "{name}"; use auto, utf-8, utf-8-sig, gb18030, gbk or utf-16',
            "未知编码“{name}”；可用 auto、utf-8、utf-8-sig、gb18030、gbk 或 utf-16",
        ),
        "table.undecodable": (
            "line {line}: bytes that are not valid {encoding}; save the file as UTF-8 "
            "or pass --encoding",
            "第 {line} 行：含有不符合 {encoding} 编码的字节；请另存为 UTF-8 或指定 --encoding",
        ),
        "table.undecodable_auto": (
            "line {line}: the file is neither UTF-8 nor GB18030; save it as UTF-8 or pass "
            "--encoding",
            "第 {line} 行：文件既不是 UTF-8 也不是 GB18030 编码；请另存为 UTF-8 或指定 --encoding",
        ),
        "table.line_too_long": (
            "the line is longer than {limit} MB; a roster row never is, check the file",
            "该行超过 {limit} MB；名册中的一行不会这么长，请检查文件",
        ),
        "table.utf16_without_bom": (
            "line 1 holds NUL bytes: the file looks like UTF-16 saved without its byte-order "
            "mark; pass --encoding utf-16-le (or utf-16-be), or save it as UTF-8",
            "第 1 行含有 NUL 字节：文件似乎是不带字节顺序标记（BOM）的 UTF-16；"
            "请指定 --encoding utf-16-le（或 utf-16-be），或另存为 UTF-8",
        ),
        "table.empty": (
            "{path} is empty; it needs a header line and at least one row",
            "{path} 是空文件；需要表头行和至少一行数据",
        ),
        "table.bad_workbook": (
            "{path} cannot be read as a spreadsheet ({detail})",
            "{path} 无法作为电子表格读取（{detail}）",
        ),
        "table.no_sheet": (
            '{path} has no sheet "{sheet}"; its sheets are: {sheets}',
            "{path} 中没有工作表“{sheet}”；现有工作表：{sheets}",
        ),
        "table.encoding_used": ("{path}: read as {encoding}", "{path}：按 {encoding} 编码读取"),
        "table.csv_error": ("line {line}: {detail}", "第 {line} 行：{detail}"),
        "table.cell_too_long": (
            "a cell is longer than {limit} characters",
            "单元格超过 {limit} 个字符",
        ),
        "table.cannot_read": (
            "cannot read {path} ({detail}); check the file and its permissions",
            "无法读取 {path}（{detail}）；请检查文件及其权限",
        ),
        "table.bad_json": (
            "{path}: line {line}: not valid JSON ({detail})",
            "{path}：第 {line} 行：不是有效的 JSON（{detail}）",
        ),
        "table.json_shape": (
            "{path}: line {line}: expected a JSON array of objects, one per row "
            "(as beiwen's --format json writes)",
            "{path}：第 {line} 行：应为 JSON 对象数组，每行一个对象"
            "（即 beiwen --format json 的输出）",
        ),
    }
)

CELL_LIMIT = 131_072  # csv's default field limit: a larger cell is an error, not a hang
# Encodings in which b"\n" only ever ends a line, so the bytes can be split before decoding.
BYTE_ENCODINGS = {"utf-8", "utf-8-sig", "gb18030", "gbk", "gb2312", "big5", "ascii", "cp1252"}


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
    if not path.is_file():
        raise BeiwenError(t("error.file_missing", path=path))
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv", ".txt"):
            return _read_delimited(path, encoding, "\t" if suffix == ".tsv" else ",", on_bytes)
        if suffix in (".xlsx", ".xls", ".xlsm", ".ods"):
            return _read_workbook(path, sheet)
        if suffix == ".json":
            return _read_json(path, encoding, on_bytes)
    except OSError as error:
        raise BeiwenError(t("table.cannot_read", path=path, detail=error.strerror)) from None
    raise InvalidInputError(t("table.bad_format", path=path, suffix=suffix or path.name))


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
        return codecs.lookup(name).name
    except LookupError:
        raise InvalidInputError(t("table.bad_encoding_name", name=name)) from None


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
    with io.TextIOWrapper(handle, encoding=codec, errors=_MARK_ERRORS, newline="") as text:
        for number, line in enumerate(text, start=1):
            if _UNDECODABLE in line:
                raise InvalidInputError(t("table.undecodable", line=number, encoding=encoding))
            if line_limit is not None and len(line) * 2 > line_limit:
                yield _LONG_LINE + "\n"
                continue
            yield line.lstrip("\ufeff") if number == 1 else line


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
    data = workbook.get_sheet_by_name(sheet if sheet is not None else names[0])
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
        json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            t("table.bad_json", path=path, line=error.lineno, detail=error.msg)
        ) from None
    records = _json_records(path, text)
    if not records:
        raise InvalidInputError(t("table.empty", path=path))
    header = list(dict.fromkeys(key for _line, record in records for key in record))
    rows = ((line, [_json_cell(record.get(key)) for key in header]) for line, record in records)
    return Table(header=header, rows=rows, encoding=_display_encoding(chosen), escaped=False)


def _json_records(path: Path, text: str) -> list[tuple[int, dict[str, object]]]:
    """The objects of a (valid) JSON array with the line each starts on."""
    decoder = json.JSONDecoder()
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
