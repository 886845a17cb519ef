"""The configuration `beiwen serve` gives Datasette (0.65 metadata), built from the file
itself: plain data, no Datasette import (io/web.py launches it).

- Titles: tables by `vocab.TABLES`, views by `VIEW_TITLES`; columns described by their
  label (`field.*` of the catalogue) and the `-- comment` their CREATE statement carries
  (SQLite keeps the statement as written, migrations' tables included).
- Label columns, facets, and Datasette's search box on the Chinese views (`fts_table`
  search_index, `fts_pk` 检索号: repository/search.py turns what is typed into bigrams).
- Personal data (`privacy.POLICY`'s fields: phones and ID numbers, of people, reporters,
  attendees and units, and the row images of `import_changes` that hold them): unless
  --show-pii, `private` lists every such column of every table. io/web.py gives SQLite an
  authorizer that reads them as NULL on every connection Datasette opens, so no page, JSON,
  `?_col=`, facet, canned query, dashboard or SQL typed into Datasette can return them (and
  the file itself cannot be downloaded). The tables that hold them are hidden from the
  index page; the views show everything else in Chinese.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

from beiwen import privacy
from beiwen.i18n import label, t, texts
from beiwen.i18n import language as current_language
from beiwen.repository import web as repo
from beiwen.repository.search import NOTHING, match_query
from beiwen.services.web_queries import canned_queries, dashboard
from beiwen.vocab import TABLES

VIEW_TITLES: dict[str, tuple[str, str]] = {
    "v_issues_zh": ("Work orders", "工单"),
    "v_units_zh": ("Units", "单位"),
    "v_issue_events_zh": ("Work-order steps", "工单办理记录"),
    "v_people_zh": ("People", "人员"),
    "v_activities_zh": ("Activities", "活动"),
    "v_issue_facts": ("Work-order facts (the report's)", "工单事实（月报用）"),
    "v_monthly_issue_stats": ("Work orders by month", "各月工单统计"),
    "v_activity_facts": ("Activities (the report's)", "活动（月报用）"),
}
LABEL_COLUMNS = {
    "units": "name",
    "grids": "name",
    "people": "name",
    "issues": "title",
    "courses": "name",
    "activities": "title",
    "needs": "title",
}
FACETS = {
    "v_issues_zh": ["类别", "状态", "网格", "来源", "上报月份"],
    "v_units_zh": ["类型", "业态", "网格"],
    "v_issue_events_zh": ["环节"],
    "v_people_zh": ["角色"],
    "v_activities_zh": ["类型", "月份"],
    "issues": ["category", "status", "grid"],
    "units": ["kind", "category", "grid"],
}
HIDDEN = (
    "search_index",
    "import_changes",
    "issues",
    "units",
    "issue_events",
    "people",
    "activities",
)
NEWEST_FIRST = {"v_issues_zh": "上报时间", "v_issue_events_zh": "时间", "v_activities_zh": "日期"}
SEARCHABLE = ("v_issues_zh", "v_units_zh", "v_people_zh")  # their 检索号 is the index's rowid
# Row images of every table an import changed, phones and ID numbers included.
IMAGES = {"import_changes": ("before", "after")}
SHADOW = re.compile(r"^search_index_|^search_numbers$|^search_paused$|^_sqlite_migrations$")
DEFINITION = re.compile(r'^\s*"?(\w+)"?\s+(TEXT|INTEGER|REAL|BLOB|NUMERIC)\b', re.IGNORECASE)
ALIAS = re.compile(r"\bAS\s+(\w+)\s*,?\s*$", re.IGNORECASE)
KEYWORDS = ("CREATE", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "CONSTRAINT")
ADDED = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+)")
TRAILING = re.compile(r'"\s*\)?,?\s*#\s*(.*)$')  # a comment after a statement's string
MIGRATION_MODULES = ("migrations_speed.py", "migrations_meetings.py")  # split from migrations.py
# Titles of columns whose catalogue label (`field.*`, worded for messages) would mislead here.
COLUMN_TITLES: dict[str, tuple[str, str]] = {
    "id": ("id", "编号"),
    "unit_id": ("unit", "单位"),
    "person_id": ("person", "人员"),
    "issue_id": ("work order", "工单"),
    "at": ("time", "时间"),
    "created_at": ("created", "创建时间"),
    "updated_at": ("updated", "更新时间"),
    "recorded_at": ("entered", "录入时间"),
    "removed_at": ("removed", "移除时间"),
    "first_dispatched_at": ("first whistle", "首次吹哨"),
    "first_accepted_at": ("first report-in", "首次报到"),
    "voided_at": ("voided", "作废时间"),
    "duplicate_of": ("duplicate of", "重复于"),
}


def datasette_query(text: str) -> str:
    """Datasette's `escape_fts` under `beiwen serve`: the index's query for what was typed
    in the search box (an empty search finds nothing)."""
    return match_query(text) or NOTHING


@dataclass
class WebConfig:
    """What io/web.py needs: Datasette's metadata, its settings, the columns SQLite must
    read as NULL, and the function that turns a search into the index's query."""

    metadata: dict[str, Any]
    settings: dict[str, Any]
    private: set[tuple[str, str]] = field(default_factory=set)
    search_query: Callable[[str], str] = datasette_query


def column_comments(create_sql: str) -> dict[str, str]:
    """column -> the `-- comment` beside it in a CREATE TABLE or CREATE VIEW statement: on
    the line that defines it (`name TYPE …`, a view's `… AS name`) or on the lines that
    continue it (a CHECK list over several lines)."""
    found: dict[str, str] = {}
    current: str | None = None
    for line in create_sql.splitlines():
        code, _, comment = line.partition("--")
        defined = DEFINITION.match(code)
        alias = ALIAS.search(code)
        if defined and defined.group(1).upper() not in KEYWORDS:
            current = defined.group(1)
        elif alias:
            current = alias.group(1)
        if comment.strip() and current is not None:
            found[current] = " ".join(filter(None, [found.get(current), comment.strip()]))
    return found


def added_column_comments() -> dict[tuple[str, str], str]:
    """(table, column) -> the comment the migrations give a column they add with ALTER
    TABLE (SQLite keeps none): the `#` lines just above the statement, or beside it."""
    found: dict[tuple[str, str], str] = {}
    for module in ("migrations.py", *MIGRATION_MODULES):
        source = files("beiwen").joinpath(module)
        if not source.is_file():
            continue
        above: list[str] = []
        lines = source.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            added = ADDED.search(line)
            if added:
                beside = [
                    found_comment.group(1)
                    for part in lines[number : number + 2]
                    if (found_comment := TRAILING.search(part))
                ]
                text = " ".join(above) or " ".join(beside)
                if text:
                    found[(added.group(1), added.group(2))] = text
            stripped = line.strip()
            above = [*above, stripped[1:].strip()] if stripped.startswith("#") else []
    return found


def column_title(column: str) -> str | None:
    """The column's label in the current language, when there is one."""
    if column in COLUMN_TITLES:
        return label(COLUMN_TITLES[column])
    key = f"field.{column}"
    return t(key) if key in texts(current_language()) else None


def private_columns(
    conn: sqlite3.Connection, objects: list[dict[str, Any]]
) -> set[tuple[str, str]]:
    """(table, column) of every personal field of the policy in any table (a table a later
    migration adds included: by the column's name), and the import history's row images."""
    fields = {name for policy in privacy.POLICY.values() for name in policy}
    found = {
        (entry["name"], column)
        for entry in objects
        if entry["type"] == "table"
        for column in repo.columns_of(conn, entry["name"])
        if column in fields
    }
    found |= {(table, column) for table, columns in IMAGES.items() for column in columns}
    return found


def _title(name: str) -> str:
    pair = VIEW_TITLES.get(name) or TABLES.get(name)
    return label(pair) if pair else name


def _table(
    conn: sqlite3.Connection,
    entry: dict[str, Any],
    private: set[tuple[str, str]],
    added: dict[tuple[str, str], str],
) -> dict[str, Any]:
    name = entry["name"]
    comments = column_comments(entry["sql"])
    comments.update({column: text for (table, column), text in added.items() if table == name})
    columns: dict[str, str] = {}
    for column in repo.columns_of(conn, name):
        parts = [part for part in (column_title(column), comments.get(column)) if part]
        if (name, column) in private:
            parts.append(t("serve.private_column"))
        if parts and parts != [column]:
            columns[column] = " — ".join(dict.fromkeys(parts))
    found: dict[str, Any] = {"title": _title(name), "columns": columns}
    own = [(n, c) for n, c in private if n == name]
    description = t("serve.view_description") if name.endswith("_zh") else None
    if own:
        description = t("serve.private_table")
    if description:
        found["description"] = description
    if name in LABEL_COLUMNS:
        found["label_column"] = LABEL_COLUMNS[name]
    if name in FACETS:
        found["facets"] = FACETS[name]
    if name in NEWEST_FIRST:
        found["sort_desc"] = NEWEST_FIRST[name]
    if name in SEARCHABLE:
        found.update({"fts_table": "search_index", "fts_pk": "检索号"})
    # the index page leads with the Chinese views; the tables behind them stay reachable
    found["hidden"] = bool(SHADOW.match(name)) or bool(own) or name in HIDDEN
    return found


def build_config(conn: sqlite3.Connection, database: str, *, show_pii: bool) -> WebConfig:
    """Datasette's configuration for the file opened as `conn`, served as `database`."""
    objects = repo.schema_objects(conn)
    private = set() if show_pii else private_columns(conn, objects)
    added = added_column_comments()
    tables = {entry["name"]: _table(conn, entry, private, added) for entry in objects}
    queries = {
        name: {
            "sql": query["sql"],
            "title": t(f"serve.query.{name}"),
            "description": t(f"serve.query.{name}.description"),
        }
        for name, query in canned_queries().items()
    }
    metadata: dict[str, Any] = {
        "title": t("serve.title"),
        "description": t("serve.description" if private else "serve.description_pii"),
        "databases": {database: {"tables": tables, "queries": queries}},
        "plugins": {"datasette-dashboards": dashboard(database, repo.latest_year(conn))},
    }
    settings = {
        "allow_download": False,  # the file holds everything: never hand it out
        "suggest_facets": False,
        "default_page_size": 50,
        "sql_time_limit_ms": 3000,
    }
    return WebConfig(metadata=metadata, settings=settings, private=private)
