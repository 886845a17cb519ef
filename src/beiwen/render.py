"""Renderers: turn results into rich Tables, JSON, CSV. They build and return; `emit`,
`emit_record` and `show` are the only functions that write, and they write data to stdout
only.

Data cells go in as `Text`, never markup, so a merchant called "[bold]" stays as typed, and
through `printable`, so that control characters in imported text reach no terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from beiwen.errors import InvalidInputError

if TYPE_CHECKING:  # rich costs ~50 ms to import: only the table paths load it
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text
from beiwen.i18n import label, t

# Re-exported for the renderers: the rules live in io/formulas.py and printable.py.
from beiwen.io.formulas import formula_like as formula_like
from beiwen.io.formulas import neutralise as neutralise
from beiwen.printable import printable as printable

FORMATS = ("table", "json", "csv")


@dataclass(frozen=True)
class Column:
    """One column: its data key, its (English, Chinese) heading, and how a table shows it.

    `rank` orders the columns by importance for a narrow screen (1 first; columns without
    one follow in their order); `wrap=False` keeps a value on one line, whole (numbers,
    times, codes, phones): it is never cut, so such a column is dropped before it is cut.
    """

    key: str
    heading: tuple[str, str]
    display: Callable[[Any], str] | None = None
    justify: str = "left"
    rank: int | None = None
    wrap: bool | None = None  # None: wrap unless right-justified (a number)

    def wraps(self, values: Sequence[str]) -> bool:
        """Whether the column's values may be wrapped: text yes; numbers, and values that are
        one or two short ASCII words (times, dates, codes, phones, ID numbers) no."""
        if self.wrap is not None:
            return self.wrap
        if self.justify == "right":
            return False
        return not all(_UNBREAKABLE.fullmatch(value) for value in values if value)


_UNBREAKABLE = re.compile(r"[\x21-\x7e]{1,24}(?: [\x21-\x7e]{1,8})?")
# Set by the root's --wide (every column, whatever the screen's width).
WIDE = False
# The narrowest a wrapping column may become before it is dropped instead, in cells.
MIN_WRAP_WIDTH = 8
# Below this many columns a table is no longer a table: one record per block instead.
MIN_TABLE_COLUMNS = 3


def check_format(value: str, choices: Sequence[str] = FORMATS) -> str:
    fmt = value.strip().lower()
    if fmt not in choices:
        raise InvalidInputError(t("render.bad_format", value=value, choices=", ".join(choices)))
    return fmt


def stdout_console() -> Console:
    from rich.console import Console

    # --wide: every column at its natural width, however wide the lines (for `less -S`).
    width = 100_000 if WIDE else None
    return Console(file=sys.stdout, emoji=False, highlight=False, soft_wrap=False, width=width)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(file=sys.stderr, emoji=False, highlight=False)


_STORED_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z)"
)


def cell(value: Any) -> str:
    """A value as a table or record shows it: a stored time (ISO 8601, Beijing time) as
    `2024-08-03 09:30`; JSON keeps the stored form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("render.yes") if value else ""
    if isinstance(value, str) and len(value) >= 16 and value[10:11] == "T":
        found = _STORED_TIME.fullmatch(value)
        if found:
            return f"{found[1]} {found[2]}"
    return str(value)


def text(value: Any, style: str = "") -> Text:
    """A rich `Text` of `value` (via `cell`), never markup, with control characters escaped."""
    from rich.text import Text

    return Text(printable(value if isinstance(value, str) else cell(value)), style=style)


def shown_value(column: Column, row: dict[str, Any]) -> str:
    value = row.get(column.key)
    return column.display(value) if column.display else cell(value)


def build_table(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[Column],
    title: str | None = None,
    footer: dict[str, Any] | None = None,
    width: int | None = None,
) -> RenderableType:
    """The rows as a table that fits `width` (the screen's, by default).

    The least important columns are left out until the rest fit with none cut (wrapping
    text, whole numbers and times); `--wide` keeps them all. When not even the most
    important few fit, each row is shown as a block of `heading：value` lines instead.
    """
    from rich.table import Table

    rows = list(rows)
    cells = [[printable(shown_value(column, row)) for column in columns] for row in rows]
    if width is None:
        width = stdout_console().width
    wraps = [column.wraps([row[i] for row in cells]) for i, column in enumerate(columns)]
    kept = list(range(len(columns))) if WIDE else _fitting(columns, cells, wraps, footer, width)
    if len(kept) < min(MIN_TABLE_COLUMNS, len(columns)):
        return _blocks(columns, cells, title)
    table = Table(
        title=text(title) if title is not None else None,
        show_footer=footer is not None,
        title_justify="left",
    )
    for index in kept:
        column = columns[index]
        footer_text = cell(footer.get(column.key)) if footer else ""
        natural = _natural_width(column, [row[index] for row in cells], footer_text)
        table.add_column(
            text(label(column.heading)),
            justify=column.justify,  # type: ignore[arg-type]
            footer=text(footer_text),
            no_wrap=not wraps[index],
            min_width=None if wraps[index] else natural,
            overflow="fold",
        )
    for row in cells:
        table.add_row(*(text(row[index]) for index in kept))
    return table


def _natural_width(column: Column, values: Sequence[str], footer: str = "") -> int:
    from rich.cells import cell_len

    longest = max((cell_len(line) for value in values for line in value.split("\n")), default=0)
    return max(longest, cell_len(label(column.heading)), cell_len(footer))


def _fitting(
    columns: Sequence[Column],
    cells: Sequence[Sequence[str]],
    wraps: Sequence[bool],
    footer: dict[str, Any] | None,
    width: int,
) -> list[int]:
    """The indexes of the columns to show, in their order: the most important that fit."""
    from rich.cells import cell_len

    def least(index: int) -> int:
        column = columns[index]
        natural = needed[index]
        if not wraps[index]:
            return natural
        heading = max(cell_len(word) for word in label(column.heading).split() or [""])
        return min(natural, max(MIN_WRAP_WIDTH, heading))

    needed = [
        _natural_width(
            column,
            [row[index] for row in cells],
            cell(footer.get(column.key)) if footer else "",
        )
        for index, column in enumerate(columns)
    ]

    def importance(index: int) -> int:
        rank = columns[index].rank
        return rank if rank is not None else 100 + index

    order = sorted(range(len(columns)), key=importance)
    kept = list(order)
    # A table's frame: one border at each side and between columns, one space of padding
    # on each side of every cell.
    while kept and 1 + sum(least(index) + 3 for index in kept) > width:
        kept.pop()
    return sorted(kept)


def _blocks(
    columns: Sequence[Column], cells: Sequence[Sequence[str]], title: str | None
) -> RenderableType:
    """One block of `heading：value` lines per row, for a screen too narrow for a table."""
    from rich.console import Group
    from rich.text import Text

    colon = t("help.word.colon")
    parts: list[Any] = [text(title, style="bold")] if title else []
    for number, row in enumerate(cells):
        if number or title:
            parts.append(Text(""))
        for column, value in zip(columns, row, strict=True):
            if value:
                line = Text(f"{label(column.heading)}{colon}", style="bold")
                line.append(value)
                parts.append(line)
    return Group(*parts)


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def to_csv(rows: Iterable[dict[str, Any]], keys: Sequence[str], bom: bool = True) -> str:
    """CSV for Excel: UTF-8 with a BOM, formulas neutralised, None as an empty cell."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow(["" if row.get(k) is None else neutralise(row.get(k)) for k in keys])
    return buffer.getvalue()


def to_csv_table(
    header: Sequence[str], rows: Iterable[Sequence[Any]], blocks: Sequence[Any] = ()
) -> str:
    """`to_csv` of rows already made cells: the header, then the rows; `blocks` adds more
    tables below (each a sequence of lines), one empty line between them."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for number, lines in enumerate([[header, *rows], *blocks]):
        if number:
            writer.writerow([])
        for line in lines:
            writer.writerow(["" if value is None else neutralise(value) for value in line])
    return buffer.getvalue()


def emit(
    rows: list[dict[str, Any]],
    fmt: str,
    columns: Sequence[Column],
    title: str | None = None,
    footer: dict[str, Any] | None = None,
) -> None:
    """Write `rows` to stdout as a table, JSON (all keys, unmasked) or CSV (the column keys)."""
    if fmt == "json":
        write_json_rows(rows)
    elif fmt == "csv":
        sys.stdout.write(to_csv(rows, [column.key for column in columns]))
    elif rows or footer:
        show(build_table(rows, columns, title, footer))
    else:
        from rich.text import Text

        show(Text(t("render.none")))


def write_json_rows(rows: Iterable[dict[str, Any]]) -> None:
    """A JSON array with one compact object per line, written row by row.

    `json.dumps(indent=…)` falls back to the pure-Python encoder; a month of 28,000 work
    orders then takes most of a second. Compact rows use the C encoder and stay readable.
    """
    write_json_lines(json.dumps(row, ensure_ascii=False, default=str) for row in rows)


def write_json_lines(objects: Iterable[str]) -> None:
    """`write_json_rows` of rows already written as JSON, one object each (`issue list
    --format json`, whose objects SQLite writes), a hundred at a time."""
    out, rows = sys.stdout, iter(objects)
    batch = list(islice(rows, 100))
    if not batch:
        out.write("[]\n")
        return
    out.write("[\n" + ",\n".join(batch))
    while batch := list(islice(rows, 100)):
        out.write(",\n" + ",\n".join(batch))
    out.write("\n]\n")


def show(renderable: RenderableType) -> None:
    stdout_console().print(renderable)


def record(pairs: Sequence[tuple[tuple[str, str], Any]]) -> Table:
    """A two-column field/value table for `show` commands."""
    from rich.table import Table

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    for heading, value in pairs:
        table.add_row(text(label(heading)), text(cell(value)))
    return table


@dataclass(frozen=True)
class Field:
    """One line of a `show` record: the data key (or a function of the whole record, for a
    value made of several keys), its (English, Chinese) heading, how the value is shown."""

    key: str | Callable[[dict[str, Any]], Any]
    heading: tuple[str, str]
    display: Callable[[Any], Any] | None = None

    def value(self, data: dict[str, Any]) -> Any:
        found = self.key(data) if callable(self.key) else data.get(self.key)
        return self.display(found) if self.display else found


def emit_record(
    data: dict[str, Any],
    fmt: str,
    fields: Sequence[Field],
    sections: Callable[[dict[str, Any]], Iterable[RenderableType]] | None = None,
) -> None:
    """What every `show` prints: JSON (all of `data`), else the record of `fields` and then
    the tables `sections` builds (departments, timeline, roster, ...)."""
    if fmt == "json":
        sys.stdout.write(to_json(data) + "\n")
        return
    show(record([(field.heading, field.value(data)) for field in fields]))
    for section in sections(data) if sections else ():
        show(section)
