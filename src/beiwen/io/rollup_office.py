"""`beiwen rollup` as a workbook and as a Word file, from the report writers' own parts:
io/export.py's one workbook writer (numbers as numbers, rates as percentages, the total row
in bold) and io/docx_layout.py's 公文 layout (A4, GB/T 9704 margins, fonts, repeated table
headers, page numbers). Both go through io/files.write_file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beiwen.i18n import t
from beiwen.io import docx_layout as layout
from beiwen.io.export import Sheet, write_workbook
from beiwen.io.files import write_file
from beiwen.printable import printable
from beiwen.render_report import Section, fraction
from beiwen.render_rollup import (
    notes,
    number_header,
    number_rows,
    rollup_cells,
    rollup_columns,
    title,
)


def write_rollup_xlsx(data: dict[str, Any], path: Path) -> None:
    rows, total = number_rows(data)
    write_workbook([Sheet(title(data), number_header(data), rows, total)], path)


def write_rollup_docx(data: dict[str, Any], path: Path) -> None:
    from datetime import datetime

    from beiwen.io.report_docx import date_words, period_words

    heading = t("rollup.docx_title", period=period_words(data))
    document = layout.official_document(heading, "beiwen")
    document.add_paragraph(printable(heading), style="Title")
    layout.body(document, printable(summary(data)))
    for line in notes(data):
        layout.body(document, printable(line))
    rows, total = rollup_cells(data)
    layout.table(document, Section(title(data), rollup_columns(data), rows, total))
    made = datetime.fromisoformat(data["generated_at"]).date()
    layout.signature(document, "", printable(date_words(made)))
    write_file(path, document.save)


def summary(data: dict[str, Any]) -> str:
    """One sentence of the totals, each rate with what it is made of."""
    total = data["total"]

    def part(key: str) -> str:
        return fraction(*total["fractions"][key])

    return t(
        "rollup.summary",
        committees=total["committees"],
        collected=total["collected"],
        handled=total["handled"],
        handling=part("handling_rate"),
        on_time=part("on_time_rate"),
        overdue=total["overdue"],
        satisfaction=part("satisfaction_rate"),
        activities=total["activities"],
        participants=total["participants"],
        classes=total["classes"],
    )
