"""The lists of resources and projects (资源清单、项目清单, issue 18 items 2, 4, 6, 9):
`beiwen resource` and `beiwen project` through the CLI on a real file; a project without a
need, dates out of order and a full or retired resource are one clear error, nothing written."""

from __future__ import annotations

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
def lists(ready: Cli) -> Cli:
    """Two enterprises (1, 2), a bank (3); needs 1 and 2 (funding, raised in March 2024)
    and resource 1 (the bank's credit loan, two projects at most)."""
    ready.ok("units", "add", "重庆嘉陵食品有限公司", "--kind", "enterprise")
    ready.ok("units", "add", "重庆缙云科技有限公司", "--kind", "enterprise")
    ready.ok("units", "add", "中国工商银行重庆北碚支行", "--kind", "bank")
    ready.ok("need", "add", "流动资金贷款", "--kind", "融资", "--from", "1", "--date", "2024-03-12")
    ready.ok("need", "add", "设备贷款", "--kind", "融资", "--from", "2", "--date", "2024-03-20")
    ready.ok(
        "resource", "add", "小微企业信用贷款", "--kind", "资源供应", "--topic", "融资",
        "--unit", "工商银行", "--capacity", "2", "--description", "流动资金、设备更新",
    )  # fmt: skip
    return ready


def project(cli: Cli, ref: str = "1") -> dict:
    return json.loads(cli.ok("project", "show", ref, "--format", "json").stdout)


def test_resource_add_list_show_edit_retire(lists: Cli) -> None:
    data = json.loads(lists.ok("resource", "show", "1", "--format", "json").stdout)
    assert (data["kind"], data["topic"], data["unit"]) == (
        "supply",
        "funding",
        "中国工商银行重庆北碚支行",
    )
    assert data["capacity"] == 2 and data["left"] == 2
    lists.ok("resource", "edit", "1", "--capacity", "3", "--until", "2099-12-31")
    rows = json.loads(lists.ok("resource", "list", "--format", "json").stdout)
    assert rows[0]["capacity"] == 3 and rows[0]["until"] == "2099-12-31"
    assert "资源供应" in lists.ok("resource", "list", lang="zh").stdout
    assert (
        json.loads(lists.ok("resource", "list", "--kind", "专业服务", "--format", "json").stdout)
        == []
    )
    lists.ok("resource", "retire", "1")
    assert json.loads(lists.ok("resource", "list", "--format", "json").stdout) == []
    assert len(json.loads(lists.ok("resource", "list", "--all", "--format", "json").stdout)) == 1
    before = dump(lists.db)
    assert lists.fails("resource", "retire", "1").stderr.startswith("Error: resource 1 was retired")
    assert dump(lists.db) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("resource", "add", "x", "--kind", "赠品", "--unit", "3"), None),
        (("resource", "add", "x", "--kind", "supply", "--unit", "没有的银行"), None),
        (("resource", "add", "x", "--kind", "supply", "--unit", "3", "--capacity", "0"), None),
        (("resource", "add", "x", "--kind", "supply", "--unit", "3", "--topic", "飞"), None),
        (
            ("project", "add", "无需求的项目", "--lead", "3"),
            "错误：--need：项目至少要对接一条需求；请给出需求编号（见 beiwen need list）\n",
        ),
        (
            ("project", "add", "x", "--lead", "3", "--need", "99"),
            "错误：找不到需求“99”；可用 beiwen need list 查看\n",
        ),
        (("project", "add", "x", "--lead", "没有的单位", "--need", "1"), None),
        (
            ("project", "add", "x", "--lead", "3", "--need", "1", "--due", "2024-03-01"),
            "错误：--due：2024-03-01 早于项目所含需求的收集日期（2024-03-12）\n",
        ),
        (
            ("project", "add", "x", "--lead", "3", "--need", "1", "--date", "2024-03-01"),
            "错误：--date：2024-03-01 早于需求 1 的收集日期（2024-03-12）\n",
        ),
        (
            (
                "project",
                "add",
                "x",
                "--lead",
                "3",
                "--need",
                "1",
                "--date",
                "2024-04-01",
                "--due",
                "2024-03-30",
            ),
            "错误：--due：2024-03-30 早于项目立项日期（2024-04-01）\n",
        ),  # fmt: skip
        (("project", "add", "x", "--lead", "3", "--need", "1", "--resource", "7"), None),
        (("project", "show", "5"), "错误：找不到项目“5”；可用 beiwen project list 查看\n"),
        (("project", "list", "--status", "半途"), None),
    ],
)
def test_bad_input_is_one_error_and_writes_nothing(
    lists: Cli, args: tuple[str, ...], message: str | None
) -> None:
    before = dump(lists.db)
    result = lists.fails(*args, lang="zh")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    if message is not None:
        assert result.stderr == message
    assert dump(lists.db) == before


def test_a_project_matches_its_needs_and_done_helps_their_enterprises(lists: Cli) -> None:
    result = lists.ok(
        "project", "add", "银企对接", "--lead", "3", "--need", "1", "--need", "2",
        "--resource", "1", "--date", "2024-03-25", "--due", "2024-06-30",
    )  # fmt: skip
    assert result.stdout == "1\n"
    need = json.loads(lists.ok("need", "show", "1", "--format", "json").stdout)
    assert need["status"] == "matched" and need["timeline"][-1]["action"] == "match"
    assert need["timeline"][-1]["project_id"] == 1
    resource = json.loads(lists.ok("resource", "show", "1", "--format", "json").stdout)
    assert resource["left"] == 1 and resource["project_list"][0]["id"] == 1
    lists.ok("project", "done", "1", "--outcome", "两家企业获贷款", "--date", "2024-05-10")
    data = project(lists)
    assert (data["status"], data["done_day"], data["helped"]) == ("done", "2024-05-10", 2)
    for ref in ("1", "2"):
        need = json.loads(lists.ok("need", "show", ref, "--format", "json").stdout)
        assert need["status"] == "closed" and need["timeline"][-1]["day"] == "2024-05-10"
    before = dump(lists.db)
    lists.fails("project", "done", "1", "--outcome", "again")
    assert dump(lists.db) == before
    zh = lists.ok("project", "show", "1", lang="zh").stdout
    assert "已完成" in zh and "帮扶企业数" in zh and "小微企业信用贷款" in zh


def test_helped_can_be_given_and_done_before_the_start_is_refused(lists: Cli) -> None:
    lists.ok("project", "add", "p", "--lead", "3", "--need", "1", "--date", "2024-03-25")
    before = dump(lists.db)
    result = lists.fails("project", "done", "1", "--outcome", "x", "--date", "2024-03-24")
    assert result.stderr == "Error: --date: 2024-03-24 is before project 1 started (2024-03-25)\n"
    assert dump(lists.db) == before
    lists.ok(
        "project", "done", "1", "--outcome", "三家企业获贷", "--helped", "3", "--date", "2024-04-01"
    )
    assert project(lists)["helped"] == 3


def test_a_full_resource_takes_no_more_projects(lists: Cli) -> None:
    lists.ok("resource", "edit", "1", "--capacity", "1")
    lists.ok("project", "add", "a", "--lead", "3", "--need", "1", "--resource", "1")
    before = dump(lists.db)
    result = lists.fails("project", "add", "b", "--lead", "3", "--need", "2", "--resource", "1")
    assert result.stderr == "Error: --resource: resource 1 serves 1 projects and has none left\n"
    assert dump(lists.db) == before
    lists.ok("project", "cancel", "1", "--note", "企业另有渠道")
    need = json.loads(lists.ok("need", "show", "1", "--format", "json").stdout)
    assert need["status"] == "open"  # back where it stood: the status change is in its timeline
    last = need["timeline"][-1]
    assert (last["action"], last["field"], last["new_value"], last["project_id"]) == (
        "edit",
        "status",
        "open",
        1,
    )
    lists.ok("project", "add", "b", "--lead", "3", "--need", "2", "--resource", "1")


def test_overdue_edit_list_and_cancel(lists: Cli) -> None:
    lists.ok("project", "add", "逾期项目", "--lead", "3", "--need", "1", "--date", "2024-03-25",
             "--due", "2024-04-30")  # fmt: skip
    lists.ok("project", "add", "按期项目", "--lead", "3", "--need", "2", "--date", "2024-03-25",
             "--due", "2099-12-31")  # fmt: skip
    assert project(lists)["shown_status"] == "overdue"
    overdue = json.loads(lists.ok("project", "list", "--status", "超期", "--format", "json").stdout)
    assert [row["id"] for row in overdue] == [1]
    assert "已超期" in lists.ok("project", "list", lang="zh").stdout
    lists.ok("project", "edit", "1", "--due", "2099-01-01", "--title", "延期项目")
    assert project(lists)["shown_status"] == "active" and project(lists)["title"] == "延期项目"
    before = dump(lists.db)
    lists.fails("project", "edit", "1", "--due", "2024-03-01")
    assert dump(lists.db) == before
    lists.ok("project", "cancel", "2", "--note", "需求撤回")
    assert project(lists, "2")["status"] == "cancelled"
    assert [
        r["id"]
        for r in json.loads(
            lists.ok("project", "list", "--month", "2024-03", "--format", "json").stdout
        )
    ] == [1, 2]


def test_resource_import_and_export(lists: Cli, tmp_path: Path) -> None:
    roster = tmp_path / "资源清单.csv"
    roster.write_text(
        "资源名称,资源类型,领域,提供单位,可服务项目数,有效期至\n"
        "政策法律服务,专业服务,法律,中国工商银行重庆北碚支行,,2099-12-31\n",
        encoding="utf-8",
    )
    lists.ok("resource", "import", str(roster))
    rows = json.loads(lists.ok("resource", "list", "--format", "json").stdout)
    assert rows[1]["topic"] == "legal" and rows[1]["capacity"] is None
    out = tmp_path / "out.xlsx"
    lists.ok("resource", "export", "--format", "xlsx", "--output", str(out), lang="zh")
    before = dump(lists.db)
    lists.ok("resource", "import", str(out), lang="zh")
    assert dump(lists.db) == before
    assert lists.fails("resource", "export", "--format", "xlsx").stdout == ""
