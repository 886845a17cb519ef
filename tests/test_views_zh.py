"""The views with Chinese values and the labels table (issue 21, part 2): what Datasette, the
sqlite3 shell and a spreadsheet linked to the file show."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess

import pytest
from tests.conftest import Cli

from beiwen.zh_views import label_rows

VIEWS = ("v_issues_zh", "v_units_zh", "v_issue_events_zh", "v_people_zh", "v_activities_zh")


def test_the_labels_table_is_vocab_py(demo: Cli) -> None:
    conn = sqlite3.connect(demo.db)
    stored = conn.execute("SELECT vocabulary, key, en, zh FROM labels ORDER BY 1, 2").fetchall()
    conn.close()
    assert stored == sorted(label_rows())


def test_the_views_show_chinese_labels_not_keys(demo: Cli) -> None:
    conn = sqlite3.connect(demo.db)
    categories = {row[0] for row in conn.execute("SELECT DISTINCT 类别 FROM v_issues_zh")}
    statuses = {row[0] for row in conn.execute("SELECT DISTINCT 状态 FROM v_issues_zh")}
    kinds = {row[0] for row in conn.execute("SELECT DISTINCT 类型 FROM v_units_zh")}
    steps = {row[0] for row in conn.execute("SELECT DISTINCT 环节 FROM v_issue_events_zh")}
    conn.close()
    assert "游摊占道" in categories and "vendor" not in categories
    assert "已回访" in statuses and "closed" not in statuses
    assert {"商户", "银行"} <= kinds
    assert "吹哨派单" in steps and "dispatch" not in steps


def test_the_views_hold_no_personal_data(demo: Cli) -> None:
    conn = sqlite3.connect(demo.db)
    secrets = {
        value
        for sql in (
            "SELECT phone FROM people",
            "SELECT id_number FROM people",
            "SELECT phone FROM issues",
            "SELECT phone FROM class_attendees",
            "SELECT phone FROM units",
        )
        for (value,) in conn.execute(sql)
        if value
    }
    assert len(secrets) > 50
    for view in VIEWS:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({view})")]
        assert not {"phone", "id_number", "电话", "身份证号"} & set(columns), view
        text = repr(conn.execute(f"SELECT * FROM {view}").fetchall())
        assert not [secret for secret in secrets if secret in text], view
    conn.close()


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 shell")
def test_the_sqlite3_shell_shows_chinese(demo: Cli) -> None:
    shown = subprocess.run(
        ["sqlite3", str(demo.db), "SELECT DISTINCT 类别 FROM v_issues_zh WHERE 类别 = '游摊占道'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown.strip() == "游摊占道"
