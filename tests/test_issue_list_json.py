"""`issue list --format json` on stdout is written as SQLite reads it (issue 20); it must
print, byte for byte, what the row-by-row path prints for the same list (`--output FILE`:
the rows as dicts, masked by `privacy.private_rows`, the flags worked out per row): the
same keys in the same order, the same values, the same masking, one compact object a line.
The file has orders of every kind: several departments (one that passed the order on), a
mobile, a landline, a short number and no phone, overdue, handled, voided, cancelled, a
duplicate, and text that JSON must escape."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Cli

AWKWARD = (
    'say "hi" \\ back\nslash / tab\t bell\x07 nul\x00 \r\b\f\x1f del\x7f sep\u2028 emoji 😀 全角，'
)


def one_line_rows(rows: list[dict[str, Any]]) -> str:
    """What render.write_json_rows prints for `rows`."""
    if not rows:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n"


def add(cli: Cli, title: str, *extra: str, category: str = "vendor") -> str:
    return cli.ok("issue", "add", title, "--category", category, *extra).stdout.strip()


@pytest.fixture(scope="module")
def varied_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cli = Cli(tmp_path_factory.mktemp("varied") / "varied.db")
    cli.ok("init")
    for number in range(1, 4):
        cli.ok("grid", "add", str(number), f"第{number}网格")
    cli.ok("units", "add", "北碚区城市管理局", "--kind", "agency", "--address", "朝阳中路1号")
    cli.ok("units", "add", "北碚区市场监督管理局", "--kind", "agency")
    cli.ok("units", "add", "北碚区司法局", "--kind", "agency")
    cli.ok(
        "units", "add", "嘉陵小面", "--kind", "merchant", "--grid", "1", "--address", "步行街8号"
    )
    at = ("--reported-at",)
    two = add(cli, "占道经营", *at, "2024-08-01 09:00", "--grid", "1", "--phone", "13812345678")
    cli.ok("issue", "dispatch", two, "--unit", "北碚区市场监督管理局", "--at", "2024-08-01 10:00")
    cli.ok("issue", "dispatch", two, "--unit", "北碚区城市管理局", "--at", "2024-08-01 11:00")
    cli.ok("issue", "dispatch", two, "--unit", "北碚区司法局", "--at", "2024-08-01 11:30")
    cli.ok(
        "issue", "transfer", two, "--from", "北碚区司法局", "--to", "嘉陵小面",
        "--note", "不归我们", "--at", "2024-08-01 12:00",
    )  # fmt: skip
    handled = add(
        cli, "菜品缺斤少两", *at, "2024-08-02 09:00", "--unit", "嘉陵小面",
        "--phone", "023-68281234", "--reporter", "王女士", category="consumer",
    )  # fmt: skip
    cli.ok(
        "issue", "dispatch", handled, "--unit", "北碚区市场监督管理局", "--at", "2024-08-02 10:00"
    )
    cli.ok("issue", "accept", handled, "--unit", "北碚区市场监督管理局", "--at", "2024-08-02 11:00")
    cli.ok("issue", "resolve", handled, "--note", "已退款", "--at", "2024-08-03 09:00")
    cli.ok("issue", "close", handled, "--satisfaction", "satisfied", "--at", "2024-08-04 09:00")
    add(cli, "井盖松动", *at, "2024-08-03 09:00", "--grid", "2", category="safety")  # overdue
    add(cli, "未到期", *at, "2024-08-03 10:00", "--due", "2099-01-01")
    voided = add(cli, "录错了", *at, "2024-08-04 09:00", "--phone", "13987654321")
    cli.ok("issue", "void", voided, "--note", "手误")
    cancelled = add(cli, "不归街道管", *at, "2024-08-05 09:00")
    cli.ok("issue", "cancel", cancelled, "--note", "不归我们", "--at", "2024-08-05 10:00")
    duplicate = add(cli, "又一处占道", *at, "2024-08-06 09:00", "--phone", "13812345678")
    cli.ok(
        "issue", "duplicate", duplicate, "--of", two, "--note", "同一处", "--at", "2024-08-06 10:00"
    )
    awkward = add(cli, "特殊字符", *at, "2024-09-01 09:00", "--grid", "1")
    with sqlite3.connect(cli.db) as conn:  # text no option would take as it is
        conn.execute(
            "UPDATE issues SET title = ?, description = ?, phone = '12345' WHERE id = ?",
            (AWKWARD, AWKWARD[::-1], int(awkward)),
        )
    conn.close()
    return cli.db


@pytest.fixture
def varied(varied_template: Path, tmp_path: Path) -> Cli:
    path = tmp_path / "varied.db"
    with sqlite3.connect(varied_template) as origin, sqlite3.connect(path) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()
    return Cli(path)


OPTIONS = [
    (),
    ("--all",),
    ("--show-pii",),
    ("--all", "--show-pii"),
    ("--status", "cancelled"),
    ("--status", "已吹哨"),
    ("--category", "consumer"),
    ("--grid", "1"),
    ("--unit", "北碚区城市管理局"),
    ("--unit", "嘉陵小面", "--all"),
    ("--month", "2024-08"),
    ("--month", "2024-09", "--show-pii"),
    ("--month", "2023-01"),
    ("--overdue",),
    ("--overdue", "--all"),
    ("--search", "占道"),
    ("--search", "特殊"),
]


@pytest.mark.parametrize("options", OPTIONS, ids=" ".join)
def test_the_streamed_list_prints_what_the_row_by_row_list_prints(
    varied: Cli, tmp_path: Path, options: tuple[str, ...]
) -> None:
    streamed = varied.ok("issue", "list", *options, "--format", "json").stdout
    path = tmp_path / "list.json"
    varied.ok("issue", "list", *options, "--format", "json", "--output", str(path))
    rows = json.loads(path.read_text(encoding="utf-8"))
    assert streamed == one_line_rows(rows)


def test_the_list_shows_each_kind_of_order(varied: Cli) -> None:
    rows = {
        row["title"]: row
        for row in json.loads(varied.ok("issue", "list", "--all", "--format", "json").stdout)
    }
    two = rows["占道经营"]
    assert two["departments"] == "北碚区市场监督管理局、北碚区城市管理局、嘉陵小面"
    assert two["phone"] == "138****5678" and two["grid_name"] == "第1网格"
    assert (two["handled"], two["overdue"], two["mark"]) == (False, True, None)
    handled = rows["菜品缺斤少两"]
    assert handled["phone"] == "023-****1234" and handled["unit_address"] == "步行街8号"
    assert (handled["handled"], handled["overdue"], handled["mark"]) == (True, False, None)
    assert handled["departments"] == "北碚区市场监督管理局"
    assert rows["井盖松动"]["overdue"] is True and rows["井盖松动"]["departments"] is None
    assert rows["井盖松动"]["phone"] is None and rows["未到期"]["overdue"] is False
    voided = rows["录错了"]
    assert (voided["mark"], voided["handled"], voided["overdue"]) == ("voided", False, False)
    assert voided["phone"] == "139****4321"
    assert rows["不归街道管"]["status"] == "cancelled" and rows["不归街道管"]["overdue"] is False
    assert rows["又一处占道"]["mark"] == "duplicate" and rows["又一处占道"]["handled"] is False
    assert rows[AWKWARD]["description"] == AWKWARD[::-1] and rows[AWKWARD]["phone"] == "*****"
    assert "response_hours" not in two and "resolution_hours" not in two
    keys = list(two)
    assert keys[:2] == ["id", "title"] and keys[-7:] == [
        "unit_name", "unit_address", "grid_name", "departments", "handled", "overdue", "mark",
    ]  # fmt: skip
    whole = json.loads(varied.ok("issue", "list", "--show-pii", "--format", "json").stdout)
    assert [row["phone"] for row in whole if row["title"] == "占道经营"] == ["13812345678"]
    default = [
        row["title"] for row in json.loads(varied.ok("issue", "list", "--format", "json").stdout)
    ]
    assert "录错了" not in default and "不归街道管" not in default and "占道经营" in default
    assert "又一处占道" not in default  # a duplicate is closed as cancelled
