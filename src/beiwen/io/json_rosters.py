"""JSON rosters: a JSON array of objects (what `--format json` writes) as a header and rows.

`json_rows` takes the text `tables.py` decoded by its encoding chain: the keys are the
header, each object a row numbered by the line it starts on. Nesting past JSON_DEPTH,
integers longer than JSON_DIGITS and lone UTF-16 surrogates are refused with their line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from beiwen.errors import InvalidInputError
from beiwen.i18n import t
from beiwen.io.sheets import cell_text


def json_rows(path: Path, text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """A JSON array of objects (what `--format json` writes): keys are the header, each
    object a row, numbered by the line it starts on."""
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

    return header, rows()


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
