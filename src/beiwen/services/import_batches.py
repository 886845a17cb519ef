"""The compiled import pipeline's parts (issue 20), used by `services.importing.run_import`:
`BatchWriter` (an importer's writer of many rows at once), `RowByRow` (a per-row
`ImportSpec.write` as one), `FirstLines` (the in-file duplicate check), `memoised` (a
low-cardinality parser remembered for one file) and `read_fields` (a validator's fields read
in one loop). `services.importing` re-exports every public name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import Any, Literal, Protocol

from beiwen.errors import BeiwenError
from beiwen.parsing import FieldCheck

# What writing one clean row did: the ImportSummary field it counts in.
RowOutcome = Literal["inserted", "updated", "unchanged"]


class BatchWriter(Protocol):
    """An importer's writer of many rows at once (`ImportSpec.batch`), for the pipeline:

    per batch of clean rows, `prepare` once (one lookup of the rows' keys); then, in file
    order, `check` (the reasons that need the database, such as an ambiguous name) and
    `add` for each row that passed (it decides inserted/updated/unchanged as if the rows
    before were written, and may write them first); `flush` writes what is left. Before
    it writes a row, the writer calls the `at(line)` it was made with, so that the import
    history names the row's line.
    """

    def prepare(self, conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None: ...

    def check(self, clean: dict[str, Any]) -> list[str]: ...

    def add(self, conn: sqlite3.Connection, line: int, clean: dict[str, Any]) -> RowOutcome: ...

    def flush(self, conn: sqlite3.Connection) -> None: ...


class RowByRow:
    """`ImportSpec.write` as a BatchWriter of one row at a time (batches of one row)."""

    def __init__(self, write: Callable[[sqlite3.Connection, dict[str, Any]], RowOutcome]):
        self.write = write

    def prepare(self, conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
        return None

    def check(self, clean: dict[str, Any]) -> list[str]:
        return []

    def add(self, conn: sqlite3.Connection, line: int, clean: dict[str, Any]) -> RowOutcome:
        return self.write(conn, clean)

    def flush(self, conn: sqlite3.Connection) -> None:
        return None


BATCH_ROWS = 2000  # rows an ImportSpec.batch writer gets at a time
MEMO_LIMIT = 8192  # distinct values `memoised` keeps per parser (a file's categories, dates)


def read_fields(
    check: FieldCheck, fields: Iterable[tuple[str, Callable[..., Any] | None]], *args: Any
) -> None:
    """`check(name, parse, *args)` for each (name, parse) in order, in one loop without a
    call per field (an import reads every field of every row); `parse` None keeps the text."""
    raw, clean, reasons = check.raw, check.clean, check.reasons
    for name, parse in fields:
        value = raw.get(name)
        if value is None:
            continue
        value = value.strip()
        if not value:
            clean[name] = None
        elif parse is None:
            clean[name] = value
        else:
            try:
                clean[name] = parse(value, *args)
            except BeiwenError as error:
                reasons.append(error.message)


def memoised(parse: Callable[..., Any], limit: int = MEMO_LIMIT) -> Callable[..., Any]:
    """`parse(value, *args)` remembered per value for one file (args fixed for the file):
    the result, or the BeiwenError it raised. For parsers of few distinct values (a
    category, a grid, a date, yes/no); the first `limit` values are kept, later ones parsed."""
    cache: dict[str, tuple[Any, BeiwenError | None]] = {}

    def parse_once(value: str, *args: Any) -> Any:
        found = cache.get(value)
        if found is None:
            try:
                found = (parse(value, *args), None)
            except BeiwenError as error:
                found = (None, error)
            if len(cache) < limit:
                cache[value] = found
        if found[1] is not None:
            raise found[1].with_traceback(None)
        return found[0]

    return parse_once


class FirstLines:
    """The in-file duplicate check: per key field, value -> the first line that had it (no
    tuple per row: the value strings are the clean rows' own)."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[str, int]] = {}

    def first(self, key: tuple[str, str], line: int) -> int | None:
        """The earlier line with `key`, else None (and `line` is kept as its first)."""
        seen = self.fields.get(key[0])
        if seen is None:
            seen = self.fields[key[0]] = {}
        found = seen.get(key[1])
        if found is None:
            seen[key[1]] = line
        return found
