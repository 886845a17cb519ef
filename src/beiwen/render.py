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
from typing import TYPE_CHECKING, Any

from beiwen.errors import InvalidInputError

if TYPE_CHECKING:  # rich costs ~50 ms to import: only the table paths load it
    from rich.console import Console, RenderableType
    from rich.table import Table
    from rich.text import Text
from beiwen.i18n import label, t

FORMATS = ("table", "json", "csv")


@dataclass(frozen=True)
class Column:
    """One column: its data key, its (English, Chinese) heading, and how a table shows it."""

    key: str
    heading: tuple[str, str]
    display: Callable[[Any], str] | None = None
    justify: str = "left"


def check_format(value: str, choices: Sequence[str] = FORMATS) -> str:
    fmt = value.strip().lower()
    if fmt not in choices:
        raise InvalidInputError(t("render.bad_format", value=value, choices=", ".join(choices)))
    return fmt


def stdout_console() -> Console:
    from rich.console import Console

    return Console(file=sys.stdout, emoji=False, highlight=False, soft_wrap=False)


def stderr_console() -> Console:
    from rich.console import Console

    return Console(file=sys.stderr, emoji=False, highlight=False)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return t("render.yes") if value else ""
    return str(value)


# C0 controls but tab and newline, DEL, C1 controls, the line and paragraph separators, and
# the bidirectional embeddings, overrides and isolates: what can move a terminal's cursor,
# retitle its window, hide text or reorder it.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` safe for a terminal: each control character shown as a Python-style escape
    (ESC as `\\x1b`, U+202E as `\\u202e`); tab and newline stay. Only what is shown changes:
    the database, JSON and CSV keep the text as typed."""
    return _UNPRINTABLE.sub(_escaped, text)


def text(value: Any, style: str = "") -> Text:
    """A rich `Text` of `value` (via `cell`), never markup, with control characters escaped."""
    from rich.text import Text

    return Text(printable(value if isinstance(value, str) else cell(value)), style=style)


def build_table(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[Column],
    title: str | None = None,
    footer: dict[str, Any] | None = None,
) -> Table:
    from rich.table import Table

    table = Table(
        title=text(title) if title is not None else None,
        show_footer=footer is not None,
        title_justify="left",
    )
    for column in columns:
        footer_text = cell(footer.get(column.key)) if footer else ""
        table.add_column(
            text(label(column.heading)),
            justify=column.justify,  # type: ignore[arg-type]
            footer=text(footer_text),
        )
    for row in rows:
        table.add_row(
            *(
                text(
                    column.display(row.get(column.key))
                    if column.display
                    else cell(row.get(column.key))
                )
                for column in columns
            )
        )
    return table


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


_FORMULA_STARTS = ("\t", "\r")
# What starts a formula, also after leading white space: spreadsheets (WPS, and Excel with
# some input methods) take the full-width forms too.
_FORMULA_CHARS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def formula_like(value: str) -> bool:
    """Whether a spreadsheet could run `value` as a formula, after any apostrophes: it starts
    with = + - @ (or their full-width forms), maybe after white space, or with a tab or CR."""
    rest = value.lstrip("'")
    return rest.startswith(_FORMULA_STARTS) or rest.lstrip().startswith(_FORMULA_CHARS)


def neutralise(value: Any) -> Any:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (CSV injection).

    Text made of apostrophes and then such text gets one more too, so that an import, which
    removes one (`services.importing.unneutralise`), gives back exactly what was stored.
    """
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


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
    out = sys.stdout
    separator = "[\n"
    for row in rows:
        out.write(separator + json.dumps(row, ensure_ascii=False, default=str))
        separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")


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
