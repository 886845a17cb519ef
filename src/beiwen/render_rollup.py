"""`beiwen rollup` on screen and in files: one row per committee and the total row.

Every renderer starts from `rollup_columns` and `rollup_cells` (the neutral form: headings
and figures), so the table, Markdown, CSV, the workbook and the Word file show the same
figures in the same order. Rates are fractions, `73/77 = 94.8%`, where people read them
(table, Markdown, Word); numbers (numerator, denominator, rate) where programs read them
(CSV, XLSX). The headings of the report's figures are the report's own
(`vocab.REPORT_METRICS`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from beiwen import vocab
from beiwen.i18n import label, t
from beiwen.render import Column, neutralise
from beiwen.render_exports import Rate
from beiwen.render_report import (
    EXPLAIN_COLUMNS,
    H_ATTENDANCE,
    H_CLASSES,
    H_PARTICIPANTS,
    H_SERVED,
    H_TOTAL,
    fraction,
    markdown_text,
)
from beiwen.vocab_lists import LIST_METRICS

H_COMMITTEE = ("Committee", "委员会")
H_FILE = ("File", "文件")
H_ACTIVITIES = ("Activities", "活动次数")
H_NUMERATOR = ("numerator", "分子")
H_DENOMINATOR = ("denominator", "分母")


@dataclass(frozen=True)
class Figure:
    """One figure of a row: its key in the total, where a committee's row keeps it
    (section, key), its heading, and whether it is a rate (shown as its fraction)."""

    key: str
    section: str
    heading: tuple[str, str]
    is_rate: bool = False


def _metric(key: str, is_rate: bool = False) -> Figure:
    return Figure(key, "issues", vocab.REPORT_METRICS[key], is_rate)


FIGURES = (
    _metric("collected"),
    _metric("handled"),
    _metric("handling_rate", True),
    _metric("on_time_rate", True),
    _metric("overdue"),
    _metric("satisfaction_rate", True),
    Figure("activities", "activities", H_ACTIVITIES),
    Figure("participants", "activities", H_PARTICIPANTS),
    Figure("enterprises_served", "activities", H_SERVED),
    Figure("classes", "courses", H_CLASSES),
    Figure("attendance", "courses", H_ATTENDANCE),
)
# The lists' figures the table shows (the JSON has the whole section), named as the report's.
LIST_FIGURES = tuple(
    Figure(key, "lists", LIST_METRICS[key]) for key in ("needs_collected", "projects_done")
)
# Where a committee's row keeps a figure the total names otherwise.
_ROW_KEY = {"activities": "count"}


def figures(data: dict[str, Any]) -> list[Figure]:
    """The figures shown: the lists only when one of the files has them."""
    shown = list(FIGURES)
    if data["total"]["lists"] is not None:
        shown += LIST_FIGURES
    return shown


def value_of(row: dict[str, Any], figure: Figure) -> Any:
    """A committee's figure (None: its file has no such table)."""
    section = row.get(figure.section)
    if section is None:
        return None
    return section.get(_ROW_KEY.get(figure.key, figure.key))


def fraction_of(row: dict[str, Any], figure: Figure, total: bool) -> tuple[int, int]:
    fractions = row["fractions"] if total else row["issues"]["fractions"]
    numerator, denominator = fractions[figure.key]
    return int(numerator), int(denominator)


def total_of(total: dict[str, Any], figure: Figure) -> Any:
    """The total row's figure (the lists' sums are in its `lists`)."""
    if figure.section == "lists":
        return (total["lists"] or {}).get(figure.key)
    return total.get(figure.key)


def _text(row: dict[str, Any], figure: Figure, total: bool) -> str:
    if figure.is_rate:
        return fraction(*fraction_of(row, figure, total))
    value = total_of(row, figure) if total else value_of(row, figure)
    return "-" if value is None else str(value)


def rollup_columns(data: dict[str, Any]) -> list[str]:
    return [label(H_COMMITTEE), *(label(figure.heading) for figure in figures(data))]


def rollup_cells(data: dict[str, Any]) -> tuple[list[list[str]], list[str]]:
    """The committees' rows and the total row, as text: names, counts, fractions."""
    shown = figures(data)
    rows = [
        [row["name"], *(_text(row, figure, False) for figure in shown)]
        for row in data["committees"]
    ]
    total = [label(H_TOTAL), *(_text(data["total"], figure, True) for figure in shown)]
    return rows, total


def title(data: dict[str, Any]) -> str:
    return t("rollup.title", label=data["period"]["label"], count=len(data["committees"]))


def rollup_table(data: dict[str, Any]) -> Any:
    """The rich table (render.build_table: fits the screen, least important columns go
    first), the total row as its footer."""
    from beiwen.render import build_table

    shown = figures(data)
    columns = [Column("name", H_COMMITTEE, rank=1)] + [
        Column(figure.key, figure.heading, justify="right", rank=index + 2)
        for index, figure in enumerate(shown)
    ]
    rows, total = rollup_cells(data)
    keys = [column.key for column in columns]
    return build_table(
        [dict(zip(keys, row, strict=True)) for row in rows],
        columns,
        title=title(data),
        footer=dict(zip(keys, total, strict=True)),
    )


def rollup_markdown(data: dict[str, Any]) -> str:
    columns = rollup_columns(data)
    rows, total = rollup_cells(data)

    def line(cells: Sequence[str]) -> str:
        shown = [neutralise(cells[0]), *cells[1:]]
        return "| " + " | ".join(markdown_text(cell) for cell in shown) + " |"

    lines = [f"# {markdown_text(title(data))}", ""]
    lines += [f"- {markdown_text(text)}" for text in notes(data)]
    if lines[-1]:
        lines.append("")
    lines.append(line(columns))
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|")
    lines += [line(row) for row in [*rows, total]]
    return "\n".join(lines) + "\n"


def number_header(data: dict[str, Any]) -> list[str]:
    """Headings of the CSV and the workbook: the file, the committee, then each figure; a
    rate as three columns (its numerator, denominator and rate)."""
    header = [label(H_FILE), label(H_COMMITTEE)]
    for figure in figures(data):
        name = label(figure.heading)
        if figure.is_rate:
            header += [
                f"{name} {label(H_NUMERATOR)}",
                f"{name} {label(H_DENOMINATOR)}",
                name,
            ]
        else:
            header.append(name)
    return header


def _numbers(row: dict[str, Any], shown: list[Figure], total: bool) -> list[Any]:
    cells: list[Any] = []
    for figure in shown:
        if figure.is_rate:
            numerator, denominator = fraction_of(row, figure, total)
            cells += [
                numerator,
                denominator,
                Rate(numerator / denominator) if denominator else None,
            ]
        else:
            cells.append(total_of(row, figure) if total else value_of(row, figure))
    return cells


def number_rows(data: dict[str, Any]) -> tuple[list[list[Any]], list[Any]]:
    shown = figures(data)
    rows = [[row["file"], row["name"], *_numbers(row, shown, False)] for row in data["committees"]]
    total = ["", label(H_TOTAL), *_numbers(data["total"], shown, True)]
    return rows, total


def rollup_csv(data: dict[str, Any]) -> str:
    """UTF-8 with a BOM for Excel/WPS: one row per committee and the total, figures as
    numbers (a rate as a fraction of one, with its numerator and denominator)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(number_header(data))
    rows, total = number_rows(data)
    for row in [*rows, total]:
        writer.writerow(
            [
                ""
                if cell is None
                else neutralise(round(cell, 4) if isinstance(cell, Rate) else cell)
                for cell in row
            ]
        )
    return buffer.getvalue()


def notes(data: dict[str, Any]) -> list[str]:
    """What a reader must know about the files: those without the lists' tables."""
    if data["total"]["lists"] is None:
        return []
    return [
        t("rollup.no_lists", name=row["name"], file=row["file"])
        for row in data["committees"]
        if row.get("lists") is None
    ]


# `rollup --explain`: the report's columns, after the committee the order belongs to.
EXPLAIN_ROLLUP_COLUMNS = [Column("committee", H_COMMITTEE), *EXPLAIN_COLUMNS]


def explain_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"committee": committee["name"], "file": committee["file"], **order}
        for committee in result["committees"]
        for order in committee["issues"]
    ]
