"""Open311 GeoReport v2 (issue 21, item 4): `issue export --format open311` and its service
list (`--services`), checked against JSON Schemas written from the spec
(tests/fixtures/open311/), and the void/duplicate rule of every export format.

tests/test_issues.py::test_open311_export_field_by_field has one request field by field.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import unicodedata
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from beiwen.io.open311 import DESCRIPTION_LIMIT, cap, plain_text
from beiwen.vocab import ISSUE_CATEGORIES
from conftest import Cli

SCHEMAS = Path(__file__).parent / "fixtures" / "open311"
TAIL = "嘉陵风情步行街商圈，北温泉街道，重庆市北碚区"


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(loaded)
    return loaded


def validate(data: Any, name: str) -> None:
    validator = jsonschema.Draft202012Validator(
        schema(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def requests(cli: Cli, *extra: str, lang: str = "zh") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(
        cli.ok("issue", "export", "--format", "open311", *extra, lang=lang).stdout
    )
    return found


def add(cli: Cli, title: str, *extra: str, category: str = "vendor") -> int:
    reported = () if "--reported-at" in extra else ("--reported-at", "2024-08-01 09:00")
    return int(cli.ok("issue", "add", title, "--category", category, *reported, *extra).stdout)


@pytest.fixture
def office(ready: Cli) -> Cli:
    ready.ok("units", "add", "北碚区城市管理局", "--kind", "agency")
    ready.ok("units", "add", "嘉陵小面", "--kind", "merchant", "--grid", "5",
             "--address", "重庆市北碚区步行街8号")  # fmt: skip
    ready.ok("units", "add", "无地址商户", "--kind", "merchant")
    return ready


# --- the schemas --------------------------------------------------------------------------


def test_the_schemas_refuse_what_the_spec_forbids() -> None:
    """The schemas are no rubber stamp: nulls, HTML, 4,001 characters, a third status, a
    time without its zone and a service without its type all fail."""
    good = {
        "service_request_id": "1",
        "status": "open",
        "service_code": "vendor",
        "service_name": "游摊占道",
        "requested_datetime": "2024-08-01T09:00:00+08:00",
    }
    validate([good], "requests")
    for bad in (
        {"status_notes": None},
        {"description": "<b>摊贩</b>"},
        {"description": "摊贩&amp;占道"},
        {"description": "摊" * 4001},
        {"status": "in_progress"},
        {"requested_datetime": "2024-08-01 09:00"},
        {"service_request_id": 1},
        {"adress": "typo"},
    ):
        with pytest.raises(AssertionError):
            validate([{**good, **bad}], "requests")
    service = {"service_code": "vendor", "service_name": "游摊占道", "metadata": False,
               "type": "realtime"}  # fmt: skip
    validate([service], "services")
    for bad in ({"type": "live"}, {"metadata": "false"}, {"keywords": ["a", "b"]}, {"group": None}):
        with pytest.raises(AssertionError):
            validate([{**service, **bad}], "services")


def test_the_example_year_is_valid_georeport(demo: Cli) -> None:
    for lang in ("zh", "en"):
        found = requests(demo, lang=lang)
        validate(found, "requests")
        assert len(found) == 77
        assert all(request["address"].endswith("重庆市北碚区") for request in found)
    found = requests(demo)
    # The import's file name was the status_notes of the open orders: bookkeeping, not a note.
    assert not any("issues_2024" in request.get("status_notes", "") for request in found)
    assert "null" not in demo.ok("issue", "export", "--format", "open311").stdout
    august = requests(demo, "--month", "2024-08")
    validate(august, "requests")
    assert august and all(r["requested_datetime"].startswith("2024-08") for r in august)


# --- fields -------------------------------------------------------------------------------


def test_description_without_markup_and_at_most_4000_characters(office: Cli) -> None:
    long = "<p>摊贩占道经营，<b>晚上</b>尤其严重&amp;影响通行。</p>" + "情况说明。" * 900
    assert len(long) > 4500
    number = add(office, "<i>游摊</i>占道", "--description", long)
    request = requests(office)[0]
    validate([request], "requests")
    text = request["description"]
    assert text.startswith("游摊占道\n摊贩占道经营，晚上尤其严重&影响通行。\n情况说明。")
    assert len(text) <= DESCRIPTION_LIMIT and text.endswith("…")
    assert "<" not in text and "&amp;" not in text
    # The stored order keeps what was typed; only the exchange format is plain.
    shown = json.loads(office.ok("issue", "show", str(number), "--format", "json").stdout)
    assert shown["description"] == long


def test_the_cut_never_splits_a_character() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji of five code points
    flag = "\U0001f1e8\U0001f1f3"  # 🇨🇳, two regional indicators
    accented = "e\u0301"  # é as e + combining acute
    for piece in (family, flag, accented, "漏水"):
        for start in range(len(piece) + 2):
            text = "x" * (DESCRIPTION_LIMIT - 1 - start) + piece * 3
            short = cap(text)
            assert len(short) <= DESCRIPTION_LIMIT and short.endswith("…")
            body = short[:-1]
            assert text.startswith(body)
            rest = text[len(body) :]
            # what follows the cut starts a new character: no mark, joiner or lone half
            assert not unicodedata.combining(rest[0]) and rest[0] != "\u200d"
            assert body[-1:] != "\u200d"
            indicators = len(body) - len(body.rstrip(flag[0] + flag[1]))
            assert indicators % 2 == 0
    assert cap("短") == "短"
    assert plain_text("价格<5元 & 质量>3") == "价格<5元 & 质量>3"
    assert plain_text("a<script>alert(1)</script>b&lt;c&#x4e2d;") == "ab<c中"


def test_address_from_the_most_to_the_least_specific(office: Cli) -> None:
    add(office, "摊点", "--unit", "嘉陵小面", "--grid", "5")
    add(office, "门口", "--place", "云清路口花坛", "--grid", "2")
    add(office, "招牌", "--unit", "无地址商户")
    add(office, "咨询", category="service")
    found = requests(office)
    assert [request["address"] for request in found] == [
        f"步行街8号，第5网格，{TAIL}",  # 重庆市北碚区 said once, at the end
        f"云清路口花坛，第2网格，{TAIL}",
        f"无地址商户，{TAIL}",
        TAIL,
    ]
    assert requests(office, lang="en")[1]["address"] == (
        "云清路口花坛, 第2网格, 嘉陵风情步行街商圈, 北温泉街道, 重庆市北碚区"
    )


def test_status_notes_only_from_the_orders_own_notes(office: Cli, tmp_path: Path) -> None:
    rows = "标题,类别,网格,上报时间,状态,办理情况\n" + (
        "占道经营,游摊占道,1,2024-08-02 10:00,待派单,\n"
        "垃圾堆放,环境卫生,2,2024-08-02 11:00,待派单,已通知物业清运\n"
    )
    source = tmp_path / "工单2024.csv"
    source.write_text(rows, encoding="utf-8")
    office.ok("issue", "import", str(source))
    plain, noted = requests(office)
    assert "status_notes" not in plain  # the import's note is the file's name: not this order's
    assert noted["status_notes"] == "已通知物业清运"
    edited = add(office, "消防通道堵塞", "--reported-at", "2024-08-03 09:00", category="fire_lane")
    office.ok("issue", "edit", str(edited), "--grid", "3", "--note", "网格录错")
    office.ok("issue", "comment", str(edited), "已电话联系商户", "--at", "2024-08-03 10:00")
    assert requests(office)[2]["status_notes"] == "已电话联系商户"  # not the correction's note
    office.ok("issue", "resolve", str(edited), "--note", "货物已清走", "--at", "2024-08-03 12:00")
    office.ok("issue", "comment", str(edited), "事后补记", "--at", "2024-08-03 13:00")
    assert requests(office)[2]["status_notes"] == "货物已清走"  # handled: how it ended


def test_a_duplicate_says_so_and_a_voided_order_is_in_no_export(office: Cli) -> None:
    first = add(office, "流动摊贩占用中心通道")
    again = add(office, "中心通道有流动摊贩", "--reported-at", "2024-08-01 09:30")
    wrong = add(office, "测试录入", "--reported-at", "2024-08-01 10:00")
    office.ok("issue", "duplicate", str(again), "--of", str(first), "--note", "同一摊位")
    office.ok("issue", "void", str(wrong), "--note", "手误")
    zh, en = requests(office), requests(office, lang="en")
    validate(zh, "requests")
    assert [r["service_request_id"] for r in zh] == [str(first), str(again)]
    assert (zh[1]["status"], zh[1]["status_notes"]) == ("closed", f"与 #{first} 重复：同一摊位")
    assert en[1]["status_notes"] == f"duplicate of #{first}: 同一摊位"
    # The same rule in every export format: the voided order nowhere, the duplicate as one.
    exported = json.loads(office.ok("issue", "export", "--format", "json").stdout)
    assert [row["id"] for row in exported] == [first, again]
    assert (exported[1]["status"], exported[1]["note"]) == (
        "cancelled", f"duplicate of #{first}: 同一摊位"
    )  # fmt: skip
    table = list(csv.reader(io.StringIO(office.ok("issue", "export", lang="zh").stdout)))
    assert [row[0] for row in table[1:]] == [str(first), str(again)]
    assert f"与 #{first} 重复：同一摊位" in table[2]
    # unvoided, it is exported again
    office.ok("issue", "unvoid", str(wrong), "--note", "误作废")
    assert len(requests(office)) == 3


# --- the service list ---------------------------------------------------------------------


def test_the_service_list(office: Cli, tmp_path: Path) -> None:
    zh = requests(office, "--services")
    en = requests(office, "--services", lang="en")
    for services in (zh, en):
        validate(services, "services")
        assert [s["service_code"] for s in services] == list(ISSUE_CATEGORIES)
        assert all(s["metadata"] is False and s["type"] == "realtime" for s in services)
    vendor = zh[3]
    assert vendor["service_name"] == "游摊占道" and en[3]["service_name"] == "street vendors"
    assert vendor["group"] == "市容秩序" and en[3]["group"] == "street order and environment"
    assert vendor["keywords"].startswith("游摊占道, street vendors, ")
    assert "流动摊贩" in vendor["keywords"].split(", ")
    # Every request's service_code is a service of the list.
    add(office, "门口", "--place", "云清路口花坛", category="sanitation")
    assert {r["service_code"] for r in requests(office)} <= {s["service_code"] for s in zh}

    target = tmp_path / "services.json"
    written = office.ok(
        "issue", "export", "--format", "open311", "--services", "--output", str(target)
    )
    assert written.stdout == ""
    assert written.stderr == f"wrote 11 services to {target}\n"
    assert json.loads(target.read_text("utf-8")) == en


def test_the_service_list_refuses_what_does_not_apply(office: Cli, tmp_path: Path) -> None:
    target = tmp_path / "services.json"
    before = sqlite3.connect(office.db).execute("SELECT count(*) FROM issues").fetchone()
    wrong_format = office.fails("issue", "export", "--services", "--output", str(target))
    assert wrong_format.stderr == (
        "Error: --services writes the Open311 service list; use it with --format open311, not csv\n"
    )
    month = office.fails(
        "issue", "export", "--format", "open311", "--services", "--month", "2024-08",
        "--output", str(target), lang="zh",
    )  # fmt: skip
    assert month.stderr.startswith("错误：--services 不能与 --month 同用")
    assert month.stderr.count("\n") == 1
    assert not target.exists()
    after = sqlite3.connect(office.db).execute("SELECT count(*) FROM issues").fetchone()
    assert before == after
