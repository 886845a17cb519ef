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
from dataclasses import dataclass, field
from typing import Any

from beiwen import privacy
from beiwen.i18n import label, t, texts
from beiwen.i18n import language as current_language
from beiwen.repository import web as repo
from beiwen.repository.search import match_query
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
SEARCHABLE = ("v_issues_zh", "v_units_zh", "v_people_zh")  # their 检索号 is the index's rowid
# Row images of every table an import changed, phones and ID numbers included.
IMAGES = {"import_changes": ("before", "after")}
SHADOW = re.compile(r"^search_index_|^search_numbers$|^_sqlite_migrations$")
COMMENT = re.compile(r'^\s*"?(\w+)"?\s+[A-Z]+\b.*?--\s*(.*)$')
CONTINUED = re.compile(r"^\s*--\s*(.*)$")


@dataclass
class WebConfig:
    """What io/web.py needs: Datasette's metadata, its settings, the columns SQLite must
    read as NULL, and the function that turns a search into the index's query."""

    metadata: dict[str, Any]
    settings: dict[str, Any]
    private: set[tuple[str, str]] = field(default_factory=set)
    search_query: Any = match_query


def column_comments(create_sql: str) -> dict[str, str]:
    """column -> the `-- comment` beside it in a CREATE TABLE or CREATE VIEW statement (a
    comment continued on the lines below is joined on); columns added by ALTER TABLE have
    none (SQLite keeps no comment of them)."""
    found: dict[str, str] = {}
    last: str | None = None
    for line in create_sql.splitlines():
        match = COMMENT.match(line)
        alias = re.search(r"\bAS\s+(\w+)\s*,?\s*--\s*(.*)$", line)
        if alias:
            last = alias.group(1)
            found[last] = alias.group(2).strip()
        elif match and match.group(1).upper() not in ("CREATE", "PRIMARY", "UNIQUE", "CHECK"):
            last = match.group(1)
            found[last] = match.group(2).strip()
        elif (more := CONTINUED.match(line)) and last is not None:
            found[last] = f"{found[last]} {more.group(1).strip()}".strip()
        elif line.strip() and not line.strip().startswith("--"):
            last = None if "--" not in line else last
    return found


def column_title(column: str) -> str | None:
    """The column's label in the current language, when the catalogue has one."""
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
    conn: sqlite3.Connection, entry: dict[str, Any], private: set[tuple[str, str]]
) -> dict[str, Any]:
    name = entry["name"]
    comments = column_comments(entry["sql"])
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
    if name in SEARCHABLE:
        found.update({"fts_table": "search_index", "fts_pk": "检索号"})
    # the index page leads with the Chinese views; the tables behind them stay reachable
    found["hidden"] = bool(SHADOW.match(name)) or bool(own) or name in HIDDEN
    return found


def build_config(conn: sqlite3.Connection, database: str, *, show_pii: bool) -> WebConfig:
    """Datasette's configuration for the file opened as `conn`, served as `database`."""
    objects = repo.schema_objects(conn)
    private = set() if show_pii else private_columns(conn, objects)
    tables = {entry["name"]: _table(conn, entry, private) for entry in objects}
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
