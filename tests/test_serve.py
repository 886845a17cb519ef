"""`beiwen serve` (issue 21, parts 1 and 6): Datasette on the demo database, started as a real
process on a free port, read over HTTP; personal data nowhere without --show-pii."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Cli, beiwen_process


@dataclass
class Server:
    url: str
    db: Path
    name: str
    stderr: Path

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def json(self, path: str) -> Any:
        status, body = self.get(path)
        assert status == 200, (path, status, body[:300])
        return json.loads(body)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(host: str, port: int, process: subprocess.Popen[bytes], stderr: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"beiwen serve ended: {stderr.read_text(encoding='utf-8')}")
        with socket.socket() as probe:
            if probe.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail("beiwen serve did not listen within 60 s")


@pytest.fixture(scope="module")
def demo_copy(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("serve") / "demo.db"
    source, target = sqlite3.connect(demo_template), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return copy


def start(db: Path, *options: str, host: str = "127.0.0.1") -> Iterator[Server]:
    port = free_port()
    stderr = db.parent / f"serve-{port}.err"
    env = {**os.environ, "BEIWEN_LANG": "zh"}
    with stderr.open("wb") as errors:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "beiwen",
                "--db",
                str(db),
                "serve",
                "--port",
                str(port),
                *options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=env,
        )
    try:
        wait_for(host, port, process, stderr)
        yield Server(f"http://{host}:{port}", db, db.stem, stderr)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(demo_copy: Path) -> Iterator[Server]:
    yield from start(demo_copy)


def secrets(db: Path) -> set[str]:
    """Every phone and ID number of the demo file, as stored and as digits alone."""
    conn = sqlite3.connect(db)
    found: set[str] = set()
    for sql in (
        "SELECT phone FROM people",
        "SELECT id_number FROM people",
        "SELECT phone FROM issues",
        "SELECT phone FROM class_attendees",
        "SELECT phone FROM units",
    ):
        for (value,) in conn.execute(sql):
            if value:
                found |= {value, "".join(c for c in value if c.isdigit())}
    conn.close()
    return {value for value in found if len(value) >= 7}


def quoted(text: str) -> str:
    return urllib.parse.quote(text)


def search_rows(server: Server, word: str) -> list[dict[str, Any]]:
    found = server.json(f"/{server.name}/v_issues_zh.json?_search={quoted(word)}&_shape=array")
    assert isinstance(found, list)
    return found


@pytest.mark.slow
def test_pages_views_queries_and_the_dashboard(server: Server) -> None:
    status, home = server.get("/")
    assert status == 200 and "商圈党委" in home
    status, database = server.get(f"/{server.name}")
    assert status == 200 and "v_issues_zh" in database and "本月数字" in database
    status, page = server.get(f"/{server.name}/v_issues_zh")
    assert status == 200 and "游摊占道" in page
    grids = server.json(f"/{server.name}/grids.json?_shape=array")
    assert len(grids) == 6
    overdue = server.json(f"/{server.name}/overdue_now.json?_shape=array")
    assert overdue and {"工单号", "超期天数", "承办单位"} <= set(overdue[0])
    month = server.json(f"/{server.name}/this_month.json?month=2024-08&_shape=array")
    assert month[0]["月份"] == "2024-08" and "=" in month[0]["办结率"]
    ranked = server.json(f"/{server.name}/departments.json?_shape=array")
    assert ranked and ranked[0]["派单"] > 0
    history = server.json(
        f"/{server.name}/unit_history.json?unit={quoted('城市管理')}&_shape=array"
    )
    assert history
    status, board = server.get("/-/dashboards/beiwen?year=2024")
    assert status == 200 and "各月受理工单和办结率" in board and "部门办结率" in board


@pytest.mark.slow
def test_the_search_box_finds_two_character_words(server: Server) -> None:
    conn = sqlite3.connect(server.db)
    for word in ("摊贩", "漏水"):
        expected = {
            row[0]
            for row in conn.execute(
                "SELECT id FROM issues i WHERE instr(title, :w) OR instr(coalesce(description, ''),"
                " :w) OR EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id = i.id "
                "AND instr(coalesce(e.note, ''), :w))",
                {"w": word},
            )
        }
        found = search_rows(server, word)
        total = conn.execute("SELECT count(*) FROM issues").fetchone()[0]
        assert expected and len(expected) < total
        assert {row["工单号"] for row in found} == expected
    conn.close()
    assert search_rows(server, "%") == []
    status, page = server.get(f"/{server.name}/v_issues_zh?_search={quoted('摊贩')}")
    assert status == 200 and "摊贩" in page


@pytest.mark.slow
def test_personal_data_is_on_no_page_and_in_no_json(server: Server) -> None:
    hidden = secrets(server.db)
    assert len(hidden) > 50
    conn = sqlite3.connect(server.db)
    names = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    ]
    conn.close()
    db = server.name
    paths = [f"/{db}/{name}.json?_size=max" for name in names if not name.startswith("sqlite_")]
    paths += [
        f"/{db}/{name}?_size=max" for name in ("people", "issues", "units", "class_attendees")
    ]
    paths += [
        "/",
        f"/{db}",
        f"/{db}/people.json?_col=phone&_col=id_number",
        f"/{db}/people.json?_facet=phone",
        f"/{db}/issues.json?_facet=phone",
        f"/{db}.json?sql={quoted('SELECT phone, id_number FROM people')}",
        f"/{db}.json?sql={quoted('SELECT group_concat(phone) FROM issues')}",
        f"/{db}.json?sql={quoted('SELECT * FROM people WHERE phone LIKE ' + repr('1%'))}",
        f"/{db}.json?sql={quoted('SELECT before, after FROM import_changes')}",
        f"/{db}/overdue_now.json",
        f"/{db}/departments.json",
        "/-/dashboards/beiwen?year=2024",
        "/-/metadata.json",
    ]
    for path in paths:
        status, body = server.get(path)
        assert status in (200, 400, 403), (path, status)
        leaked = [value for value in hidden if value in body]
        assert not leaked, (path, leaked[:3])
    status, _ = server.get(f"/{db}.db")  # the file itself is never handed out
    assert status in (403, 404)


@pytest.mark.slow
def test_show_pii_shows_them_and_another_host_warns(demo_copy: Path) -> None:
    conn = sqlite3.connect(demo_copy)
    phone = conn.execute("SELECT phone FROM people WHERE phone <> '' LIMIT 1").fetchone()[0]
    conn.close()
    for shown in start(demo_copy, "--show-pii", "--host", "127.0.0.2", host="127.0.0.2"):
        _, body = shown.get(f"/{shown.name}/people.json?_size=max")
        assert phone in body
        warning = shown.stderr.read_text(encoding="utf-8")
        assert "警告" in warning and "127.0.0.2" in warning and "个人信息" in warning


def test_without_datasette_one_line_says_how_to_install(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    shim = tmp_path / "shim" / "datasette"
    shim.mkdir(parents=True)
    (shim / "__init__.py").write_text("raise ImportError('no datasette here')\n", encoding="utf-8")
    before = cli.db.read_bytes()
    result = beiwen_process(
        "--db",
        str(cli.db),
        "serve",
        env={
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(shim.parent), os.environ.get("PYTHONPATH")])
            ),
            "BEIWEN_LANG": "zh",
        },
    )
    assert result.returncode == 1
    assert result.stderr.startswith("错误：") and result.stderr.count("\n") == 1
    assert "pip install 'beiwen[web]'" in result.stderr
    assert cli.db.read_bytes() == before


def test_a_port_in_use_is_one_line_and_a_bad_port_a_usage_error(cli: Cli) -> None:
    cli.ok("init")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = beiwen_process(
            "--db", str(cli.db), "serve", "--port", port, env={"BEIWEN_LANG": "zh"}
        )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("错误：无法在 127.0.0.1:") and result.stderr.count("\n") == 1
    assert "--port" in result.stderr
    assert cli("serve", "--port", "70000").exit_code == 2


def test_the_configuration_describes_every_table_and_view(demo: Cli) -> None:
    from beiwen.db import open_db
    from beiwen.i18n import set_language
    from beiwen.services.web_config import build_config

    set_language("zh")
    conn = open_db(demo.db)
    config = build_config(conn, "demo", show_pii=False)
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%'"
        )
    ]
    conn.close()
    tables = config.metadata["databases"]["demo"]["tables"]
    assert set(names) <= set(tables)
    assert tables["issues"]["title"] == "工单" and tables["v_issues_zh"]["title"] == "工单"
    assert "网格编号" in tables["grids"]["columns"]["number"]
    assert "个人信息" in tables["people"]["columns"]["phone"]
    assert {("people", "phone"), ("people", "id_number"), ("issues", "phone")} <= config.private
    assert tables["v_issues_zh"]["fts_table"] == "search_index"
    described = {name: tables[name]["columns"] for name in tables if name.endswith("_zh")}
    assert all(len(columns) >= 5 for columns in described.values()), described
    assert "回访结果" in tables["v_issues_zh"]["columns"]["满意度"]
    assert not build_config(open_db(demo.db), "demo", show_pii=True).private


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str | None:
    """A headless Chromium: Playwright's when it is installed with its browser, else a
    chromium binary on PATH."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
        if Path(path).exists():
            return str(path)
    except Exception:  # not installed, or its browser was never downloaded
        pass
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


@pytest.mark.slow
@pytest.mark.skipif(browser() is None, reason="no headless Chromium installed")
def test_a_screenshot_of_the_work_orders(server: Server, tmp_path: Path) -> None:
    shot = tmp_path / "issues.png"
    subprocess.run(
        [
            str(browser()),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--screenshot={shot}",
            "--window-size=1280,900",
            f"{server.url}/{server.name}/v_issues_zh?_search={quoted('摊贩')}",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
