"""The monthly report as a Word document (python-docx), ready to print.

Chinese text needs the East Asian font set on each style (w:eastAsia), not only the font
name, or Word falls back to a Western font for CJK characters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beiwen.io.files import write_file
from beiwen.render import printable
from beiwen.render_report import monthly_rows, sections, subtitle, title

CJK_FONT = "宋体"
LATIN_FONT = "Times New Roman"


def set_fonts(style: Any, size_pt: float | None = None) -> None:
    """Latin and East Asian fonts (and a size) on a style; also for io/issue_docx.py."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = LATIN_FONT
    if size_pt:
        style.font.size = Pt(size_pt)
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def write_report_docx(report: dict[str, Any], path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        set_fonts(document.styles[name], 11 if name == "Normal" else None)
    # XML cannot hold control characters (python-docx refuses them): they go in escaped, as
    # on a terminal.
    heading = document.add_heading(printable(title(report)), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in subtitle(report):
        document.add_paragraph(printable(line))

    def add_table(caption: str, columns: list[str], rows: list[list[str]]) -> None:
        document.add_heading(printable(caption), level=1)
        table = document.add_table(rows=1, cols=len(columns))
        table.style = document.styles["Table Grid"]
        for cell, text in zip(table.rows[0].cells, columns, strict=True):
            cell.text = printable(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
                cell.text = printable(text)
                if index:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    for section in sections(report):
        add_table(
            section.heading,
            section.columns,
            section.rows + ([section.total] if section.total else []),
        )
    monthly = monthly_rows(report)
    if monthly is not None:
        add_table(*monthly)

    write_file(path, document.save)
