"""The report's `lists` section (issue 18 items 7, 8): the demo's 2024 computes the article's
"为3家企业解决资金难题" from a project done with three enterprises helped, in every format,
and `--explain` lists the needs or projects behind each figure."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import Cli

YEAR_2024 = {
    "needs_collected": 10,
    "needs_transferred": 9,
    "needs_replied": 8,
    "needs_matched": 6,
    "projects_done": 1,
    "enterprises_helped": 3,
    "projects_overdue": 1,
}
ZH_NAMES = {
    "needs_collected": "收集需求",
    "needs_transferred": "转办需求",
    "needs_replied": "已反馈需求",
    "needs_matched": "对接项目需求",
    "projects_done": "完成项目",
    "enterprises_helped": "项目帮扶企业",
    "projects_overdue": "期末超期项目",
}


def lists(cli: Cli, *period: str) -> dict[str, int]:
    return json.loads(cli.ok("report", *period, "--format", "json").stdout)["lists"]


def test_the_demo_year_computes_the_three_enterprises_helped(demo: Cli) -> None:
    assert lists(demo, "--year", "2024") == YEAR_2024
    done = json.loads(demo.ok("project", "list", "--status", "done", "--format", "json").stdout)
    assert [(p["title"], p["helped"]) for p in done] == [("银企对接解决资金难题", 3)]
    funding = json.loads(demo.ok("project", "show", str(done[0]["id"]), "--format", "json").stdout)
    assert {need["kind"] for need in funding["need_list"]} == {"funding"}
    assert len({need["from_unit_id"] for need in funding["need_list"]}) == 3


def test_each_month_counts_its_own_steps(demo: Cli) -> None:
    march = lists(demo, "--month", "2024-03")
    assert march == {
        "needs_collected": 3,
        "needs_transferred": 3,
        "needs_replied": 3,
        "needs_matched": 3,
        "projects_done": 0,
        "enterprises_helped": 0,
        "projects_overdue": 0,
    }
    assert lists(demo, "--month", "2024-05")["enterprises_helped"] == 3
    assert lists(demo, "--month", "2024-11")["projects_overdue"] == 0
    assert lists(demo, "--month", "2024-12")["projects_overdue"] == 1
    assert lists(demo, "--year", "2023") == dict.fromkeys(YEAR_2024, 0)


def test_a_period_is_as_it_stood_at_its_end(demo: Cli) -> None:
    """Finishing the overdue project now leaves 2024's overdue figure as it was."""
    overdue = json.loads(
        demo.ok("project", "list", "--status", "overdue", "--format", "json").stdout
    )
    first = overdue[0]["id"]
    demo.ok("project", "done", str(first), "--outcome", "招聘到岗7人")
    assert lists(demo, "--year", "2024") == YEAR_2024


def test_table_markdown_and_csv(demo: Cli) -> None:
    zh = demo.ok("report", "--year", "2024", lang="zh").stdout
    assert "三张清单" in zh
    for key, name in ZH_NAMES.items():
        line = next(line for line in zh.splitlines() if f" {name} " in line)
        assert f" {YEAR_2024[key]} " in line, line
    md = demo.ok("report", "--year", "2024", "--format", "md", lang="zh").stdout
    assert "## 三张清单：需求、资源、项目" in md and "| 项目帮扶企业 | 3 |" in md
    en = demo.ok("report", "--year", "2024", "--format", "md").stdout
    assert "| Enterprises helped by projects | 3 |" in en
    keys = dict(
        csv.reader(
            io.StringIO(
                demo.ok("report", "--year", "2024", "--format", "csv").stdout.lstrip("\ufeff")
            )
        )
    )
    for key, value in YEAR_2024.items():
        assert keys[f"lists.{key}"] == str(value)
    blocks = demo.ok("report", "--year", "2024", "--format", "csv", lang="zh").stdout
    assert "三张清单：需求、资源、项目" in blocks and "项目帮扶企业,3" in blocks


def test_xlsx_and_docx(demo: Cli, tmp_path: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    sheet_file = tmp_path / "report.xlsx"
    demo.ok("report", "--year", "2024", "--format", "xlsx", "--output", str(sheet_file), lang="zh")
    book = load_workbook(sheet_file)
    sheet = next(book[name] for name in book.sheetnames if name.startswith("三张清单"))
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["项目帮扶企业"] == 3 and values["收集需求"] == 10
    word = tmp_path / "report.docx"
    demo.ok("report", "--year", "2024", "--format", "docx", "--output", str(word), lang="zh")
    document = Document(str(word))
    assert any("三张清单" in p.text for p in document.paragraphs)
    summary = document.paragraphs[1].text
    assert "收集企业需求10条，转办9条；完成对接项目1个，为3家企业解决难题。" in summary
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["项目帮扶企业", "3"] in cells


@pytest.mark.parametrize("key", sorted(YEAR_2024))
def test_explain_lists_what_each_figure_counts(demo: Cli, key: str) -> None:
    result = json.loads(
        demo.ok("report", "--year", "2024", "--explain", key, "--format", "json").stdout
    )
    assert result["metric"] == key and result["numerator"] == YEAR_2024[key]
    assert result["denominator"] is None
    listed = result[
        "projects" if key.startswith("projects") or key == "enterprises_helped" else "needs"
    ]
    if key == "enterprises_helped":
        assert sum(row["helped"] for row in listed) == 3
    else:
        assert len(listed) == YEAR_2024[key]
    zh = demo.ok("report", "--year", "2024", "--explain", ZH_NAMES[key], lang="zh")
    assert zh.stderr == f"2024 的{ZH_NAMES[key]}：分子 {YEAR_2024[key]}，分母 -\n"
    en = demo.ok("report", "--year", "2024", "--explain", key)
    assert en.stderr == f"{key} for 2024: numerator {YEAR_2024[key]}, denominator -\n"


def test_explain_takes_aliases_and_shows_labels(demo: Cli) -> None:
    zh = demo.ok("report", "--year", "2024", "--explain", "转单", lang="zh")
    assert zh.stderr.startswith("2024 的转办需求：分子 9")
    assert "融资" in zh.stdout and "funding" not in zh.stdout
    projects = demo.ok("report", "--year", "2024", "--explain", "超期项目", "--format", "csv")
    assert "春风行动商圈专场招聘" in projects.stdout
