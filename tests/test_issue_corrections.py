"""Mistakes can be corrected, and undone (issue 16, items 1, 2, 3 and 7): `issue edit`,
`issue void` / `unvoid`, `issue duplicate`, `issue reopen` after a cancel, `issue add --place`.

Everything through the real CLI on a real file: the timeline events, the lists, and the
report's JSON counts before and after.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from conftest import Cli

URBAN, MARKET, NOODLES = "1", "2", "3"
MONTH = "2024-08"


@pytest.fixture
def office(ready: Cli) -> Cli:
    ready.ok("units", "add", "北碚区城市管理局", "--kind", "agency")
    ready.ok("units", "add", "北碚区市场监督管理局", "--kind", "agency")
    ready.ok("units", "add", "嘉陵小面", "--kind", "merchant", "--grid", "5")
    return ready


def add(
    cli: Cli, *extra: str, title: str = "流动摊贩占用中心通道", category: str = "vendor"
) -> int:
    reported = () if "--reported-at" in extra else ("--reported-at", "2024-08-01 09:00")
    return int(cli.ok("issue", "add", title, "--category", category, *reported, *extra).stdout)


def details(cli: Cli, number: int, *extra: str) -> dict[str, Any]:
    shown = cli.ok("issue", "show", str(number), "--format", "json", *extra).stdout
    data: dict[str, Any] = json.loads(shown)
    return data


def edits(cli: Cli, number: int) -> list[tuple[str, str | None, str | None]]:
    return [
        (e["field"], e["old_value"], e["new_value"])
        for e in details(cli, number, "--show-pii")["events"]
        if e["action"] == "edit"
    ]


def listed(cli: Cli, *options: str) -> list[int]:
    return [
        row["id"]
        for row in json.loads(cli.ok("issue", "list", *options, "--format", "json").stdout)
    ]


def counts(cli: Cli, month: str = MONTH) -> dict[str, Any]:
    report = json.loads(cli.ok("report", "--month", month, "--format", "json").stdout)["issues"]
    return {
        key: report[key]
        for key in ("collected", "handled", "open", "overdue", "by_category", "by_grid")
    }


def resolved(cli: Cli, *extra: str) -> int:
    number = add(cli, *extra)
    cli.ok("issue", "resolve", str(number), "--note", "已劝离", "--at", "2024-08-01 12:00")
    return number


# --- 1. issue edit -------------------------------------------------------------------------


def test_edit_changes_the_facts_and_records_old_and_new(office: Cli) -> None:
    number = add(office, "--grid", "5", "--reporter", "王女士")
    result = office.ok(
        "issue", "edit", str(number), "--title", "摊贩占用消防通道", "--grid", "3",
        "--reporter", "王先生", "--description", "两处摊位", "--note", "核实后更正",
    )  # fmt: skip
    assert result.stdout == ""
    assert result.stderr == f"work order {number} corrected: Title, Grid, Reporter, Description\n"
    issue = details(office, number)
    assert (issue["title"], issue["grid"], issue["reporter"]) == ("摊贩占用消防通道", 3, "王先生")
    assert issue["description"] == "两处摊位"
    assert edits(office, number) == [
        ("title", "流动摊贩占用中心通道", "摊贩占用消防通道"),
        ("grid", "5", "3"),
        ("reporter", "王女士", "王先生"),
        ("description", None, "两处摊位"),
    ]
    assert all(e["note"] == "核实后更正" for e in issue["events"] if e["action"] == "edit")
    shown = office.ok("issue", "show", str(number), lang="zh").stdout
    assert "更正" in shown and "网格：5 → 3" in shown and "标题：流动摊贩占用中心通道 →" in shown


def test_a_category_change_recomputes_the_due_time_and_says_so(office: Cli) -> None:
    number = add(office)  # vendor: 3 days
    result = office.ok("issue", "edit", str(number), "--category", "物业纠纷", "--note", "类别录错")
    assert result.stderr == (
        f"work order {number}: the due time follows the new category's deadline: "
        "2024-08-04 09:00 → 2024-08-08 09:00 (give --due to set another)\n"
        f"work order {number} corrected: Category, Due\n"
    )
    assert details(office, number)["due_at"] == "2024-08-08T09:00:00+08:00"
    assert edits(office, number) == [
        ("category", "vendor", "property"),
        ("due_at", "2024-08-04T09:00:00+08:00", "2024-08-08T09:00:00+08:00"),
    ]
    zh = office.ok("issue", "show", str(number), lang="zh").stdout
    assert "类别：游摊占道 → 物业纠纷" in zh


def test_a_category_change_with_due_keeps_the_due_given(office: Cli) -> None:
    number = add(office)
    result = office.ok(
        "issue", "edit", str(number), "--category", "property", "--due", "2024-08-02 18:00",
        "--note", "当天必须处理",
    )  # fmt: skip
    assert "follows the new category" not in result.stderr
    assert details(office, number)["due_at"] == "2024-08-02T18:00:00+08:00"


def test_edit_of_the_phone_is_masked_unless_asked(office: Cli) -> None:
    number = add(office, "--phone", "13812345678")
    office.ok("issue", "edit", str(number), "--phone", "139 8765 4321", "--note", "号码录错")
    shown = office.ok("issue", "show", str(number)).stdout
    assert "138****5678" in shown and "13812345678" not in shown and "13987654321" not in shown
    full = office.ok("issue", "show", str(number), "--show-pii").stdout
    assert "13812345678" in full and "13987654321" in full
    plain = details(office, number)["events"][-1]
    assert plain["field"] == "phone" and "13812345678" not in json.dumps(plain)


def test_an_edit_that_changes_nothing_records_nothing(office: Cli) -> None:
    number = add(office, "--grid", "5")
    before = details(office, number)
    result = office.ok("issue", "edit", str(number), "--grid", "第5网格", "--note", "核对")
    assert (
        result.stderr
        == f"work order {number}: nothing changed (the values given are the current ones)\n"
    )
    assert details(office, number)["events"] == before["events"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999", "--title", "x", "--note", "n"], 'Error: unknown work order "999"'),
        (["{n}", "--note", "n"], "Error: give at least one fact to correct: --title"),
        (["{n}", "--title", "x"], "Missing option '--note'"),
        (["{n}", "--title", " ", "--note", "n"], "Error: --title: is required"),
        (["{n}", "--category", "noise", "--note", "n"], 'Error: --category: unknown value "noise"'),
        (
            ["{n}", "--due", "2024-07-01 09:00", "--note", "n"],
            "Error: --due: 2024-07-01 09:00 is earlier",
        ),
        (["{n}", "--unit", "没有这家", "--note", "n"], "Error: "),
    ],
)
def test_bad_edits_are_one_error_line_and_change_nothing(
    office: Cli, args: list[str], message: str
) -> None:
    number = add(office)
    before = details(office, number)
    result = office(*["issue", "edit", *(a.replace("{n}", str(number)) for a in args)])
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith(message) or message in result.stderr, result.stderr
    if result.exit_code == 1:
        assert result.stderr.count("\n") == 1
    assert details(office, number) == before


def test_reports_use_the_facts_as_they_are_now(office: Cli) -> None:
    number = resolved(office, "--grid", "5")
    before = counts(office)
    assert before["by_category"]["vendor"]["collected"] == 1
    office.ok(
        "issue", "edit", str(number), "--category", "sanitation", "--grid", "2", "--note", "录错"
    )
    after = counts(office)
    assert "vendor" not in after["by_category"]
    assert after["by_category"]["sanitation"] == {"collected": 1, "handled": 1}
    assert after["by_grid"]["2"]["collected"] == 1 and after["by_grid"]["5"]["collected"] == 0
    assert after["collected"] == before["collected"] == 1


def test_edits_do_not_block_back_dated_steps(office: Cli) -> None:
    number = add(office)
    office.ok("issue", "edit", str(number), "--title", "更正后的标题", "--note", "录错")
    office.ok("issue", "dispatch", str(number), "--unit", URBAN, "--at", "2024-08-01 10:00")
    assert details(office, number)["status"] == "dispatched"


# --- 4. a place not registered yet ---------------------------------------------------------


def test_a_place_now_and_the_unit_linked_later(office: Cli) -> None:
    number = add(office, "--place", "新开的烤肉店", category="sanitation")
    issue = details(office, number)
    assert (issue["place"], issue["unit_id"]) == ("新开的烤肉店", None)
    assert "新开的烤肉店" in office.ok("issue", "show", str(number), lang="zh").stdout
    office.ok("units", "add", "老王烤肉", "--kind", "merchant")
    office.ok("issue", "edit", str(number), "--unit", "老王烤肉", "--note", "商户已登记")
    issue = details(office, number)
    assert (issue["place"], issue["unit_name"]) == (None, "老王烤肉")
    assert edits(office, number) == [("unit", None, "老王烤肉"), ("place", "新开的烤肉店", None)]
    assert issue["events"][1]["unit_name"] == "老王烤肉"
    timeline = office.ok("issue", "show", str(number), lang="zh").stdout
    assert "新开的烤肉店 → -" in timeline


# --- 2. void and unvoid --------------------------------------------------------------------


def test_void_leaves_every_list_and_count_and_unvoid_restores_them(office: Cli) -> None:
    kept = resolved(office, "--grid", "5")
    mistake = add(office, "--grid", "5", "--reported-at", "2024-08-02 09:00")
    before = counts(office)
    assert before["collected"] == 2 and before["open"] == 1
    result = office.ok("issue", "void", str(mistake), "--note", "手误，重复录入")
    assert result.stderr == (
        f"work order {mistake} voided: it leaves every list and count "
        "(issue list --all still shows it)\n"
    )
    after = counts(office)
    assert (after["collected"], after["handled"], after["open"]) == (1, 1, 0)
    assert after["by_grid"]["5"]["collected"] == 1
    assert listed(office) == [kept]
    assert listed(office, "--status", "open") == []
    assert listed(office, "--all") == [kept, mistake]
    assert "已作废" in office.ok("issue", "list", "--all", lang="zh").stdout
    issue = details(office, mistake)
    assert issue["status"] == "open" and issue["voided_at"] and issue["mark"] == "voided"
    assert issue["events"][-1]["action"] == "void"
    assert issue["events"][-1]["note"] == "手误，重复录入"
    assert "作废" in office.ok("issue", "show", str(mistake), lang="zh").stdout

    result = office.ok("issue", "unvoid", str(mistake), "--note", "误作废")
    assert result.stderr == f"work order {mistake} counts again; status: open\n"
    assert counts(office) == before
    assert listed(office) == [kept, mistake]
    assert [e["action"] for e in details(office, mistake)["events"]] == ["report", "void", "unvoid"]


def test_a_voided_order_takes_no_step_but_unvoid_and_comments(office: Cli) -> None:
    number = add(office)
    office.ok("issue", "void", str(number), "--note", "手误")
    for args in (
        ["dispatch", str(number), "--unit", URBAN],
        ["resolve", str(number), "--note", "x"],
        ["edit", str(number), "--title", "x", "--note", "x"],
        ["duplicate", str(number), "--of", str(add(office)), "--note", "x"],
    ):
        result = office.fails("issue", *args)
        assert result.stderr == (
            f"Error: work order {number} is voided (entered by mistake); to take the voiding "
            f'back: beiwen issue unvoid {number} --note "reason"\n'
        )
    office.ok("issue", "comment", str(number), "作废前已电话核实")


def test_voiding_twice_and_unvoiding_a_counted_order_are_errors(office: Cli) -> None:
    number = add(office)
    assert office.fails("issue", "unvoid", str(number), "--note", "x").stderr == (
        f"Error: work order {number} is not voided; there is nothing to take back\n"
    )
    office.ok("issue", "void", str(number), "--note", "手误")
    assert office.fails("issue", "void", str(number), "--note", "x").stderr == (
        f"Error: work order {number} is already voided\n"
    )
    assert office.fails("issue", "void", "999", "--note", "x").stderr == (
        'Error: unknown work order "999"; find it with: beiwen issue list --search TEXT\n'
    )
    zh = office.fails("issue", "void", str(number), "--note", "x", lang="zh").stderr
    assert zh == f"错误：工单 {number} 已作废，无需再次作废\n"


def test_void_and_edit_need_a_note(office: Cli) -> None:
    number = add(office)
    result = office.fails("issue", "void", str(number), "--note", "  ")
    assert result.stderr.count("\n") == 1 and "--note" in result.stderr


# --- 2. duplicates -------------------------------------------------------------------------


def test_a_duplicate_counts_once_and_both_pages_link(office: Cli) -> None:
    original = add(office, "--grid", "5")
    copy = add(office, "--grid", "5", "--reported-at", "2024-08-01 10:00")
    before = counts(office)
    assert before["collected"] == 2
    result = office.ok(
        "issue", "duplicate", str(copy), "--of", f"#{original}", "--note", "同一处游摊"
    )
    assert result.stderr == (
        f"work order {copy} closed as a duplicate of #{original}: it counts once, as #{original}\n"
    )
    after = counts(office)
    assert (after["collected"], after["open"]) == (1, 1)
    assert after["by_grid"]["5"]["collected"] == 1
    dup = details(office, copy)
    assert (dup["status"], dup["duplicate_of"], dup["mark"]) == ("cancelled", original, "duplicate")
    assert dup["events"][-1]["action"] == "duplicate"
    assert dup["events"][-1]["other_issue_id"] == original
    assert details(office, original)["duplicates"] == [copy]
    assert f"#{copy}" in office.ok("issue", "show", str(original)).stdout
    assert f"#{original}" in office.ok("issue", "show", str(copy)).stdout
    assert listed(office) == [original]
    assert listed(office, "--all") == [original, copy]
    assert "重复工单" in office.ok("issue", "list", "--all", lang="zh").stdout
    # Resolving the original later counts once.
    office.ok("issue", "resolve", str(original), "--note", "已劝离", "--at", "2024-08-01 12:00")
    assert counts(office)["handled"] == 1
    # Reopen takes the duplicate back: it counts again, in the state it had.
    office.ok("issue", "reopen", str(copy), "--note", "并非重复")
    dup = details(office, copy)
    assert (dup["status"], dup["duplicate_of"], dup["cancelled_at"]) == ("open", None, None)
    assert details(office, original)["duplicates"] == []
    assert counts(office)["collected"] == 2


def test_a_duplicate_closed_later_leaves_the_earlier_months_too(office: Cli) -> None:
    original = add(office)
    copy = add(office, "--reported-at", "2024-08-01 10:00")
    office.ok("issue", "duplicate", str(copy), "--of", str(original), "--note", "重复")
    assert counts(office, "2024-08")["collected"] == 1
    # an order cancelled (not a duplicate) after the month still counts in that month
    other = add(office, "--reported-at", "2024-08-02 10:00")
    office.ok("issue", "cancel", str(other), "--note", "不属于商圈")
    assert counts(office, "2024-08")["collected"] == 2


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            "itself",
            "Error: work order {copy} cannot be a duplicate of itself; "
            "give the original with --of\n",
        ),
        ("voided", "Error: --of: work order {original} is voided; give an original that counts\n"),
        (
            "unknown",
            'Error: unknown work order "999"; find it with: beiwen issue list --search TEXT\n',
        ),
        (
            "chain",
            "Error: --of: work order {original} is itself a duplicate of #{first}; "
            "use: beiwen issue duplicate {copy} --of {first}\n",
        ),
        (
            "resolved",
            "Error: work order {copy} is already resolved; "
            "to work on it again: beiwen issue reopen",
        ),
    ],
)
def test_bad_duplicates_are_one_error_line(office: Cli, case: str, message: str) -> None:
    first = add(office)
    original = add(office)
    copy = add(office)
    target = {"itself": str(copy), "unknown": "999"}.get(case, str(original))
    if case == "voided":
        office.ok("issue", "void", str(original), "--note", "手误")
    if case == "chain":
        office.ok("issue", "duplicate", str(original), "--of", str(first), "--note", "重复")
    if case == "resolved":
        office.ok("issue", "resolve", str(copy), "--note", "已处理")
    before = details(office, copy)
    result = office.fails("issue", "duplicate", str(copy), "--of", target, "--note", "重复")
    expected = message.format(copy=copy, original=original, first=first)
    assert result.stderr.startswith(expected), result.stderr
    assert result.stderr.count("\n") == 1
    assert details(office, copy) == before


def test_an_original_with_duplicates_is_not_voided_until_they_are_taken_back(office: Cli) -> None:
    original = add(office)
    copy = add(office)
    office.ok("issue", "duplicate", str(copy), "--of", str(original), "--note", "重复")
    result = office.fails("issue", "void", str(original), "--note", "手误")
    assert result.stderr == (
        f"Error: work order {original} has duplicates (#{copy}) that count as it; take them back "
        f'first: beiwen issue reopen {copy} --note "reason"\n'
    )
    office.ok("issue", "void", str(copy), "--note", "手误")  # the duplicate itself may go
    office.ok("issue", "void", str(original), "--note", "手误")
    result = office.fails("issue", "unvoid", str(copy), "--note", "x")
    assert f"#{original}, which is voided" in result.stderr


# --- 3. reopen takes back a cancel ---------------------------------------------------------


@pytest.mark.parametrize("state", ["open", "dispatched", "in_progress"])
def test_reopen_after_cancel_goes_back_to_the_state_before(office: Cli, state: str) -> None:
    number = add(office)
    if state != "open":
        office.ok("issue", "dispatch", str(number), "--unit", URBAN, "--at", "2024-08-01 10:00")
    if state == "in_progress":
        office.ok("issue", "accept", str(number), "--unit", URBAN, "--at", "2024-08-01 11:00")
    before = counts(office)
    office.ok("issue", "cancel", str(number), "--note", "手误", "--at", "2024-08-01 12:00")
    assert counts(office)["collected"] == before["collected"] - 1
    result = office.ok(
        "issue", "reopen", str(number), "--note", "撤销有误", "--at", "2024-08-01 13:00"
    )
    shown = {"open": "open", "dispatched": "dispatched", "in_progress": "in progress"}[state]
    assert result.stderr == f"work order {number}: reopened; status is now {shown}\n"
    issue = details(office, number)
    assert (issue["status"], issue["cancelled_at"]) == (state, None)
    assert issue["events"][-1]["action"] == "reopen" and issue["events"][-1]["note"] == "撤销有误"
    assert counts(office) == before
    assert number in listed(office)


def test_reopen_of_an_open_order_names_what_can_be_reopened(office: Cli) -> None:
    number = add(office)
    result = office.fails("issue", "reopen", str(number), "--note", "x")
    assert "only a resolved, closed or cancelled work order can be reopened" in result.stderr
    office.ok("issue", "cancel", str(number), "--note", "手误")
    result = office.fails("issue", "dispatch", str(number), "--unit", URBAN)
    assert result.stderr == (
        f"Error: work order {number} was cancelled; to work on it again: "
        f'beiwen issue reopen {number} --note "reason"\n'
    )


# --- the migration --------------------------------------------------------------------------


def test_the_event_log_keeps_its_guard_and_every_row(demo: Cli) -> None:
    conn = sqlite3.connect(demo.db)
    try:
        count = conn.execute("SELECT count(*) FROM issue_events").fetchone()[0]
        assert count > 77
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE issue_events SET note = 'x'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM issue_events")
        columns = {row[1] for row in conn.execute("PRAGMA table_info(issue_events)")}
        assert {"field", "old_value", "new_value", "other_issue_id"} <= columns
        columns = {row[1] for row in conn.execute("PRAGMA table_info(issues)")}
        assert {"place", "voided_at", "duplicate_of"} <= columns
    finally:
        conn.close()
    demo.ok("db", "check")
