"""The one import pipeline that every importer (units, people, work orders, ...) shares.

A file is read row by row (never held whole), each row is mapped through the header
aliases, validated by the importer's own row validator, checked for duplicate keys within
the file, and written inside ONE transaction (`db.write`). The transaction commits only
when the file is clean (or with --skip-invalid, after the rejects file is written), so a
failed or killed import leaves the database exactly as it was. Memory stays flat: only the
keys seen so far (one dict per key field, value -> first line) and the bad rows are kept.

Compiled per file: the header is resolved once into (cell index, column) pairs; an importer
that gives `ImportSpec.batch` writes BATCH_ROWS rows at a time (one lookup query per batch,
tuple `executemany` for the new rows) and decides each row in file order as if the rows
before it were written (`BatchWriter`); one without it writes row by row through
`ImportSpec.write`, as before. `memoised` caches a low-cardinality parser for one file.
"""

from __future__ import annotations

import csv
import itertools
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from beiwen.db import write
from beiwen.errors import ImportRejectedError, InvalidInputError
from beiwen.i18n import t
from beiwen.io.files import check_target, protected
from beiwen.io.formulas import unneutralise
from beiwen.io.tables import Table, is_csv_error, read_table
from beiwen.parsing import half_width

# The compiled parts, importable from here as before (explicit re-exports).
from beiwen.services.import_batches import BATCH_ROWS as BATCH_ROWS
from beiwen.services.import_batches import MEMO_LIMIT as MEMO_LIMIT
from beiwen.services.import_batches import BatchWriter as BatchWriter
from beiwen.services.import_batches import FirstLines, RowByRow
from beiwen.services.import_batches import RowOutcome as RowOutcome
from beiwen.services.import_batches import memoised as memoised
from beiwen.services.import_batches import read_fields as read_fields

# The column --rejects adds; a corrected rejects file is imported again with it still there.
REJECTS_ERROR_COLUMN = ("error", "错误")


@dataclass
class ImportSpec:
    """What one importer contributes: its columns, row validator, key and writer.

    `validate` must not depend on rows of the same file when `batch` is given (the rows of a
    batch are validated before the first is written): such checks go to `BatchWriter.check`.
    """

    columns: dict[str, tuple[str, ...]]  # canonical name -> accepted header aliases
    required: tuple[str, ...]
    validate: Callable[[dict[str, str]], tuple[dict[str, Any], list[str]]]
    key: Callable[[dict[str, Any]], tuple[str, str] | None]  # (field, value) unique per file
    write: Callable[[sqlite3.Connection, dict[str, Any]], RowOutcome]
    # The key as the duplicate message shows it, when it holds personal data (beiwen.privacy).
    shown_key: Callable[[dict[str, Any]], str] | None = None
    # Writes many rows at once: (conn, at) -> BatchWriter; None: `write`, row by row.
    batch: Callable[[sqlite3.Connection, Callable[[int], None]], BatchWriter] | None = None


@dataclass
class ImportSummary:
    path: str
    encoding: str | None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    dry_run: bool = False
    errors: list[str] = field(default_factory=list)
    # What the command tells on stderr about how the file was read: the header row it took,
    # the total rows it skipped (services never print).
    notices: list[str] = field(default_factory=list)

    def count(self, outcome: RowOutcome) -> None:
        if outcome == "inserted":
            self.inserted += 1
        elif outcome == "updated":
            self.updated += 1
        else:
            self.unchanged += 1

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.rejected


def update_changed(
    stored: dict[str, Any], clean: dict[str, Any], update: Callable[[dict[str, Any]], None]
) -> RowOutcome:
    """Write (`update`) the fields of `clean` that differ from `stored`: an import row that
    matches a stored record is "updated", or "unchanged" when nothing differs."""
    changes = {k: v for k, v in clean.items() if stored.get(k) != v}
    if not changes:
        return "unchanged"
    update(changes)
    return "updated"


def normalise_header(name: str) -> str:
    """Compare headers without case, spaces, BOMs or the * that templates put on required ones."""
    return (
        name.replace("\ufeff", "")
        .replace("\u3000", "")
        .replace(" ", "")
        .replace("*", "")
        .replace("＊", "")
        .strip()
        .lower()
    )


def resolve_header(header: list[str], spec: ImportSpec) -> list[str | None]:
    """For each column of the file, its canonical name (None for blank trailing columns)."""
    lookup: dict[str, str] = {}
    for canonical, aliases in spec.columns.items():
        for alias in (canonical, *aliases):
            lookup[normalise_header(alias)] = canonical
    mapping: list[str | None] = []
    seen: dict[str, str] = {}
    accepted = ", ".join(f"{c} ({'/'.join(a)})" if a else c for c, a in spec.columns.items())
    for name in header:
        key = normalise_header(name)
        found = lookup.get(key)
        if not key or (found is None and name.strip() in REJECTS_ERROR_COLUMN):
            mapping.append(None)
            continue
        if found is None and key in RUNNING_NUMBER_COLUMNS:
            mapping.append(None)  # 序号, No.: the office's running number, not data
            continue
        if found is None:
            unknown = (
                "import.unknown_title" if _title_like(name, header) else "import.unknown_column"
            )
            raise InvalidInputError(t(unknown, column=name, accepted=accepted))
        if found in seen:
            raise InvalidInputError(
                t(
                    "import.duplicate_column",
                    first=seen[found],
                    second=name,
                    canonical=found,
                )
            )
        seen[found] = name
        mapping.append(found)
    for canonical in spec.required:
        if canonical not in seen:
            example = spec.columns[canonical][0] if spec.columns[canonical] else canonical
            raise InvalidInputError(
                t("import.missing_column", canonical=canonical, example=example)
            )
    return mapping


# The office's running-number columns, ignored unless the importer has a column of that name.
RUNNING_NUMBER_COLUMNS = frozenset({"序号", "序", "编号", "行号", "no", "no.", "nr.", "#", "＃"})
# The first cell of a total or subtotal row (合计：1户), which is never a record.
TOTAL_WORDS = ("合计", "小计", "总计", "共计")
HEADER_SEARCH_ROWS = 10  # rows looked at for the header below titles and blank rows
_TITLE_WORDS = ("名册", "名单", "台账", "统计", "汇总", "一览", "清单", "登记", "表")


def is_total_row(cells: list[str]) -> bool:
    """Whether the first filled cell starts with 合计, 小计, 总计 or 共计."""
    head = cells[0][:1] if cells else ""
    if head and head not in _TOTAL_STARTS and not head.isspace():
        return False  # most rows: the first cell is filled and starts otherwise
    first = next((cell for cell in cells if cell.strip()), "")
    if first.lstrip()[:1] not in _TOTAL_STARTS:
        return False  # most rows: no full-width forms or spaces to take away first
    return "".join(half_width(first).split()).startswith(TOTAL_WORDS)


_TOTAL_STARTS = frozenset(word[0] for word in TOTAL_WORDS)


def _title_like(name: str, header: list[str]) -> bool:
    """A sheet's title taken for the header: alone on its row, or a long name of a list."""
    alone = sum(1 for cell in header if cell.strip()) == 1
    return alone or (len(name.strip()) >= 6 and any(word in name for word in _TITLE_WORDS))


def _header_score(cells: list[str], known: set[str]) -> bool:
    """Whether most filled cells of a row are column names of the importer (one at least)."""
    names = [normalise_header(cell) for cell in cells if normalise_header(cell)]
    hits = sum(1 for name in names if name in known)
    running = sum(1 for name in names if name in RUNNING_NUMBER_COLUMNS and name not in known)
    return hits > 0 and (hits + running) * 2 > len(names)


def locate_header(
    table: Table, spec: ImportSpec, notices: list[str]
) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and the rows under it: the first row whose cells are mostly the importer's
    column names, below titles and blank rows; a row of group titles right above it (a
    two-level merged header) fills the header's empty cells. Taken as it stands when no row
    of the first HEADER_SEARCH_ROWS is one (the unknown column is then reported)."""
    known = {normalise_header(a) for c, aliases in spec.columns.items() for a in (c, *aliases)}
    seen: list[tuple[int, list[str]]] = [(table.header_line, table.header)]
    found = 0 if not table.by_hand or _header_score(table.header, known) else None
    while found is None and len(seen) < HEADER_SEARCH_ROWS:
        row = next(table.rows, None)
        if row is None:
            break
        seen.append(row)
        found = len(seen) - 1 if _header_score(row[1], known) else None
    if not found:  # the first row, or none: the first row is the header
        return table.header, itertools.chain(seen[1:], table.rows)
    line, header = seen[found][0], [cell.strip() for cell in seen[found][1]]
    above_line, above = seen[found - 1]
    if above_line == line - 1 and sum(1 for cell in above if cell.strip()) >= 2:
        header += [""] * (len(above) - len(header))
        header = [
            cell or (above[i].strip() if i < len(above) else "") for i, cell in enumerate(header)
        ]
        notices.append(t("import.header_merged", first=above_line, line=line))
    else:
        notices.append(t("import.header_found", line=line))
    while header and not header[-1]:
        header.pop()
    return header, itertools.chain(seen[found + 1 :], table.rows)


IMPORT_CACHE_KIB = 16 * 1024  # SQLite page cache during an import, in KiB


def run_import(
    conn: sqlite3.Connection,
    path: Path,
    spec: ImportSpec,
    *,
    encoding: str = "auto",
    sheet: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    rejects: Path | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import `path` all-or-nothing (or skipping bad rows into `rejects`)."""
    if skip_invalid and rejects is None:
        raise InvalidInputError(t("import.rejects_needed"))
    # --rejects (or any output) may never replace the file being read.
    with protected(path, "import"):
        if rejects is not None:
            check_target(rejects)  # refused before a row is read, not after the whole file
        table = read_table(path, encoding=encoding, sheet=sheet, on_bytes=on_bytes)
        try:
            from beiwen.services.imports import recording

            # The line the import history gives the row being written (set by the writer).
            line: list[int | None] = [None]
            # The import's one transaction, kept in the import history (`beiwen imports`).
            with recording(conn, path, spec, table, dry_run=dry_run, line=line) as done:
                summary = _import_rows(
                    conn, path, spec, table, dry_run, skip_invalid, rejects, line
                )
                done(summary)
            return summary
        finally:
            table.close()


def _import_rows(
    conn: sqlite3.Connection,
    path: Path,
    spec: ImportSpec,
    table: Table,
    dry_run: bool,
    skip_invalid: bool,
    rejects: Path | None,
    line_cell: list[int | None],
) -> ImportSummary:
    summary = ImportSummary(path=str(path), encoding=table.encoding, dry_run=dry_run)
    header, rows = locate_header(table, spec, summary.notices)
    mapping = resolve_header(header, spec)
    width = len(header)
    # Compiled once per file: which cell holds which column.
    picks = [(index, canonical) for index, canonical in enumerate(mapping) if canonical]
    escaped, short_rows, by_hand = table.escaped, table.short_rows, table.by_hand
    validate, spec_key = spec.validate, spec.key
    totals: list[int] = []
    bad_rows: list[tuple[list[str], str]] = []
    keys = FirstLines()
    seen = 0  # every row, also the valid ones left unwritten once the import is refused

    def at(line: int) -> None:
        line_cell[0] = line

    writer: BatchWriter = spec.batch(conn, at) if spec.batch else RowByRow(spec.write)
    # A validator without `batch` may read what the rows before wrote: one row at a time.
    size = BATCH_ROWS if spec.batch else 1
    pending: list[tuple[int, list[str], dict[str, Any], list[str]]] = []

    def settle() -> None:
        """Check, key and write the pending rows, in file order."""
        writer.prepare(conn, [clean for _, _, clean, problems in pending if not problems])
        for line, cells, clean, problems in pending:
            if not problems:
                problems = [t("import.row_error", line=line, reason=r) for r in writer.check(clean)]
            key = spec_key(clean) if not problems else None
            if key is not None:
                first = keys.first(key, line)
                if first is not None:
                    problems.append(
                        t(
                            "import.duplicate_key",
                            line=line,
                            field=key[0],
                            key=spec.shown_key(clean) if spec.shown_key else key[1],
                            first=first,
                        )
                    )
            if problems:
                summary.rejected += 1
                summary.errors.extend(problems)
                if skip_invalid:
                    bad_rows.append((cells, "; ".join(problems)))
                continue
            if summary.errors and not skip_invalid:
                continue  # the import will be refused: validate on, write no more
            at(line)
            summary.count(writer.add(conn, line, clean))
        writer.flush(conn)
        pending.clear()

    # A large import touches index pages all over the file; with SQLite's default 2 MiB cache
    # they are spilled to the WAL and read back again and again. 16 MiB keeps them in memory
    # (200k units: 15.7 s and 85 MiB peak; 32 MiB took as long and peaked at 100 MiB).
    conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    with write(conn, dry_run=dry_run):
        for line, cells in rows:
            if short_rows and len(cells) < width:
                cells = cells + [""] * (width - len(cells))
            if by_hand and is_total_row(cells):
                totals.append(line)
                continue
            seen += 1
            problems = _row_problems(line, cells, width, mapping, header)
            clean: dict[str, Any] = {}
            if not problems:
                if escaped:  # unneutralise only the few cells that start with an apostrophe
                    raw = {
                        c: v if (v := cells[i].strip())[:1] != "'" else unneutralise(v)
                        for i, c in picks
                    }
                else:
                    raw = {c: cells[i].strip() for i, c in picks}
                clean, reasons = validate(raw)
                if reasons:
                    problems = [t("import.row_error", line=line, reason=r) for r in reasons]
            pending.append((line, cells, clean, problems))
            if len(pending) >= size:
                settle()
        if pending:
            settle()
        if totals:
            lines = ", ".join(map(str, totals))
            summary.notices.append(t("import.totals_skipped", count=len(totals), lines=lines))
        if seen == 0:
            raise InvalidInputError(t("import.no_rows", path=path))
        if summary.errors and not skip_invalid:
            raise ImportRejectedError(
                t("import.rejected", path=path, bad=summary.rejected, total=seen),
                details=[*summary.notices, *summary.errors],
            )
        if skip_invalid and rejects is not None and bad_rows and not dry_run:
            write_rejects(rejects, header, bad_rows)  # before the commit, never after
    return summary


def _row_problems(
    line: int, cells: list[str], width: int, mapping: list[str | None], header: list[str]
) -> list[str]:
    csv_error = is_csv_error(cells)
    if csv_error is not None:
        return [t("table.csv_error", line=line, detail=csv_error)]
    if len(cells) != width:
        # Trailing empty cells beyond the header are what spreadsheets leave; they are harmless.
        if len(cells) < width or any(cell.strip() for cell in cells[width:]):
            return [t("import.ragged", line=line, cells=len(cells), columns=width)]
    if "\x00" not in "".join(cells):
        return []
    return [
        t("import.nul", line=line, column=header[index])
        for index, canonical in enumerate(mapping)
        if canonical is not None and "\x00" in cells[index]
    ]


def write_rejects(path: Path, header: list[str], rows: list[tuple[list[str], str]]) -> None:
    """The skipped rows with their reasons, as UTF-8-with-BOM CSV that Excel opens.

    The reason always sits in the error column: short rows are padded, and the extra cells of
    a long row follow the reason, so that nothing the file held is lost.
    """
    import io

    from beiwen.io.files import write_file

    width = len(header)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([*header, t("import.error_column")])
    for cells, reason in rows:
        kept = [] if is_csv_error(cells) is not None else list(cells)
        kept += [""] * (width - len(kept))
        writer.writerow([*kept[:width], reason, *kept[width:]])
    # The rejected rows are personal data too: written like exports (0600, all or nothing).
    write_file(path, lambda handle: handle.write(buffer.getvalue().encode("utf-8-sig")))
