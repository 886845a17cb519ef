"""The printable work-order list for a meeting as a Word file (python-docx): A4 landscape,
the meeting's columns (render_exports.MEETING_COLUMNS), headings in the language in use,
the header row repeated on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beiwen.io.files import write_file
from beiwen.io.report_docx import set_fonts
from beiwen.render import printable
from beiwen.render_exports import meeting_rows, meeting_title

# Relative widths of number, date, grid, title, departments, status, due.
_WIDTHS = (1.2, 2.2, 1.0, 7.0, 4.6, 1.8, 3.2)


def write_issue_docx(rows: list[dict[str, Any]], path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    document = Document()
    for name in ("Normal", "Title", "Table Grid"):
        set_fonts(document.styles[name], 10.5 if name == "Normal" else None)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    heading, line = meeting_title(rows)
    title = document.add_heading(printable(heading), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(printable(line))
    header, cells = meeting_rows(rows)
    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    usable = 297 - 30
    scale = usable / sum(_WIDTHS)
    first = table.rows[0]
    # The header row repeats at the top of every printed page.
    first._tr.get_or_add_trPr().append(first._tr.makeelement(qn("w:tblHeader"), {}))
    for cell, text in zip(first.cells, header, strict=True):
        cell.text = printable(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in cells:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = printable(text)
    for column, width in zip(table.columns, _WIDTHS, strict=True):
        for cell in column.cells:
            cell.width = Mm(width * scale)
    write_file(path, document.save)
