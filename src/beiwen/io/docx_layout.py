"""The layout of an official document (公文, GB/T 9704) in python-docx, for io/report_docx.py:
the page, the styles and their fonts, body paragraphs, tables whose header row repeats, the
issuing body and date, and the page number in the footer."""

from __future__ import annotations

from typing import Any

from beiwen.i18n import language
from beiwen.printable import printable
from beiwen.render_report import Section

CJK_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
# The font a printer without the official fonts uses instead (the font table's altName).
FALLBACK_FONTS = {TITLE_FONT: HEADING_FONT, BODY_FONT: "仿宋"}
TITLE_PT = 22  # 二号
TEXT_PT = 16  # 三号
TABLE_PT = 12  # 小四, so that a table of five or six columns fits the line
WIDE_TABLE_PT = 10.5  # 五号, for the wider tables (departments)
FOOTER_PT = 14  # 四号
# GB/T 9704: 22 lines of 28 characters on the text area (156 mm x 225 mm).
LINE_PT = 28.95
# Page and margins in millimetres.
PAGE = (210, 297)
MARGINS = {"top_margin": 37, "bottom_margin": 35, "left_margin": 28, "right_margin": 26}
CHINESE_NUMERALS = "一二三四五六七八九十"  # headings: 一、二、…


def set_fonts(
    style: Any, size_pt: float | None = None, east_asian: str = CJK_FONT, latin: str = LATIN_FONT
) -> None:
    """Latin and East Asian fonts (and a size) on a style; also for io/issue_docx.py."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = latin
    if size_pt:
        style.font.size = Pt(size_pt)
    r_pr = style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would win over the names
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)


_FONT_TABLE = "/word/fontTable.xml"


def _points(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)


def _plain(style: Any, east_asian: str, size: float, bold: bool = False) -> None:
    """Black, not bold (unless asked), the fonts and size given, no theme font or colour."""
    from docx.oxml.ns import qn

    set_fonts(style, size, east_asian)
    style.font.bold = bold
    r_pr = style.element.get_or_add_rPr()
    for tag in ("w:color", "w:bCs"):
        for found in r_pr.findall(qn(tag)):
            r_pr.remove(found)
    p_pr = style.element.find(qn("w:pPr"))
    if p_pr is not None:
        for found in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(found)


def _exact(style: Any, line: float = LINE_PT) -> None:
    from docx.enum.text import WD_LINE_SPACING

    paragraph = style.paragraph_format
    paragraph.space_before = _points(0)
    paragraph.space_after = _points(0)
    paragraph.line_spacing = _points(line)
    paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY


def _language(document: Any) -> None:
    """zh-CN for East Asian text (and for all of it under zh) in the defaults of every style."""
    from docx.oxml.ns import qn

    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    r_pr = r_pr_default.find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = r_pr.makeelement(qn("w:lang"), {})
        r_pr.append(lang)
    lang.set(qn("w:val"), "zh-CN" if language() == "zh" else "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")


def _font_fallbacks(document: Any) -> None:
    """Name, in the font table, the font to use where an official font is not installed
    (方正小标宋简体 -> 黑体, 仿宋_GB2312 -> 仿宋)."""
    from docx.opc.oxml import serialize_part_xml
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    part = next((p for p in document.part.package.iter_parts() if p.partname == _FONT_TABLE), None)
    if part is None:
        return
    table = parse_xml(part.blob)
    for name, alternative in FALLBACK_FONTS.items():
        font = table.makeelement(qn("w:font"), {qn("w:name"): name})
        for tag, value in (("w:altName", alternative), ("w:charset", "86"), ("w:family", "auto")):
            font.append(font.makeelement(qn(tag), {qn("w:val"): value}))
        table.append(font)
    # A part python-docx does not model keeps its bytes in `_blob`.
    part._blob = serialize_part_xml(table)


def _page_number(section: Any) -> None:
    """`— 1 —` centred in the footer: a PAGE field between two dashes, 宋体 四号."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def run(text: str = "") -> Any:
        added = paragraph.add_run(text)
        added.font.size = _points(FOOTER_PT)
        added.font.name = LATIN_FONT
        fonts = added._r.get_or_add_rPr().find(qn("w:rFonts"))
        fonts.set(qn("w:eastAsia"), CJK_FONT)
        return added

    run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("separate", None)):
        element = run()._r
        if kind:
            element.append(element.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind}))
        else:
            text = element.makeelement(qn("w:instrText"), {})
            text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            text.text = instruction
            element.append(text)
    run("1")
    end = run()._r
    end.append(end.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): "end"}))
    run(" —")


def official_document(title: str, author: str) -> Any:
    """A new document: A4 with the 公文 margins, its styles, language, properties, footer."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
    for side, millimetres in MARGINS.items():
        setattr(section, side, Mm(millimetres))
    section.footer_distance = Mm(24)  # the number 7 mm below the text area
    section.header_distance = Mm(15)
    styles = document.styles
    normal = styles["Normal"]
    _plain(normal, BODY_FONT, TEXT_PT)
    _exact(normal)
    title_style = styles["Title"]
    _plain(title_style, TITLE_FONT, TITLE_PT)
    _exact(title_style, TITLE_PT * 1.6)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.space_after = _points(LINE_PT)
    heading = styles["Heading 1"]
    _plain(heading, HEADING_FONT, TEXT_PT)
    _exact(heading)
    heading.paragraph_format.first_line_indent = _points(TEXT_PT * 2)
    heading.paragraph_format.keep_with_next = True
    _plain(styles["Table Grid"], BODY_FONT, TABLE_PT)
    for name, size in (("Table Text", TABLE_PT), ("Table Text Small", WIDE_TABLE_PT)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _plain(style, BODY_FONT, size)
        _exact(style, size * 1.5)
    _language(document)
    _font_fallbacks(document)
    _page_number(section)
    properties = document.core_properties
    properties.title = title
    properties.author = author
    properties.last_modified_by = author
    properties.language = "zh-CN" if language() == "zh" else "en-US"
    properties.comments = ""
    return document


def body(document: Any, text: str) -> Any:
    """A paragraph of the body: 仿宋 三号, the first line indented two characters."""
    paragraph = document.add_paragraph(text)
    paragraph.paragraph_format.first_line_indent = _points(TEXT_PT * 2)
    return paragraph


def table(document: Any, section: Section) -> Any:
    """`section` as a centred grid: the header row bold and repeated at the top of every
    page, no row split across pages, figures right-aligned, the total row bold."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    style = "Table Text" if len(section.columns) <= 6 else "Table Text Small"
    grid = document.add_table(rows=1, cols=len(section.columns))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    rows = [(section.columns, "header"), *((row, "") for row in section.rows)]
    if section.total:
        rows.append((section.total, "total"))
    for index, (texts, kind) in enumerate(rows):
        row = grid.rows[0] if index == 0 else grid.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))
        if kind == "header":
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles[style]
            run = paragraph.add_run(printable(text))  # XML holds no control characters
            run.bold = bool(kind)
            if kind == "header":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif column:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return grid


def signature(document: Any, issuer: str, made_on: str) -> None:
    """After a blank line, the issuing body (落款) and below it the date it was made
    (成文日期), right-aligned, the date two characters further in: paragraphs, so that the
    document never ends with a table."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document.add_paragraph("")
    for text, indent in ((issuer, 2), (made_on, 4)):
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = _points(TEXT_PT * indent)
