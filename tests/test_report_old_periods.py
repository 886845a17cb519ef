"""An old period's open orders and on-time rate (issue 20): found from the orders reported
before its end, each probed for a step since, once more orders were reported after the end
than before it (`repository.report._by_order`); from the steps since the end otherwise.
Either way the report is the same, through the real CLI.

The scenario (2024, Beijing time), due times given:
  R  reported 07-10, due 07-20, resolved 09-12 (after August)    -> open and overdue then
  P  reported 08-01, due 08-05, resolved 08-03; reopened 09-02   -> handled then, on time
  S  reported 08-20, due 08-25, never handled                    -> open and overdue
  T  reported 08-25, due 09-10, resolved 08-28                   -> handled, due in September
  then three orders reported in October, after August's end.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from beiwen.repository.report import _by_order
from conftest import Cli

AUGUST_END = "2024-09-01T00:00:00+08:00"


def add(cli: Cli, title: str, at: str, due: str) -> str:
    return cli.ok(
        "issue",
        "add",
        title,
        "--category",
        "safety",
        "--grid",
        "1",
        "--reported-at",
        at,
        "--due",
        due,
    ).stdout.strip()


def august(cli: Cli, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        cli.ok("report", "--month", "2024-08", *args, "--format", "json").stdout
    )
    data.pop("generated_at", None)
    return data


def by_order(db_path: Path) -> bool:
    conn = sqlite3.connect(db_path)
    try:
        return _by_order(conn, AUGUST_END)
    finally:
        conn.close()


def test_an_old_period_reads_the_same_either_way(ready: Cli, db_path: Path) -> None:
    cli = ready
    ids = {
        "R": add(cli, "招牌破损", "2024-07-10 09:00", "2024-07-20 09:00"),
        "P": add(cli, "垃圾堆放", "2024-08-01 09:00", "2024-08-05 09:00"),
        "S": add(cli, "噪音扰民", "2024-08-20 09:00", "2024-08-25 09:00"),
        "T": add(cli, "路灯不亮", "2024-08-25 09:00", "2024-09-10 09:00"),
    }
    cli.ok("issue", "resolve", ids["P"], "--note", "已清运", "--at", "2024-08-03 09:00")
    cli.ok("issue", "resolve", ids["T"], "--note", "已修好", "--at", "2024-08-28 09:00")
    cli.ok("issue", "reopen", ids["P"], "--note", "又堆起来了", "--at", "2024-09-02 09:00")
    cli.ok("issue", "resolve", ids["R"], "--note", "已修复", "--at", "2024-09-12 09:00")
    assert not by_order(db_path)  # nothing reported after August: the steps since its end
    report = august(cli)
    explained = {
        metric: august(cli, "--explain", metric) for metric in ("open", "overdue", "on_time_rate")
    }
    issues = report["issues"]
    assert (issues["open"], issues["overdue"]) == (2, 2)  # R and S
    assert {str(row["id"]) for row in explained["open"]["issues"]} == {ids["R"], ids["S"]}
    # fell due by the end, not handled before August: R, P, S (T is due in September)
    assert issues["fractions"]["on_time_rate"] == [1, 3]  # P

    for day in ("2024-10-08", "2024-10-15", "2024-10-22"):
        add(cli, "道路积水", f"{day} 09:00", f"{day} 18:00")
    assert by_order(db_path)  # more reported after August's end: the orders before it
    assert august(cli) == report
    for metric, before in explained.items():
        assert august(cli, "--explain", metric) == before
