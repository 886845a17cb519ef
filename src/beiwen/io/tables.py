"""Read a roster file (CSV, TSV, XLSX, XLS) as a header and numbered rows of text cells.

The encoding chain is hand-written because no library does it the way a secretary's files
need: a BOM decides first, else the whole file must be strict UTF-8, else GB18030 (a
superset of GBK and GB2312). Byte-oriented encodings are decoded line by line, so an
invalid byte is reported with its line number and nothing is guessed.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO

from beiwen.errors import BeiwenError, InvalidInputError
from beiwen.i18n import register, t

register(
    {
        "table.bad_format": (
            '{path}: unsupported file type "{suffix}"; use .csv, .tsv, .xlsx or .xls',
            "{path}：不支持的文件类型“{suffix}”；请使用 .csv、.tsv、.xlsx 或 .xls",
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
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_delimited(path, encoding, "\t" if suffix == ".tsv" else ",", on_bytes)
    if suffix in (".xlsx", ".xls", ".xlsm", ".ods"):
        return _read_workbook(path, sheet)
    raise InvalidInputError(t("table.bad_format", path=path, suffix=suffix or path.name))


def detect_encoding(path: Path) -> str:
    """BOM, else strict UTF-8 over the whole file, else GB18030."""
    with path.open("rb") as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


def _canonical_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InvalidInputError(t("table.bad_encoding_name", name=name)) from None


def _decoded_lines(
    handle: BinaryIO, encoding: str, auto: bool, on_bytes: Callable[[int], None] | None
) -> Iterator[str]:
    """Decode line by line so that an invalid byte names its line."""
    codec = _canonical_encoding(encoding)
    if codec in BYTE_ENCODINGS:
        strip_bom = codec == "utf-8-sig"
        plain = "utf-8" if strip_bom else codec
        for number, raw in enumerate(handle, start=1):
            if on_bytes:
                on_bytes(len(raw))
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
    # Multi-byte-unit encodings (UTF-16/32): decode as a stream; an error names the next line.
    text = io.TextIOWrapper(handle, encoding=codec, errors="strict", newline="")
    number = 0
    try:
        for number, line in enumerate(text, start=1):  # noqa: B007
            if number == 1:
                line = line.lstrip("\ufeff")
            yield line
    except UnicodeDecodeError:
        raise InvalidInputError(
            t("table.undecodable", line=number + 1, encoding=encoding)
        ) from None


def _read_delimited(
    path: Path, encoding: str, delimiter: str, on_bytes: Callable[[int], None] | None
) -> Table:
    auto = encoding.lower() == "auto"
    chosen = detect_encoding(path) if auto else encoding
    if path.stat().st_size == 0:
        raise InvalidInputError(t("table.empty", path=path))
    handle = path.open("rb")
    lines = _decoded_lines(handle, chosen, auto, on_bytes)
    reader = csv.reader(lines, delimiter=delimiter)
    csv.field_size_limit(CELL_LIMIT)

    def records() -> Iterator[tuple[int, list[str]]]:
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
                if cells:
                    yield start, cells
        finally:
            handle.close()

    iterator = records()
    try:
        first = next(iterator)
    except StopIteration:
        raise InvalidInputError(t("table.empty", path=path)) from None
    header = [cell.lstrip("\ufeff") for cell in first[1]]
    display = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "gb18030": "GB18030"}.get(
        chosen, chosen
    )
    return Table(header=header, rows=iterator, encoding=display)


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
    offset = (data.start or (0, 0))[0]
    rows = (
        (offset + index + 1, [cell_text(cell) for cell in cells])
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
