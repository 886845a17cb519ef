"""The Word report as an official document (公文, GB/T 9704 layout), read back with python-docx:
A4 and its margins, the fonts (East Asian names), the title from the settings, the summary
written from the figures, repeated table headers, a paragraph last, the page number field,
the file's properties; `beiwen settings`; and LibreOffice opening it (when installed)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from beiwen import vocab
from conftest import Cli

DEFAULT_NAME = "北温泉街道嘉陵风情步行街商圈党委"


def qn(name: str) -> str:
    from docx.oxml.ns import qn as docx_qn

    return str(docx_qn(name))


def word(cli: Cli, tmp_path: Path, *period: str, name: str = "report.docx") -> Any:
    from docx import Document

    target = tmp_path / name
    cli.ok("report", *period, "--format", "docx", "--output", str(target), lang="zh")
    return Document(str(target))


def report_json(cli: Cli, *period: str) -> dict[str, Any]:
    return dict(json.loads(cli.ok("report", *period, "--format", "json", lang="zh").stdout))


def east_asian(style: Any) -> str:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:asciiTheme")) is None and fonts.get(qn("w:eastAsiaTheme")) is None
    return str(fonts.get(qn("w:eastAsia")))


def body_texts(document: Any) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_the_page_is_a4_with_the_official_margins(demo: Cli, tmp_path: Path) -> None:
    section = word(demo, tmp_path, "--month", "2024-08").sections[0]
    sizes = {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }
    for name, millimetres in sizes.items():  # stored in twips: within a twentieth of a point
        assert abs(getattr(section, name).mm - millimetres) < 0.02, name


def test_title_headings_and_body_have_their_fonts_and_sizes(demo: Cli, tmp_path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = word(demo, tmp_path, "--month", "2024-08")
    styles = document.styles
    assert east_asian(styles["Title"]) == "方正小标宋简体"
    assert styles["Title"].font.size == Pt(22)
    assert east_asian(styles["Heading 1"]) == "黑体"
    assert styles["Heading 1"].font.size == Pt(16)
    assert not styles["Heading 1"].font.bold
    assert east_asian(styles["Normal"]) == "仿宋_GB2312"
    assert styles["Normal"].font.size == Pt(16)
    title = document.paragraphs[0]
    assert title.style.name == "Title"
    assert title.text == f"{DEFAULT_NAME}2024年8月工作情况报告"
    assert title.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["一、问题工单", "二、工单分类统计", "三、工单分网格统计"]
    # Where 方正小标宋简体 (or 仿宋_GB2312) is not installed, the font table names 黑体 (仿宋).
    fonts = next(
        part
        for part in document.part.package.iter_parts()
        if part.partname.endswith("fontTable.xml")
    ).blob.decode("utf-8")
    assert re.search(r'w:name="方正小标宋简体".*?<w:altName w:val="黑体"/>', fonts, re.S)
    assert re.search(r'w:name="仿宋_GB2312".*?<w:altName w:val="仿宋"/>', fonts, re.S)


def test_the_summary_is_written_from_the_figures(demo: Cli, tmp_path: Path) -> None:
    issues = report_json(demo, "--month", "2024-08")["issues"]
    collected, handled = issues["collected"], issues["handled"]
    rate = f"{handled / collected * 100:.1f}%"
    summary = word(demo, tmp_path, "--month", "2024-08").paragraphs[1].text
    assert summary.startswith(f"本月共收集问题{collected}个，处理{handled}个，处理率{rate}")
    assert f"其中超期{issues['overdue']}个" in summary
    numerator, denominator = issues["fractions"]["satisfaction_rate"]
    assert f"群众满意率{numerator / denominator * 100:.1f}%" in summary


def test_a_year_and_a_range_are_named_in_the_title(demo: Cli, tmp_path: Path) -> None:
    year = word(demo, tmp_path, "--year", "2024", name="year.docx")
    assert year.paragraphs[0].text == f"{DEFAULT_NAME}2024年工作情况报告"
    assert year.paragraphs[1].text.startswith("本年度共收集问题")
    span = word(demo, tmp_path, "--from", "2024-07-01", "--to", "2024-09-30", name="q3.docx")
    expected = f"{DEFAULT_NAME}2024年7月1日至2024年9月30日工作情况报告"
    assert span.paragraphs[0].text == expected


def test_every_table_repeats_its_header_and_the_document_ends_with_a_paragraph(
    demo: Cli, tmp_path: Path
) -> None:
    document = word(demo, tmp_path, "--year", "2024")
    assert len(document.tables) >= 6
    for table in document.tables:
        first = table.rows[0]._tr
        assert first.trPr is not None and first.trPr.find(qn("w:tblHeader")) is not None
        assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in table.rows[1:])
    body = [child for child in document.element.body if child.tag != qn("w:sectPr")]
    assert body[-1].tag == qn("w:p")
    assert body[-2].tag == qn("w:p")


def test_grids_by_name_and_categories_in_their_fixed_order(demo: Cli, tmp_path: Path) -> None:
    document = word(demo, tmp_path, "--year", "2024")
    by_heading = {}
    elements = list(document.element.body)
    for index, element in enumerate(elements):
        if element.tag == qn("w:p") and element.xpath("string(.)").endswith("统计"):
            following = elements[index + 1]
            if following.tag == qn("w:tbl"):
                by_heading[element.xpath("string(.)").split("、", 1)[1]] = following
    from docx.table import Table

    def first_column(name: str) -> list[str]:
        table = Table(by_heading[name], document)
        return [row.cells[0].text for row in table.rows[1:-1]]

    categories = first_column("工单分类统计")
    order = [label for _, label in vocab.ISSUE_CATEGORIES.values()]
    assert categories == [label for label in order if label in categories]
    assert "游摊占道" in categories
    grids = first_column("工单分网格统计")
    assert "步行街中段网格" in grids and not [g for g in grids if g.isdigit()]
    assert Table(by_heading["工单分类统计"], document).rows[-1].cells[0].text == "合计"


def test_issuing_body_and_date_close_the_document(demo: Cli, tmp_path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    made = report_json(demo, "--month", "2024-08")["generated_at"][:10]
    year, month, day = (int(part) for part in made.split("-"))
    document = word(demo, tmp_path, "--month", "2024-08")
    issuer, date = document.paragraphs[-2], document.paragraphs[-1]
    assert issuer.text == DEFAULT_NAME
    assert date.text == f"{year}年{month}月{day}日"
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_page_numbers_are_a_centred_page_field(demo: Cli, tmp_path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = word(demo, tmp_path, "--month", "2024-08").sections[0].footer
    paragraph = footer.paragraphs[0]
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    element = paragraph._p
    instructions = [node.text.strip() for node in element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    kinds = [node.get(qn("w:fldCharType")) for node in element.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert paragraph.text == "— 1 —"


def test_language_title_and_author_in_the_file(demo: Cli, tmp_path: Path) -> None:
    demo.ok("settings", "set", "org.issuer", "中共北温泉街道嘉陵风情步行街商圈委员会")
    document = word(demo, tmp_path, "--month", "2024-08")
    properties = document.core_properties
    assert properties.title == f"{DEFAULT_NAME}2024年8月工作情况报告"
    assert properties.author == "中共北温泉街道嘉陵风情步行街商圈委员会"
    assert properties.language == "zh-CN"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "zh-CN" and lang.get(qn("w:eastAsia")) == "zh-CN"


def test_settings_name_the_committee_and_the_issuer(demo: Cli, tmp_path: Path) -> None:
    listed = json.loads(demo.ok("settings", "list", "--format", "json").stdout)
    assert [(row["key"], row["value"], row["default"]) for row in listed] == [
        ("org.name", DEFAULT_NAME, True),
        ("org.issuer", DEFAULT_NAME, True),
    ]
    demo.ok("settings", "set", "org.name", "  某某商圈党委 ")
    assert demo.ok("settings", "get", "org.name").stdout == "某某商圈党委\n"
    assert demo.ok("settings", "get", "org.issuer").stdout == "某某商圈党委\n"  # follows the name
    saved = demo.ok("settings", "set", "org.issuer", "中共某某商圈委员会", lang="zh")
    assert saved.stdout == "" and "org.issuer 已设为 中共某某商圈委员会" in saved.stderr
    document = word(demo, tmp_path, "--month", "2024-08")
    assert document.paragraphs[0].text == "某某商圈党委2024年8月工作情况报告"
    assert document.paragraphs[-2].text == "中共某某商圈委员会"
    listed = json.loads(demo.ok("settings", "list", "--format", "json").stdout)
    assert [row["default"] for row in listed] == [False, False]
    assert "Default" in demo.ok("settings", "list").stdout


def test_settings_refuse_unknown_keys_and_empty_values(ready: Cli) -> None:
    error = ready.fails("settings", "set", "org.colour", "红").stderr
    assert error == "Error: no setting org.colour; the keys are: org.name, org.issuer\n"
    assert "没有设置项 org.colour" in ready.fails("settings", "get", "org.colour", lang="zh").stderr
    assert "needs a value" in ready.fails("settings", "set", "org.name", "  ").stderr
    assert "longer than 200" in ready.fails("settings", "set", "org.name", "党" * 201).stderr
    assert ready.ok("settings", "get", "ORG.NAME").stdout == DEFAULT_NAME + "\n"


def test_the_new_sections_are_shown_when_present_and_skipped_when_absent(
    demo: Cli, tmp_path: Path
) -> None:
    from docx import Document

    from beiwen.i18n import set_language
    from beiwen.io.report_docx import write_report_docx
    from beiwen.services.settings import Letterhead

    data = report_json(demo, "--month", "2024-08")
    set_language("zh")
    try:
        full, bare = tmp_path / "full.docx", tmp_path / "bare.docx"
        write_report_docx(data, full, Letterhead(grids={5: "步行街中段网格"}))
        for key in ("by_department", "by_source", "overdue_list", "top_categories"):
            data["issues"].pop(key, None)
        data.pop("duty", None)
        write_report_docx(data, bare)
    finally:
        set_language("en")
    new = {"工单来源统计", "部门吹哨报到情况（按得分排名）", "期末超期工单", "轮值书记单位履职情况"}

    def headings(path: Path) -> set[str]:
        paragraphs = Document(str(path)).paragraphs
        return {p.text.split("、", 1)[1] for p in paragraphs if p.style.name == "Heading 1"}

    assert new <= headings(full)
    assert not new & headings(bare)
    assert "问题工单" in headings(bare)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_opens_it_and_keeps_the_last_table(demo: Cli, tmp_path: Path) -> None:
    from docx import Document

    source = tmp_path / "report.docx"
    demo.ok("report", "--year", "2024", "--format", "docx", "--output", str(source), lang="zh")
    rows = [len(table.rows) for table in Document(str(source)).tables]
    profile = (tmp_path / "profile").as_uri()
    soffice = str(shutil.which("soffice"))

    def convert(path: Path, target: str, folder: Path) -> Path:
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target]
            + ["--outdir", str(folder), str(path)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        converted = folder / f"{path.stem}.{target.split(':')[0]}"
        assert converted.exists() and converted.stat().st_size > 0
        return converted

    convert(source, "pdf", tmp_path / "pdf")
    doc = convert(source, "doc", tmp_path / "doc")
    back = convert(doc, "docx", tmp_path / "back")
    again = Document(str(back))
    assert [len(table.rows) for table in again.tables] == rows  # no table collapsed
    assert again.paragraphs[0].text == f"{DEFAULT_NAME}2024年工作情况报告"
