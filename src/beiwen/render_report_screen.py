"""The monthly report on the screen: each of its `sections()` as a table that fits the
terminal (`render.build_table`), and the months of a year report as a bar chart."""

from __future__ import annotations

import re
from typing import Any

from rich.bar import Bar
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from beiwen.i18n import label, t
from beiwen.render import Column, build_table, printable
from beiwen.render_report import H_COLLECTED, H_HANDLED, H_MONTH, Section, sections, subtitle, title


def _text(value: str, style: str = "") -> Text:
    return Text(printable(value), style=style)


def _table(section: Section) -> RenderableType:
    """A section on screen through `render.build_table`, which fits it to the screen: the
    last (least important) columns are left out first, text wraps, figures are never cut;
    `--wide` keeps every column."""
    columns = [
        Column(
            str(index),
            (heading, heading),
            justify="left" if index == 0 or not _figures(section, index) else "right",
            rank=(section.importance.index(index) if section.importance else index) + 1,
        )
        for index, heading in enumerate(section.columns)
    ]
    rows = [{str(index): cell for index, cell in enumerate(row)} for row in section.rows]
    footer = dict(enumerate(section.total)) if section.total else None
    return build_table(
        rows,
        columns,
        title=section.heading,
        footer={str(index): cell for index, cell in footer.items()} if footer else None,
    )


_FIGURE = re.compile(r"[-+\d.,/=% ]*")


def _figures(section: Section, index: int) -> bool:
    """Whether a column holds figures only (counts, fractions, hours), shown on the right."""
    return all(_FIGURE.fullmatch(row[index]) for row in section.rows if index < len(row))


def monthly_chart(report: dict[str, Any]) -> Table | None:
    monthly = report.get("monthly")
    if not monthly:
        return None
    widest = max((row["collected"] for row in monthly), default=0) or 1
    table = Table(title=t("report.monthly"), title_justify="left", box=None)
    table.add_column(label(H_MONTH))
    table.add_column(label(H_COLLECTED), justify="right")
    table.add_column(label(H_HANDLED), justify="right")
    table.add_column("", width=32)
    for row in monthly:
        table.add_row(
            row["month"],
            str(row["collected"]),
            str(row["handled"]),
            Bar(size=widest, begin=0, end=row["collected"], width=30, color="cyan"),
        )
    return table


def report_renderable(report: dict[str, Any]) -> RenderableType:
    parts: list[RenderableType] = [_text(title(report), style="bold")]
    parts += [_text(line) for line in subtitle(report)]
    for section in sections(report):
        parts += [Text(""), _table(section)]
    chart = monthly_chart(report)
    if chart is not None:
        parts += [Text(""), chart]
    return Group(*parts)
