"""Labels everywhere (issue 14, item 4): under Chinese no English key is left in the report,
its `--explain`, `db check`, `db restore`, `init --demo` or doctor; English stays as it was.

The demo's 2024 is the data: 77 work orders, 73 handled, 3 overdue at the year's end.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import pytest

from beiwen import migrations, vocab
from conftest import Cli

SCHEMA = Path(__file__).resolve().parents[1] / "data" / "schema.sql"
LATIN = re.compile(r"[A-Za-z]")
ZH_METRICS = (
    "收集问题、已处理、期末未办结、期末超期、问题处理率、按时办结率、已办结按时率、回访满意率、"
    "首次响应时长中位数（小时）、办结时长中位数（小时）"
    "、召开联席会、议定事项、议定事项已办结"
    "、收集需求、转办需求、已反馈需求、对接项目需求、完成项目、项目帮扶企业、期末超期项目"
    "、志愿服务时长、服务人数"
    "、党员人数、流动党员人数、明确原组织关系、在职党员人数、双报到、转入党员、转出党员"
)
EN_METRICS = (
    "collected, handled, open, overdue, handling_rate, on_time_rate, handled_on_time_rate, "
    "satisfaction_rate, "
    "median_response_hours, median_resolution_hours"
    ", held, decisions, decisions_done"
    ", needs_collected, needs_transferred, needs_replied, needs_matched, projects_done, "
    "enterprises_helped, projects_overdue"
    ", service_hours, service_people"
    ", party_members, party_mobile, mobile_registered, party_in_service, in_service_reported, "
    "party_joined, party_left"
)


def explained(cli: Cli, metric: str, *period: str) -> dict:
    args = period or ("--year", "2024")
    return json.loads(cli.ok("report", *args, "--explain", metric, "--format", "json").stdout)


# --- 1. --explain: the figure by its name, categories and grids by their labels ----------


def test_explain_in_chinese_names_the_figure_and_labels_the_categories(demo: Cli) -> None:
    result = demo.ok("report", "--year", "2024", "--explain", "逾期", lang="zh")
    assert result.stderr == "2024 的期末超期：分子 3，分母 -\n"
    rows = explained(demo, "overdue")["issues"]
    assert len(rows) == 3
    for row in rows:
        assert vocab.ISSUE_CATEGORIES[row["category"]][1] in result.stdout
    header = result.stdout.splitlines()[1]
    assert all(word in header for word in ("工单号", "标题", "类别", "网格", "上报时间"))
    for key in vocab.ISSUE_CATEGORIES:
        assert not re.search(rf"\b{key}\b", result.stdout), key
    assert not LATIN.search(result.stdout)


def test_explain_in_english_keeps_the_key_and_english_labels(demo: Cli) -> None:
    result = demo.ok("report", "--year", "2024", "--explain", "overdue")
    assert result.stderr == "overdue for 2024: numerator 3, denominator -\n"
    assert "Category" in result.stdout and "类别" not in result.stdout
    for row in explained(demo, "overdue")["issues"]:
        assert vocab.ISSUE_CATEGORIES[row["category"]][0] in result.stdout
    rate = demo.ok("report", "--year", "2024", "--explain", "处理率")
    assert rate.stderr == "handling_rate for 2024: numerator 73, denominator 77\n"


@pytest.mark.parametrize(
    ("spellings", "key", "fraction"),
    [
        (
            ("处理率", "问题处理率", "办结率", "handling_rate", "Handling rate"),
            "handling_rate",
            (73, 77),
        ),
        (
            ("按时办结率", "按期办结率", "按时率", "on_time_rate", "On-time rate", "on time"),
            "on_time_rate",
            (55, 76),  # due in 2024 (#77 is due 2025-01-01): 55 handled by then, 3 open
        ),
        (
            ("已办结按时率", "已办按时率", "handled_on_time_rate", "On-time rate of the handled"),
            "handled_on_time_rate",
            (55, 73),
        ),
        (
            ("满意率", "回访满意率", "satisfaction_rate", "Satisfaction rate"),
            "satisfaction_rate",
            None,
        ),
        (
            ("逾期", "超期", "期末超期", "overdue", "Overdue at period end", " OVERDUE "),
            "overdue",
            (3, None),
        ),
        (("收集问题", "收集", "collected", "Collected"), "collected", (77, None)),
        (("期末未办结", "未办结", "open"), "open", None),
        (
            ("首次响应时长中位数（小时）", "响应时长", "median_response_hours"),
            "median_response_hours",
            None,
        ),
        (("办结时长", "Median hours to resolution"), "median_resolution_hours", None),
    ],
)
def test_explain_accepts_key_english_and_chinese_names_and_aliases(
    demo: Cli, spellings: tuple[str, ...], key: str, fraction: tuple[int, int | None] | None
) -> None:
    results = [explained(demo, spelling) for spelling in spellings]
    assert {result["metric"] for result in results} == {key}  # JSON names the figure by its key
    assert all(result == results[0] for result in results)
    if fraction is not None:
        assert (results[0]["numerator"], results[0]["denominator"]) == fraction


def test_every_report_figure_is_in_the_one_metric_table() -> None:
    from beiwen.render_report import ISSUE_METRICS
    from beiwen.services.report import EXPLAINABLE

    assert set(vocab.REPORT_METRICS) == set(EXPLAINABLE)
    assert [key for key, _ in ISSUE_METRICS] == list(vocab.REPORT_METRICS)
    assert set(vocab.ALIASES["REPORT_METRICS"].values()) <= set(vocab.REPORT_METRICS)


def test_an_unknown_figure_is_one_line_listing_the_figures_in_the_language(demo: Cli) -> None:
    zh = demo.fails("report", "--year", "2024", "--explain", "幸福指数", lang="zh")
    assert zh.stderr == f"错误：--explain：未知指标“幸福指数”；可用：{ZH_METRICS}\n"
    assert zh.stdout == ""
    en = demo.fails("report", "--year", "2024", "--explain", "happiness")
    assert en.stderr == f'Error: --explain: unknown figure "happiness"; use one of: {EN_METRICS}\n'


def test_explain_shows_an_order_without_grid_by_its_label(ready: Cli) -> None:
    ready.ok(
        "issue", "add", "无网格的工单", "--category", "vendor", "--reported-at", "2024-08-05 09:00"
    )
    zh = ready.ok("report", "--month", "2024-08", "--explain", "收集", lang="zh")
    assert zh.stderr == "2024-08 的收集问题：分子 1，分母 -\n"
    line = next(line for line in zh.stdout.splitlines() if "无网格的工单" in line)
    assert "游摊占道" in line and "未分网格" in line
    en = ready.ok("report", "--month", "2024-08", "--explain", "collected")
    line = next(line for line in en.stdout.splitlines() if "无网格的工单" in line)
    assert "street vendors" in line and "no grid" in line
    # CSV keeps the stored keys, as every CSV does.
    raw = ready.ok(
        "report", "--month", "2024-08", "--explain", "收集", "--format", "csv", lang="zh"
    )
    rows = list(csv.DictReader(io.StringIO(raw.stdout.lstrip("\ufeff"))))
    assert rows[0]["category"] == "vendor"


# --- 2. db check, db restore, init --demo and doctor: tables by their labels ---------------


def test_every_table_of_the_schema_has_a_label() -> None:
    tables = re.findall(r"^CREATE TABLE (\w+)", SCHEMA.read_text(encoding="utf-8"), re.M)
    # The tables later migrations add count too: those of a database brought up to date.
    conn = sqlite3.connect(":memory:")
    migrations.apply_pending(conn)
    migrated = {
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' "
            "AND name <> ?",
            (migrations.MIGRATIONS_TABLE,),
        )
    }
    conn.close()
    assert set(tables) <= migrated
    assert set(vocab.TABLES) == migrated
    assert all(english == key for key, (english, _) in vocab.TABLES.items())
    chinese = [label for _, label in vocab.TABLES.values()]
    assert len(set(chinese)) == len(chinese)


def test_db_check_names_the_tables_in_chinese(demo: Cli) -> None:
    out = demo.ok("db", "check", lang="zh").stdout
    assert out.startswith("数据库完好：") and out.endswith("\n")
    counts = dict(entry.rsplit(" ", 1) for entry in out[6:-1].split("，"))
    assert set(counts) == {chinese for _, chinese in vocab.TABLES.values()}
    assert (counts["单位"], counts["工单"], counts["网格"], counts["人员"]) == (
        "1438",
        "77",
        "6",
        "55",
    )
    assert not LATIN.search(out)  # neither table names nor _sqlite_migrations
    en = demo.ok("db", "check").stdout
    assert en.startswith("database is sound: activities 33, activity_partners 35, ")
    assert "units 1438" in en and "issues 77" in en and "_sqlite_migrations" not in en


def break_a_grid(cli: Cli) -> str:
    unit = cli.ok("units", "add", "商户", "--kind", "merchant", "--grid", "2").stdout.strip()
    conn = sqlite3.connect(cli.db, isolation_level=None)  # foreign keys off
    conn.execute("DELETE FROM grids WHERE number = 2")
    conn.close()
    return unit


def test_foreign_key_findings_name_the_tables_by_their_labels(ready: Cli) -> None:
    unit = break_a_grid(ready)
    zh = ready.fails("db", "check", lang="zh")
    assert zh.stderr.splitlines()[1:] == [f"外键：单位表第 {unit} 行引用的网格不存在"]
    en = ready.fails("db", "check")
    assert en.stderr.splitlines()[1:] == [
        f"foreign key: units row {unit} points to a missing grids"
    ]
    doctor = ready.fails("doctor", lang="zh")
    assert doctor.stdout == (
        f"外键：单位表第 {unit} 行引用的网格不存在；请从备份恢复：beiwen db restore 备份.db\n"
    )
    assert ready.fails("doctor").stdout == (
        f"foreign key: units row {unit} points to a missing grids; "
        "restore a backup: beiwen db restore BACKUP.db\n"
    )


def test_restoring_a_damaged_backup_names_the_tables_by_their_labels(
    ready: Cli, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.db"
    ready.ok("db", "backup", str(backup))
    unit = break_a_grid(Cli(backup))
    result = ready.fails("db", "restore", str(backup), lang="zh")
    assert result.stderr == (
        f"错误：{backup} 已损坏（外键：单位表第 {unit} 行引用的网格不存在），"
        "不能用于恢复：请选择其他备份\n"
    )


def test_db_restore_counts_the_tables_by_their_labels(demo: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "backup.db"
    demo.ok("db", "backup", str(backup))
    zh = demo.ok("db", "restore", str(backup), lang="zh").stderr.splitlines()
    assert zh[0].startswith(f"已用 {backup} 恢复 {demo.db}：活动 33，活动合作单位 35，")
    assert zh[0].endswith("，单位 1438") and "，工单 77，" in zh[0]
    assert not LATIN.search(zh[0].split("：", 1)[1])
    en = demo.ok("db", "restore", str(backup)).stderr.splitlines()
    assert en[0].startswith(f"restored {demo.db} from {backup}: activities 33, ")
    assert "units 1438" in en[0] and "_sqlite_migrations" not in en[0]


def test_demo_summary_in_chinese(tmp_path: Path) -> None:
    zh = Cli(tmp_path / "zh.db").ok("init", "--demo", lang="zh").stderr.splitlines()
    assert zh[0] == (
        "演示数据已载入：网格 6，联席会成员单位 18，商户 1420，轮值月份 24，工单 77，"
        "人员 55，课程 6，课堂 145，活动 33，需求 11，资源 9，项目 3，党员 18，联席会 12，"
        "志愿服务记录 331"
    )
    en = Cli(tmp_path / "en.db").ok("init", "--demo").stderr.splitlines()
    assert en[0] == (
        "demo data loaded: grids 6, council units 18, merchants 1420, rotation months 24, "
        "work orders 77, people 55, courses 6, course classes 145, activities 33, "
        "needs 11, resources 9, projects 3, party members 18, joint meetings 12, "
        "service records 331"
    )


# --- 3. the report in Chinese: no English word in any format -------------------------------


@pytest.mark.parametrize("args", [("--month", "2024-08"), ("--year", "2024", "--compare")])
def test_report_table_and_markdown_in_chinese_have_no_english_word(
    demo: Cli, args: tuple[str, ...]
) -> None:
    table = demo.ok("report", *args, lang="zh").stdout
    assert "消费维权" in table and "游摊占道" in table
    md = demo.ok("report", *args, "--format", "md", lang="zh").stdout
    assert "| 问题处理率 |" in md
    for text in (table, md):
        assert not LATIN.search(text)


def test_report_change_of_a_rate_is_in_percentage_points(demo: Cli) -> None:
    zh = demo.ok("report", "--month", "2024-08", "--compare", lang="zh").stdout
    assert "+21.4 个百分点" in zh  # on-time 9/14 against July's 3/7
    assert "+21.4 pt" in demo.ok("report", "--month", "2024-08", "--compare").stdout


def chinese_csv_blocks(raw: str) -> dict[str, list[list[str]]]:
    """The Chinese report CSV by its blocks: heading -> rows (header row first)."""
    assert raw.startswith("\ufeff")
    found: dict[str, list[list[str]]] = {}
    block: list[list[str]] = []
    for row in [*csv.reader(io.StringIO(raw.lstrip("\ufeff"))), []]:
        if row:
            block.append(row)
        elif block:
            found[block[0][0]] = block[1:]
            block = []
    return found


def test_report_csv_in_chinese_names_every_figure(demo: Cli) -> None:
    # Issue 15: in Chinese the CSV is one table per section, people's reading, not key paths.
    raw = demo.ok("report", "--month", "2024-08", "--compare", "--format", "csv", lang="zh").stdout
    blocks = chinese_csv_blocks(raw)
    assert not [
        cell for rows in blocks.values() for row in rows for cell in row if LATIN.search(cell)
    ]
    metrics = {row[0]: row for row in blocks["问题工单"]}
    assert metrics["指标"] == ["指标", "数值", "分子", "分母", "比率", "上期", "变化"]
    assert metrics["收集问题"][1] == "14"
    assert metrics["收集问题"][5] == "7"  # the previous month
    assert metrics["问题处理率"][2:5] == ["14", "14", "100.0%"]
    # 13 fell due by the end of August (one of the 14 is due in September), 8 of them on time
    assert metrics["按时办结率"][2:4] == ["8", "13"]
    assert metrics["已办结按时率"][2:4] == ["9", "14"]  # the handled, 9 of them on time
    assert {row[0]: row[1] for row in blocks["工单分类统计"]}["游摊占道"] == "8"
    assert {row[0]: row[2] for row in blocks["工单分网格统计"]}["5"] == "9"
    assert {row[0]: row[2] for row in blocks["活动与服务"]}["金融服务进企业"] == "14"
    assert next(iter(blocks)) == "2024-08 月度工作报告"
    # English keeps the report's keys, as scripts read them; so does --keys in Chinese.
    english = demo.ok("report", "--month", "2024-08", "--compare", "--format", "csv").stdout
    keys = dict(csv.reader(io.StringIO(english.lstrip("\ufeff"))))
    assert keys["metric"] == "value"
    assert keys["issues.by_category.vendor.collected"] == "8"
    assert keys["issues.by_grid.5.handled"] == "9"
    assert keys["previous.issues.collected"] == "7"
    keyed = demo.ok(
        "report", "--month", "2024-08", "--compare", "--format", "csv", "--keys", lang="zh"
    ).stdout

    def figures(text: str) -> list[str]:  # the run's own time may tick between the two runs
        return [line for line in text.splitlines() if "generated_at," not in line]

    assert figures(keyed) == figures(english)
    assert sum("generated_at," in line for line in keyed.splitlines()) == sum(
        "generated_at," in line for line in english.splitlines()
    )


def test_report_csv_in_chinese_labels_orders_without_a_grid(ready: Cli) -> None:
    ready.ok("issue", "add", "无网格", "--category", "other", "--reported-at", "2024-08-05 09:00")
    raw = ready.ok("report", "--month", "2024-08", "--format", "csv", lang="zh").stdout
    blocks = chinese_csv_blocks(raw)
    assert {row[0]: row[1] for row in blocks["工单分网格统计"]}["未分网格"] == "1"
    assert {row[0]: row[1] for row in blocks["工单分类统计"]}["其他"] == "1"


def test_report_docx_in_chinese_has_no_english_word(demo: Cli, tmp_path: Path) -> None:
    from docx import Document

    target = tmp_path / "report.docx"
    args = ("--year", "2024", "--compare", "--format", "docx", "--output", str(target))
    demo.ok("report", *args, lang="zh")
    document = Document(str(target))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "游摊占道" in texts and "问题处理率" in texts
    # Grids are shown by name, and a name is data as typed (UME影城网格), not a label.
    grids = json.loads(demo.ok("grid", "list", "--format", "json").stdout)
    names = re.compile("|".join(re.escape(row["name"]) for row in grids))
    assert "UME影城网格" in texts
    assert not [text for text in texts if LATIN.search(names.sub("", text))]
