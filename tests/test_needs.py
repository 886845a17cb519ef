"""The list of needs (需求清单, issue 18 items 1, 3, 6, 9): `beiwen need` add, list, show,
edit, transfer (转单), reply, close, cancel, match, import and export, through the CLI on a
real file; bad input is one clear error and leaves the database as it was."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import Cli


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def units(ready: Cli) -> Cli:
    """An enterprise (1), a bank (2), the human-resources bureau (3)."""
    ready.ok("units", "add", "重庆嘉陵食品有限公司", "--kind", "enterprise", "--grid", "5")
    ready.ok("units", "add", "中国工商银行重庆北碚支行", "--kind", "bank")
    ready.ok("units", "add", "北碚区人力资源和社会保障局", "--kind", "agency")
    return ready


@pytest.fixture
def need(units: Cli) -> Cli:
    """Need 1: a funding need raised on 2024-03-12."""
    result = units.ok(
        "need", "add", "流动资金贷款300万元", "--kind", "融资", "--from", "嘉陵食品",
        "--date", "2024-03-12", "--grid", "第五网格", "--description", "扩大生产线需要流动资金",
    )  # fmt: skip
    assert result.stdout == "1\n"
    return units


def shown(cli: Cli, ref: str = "1") -> dict:
    return json.loads(cli.ok("need", "show", ref, "--format", "json").stdout)


def test_add_prints_the_id_and_takes_labels_aliases_and_unit_guesses(need: Cli) -> None:
    data = shown(need)
    assert data["kind"] == "funding" and data["status"] == "open"
    assert data["from_unit"] == "重庆嘉陵食品有限公司" and data["grid"] == 5
    assert [event["action"] for event in data["timeline"]] == ["add"]
    assert need.ok("need", "add", "招工", "--kind", "招聘", "--from", "1").stdout == "2\n"
    assert shown(need, "#2")["kind"] == "hiring"


def test_every_step_is_an_event_in_order(need: Cli) -> None:
    need.ok(
        "need", "transfer", "1", "--to", "工商银行", "--note", "请对接信贷", "--date", "2024-03-13"
    )
    assert shown(need)["status"] == "transferred"
    need.ok("need", "reply", "1", "--unit", "2", "--note", "已上门走访", "--date", "2024-03-20")
    data = shown(need)
    assert data["status"] == "replied" and data["holder"] == "中国工商银行重庆北碚支行"
    need.ok("need", "close", "1", "--note", "已获贷款", "--date", "2024-04-01")
    steps = [(e["day"], e["action"], e["note"]) for e in shown(need)["timeline"]]
    assert steps == [
        ("2024-03-12", "add", None),
        ("2024-03-13", "transfer", "请对接信贷"),
        ("2024-03-20", "reply", "已上门走访"),
        ("2024-04-01", "close", "已获贷款"),
    ]
    zh = need.ok("need", "show", "1", lang="zh").stdout
    assert "办理记录" in zh and "转单" in zh and "反馈" in zh and "已办结" in zh


def test_a_finished_need_takes_no_more_steps(need: Cli) -> None:
    need.ok("need", "cancel", "1", "--note", "企业撤回")
    before = dump(need.db)
    result = need.fails("need", "transfer", "1", "--to", "2", "--note", "x", lang="zh")
    assert result.stderr == "错误：需求 1 已撤销，不能再办理\n"
    assert dump(need.db) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("need", "add", "x", "--kind", "飞", "--from", "1"),
            "错误：类型：未知取值“飞”；可用：funding (融资), hiring (用工), premises (场地), "
            "legal (法律), policy (政策), training (培训), market (市场), other (其他)\n",
        ),
        (
            ("need", "add", "x", "--kind", "融资", "--from", "不存在的单位"),
            "错误：找不到单位“不存在的单位”；可用 beiwen units list --search 关键词 查找\n",
        ),
        (
            ("need", "add", "x", "--kind", "融资", "--from", "1", "--date", "2999-01-01"),
            "错误：日期：2999-01-01 尚未到来；清单只登记已发生的事\n",
        ),
        (
            ("need", "transfer", "1", "--to", "2", "--note", "x", "--date", "2024-03-01"),
            "错误：--date：2024-03-01 早于需求 1 的收集日期（2024-03-12）\n",
        ),
        (
            ("need", "transfer", "1", "--to", "没有的单位", "--note", "x"),
            "错误：找不到单位“没有的单位”；可用 beiwen units list --search 关键词 查找\n",
        ),
        (
            ("need", "reply", "1", "--unit", "2", "--note", "x"),
            "错误：需求 1 未转给 中国工商银行重庆北碚支行；只有接单单位才能反馈\n",
        ),
        (("need", "show", "9"), "错误：找不到需求“9”；可用 beiwen need list 查看\n"),
        (("need", "transfer", "1", "--to", "2", "--note", " "), None),
        (("need", "edit", "1"), None),
        (("need", "list", "--status", "半途"), None),
    ],
)
def test_bad_input_is_one_error_and_writes_nothing(
    need: Cli, args: tuple[str, ...], message: str | None
) -> None:
    before = dump(need.db)
    result = need.fails(*args, lang="zh")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    if message is not None:
        assert result.stderr == message
    assert result.stdout == ""
    assert dump(need.db) == before


def test_a_reply_before_the_transfer_is_refused(need: Cli) -> None:
    need.ok("need", "transfer", "1", "--to", "2", "--note", "x", "--date", "2024-03-15")
    before = dump(need.db)
    result = need.fails("need", "reply", "1", "--unit", "2", "--note", "y", "--date", "2024-03-14")
    assert result.stderr == (
        "Error: --date: the reply (2024-03-14) is before need 1 was transferred to that unit "
        "(2024-03-15)\n"
    )
    assert dump(need.db) == before


def test_edit_keeps_each_change_in_the_timeline(need: Cli) -> None:
    need.ok("need", "edit", "1", "--title", "流动资金贷款500万元", "--kind", "other")
    data = shown(need)
    assert data["title"] == "流动资金贷款500万元" and data["kind"] == "other"
    edits = [(e["field"], e["old_value"], e["new_value"]) for e in data["timeline"][1:]]
    assert edits == [
        ("title", "流动资金贷款300万元", "流动资金贷款500万元"),
        ("kind", "funding", "other"),
    ]
    need.ok("need", "transfer", "1", "--to", "2", "--note", "x", "--date", "2024-03-15")
    before = dump(need.db)
    need.fails("need", "edit", "1", "--date", "2024-03-20")  # after its transfer
    assert dump(need.db) == before


def test_list_filters_and_formats(need: Cli) -> None:
    need.ok(
        "need", "add", "招聘电商运营", "--kind", "hiring", "--from", "1", "--date", "2024-04-02"
    )
    rows = json.loads(need.ok("need", "list", "--format", "json").stdout)
    assert [row["id"] for row in rows] == [1, 2]
    assert [
        r["id"]
        for r in json.loads(need.ok("need", "list", "--kind", "用工", "--format", "json").stdout)
    ] == [2]
    assert [
        r["id"]
        for r in json.loads(
            need.ok("need", "list", "--month", "2024-03", "--format", "json").stdout
        )
    ] == [1]
    found = json.loads(need.ok("need", "list", "--search", "生产线", "--format", "json").stdout)
    assert [row["id"] for row in found] == [1]
    assert (
        json.loads(need.ok("need", "list", "--status", "已转单", "--format", "json").stdout) == []
    )
    table = list(
        csv.DictReader(
            io.StringIO(need.ok("need", "list", "--format", "csv").stdout.lstrip("\ufeff"))
        )
    )
    assert table[1]["kind"] == "hiring"
    assert "融资" in need.ok("need", "list", lang="zh").stdout


def test_match_puts_the_same_kind_first_then_shared_words(need: Cli) -> None:
    need.ok("resource", "add", "创业担保贷款", "--kind", "supply", "--topic", "融资", "--unit", "2")
    need.ok("resource", "add", "生产线改造咨询", "--kind", "service", "--unit", "3")
    need.ok("resource", "add", "招聘会", "--kind", "service", "--topic", "hiring", "--unit", "3")
    need.ok("resource", "add", "过期的贷款", "--kind", "supply", "--topic", "融资", "--unit", "2",
            "--until", "2024-01-01")  # fmt: skip
    need.ok("resource", "add", "停用的贷款", "--kind", "supply", "--topic", "融资", "--unit", "2")
    need.ok("resource", "retire", "5")
    found = json.loads(need.ok("need", "match", "1", "--format", "json").stdout)
    assert [r["id"] for r in found["resources"]] == [1, 2]
    assert found["resources"][0]["same_kind"] is True
    assert found["resources"][1]["same_kind"] is False and "生产" in found["resources"][1]["shared"]
    assert [(u["id"], u["resources"]) for u in found["units"]] == [(2, 1), (3, 1)]
    zh = need.ok("need", "match", "1", lang="zh").stdout
    assert "创业担保贷款" in zh and "提供资源的单位" in zh and "招聘会" not in zh


def test_import_and_export_read_each_other(need: Cli, tmp_path: Path) -> None:
    roster = tmp_path / "需求清单.csv"
    roster.write_text(
        "序号,需求内容,需求类型,提出单位,收集日期,描述\n"
        "1,招聘电商运营10人,用工,重庆嘉陵食品有限公司,2024/4/2,直播带货\n"
        "2,法律咨询：合同纠纷,法律,重庆嘉陵食品有限公司,2024年4月9日,\n",
        encoding="gbk",
    )
    result = need.ok("need", "import", str(roster))
    assert json.loads(need.ok("need", "list", "--format", "json").stdout)[1]["kind"] == "hiring"
    assert result.stdout.startswith("2 inserted, 0 updated")
    history = need.ok("imports", "list", lang="zh").stdout
    assert "需求清单" in history and "需求清单.csv" in history
    need.ok("imports", "undo", "1")
    assert [r["id"] for r in json.loads(need.ok("need", "list", "--format", "json").stdout)] == [1]
    need.ok("need", "import", str(roster))
    exported = tmp_path / "out.csv"
    need.ok("need", "export", "--output", str(exported), lang="zh")
    text = exported.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("标题,类型,提出单位")
    before = dump(need.db)
    again = need.ok("need", "import", str(exported), lang="zh")
    assert dump(need.db) == before, again.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("标题,类型,提出单位\n好的,融资,1\n坏的,飞,1\n", encoding="utf-8")
    rejected = need.fails("need", "import", str(bad))
    assert "line 3" in rejected.stderr or "第 3 行" in rejected.stderr
    assert dump(need.db) == before
