"""Chinese full-text search (issue 21, part 3): one FTS5 index of character bigrams (m013),
kept true by triggers whoever writes, used by every `--search`."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import Cli, older_copy

from beiwen.migrations import STEPS
from beiwen.repository.search import NOTHING, match_query, matching_ids
from beiwen.search_schema import KINDS, bigram_text, bigrams, document_select


def ids(cli: Cli, *args: str) -> list[int]:
    found = json.loads(cli.ok(*args, "--format", "json").stdout)
    return [row["id"] for row in found]


def orders_containing(db: Path, word: str) -> list[int]:
    """The orders whose title, description or a note holds `word`, found without the index."""
    conn = sqlite3.connect(db)
    try:
        return [
            row[0]
            for row in conn.execute(
                "SELECT id FROM issues i WHERE voided_at IS NULL AND (instr(title, :w) "
                "OR instr(coalesce(description, ''), :w) OR EXISTS (SELECT 1 FROM issue_events e "
                "WHERE e.issue_id = i.id AND instr(coalesce(e.note, ''), :w))) ORDER BY id",
                {"w": word},
            )
        ]
    finally:
        conn.close()


def documents(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT rowid, title, body, notes FROM search_index ORDER BY rowid"
        ).fetchall()
    finally:
        conn.close()


def rebuilt(db: Path, tmp_path: Path) -> list[tuple[Any, ...]]:
    """The documents of the index made again from the tables, on a copy, by the SQL the
    triggers run (`bigrams()`): the definition that beiwen's faster paths must equal."""
    copy = tmp_path / "rebuilt.db"
    shutil.copy(db, copy)
    conn = sqlite3.connect(copy)
    with conn:
        conn.execute("DELETE FROM search_index")
        for kind in KINDS:
            conn.execute(
                f"INSERT INTO search_index (rowid, title, body, notes) {document_select(kind)}"
            )
    conn.close()
    return documents(copy)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=40)))
def test_the_python_bigrams_are_the_sql_bigrams(text: str | None) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE search_numbers (n INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO search_numbers VALUES (?)", [(n,) for n in range(1, 64)])
    assert conn.execute(f"SELECT {bigrams('?')}", (text,)).fetchone()[0] == bigram_text(text)
    conn.close()


def test_the_repair_gives_the_documents_the_triggers_give(demo: Cli, tmp_path: Path) -> None:
    before = documents(demo.db)
    assert before == rebuilt(demo.db, tmp_path)
    demo.ok("db", "reindex")
    assert documents(demo.db) == before


def test_queries_are_bigrams_of_what_was_typed() -> None:
    assert match_query("摊贩") == '"摊贩"'
    assert match_query("游摊占道") == '"游摊 摊占 占道"'
    assert match_query("摊") == '"摊" *'
    assert match_query(" 摊贩  漏水 ") == '"摊贩" AND "漏水"'
    assert match_query('a"b') == '"a"" ""b"'
    assert match_query("%") == NOTHING
    assert match_query("  ") is None
    assert match_query(None) is None


@pytest.mark.parametrize("word", ["摊贩", "漏水", "占道", "消防通道", "油烟", "摊"])
def test_issue_list_search_finds_two_character_words(demo: Cli, word: str) -> None:
    expected = orders_containing(demo.db, word)
    assert expected, word  # the demo has such orders
    assert ids(demo, "issue", "list", "--search", word) == expected


def test_searches_of_units_and_people_use_the_index(demo: Cli) -> None:
    units = json.loads(demo.ok("units", "list", "--search", "火锅", "--format", "json").stdout)
    assert units and all("火锅" in (u["name"] + (u["address"] or "")) for u in units)
    # a skill is found by a two-character piece of it, in people's search
    people = json.loads(
        demo.ok("grid", "member", "list", "--search", "助老", "--format", "json").stdout
    )
    assert people
    conn = sqlite3.connect(demo.db)
    with_skill = {
        row[0]
        for row in conn.execute("SELECT person_id FROM person_skills WHERE instr(skill, '助老')")
    }
    conn.close()
    assert {p["id"] for p in people} == with_skill


def test_every_write_keeps_the_index_true(ready: Cli, tmp_path: Path) -> None:
    ready.ok("units", "add", "嘉陵小面馆", "--kind", "merchant", "--grid", "1")
    first = ready.ok("issue", "add", "流动摊贩占道", "--category", "vendor", "--grid", "1")
    number = first.stdout.strip()
    ready.ok("issue", "add", "屋顶漏水", "--category", "property", "--grid", "2")
    ready.ok("issue", "comment", number, "城管到场劝离")
    assert ids(ready, "issue", "list", "--search", "劝离") == [int(number)]
    ready.ok("issue", "edit", number, "--title", "出店经营", "--note", "标题有误")
    assert ids(ready, "issue", "list", "--search", "摊贩") == []
    assert ids(ready, "issue", "list", "--search", "出店") == [int(number)]
    ready.ok("units", "edit", "嘉陵小面馆", "--name", "缙云茶社")
    assert documents(ready.db) == rebuilt(ready.db, tmp_path)


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 shell")
def test_the_sqlite3_shell_keeps_the_index_true(ready: Cli, tmp_path: Path) -> None:
    ready.ok("issue", "add", "屋顶漏水", "--category", "property", "--grid", "2")
    script = (
        "UPDATE issues SET title = '楼道积水' WHERE id = 1;"
        "INSERT INTO issues (title, category, reported_at, created_at, updated_at) "
        "VALUES ('流动摊贩', 'vendor', '2024-08-03T09:30:00+08:00', "
        "'2024-08-03T09:30:00+08:00', '2024-08-03T09:30:00+08:00');"
    )
    subprocess.run(["sqlite3", str(ready.db), script], check=True)
    conn = sqlite3.connect(ready.db)
    assert matching_ids(conn, "issue", "漏水") == []
    assert matching_ids(conn, "issue", "积水") == [1]
    assert matching_ids(conn, "issue", "摊贩") == [2]
    conn.close()
    assert documents(ready.db) == rebuilt(ready.db, tmp_path)


def test_an_undone_import_leaves_the_index_as_it_was(ready: Cli, tmp_path: Path) -> None:
    before = documents(ready.db)
    roster = tmp_path / "units.csv"
    roster.write_text(
        "商户名称,业态,经营地址,网格\n火锅小馆,餐饮,北碚区中山路1号,1\n", encoding="utf-8"
    )
    ready.ok("units", "import", str(roster))
    assert ids(ready, "units", "list", "--search", "火锅")
    ready.ok("imports", "undo", "1")
    assert documents(ready.db) == before


def test_the_migration_indexes_existing_rows(tmp_path: Path) -> None:
    from beiwen.migrations import STEPS, apply_pending

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    earlier = STEPS[: [step.__name__ for step in STEPS].index("m013_search")]
    conn.execute("BEGIN")
    apply_pending(conn, earlier)
    conn.execute(
        "INSERT INTO issues (title, description, category, reported_at, created_at, updated_at) "
        "VALUES ('流动摊贩', '天生路口', 'vendor', '2024-08-03T09:30:00+08:00', "
        "'2024-08-03T09:30:00+08:00', '2024-08-03T09:30:00+08:00')"
    )
    conn.execute("COMMIT")
    conn.execute("BEGIN")
    apply_pending(conn)
    conn.execute("COMMIT")
    assert matching_ids(conn, "issue", "摊贩") == [1]
    assert matching_ids(conn, "issue", "路口") == [1]
    conn.close()


def test_needs_are_indexed_when_the_table_exists(ready: Cli) -> None:
    conn = sqlite3.connect(ready.db)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'needs'").fetchone() is None:
        pytest.skip("no needs table yet")
    with conn:
        conn.execute(
            "INSERT INTO units (name, kind, created_at, updated_at) VALUES ('缙云科技', "
            "'enterprise', '2024-08-01T09:00:00+08:00', '2024-08-01T09:00:00+08:00')"
        )
        conn.execute(
            "INSERT INTO needs (title, kind, from_unit_id, day, description, created_at) "
            "VALUES ('融资需求', 'funding', 1, '2024-08-01', '需要贷款扩大生产', "
            "'2024-08-01T09:00:00+08:00')"
        )
    assert matching_ids(conn, "need", "贷款") == [1]
    conn.close()


# --- imports pause the triggers and rewrite the documents they touched at once (m015) ------

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def paused_rows(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM search_paused").fetchone()[0])
    finally:
        conn.close()


def test_imports_rewrite_the_documents_they_touched(ready: Cli, tmp_path: Path) -> None:
    # units, then people (their skills: another table's rows make a person's document),
    # then work orders with their departments and notes (the event log's rows)
    for command, name in (
        (("units",), "council_units.csv"),
        (("units",), "merchants.csv"),
        (("issue",), "issues_2024.csv"),
        (("grid", "member"), "people.csv"),
    ):
        ready.ok(*command, "import", str(EXAMPLES / name))
        assert paused_rows(ready.db) == 0
        assert documents(ready.db) == rebuilt(ready.db, tmp_path), name
    assert ids(ready, "issue", "list", "--search", "瓷砖", "--all")
    # the work orders taken back and imported again: the undo rewrites their documents too
    orders = json.loads(ready.ok("imports", "list", "--format", "json").stdout)[2]["id"]
    ready.ok("imports", "undo", str(orders))
    assert ids(ready, "issue", "list", "--search", "瓷砖", "--all") == []
    assert documents(ready.db) == rebuilt(ready.db, tmp_path)
    ready.ok("issue", "import", str(EXAMPLES / "issues_2024.csv"))
    assert documents(ready.db) == rebuilt(ready.db, tmp_path)
    # an import that updates rows: the changed addresses are what the index holds
    lines = (EXAMPLES / "merchants.csv").read_text(encoding="gb18030").splitlines()
    changed = [lines[0], *(line.replace("北碚区", "缙云山") for line in lines[1:6])]
    roster = tmp_path / "moved.csv"
    roster.write_text("\n".join(changed) + "\n", encoding="utf-8")
    result = ready.ok("units", "import", str(roster))
    assert documents(ready.db) == rebuilt(ready.db, tmp_path)
    assert ids(ready, "units", "list", "--search", "缙云山")
    # taken back: the undo's own writes go through the triggers again
    last = json.loads(ready.ok("imports", "list", "--format", "json").stdout)[-1]["id"]
    ready.ok("imports", "undo", str(last))
    assert ids(ready, "units", "list", "--search", "缙云山") == []
    assert documents(ready.db) == rebuilt(ready.db, tmp_path)
    assert result.exit_code == 0


def test_the_triggers_work_again_after_an_import(ready: Cli, tmp_path: Path) -> None:
    ready.ok("units", "import", str(EXAMPLES / "council_units.csv"))
    ready.ok("units", "add", "嘉陵小面馆", "--kind", "merchant", "--grid", "1")
    conn = sqlite3.connect(ready.db)
    assert matching_ids(conn, "unit", "面馆")
    conn.close()
    assert documents(ready.db) == rebuilt(ready.db, tmp_path)


def test_a_refused_or_dry_run_import_leaves_the_index_and_no_pause(
    ready: Cli, tmp_path: Path
) -> None:
    ready.ok("units", "import", str(EXAMPLES / "council_units.csv"))
    before = documents(ready.db)
    roster = tmp_path / "bad.csv"
    roster.write_text(
        "商户名称,业态,经营地址,网格\n火锅小馆,餐饮,北碚区中山路1号,1\n,餐饮,无名,9\n",
        encoding="utf-8",
    )
    ready.fails("units", "import", str(roster))
    good = tmp_path / "good.csv"
    good.write_text(
        "商户名称,业态,经营地址,网格\n火锅小馆,餐饮,北碚区中山路1号,1\n", encoding="utf-8"
    )
    ready.ok("units", "import", str(good), "--dry-run")
    assert documents(ready.db) == before
    assert paused_rows(ready.db) == 0


def test_the_pause_migration_keeps_the_index_of_an_older_file(
    demo_template: Path, tmp_path: Path
) -> None:
    old = tmp_path / "m014.db"
    older_copy(demo_template, old, [step.__name__ for step in STEPS].index("m015_search_pause"))
    conn = sqlite3.connect(old)
    assert (
        conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_paused'").fetchone() is None
    )
    triggers = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'"
    assert all("WHEN" not in sql for (sql,) in conn.execute(triggers))
    conn.close()
    assert documents(old) == rebuilt(old, tmp_path)  # the older file, indexed as it was copied
    cli = Cli(old)
    cli.ok("units", "add", "缙云茶社", "--kind", "merchant", "--grid", "1")  # migrates, then writes
    conn = sqlite3.connect(old)
    found = conn.execute(triggers).fetchall()
    assert len(found) == 24
    assert all("WHEN NOT EXISTS (SELECT 1 FROM search_paused)" in sql for (sql,) in found)
    assert matching_ids(conn, "unit", "茶社")
    conn.close()
    assert documents(old) == rebuilt(old, tmp_path)


def test_a_pause_left_committed_is_found_and_repaired(ready: Cli, tmp_path: Path) -> None:
    ready.ok("units", "import", str(EXAMPLES / "council_units.csv"))
    conn = sqlite3.connect(ready.db)
    with conn:  # another program commits what an import only holds inside its transaction
        conn.execute("INSERT INTO search_paused (since) VALUES ('2024-08-01T09:00:00+08:00')")
    conn.close()
    ready.ok("units", "add", "缙云茶社", "--kind", "merchant", "--grid", "1")
    assert ids(ready, "units", "list", "--search", "茶社") == []  # not indexed: paused
    checked = ready.fails("db", "check")
    assert "beiwen db reindex" in checked.stderr
    doctor = ready("doctor", lang="zh")
    assert doctor.exit_code == 1 and "beiwen db reindex" in doctor.stdout + doctor.stderr
    done = ready.ok("db", "reindex", lang="zh")
    assert "全文检索索引已重建" in done.stderr
    assert paused_rows(ready.db) == 0
    assert ids(ready, "units", "list", "--search", "茶社")
    ready.ok("units", "add", "嘉陵小面馆", "--kind", "merchant", "--grid", "1")
    assert ids(ready, "units", "list", "--search", "面馆")  # the triggers run again
    assert documents(ready.db) == rebuilt(ready.db, tmp_path)
    ready.ok("db", "check")
