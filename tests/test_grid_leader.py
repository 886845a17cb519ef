"""网格长 is a role of its own (issue 15, item 3): typed as 网格长 or grid_leader it is stored as
`grid_leader`, never silently as a grid worker; a database made before the role existed keeps
every role row when it is upgraded."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import Cli, older_copy


def test_a_grid_leader_is_its_own_role(ready: Cli) -> None:
    ready.ok("grid", "member", "add", "王建国", "--role", "网格长", "--grid", "3", lang="zh")
    ready.ok("grid", "member", "add", "李明", "--role", "grid_worker", "--grid", "3")
    members = json.loads(ready.ok("grid", "member", "list", "--format", "json").stdout)
    roles = {member["name"]: member["roles"] for member in members}
    assert "grid_leader" in json.dumps(roles["王建国"], ensure_ascii=False)
    assert "grid_leader" not in json.dumps(roles["李明"], ensure_ascii=False)
    shown = ready.ok("grid", "member", "list", "--role", "网格长", lang="zh").stdout
    assert "王建国" in shown and "李明" not in shown
    # The grid's staff count takes leaders and workers together.
    grids = json.loads(ready.ok("grid", "list", "--format", "json").stdout)
    assert next(grid for grid in grids if grid["number"] == 3)["grid_workers"] == 2


def test_a_roster_with_grid_leaders_imports_them_as_such(ready: Cli, tmp_path: Path) -> None:
    roster = tmp_path / "网格力量.csv"
    roster.write_text("姓名,角色,网格\n赵刚,网格长,2\n钱芳,网格员,2\n", encoding="utf-8")
    ready.ok("grid", "member", "import", str(roster))
    conn = sqlite3.connect(ready.db)
    rows = dict(
        conn.execute(
            "SELECT p.name, r.role FROM person_roles r JOIN people p ON p.id = r.person_id"
        ).fetchall()
    )
    conn.close()
    assert rows == {"赵刚": "grid_leader", "钱芳": "grid_worker"}


def test_an_upgrade_keeps_every_role_row(demo: Cli, tmp_path: Path) -> None:
    """A file an older beiwen left, before m008 (the demo's rows at m007), upgraded by
    opening it: every role row is kept, with its rowid."""
    older = tmp_path / "m007.db"
    older_copy(Path(demo.db), older, 7)
    conn = sqlite3.connect(older)
    before = conn.execute("SELECT rowid, * FROM person_roles ORDER BY rowid").fetchall()
    conn.close()
    assert before
    demo.ok("--db", str(older), "units", "list", "--format", "json")  # opening it upgrades it
    conn = sqlite3.connect(older)
    after = conn.execute("SELECT rowid, * FROM person_roles ORDER BY rowid").fetchall()
    applied = conn.execute(
        "SELECT count(*) FROM _sqlite_migrations WHERE name = 'm008_grid_leader'"
    ).fetchone()[0]
    conn.close()
    assert after == before and applied == 1
