"""`beiwen activity …`: the log of events and services through the real CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli

BANK = "中国工商银行重庆北碚支行"
COMMERCE = "北碚区商务委员会"
CHAMBER = "嘉陵风情步行街商会"


def json_of(cli: Cli, *args: str) -> Any:
    return json.loads(cli.ok(*args, "--format", "json").stdout)


def listed(cli: Cli, *options: str) -> list[dict[str, Any]]:
    data = json_of(cli, "activity", "list", *options)
    assert isinstance(data, list)
    return data


def add(cli: Cli, title: str, *options: str) -> int:
    return int(cli.ok("activity", "add", title, *options).stdout)


@pytest.fixture
def district(ready: Cli) -> Cli:
    """Three council units (ids 1-3)."""
    for name, kind in ((BANK, "bank"), (COMMERCE, "agency"), (CHAMBER, "association")):
        ready.ok("units", "add", name, "--kind", kind, "--council")
    return ready


def test_add_with_every_option(district: Cli) -> None:
    result = district.ok(
        "activity",
        "add",
        "金融服务进企业·走进嵩达广场",
        "--kind",
        "金融服务进企业",
        "--date",
        "2024年3月19日",
        "--lead-unit",
        BANK,
        "--partner",
        "2",
        "--partner",
        CHAMBER,
        "--enterprises-served",
        "12",
        "--enterprises-helped",
        "1",
        "--participants",
        "26",
        "--outcome",
        "收集融资需求",
    )
    assert result.stdout == "1\n"
    assert result.stderr == "added activity 1\n"
    shown = json_of(district, "activity", "show", "1")
    assert {k: shown[k] for k in ("title", "kind", "date", "lead_unit_id", "lead_unit")} == {
        "title": "金融服务进企业·走进嵩达广场",
        "kind": "finance_visit",
        "date": "2024-03-19",
        "lead_unit_id": 1,
        "lead_unit": BANK,
    }
    assert (shown["enterprises_served"], shown["enterprises_helped"]) == (12, 1)
    assert (shown["participants"], shown["outcome"]) == (26, "收集融资需求")
    assert shown["partners"] == f"{COMMERCE}、{CHAMBER}"
    assert shown["partner_list"] == [{"id": 2, "name": COMMERCE}, {"id": 3, "name": CHAMBER}]


def test_kind_accepts_keys_labels_and_aliases(district: Cli) -> None:
    for kind in ("training", "政银企座谈", "cooperation meeting", "美食节", "其它"):
        add(district, f"活动 {kind}", "--kind", kind, "--date", "2024-05-01", "--lead-unit", "1")
    assert [row["kind"] for row in listed(district)] == [
        "training",
        "forum",
        "cooperation_meeting",
        "festival",
        "other",
    ]


def test_counts_default_to_zero(district: Cli) -> None:
    add(district, "企业沙龙", "--kind", "salon", "--date", "2024-03-28", "--lead-unit", "2")
    row = listed(district)[0]
    assert (row["enterprises_served"], row["enterprises_helped"], row["participants"]) == (0, 0, 0)
    assert row["partners"] is None


def test_add_errors_write_nothing(district: Cli) -> None:
    base = ["--kind", "training", "--date", "2024-04-24", "--lead-unit", "1"]
    cases = [
        (
            ["--kind", "party"],
            'kind: unknown value "party"; use one of: finance_visit (金融服务进企业)',
        ),
        (["--date", "2999-01-01"], "date: 2999-01-01 is in the future; an activity is logged"),
        (["--date", "24/4/2024"], 'date: "24/4/2024" is not a date'),
        (["--participants", "-5"], 'participants: "-5" is not a whole number of at least 0'),
        (["--enterprises-served", "x"], 'enterprises_served: "x" is not a whole number'),
        (["--lead-unit", "国家税务总局"], 'unknown unit "国家税务总局"'),
        (["--partner", "99"], 'unknown unit "99"'),
    ]
    for changes, message in cases:
        args = list(base)
        for index in range(0, len(changes), 2):
            option, value = changes[index], changes[index + 1]
            if option in args:
                args[args.index(option) + 1] = value
            else:
                args += [option, value]
        result = district.fails("activity", "add", "创业就业培训", *args)
        assert message in result.stderr, result.stderr
    assert "title: is required" in district.fails("activity", "add", "", *base).stderr
    missing = district("activity", "add", "创业就业培训", "--date", "2024-04-24")
    assert missing.exit_code == 2 and "--kind" in missing.stderr
    assert listed(district, "--all") == []
    zh = district.fails("activity", "add", "x", "--kind", "派对", "--date", "2024-04-24", lang="zh")
    assert "类型：未知取值“派对”" in zh.stderr


def test_lead_unit_defaults_to_the_duty_unit_of_the_month(district: Cli) -> None:
    district.ok("rotation", "assign", "2024-08", CHAMBER)
    result = district.ok(
        "activity", "add", "主题党日", "--kind", "party_day", "--date", "2024-08-27"
    )
    assert result.stderr == f"lead unit: {CHAMBER}, the duty unit of 2024-08\nadded activity 1\n"
    assert listed(district)[0]["lead_unit"] == CHAMBER
    # Another month without a duty unit: left empty, and said so.
    other = district.ok(
        "activity", "add", "志愿服务", "--kind", "volunteer", "--date", "2024-09-02"
    )
    assert other.stderr == (
        "no lead unit: no duty unit is set for 2024-09; give one with --lead-unit\n"
        "added activity 2\n"
    )
    # A lead unit given explicitly wins over the rotation.
    add(district, "座谈", "--kind", "forum", "--date", "2024-08-28", "--lead-unit", BANK)
    leads = {row["id"]: row["lead_unit"] for row in listed(district)}
    assert leads == {1: CHAMBER, 2: None, 3: BANK}


@pytest.fixture
def logbook(district: Cli) -> Cli:
    """Five activities over 2024 and one in 2025."""
    add(
        district,
        "金融服务进企业（一）",
        "--kind",
        "finance_visit",
        "--date",
        "2024-03-19",
        "--lead-unit",
        "1",
        "--enterprises-served",
        "12",
    )
    add(
        district,
        "政银企座谈会",
        "--kind",
        "forum",
        "--date",
        "2024-06-25",
        "--lead-unit",
        "2",
        "--partner",
        "1",
        "--enterprises-served",
        "9",
        "--enterprises-helped",
        "2",
    )
    add(
        district,
        "金融服务进企业（二）",
        "--kind",
        "finance_visit",
        "--date",
        "2024-08-14",
        "--lead-unit",
        "1",
        "--enterprises-served",
        "14",
        "--participants",
        "31",
    )
    add(
        district,
        "合作洽谈会",
        "--kind",
        "cooperation_meeting",
        "--date",
        "2024-08-16",
        "--lead-unit",
        "3",
        "--participants",
        "32",
    )
    add(
        district,
        "美食节",
        "--kind",
        "festival",
        "--date",
        "2024-08-17",
        "--lead-unit",
        "3",
        "--participants",
        "5600",
    )
    add(
        district,
        "金融服务进企业（三）",
        "--kind",
        "finance_visit",
        "--date",
        "2025-01-08",
        "--lead-unit",
        "1",
        "--enterprises-served",
        "10",
    )
    return district


def test_list_filters(logbook: Cli) -> None:
    assert [row["id"] for row in listed(logbook, "--month", "2024-08")] == [3, 4, 5]
    assert [row["id"] for row in listed(logbook, "--year", "2024")] == [1, 2, 3, 4, 5]
    assert [row["id"] for row in listed(logbook, "--kind", "金融服务进企业")] == [1, 3, 6]
    assert [row["id"] for row in listed(logbook, "--year", "2024", "--kind", "finance_visit")] == [
        1,
        3,
    ]
    assert listed(logbook, "--month", "2024-02") == []


def test_list_errors(logbook: Cli) -> None:
    both = logbook.fails("activity", "list", "--month", "2024-08", "--year", "2024")
    assert both.stderr == "Error: give --month or --year, not both\n"
    assert (
        '--month: "8月" is not a month'
        in logbook.fails("activity", "list", "--month", "8月").stderr
    )
    assert '--year: "24" is not a year' in logbook.fails("activity", "list", "--year", "24").stderr
    assert 'unknown value "fair"' in logbook.fails("activity", "list", "--kind", "fair").stderr
    assert "unknown format" in logbook.fails("activity", "list", "--format", "yaml").stderr


def test_list_table_has_totals_and_chinese_labels(logbook: Cli) -> None:
    table = logbook.ok("activity", "list", "--month", "2024-08").stdout
    assert "Total 3" in table
    assert "5663" in table  # 31 + 32 + 5600 participants
    zh = logbook.ok("activity", "list", "--month", "2024-08", lang="zh").stdout
    for text in ("合计 3", "金融服务进企业", "合作洽谈会", "商圈活动", "参与人数"):
        assert text in zh
    csv_text = logbook.ok("activity", "list", "--format", "csv", "--month", "2024-06").stdout
    assert csv_text.splitlines()[0] == (
        "\ufeffid,date,kind,title,lead_unit,partners,enterprises_served,enterprises_helped,"
        "participants,outcome"
    )
    assert csv_text.splitlines()[1] == (f"2,2024-06-25,forum,政银企座谈会,{COMMERCE},{BANK},9,2,0,")


def test_show_table_and_unknown(logbook: Cli) -> None:
    table = logbook.ok("activity", "show", "2").stdout
    for text in ("政银企座谈会", "government-bank-enterprise forum", COMMERCE, BANK):
        assert text in table
    assert "政银企座谈" in logbook.ok("activity", "show", "2", lang="zh").stdout
    unknown = logbook.fails("activity", "show", "42")
    assert unknown.stderr == (
        'Error: unknown activity "42"; find its id with: beiwen activity list\n'
    )
    assert "unknown activity" in logbook.fails("activity", "show", "abc").stderr


def test_edit(logbook: Cli) -> None:
    result = logbook.ok(
        "activity",
        "edit",
        "2",
        "--enterprises-helped",
        "3",
        "--title",
        "政银企交流座谈会",
        "--partner",
        "3",
        "--partner",
        BANK,
    )
    assert result.stderr == "updated activity 2\n"
    shown = json_of(logbook, "activity", "show", "2")
    assert (shown["title"], shown["enterprises_helped"]) == ("政银企交流座谈会", 3)
    assert [p["id"] for p in shown["partner_list"]] == [3, 1]
    logbook.ok("activity", "edit", "2", "--clear-partners", "--lead-unit", "", "--outcome", "")
    shown = json_of(logbook, "activity", "show", "2")
    assert (shown["partner_list"], shown["lead_unit_id"], shown["outcome"]) == ([], None, None)
    logbook.ok("activity", "edit", "2", "--kind", "salon", "--date", "2024-07-01")
    shown = json_of(logbook, "activity", "show", "2")
    assert (shown["kind"], shown["date"]) == ("salon", "2024-07-01")
    logbook.ok("activity", "edit", "2", "--participants", "")
    assert json_of(logbook, "activity", "show", "2")["participants"] == 0


def test_edit_errors(logbook: Cli) -> None:
    cases = [
        (("2",), "nothing to change; pass at least one option"),
        (("2", "--partner", "1", "--clear-partners"), "give --partner or --clear-partners"),
        (("42", "--title", "x"), 'unknown activity "42"'),
        (("2", "--title", ""), "title: is required"),
        (("2", "--kind", ""), "kind: is required"),
        (("2", "--date", "2999-12-31"), "is in the future"),
        (("2", "--enterprises-helped", "-1"), "enterprises_helped"),
        (("2", "--partner", "不存在的单位"), 'unknown unit "不存在的单位"'),
    ]
    for args, message in cases:
        result = logbook.fails("activity", "edit", *args)
        assert message in result.stderr, result.stderr
    shown = json_of(logbook, "activity", "show", "2")
    assert (shown["title"], shown["enterprises_helped"], shown["partners"]) == (
        "政银企座谈会",
        2,
        BANK,
    )


def test_remove_is_soft(logbook: Cli) -> None:
    result = logbook.ok("activity", "remove", "3")
    assert result.stderr == "removed activity 3 (金融服务进企业（二）)\n"
    assert [row["id"] for row in listed(logbook, "--month", "2024-08")] == [4, 5]
    with_removed = listed(logbook, "--month", "2024-08", "--all")
    assert [row["id"] for row in with_removed] == [3, 4, 5]
    assert with_removed[0]["removed_at"] is not None
    table = logbook.ok("activity", "list", "--month", "2024-08", "--all").stdout
    assert "Total 2" in table and "Removed" in table
    assert json_of(logbook, "activity", "show", "3")["removed_at"] is not None
    again = logbook.fails("activity", "remove", "3")
    assert again.stderr.startswith("Error: activity 3 was removed on ")
    assert "was removed" in logbook.fails("activity", "edit", "3", "--title", "x").stderr
    assert "unknown activity" in logbook.fails("activity", "remove", "99").stderr


def test_import_log(district: Cli, tmp_path: Path) -> None:
    log = tmp_path / "活动台账.csv"
    log.write_text(
        "活动名称,活动类型,日期,牵头单位,合作单位,服务企业数,解决企业数,参与人数,成效\n"
        f"政银企座谈会,政银企座谈,2024-06-25,{COMMERCE},{BANK}、{CHAMBER},9,2,24,解决资金难题\n"
        "企业沙龙,企业沙龙,2024-03-28,2,,16,,38,\n",
        encoding="gb18030",
    )
    result = district.ok("activity", "import", str(log))
    assert result.stdout == "2 inserted, 0 updated, 0 unchanged, 0 rejected\n"
    rows = listed(district)
    assert [(r["title"], r["lead_unit"], r["partners"]) for r in rows] == [
        ("企业沙龙", COMMERCE, None),
        ("政银企座谈会", COMMERCE, f"{BANK}、{CHAMBER}"),
    ]
    assert (rows[0]["enterprises_helped"], rows[0]["participants"]) == (0, 38)
    assert district.ok("activity", "import", str(log)).stdout == (
        "0 inserted, 0 updated, 2 unchanged, 0 rejected\n"
    )
    log.write_text("title,kind,date,participants\n企业沙龙,salon,2024-03-28,40\n", encoding="utf-8")
    assert district.ok("activity", "import", str(log)).stdout == (
        "0 inserted, 1 updated, 0 unchanged, 0 rejected\n"
    )
    assert listed(district)[0]["participants"] == 40


def test_import_rejects_bad_rows_and_writes_nothing(district: Cli, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "title,kind,date,lead_unit,partners,participants\n"
        "沙龙,salon,2024-03-28,1,,10\n"
        "沙龙,salon,2024-03-28,1,,10\n"
        "集市,fair,2024-04-01,1,,10\n"
        "培训,training,2024-04-02,1,无此单位,10\n"
        ",training,2024-04-03,1,,x\n",
        encoding="utf-8",
    )
    result = district.fails("activity", "import", str(log))
    assert result.stderr.splitlines()[1:] == [
        'line 3: title/date: "沙龙 2024-03-28" already appears on line 2',
        'line 4: kind: unknown value "fair"; use one of: finance_visit (金融服务进企业), '
        "policy_briefing (政策宣讲), training (培训), forum (政银企座谈), cooperation_meeting "
        "(合作洽谈会), salon (企业沙龙), festival (商圈活动), volunteer (志愿服务), party_day "
        "(主题党日), other (其他)",
        'line 5: unknown unit "无此单位"; find it with: beiwen units list --search TEXT',
        'line 6: participants: "x" is not a whole number of at least 0',
        "line 6: title: is required",
    ]
    assert listed(district, "--all") == []


def test_demo_has_the_article_figures(demo: Cli) -> None:
    rows = listed(demo, "--year", "2024")
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], []).append(row)
    assert len(by_kind["finance_visit"]) == 4
    assert sum(row["enterprises_served"] for row in by_kind["finance_visit"]) == 48
    assert len(by_kind["training"]) == 6
    assert len(by_kind["policy_briefing"]) == 11
    assert len(by_kind["forum"]) == 2
    assert sum(row["enterprises_helped"] for row in by_kind["forum"]) == 3
    assert len(by_kind["cooperation_meeting"]) == 3
    assert all(row["participants"] >= 30 for row in by_kind["cooperation_meeting"])
    assert {"salon", "festival"} <= set(by_kind)
    assert all(row["lead_unit"] for row in rows)
    assert len(listed(demo, "--month", "2024-08")) >= 3


def test_report_totals_by_kind(demo: Cli) -> None:
    from beiwen.db import open_db
    from beiwen.services.activities import activities_in, totals_by_kind

    conn = open_db(demo.db)
    try:
        totals = {
            row["kind"]: row for row in totals_by_kind(conn, date(2024, 1, 1), date(2025, 1, 1))
        }
        assert list(totals)[:5] == [
            "finance_visit",
            "policy_briefing",
            "training",
            "forum",
            "cooperation_meeting",
        ]
        assert (
            totals["finance_visit"]["activities"],
            totals["finance_visit"]["enterprises_served"],
        ) == (4, 48)
        assert (totals["forum"]["activities"], totals["forum"]["enterprises_helped"]) == (2, 3)
        assert totals["policy_briefing"]["activities"] == 11
        assert totals["training"]["activities"] == 6
        assert totals["cooperation_meeting"]["activities"] == 3
        august = activities_in(conn, date(2024, 8, 1), date(2024, 9, 1))
        assert [row["id"] for row in august] == [
            row["id"] for row in listed(demo, "--month", "2024-08")
        ]
        assert totals_by_kind(conn, date(2023, 1, 1), date(2024, 1, 1)) == []
    finally:
        conn.close()
