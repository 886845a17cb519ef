"""An old-format Excel file (.xls, BIFF8) as offices still keep them: a merged title row, a 序号
column, a phone stored as a number, a grid typed as 第五网格, date cells and a total row
(issue 15, item 6). The fixture was written once with xlwt and is checked in: tests/fixtures/."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli

FIXTURE = Path(__file__).parent / "fixtures" / "商户名册.xls"


def test_an_xls_roster_from_the_office_imports(ready: Cli) -> None:
    result = ready.ok("units", "import", str(FIXTURE), lang="zh")
    assert "新增 3" in result.stdout  # the summary is data: stdout
    assert "以第 2 行为表头" in result.stderr
    assert "第 6 行" in result.stderr  # the total row, skipped and named
    units = json.loads(ready.ok("units", "list", "--format", "json").stdout)
    assert [(u["name"], u["grid"], u["phone"], u["opened"]) for u in units] == [
        ("嘉陵风情烤鱼店", 3, "13812345678", "2019-03-05"),
        ("云清咖啡", 5, "023-68281234", "2021-10-01"),
        ("北温泉小面", 2, "13812345679", "2018-06-18"),
    ]
    assert not any(u["name"].startswith("合计") for u in units)
