"""The full-text index of migration m013_search (the labels and views: zh_views.py).

**The index.** One FTS5 table, `search_index (title, body, notes)`, holds one document per
work order, unit, person and need. A document's rowid names its row: `kind * SPAN + id`
(`KINDS`: 0 work order, 1 unit, 2 person, 3 need), so one index serves every kind, a work
order's document has the order's own id as rowid (a search of a million orders looks them
up by primary key, Datasette's included), and a kind is a range of rowids.

SQLite's own tokenizers cannot find a two-character Chinese word: `unicode61` keeps a run
of Han characters as one token, `trigram` needs three characters. So the text is split into
overlapping character bigrams before FTS5 sees it (`游摊占道` -> `游摊 摊占 占道 道`, the last
character alone so that a one-character search finds it as a prefix), and a search for
`摊贩` is the token `摊贩`, a longer word the phrase of its bigrams
(repository/search.py `match_query`). The splitting is plain SQL (`bigrams()`: `substr`
over the numbers of `search_numbers`, no function of ours), so the index is kept by
triggers in the same transaction as every write, whoever writes: beiwen, an import's
undo, the sqlite3 shell. After each insert, update or delete a trigger rewrites the
document it touched (`refresh()`: out by rowid, back in as the tables now read). Text past
`MAX_CHARS` characters of a column is not indexed. The measurements behind the choice are
in docs/ARCHITECTURE.md.

**Bulk writes.** Through the triggers (the bigrams in SQL, the document out and back in)
an import spent half as much again (20,000 units: 2.15 s of CPU against 1.43 s). An import
(services/imports.py `recording`) and its undo therefore pause the triggers inside their
own transaction (`pause`: a row in `search_paused`, which every trigger's WHEN reads; m015)
and, before they commit, rewrite at once the documents of every row the import's history
names (`resume`), with the bigrams from the Python function `bigram_text`, which gives
exactly what `bigrams()` gives; so does `index_everything`. No other
connection ever sees the row: it is written and deleted in the same transaction.

The labels and the Chinese views that m013 makes too are in zh_views.py.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

MAX_CHARS = 65_536  # characters of one column that the index holds
SPAN = 1 << 40  # rowids of one kind of document: kind * SPAN + id
PAUSE_TABLE = "search_paused"  # m015: a row here (inside one transaction) pauses the triggers
BIGRAMS_FUNCTION = "beiwen_bigrams"  # bigram_text, registered for `resume`

# kind -> (number, table, the title's, the body's and the notes' SQL over the row `d`).
KINDS: dict[str, tuple[int, str, str, str, str]] = {
    "issue": (
        0,
        "issues",
        "d.title",
        "coalesce(d.description, '') || ' ' || coalesce(d.reporter, '')",
        "(SELECT group_concat(note, ' ') FROM (SELECT e.note FROM issue_events e "
        "WHERE e.issue_id = d.id AND e.note <> '' ORDER BY e.id))",
    ),
    "unit": (
        1,
        "units",
        "d.name",
        "coalesce(d.address, '') || ' ' || coalesce(d.contact, '')",
        "(SELECT group_concat(alias, ' ') FROM (SELECT a.alias FROM unit_aliases a "
        "WHERE a.unit_id = d.id ORDER BY a.id))",
    ),
    "person": (
        2,
        "people",
        "d.name",
        "d.note",
        "(SELECT group_concat(skill, ' ') FROM (SELECT s.skill FROM person_skills s "
        "WHERE s.person_id = d.id ORDER BY s.skill))",
    ),
    "need": (
        3,
        "needs",
        "d.title",
        "d.description",
        "(SELECT group_concat(note, ' ') FROM (SELECT e.note FROM need_events e "
        "WHERE e.need_id = d.id AND e.note <> '' ORDER BY e.id))",
    ),
}

# table -> (kind, the SQL of the document's row id in terms of the changed row `{row}`, the
# columns whose change rewrites it). The parts of a document kept in another table (an
# order's notes, a unit's aliases, a person's skills) rewrite their owner's.
WATCHED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "issues": ("issue", "{row}.id", ("id", "title", "description", "reporter")),
    "issue_events": ("issue", "{row}.issue_id", ("issue_id", "note")),
    "units": ("unit", "{row}.id", ("id", "name", "address", "contact")),
    "unit_aliases": ("unit", "{row}.unit_id", ("unit_id", "alias")),
    "people": ("person", "{row}.id", ("id", "name", "note")),
    "person_skills": ("person", "{row}.person_id", ("person_id", "skill")),
    "needs": ("need", "{row}.id", ("id", "title", "description")),
    "need_events": ("need", "{row}.need_id", ("need_id", "note")),
}


def bigrams(text_sql: str) -> str:
    """SQL for the text `text_sql` as its overlapping character bigrams, space-separated."""
    return (
        "(SELECT group_concat(g, ' ') FROM (SELECT substr(t.v, n, 2) AS g "
        # CROSS JOIN keeps the text the outer loop: the numbers are then read by rowid up to
        # its length, not all MAX_CHARS of them with the text computed again for each
        f"FROM (SELECT {text_sql} AS v) t CROSS JOIN search_numbers WHERE n <= length(t.v) "
        "ORDER BY n))"
    )


def bigram_text(value: object) -> str | None:
    """What `bigrams()` makes of `value`, in Python: the same tokens, the same NULL."""
    if value is None:
        return None
    text = value if isinstance(value, str) else str(value)
    if "\x00" in text:  # SQLite's length() stops at the first NUL
        text = text[: text.index("\x00")]
    pieces = [text[i : i + 2] for i in range(min(len(text), MAX_CHARS))]
    return " ".join(pieces) if pieces else None


def _function_bigrams(text_sql: str) -> str:
    return f"{BIGRAMS_FUNCTION}({text_sql})"


def document_select(kind: str, where: str = "", split: Callable[[str], str] = bigrams) -> str:
    """SELECT of the index rows (rowid, title, body, notes) of `kind` (rows `d`)."""
    number, table, title, body, notes = KINDS[kind]
    return (
        f"SELECT d.id + {number * SPAN}, {split(title)}, {split(body)}, {split(notes)} "
        f"FROM {table} d {where}"
    )


def refresh(kind: str, key_sql: str, condition: str = "") -> str:
    """Statements that rewrite the document of the `kind` row whose id is `key_sql` as the
    tables now hold it: out by rowid, back in when the row still exists. Idempotent, so a
    write that changed nothing (INSERT OR IGNORE) or a REPLACE leaves the index true too."""
    number = KINDS[kind][0]
    where = f"WHERE d.id = ({key_sql}){condition}"
    return (
        f"DELETE FROM search_index WHERE rowid = ({key_sql}) + {number * SPAN}{condition}; "
        f"INSERT INTO search_index (rowid, title, body, notes) {document_select(kind, where)};"
    )


def existing(conn: sqlite3.Connection, table: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        is not None
    )


def trigger_statements(conn: sqlite3.Connection) -> list[str]:
    """CREATE TRIGGER statements keeping the index true on every table that feeds it, after
    each insert, update and delete. A table a later migration has not made yet (`needs`
    before m009) is left out."""
    statements: list[str] = []
    # m015: paused while a bulk write (an import) holds a row in search_paused
    when = f" WHEN NOT EXISTS (SELECT 1 FROM {PAUSE_TABLE})" if existing(conn, PAUSE_TABLE) else ""
    for table, (kind, key, columns) in WATCHED.items():
        if not existing(conn, table) or not existing(conn, KINDS[kind][1]):
            continue
        new, old = key.format(row="NEW"), key.format(row="OLD")
        moved = f" AND ({new}) IS NOT ({old})"  # an update that moved the row to another owner
        for event, body in (
            ("INSERT", refresh(kind, new)),
            (
                f"UPDATE OF {', '.join(columns)}",
                refresh(kind, new) + " " + refresh(kind, old, moved),
            ),
            ("DELETE", refresh(kind, old)),
        ):
            action = event.split()[0].lower()
            statements.append(
                f"CREATE TRIGGER search_{table}_{action} AFTER {event} ON {table}{when} "
                f"BEGIN {body} END"
            )
    return statements


def trigger_names(conn: sqlite3.Connection) -> list[str]:
    """The search triggers the file holds."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search\\_%' "
            "ESCAPE '\\'"
        )
    ]


def pause(conn: sqlite3.Connection) -> bool:
    """Pause the triggers for the rest of the caller's transaction (False: the file has no
    pause, before m015). `resume` must follow before the commit."""
    if not existing(conn, PAUSE_TABLE):
        return False
    conn.execute(f"INSERT INTO {PAUSE_TABLE} (since) VALUES (datetime('now'))")
    return True


def resume(conn: sqlite3.Connection, changed: str = "", params: tuple[object, ...] = ()) -> None:
    """End the pause; first rewrite the documents of the rows that `changed` names.

    `changed` is a SELECT of (table_name, before, after) rows: the table written and the
    row's images as JSON objects (the import history's `import_changes`). Every document
    such a row belongs to (by WATCHED: the row's own, or its owner's, before and after)
    is taken out and put back as the tables now hold it, in one statement per kind."""
    if changed:
        conn.create_function(BIGRAMS_FUNCTION, 1, bigram_text, deterministic=True)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_owners (id INTEGER PRIMARY KEY)")
        for kind, (number, table, *_) in KINDS.items():
            sources = [
                (source, key.format(row="")[1:])
                for source, (owner_kind, key, _) in WATCHED.items()
                if owner_kind == kind and existing(conn, source)
            ]
            if not existing(conn, table) or not sources:
                continue
            conn.execute("DELETE FROM temp.search_owners")
            for source, column in sources:
                for image in ("before", "after"):
                    conn.execute(
                        "INSERT OR IGNORE INTO temp.search_owners (id) "
                        f"SELECT json_extract(c.{image}, '$.{column}') FROM ({changed}) c "
                        f"WHERE c.table_name = ? AND c.{image} IS NOT NULL",
                        (*params, source),
                    )
            conn.execute(
                f"DELETE FROM search_index WHERE rowid IN "
                f"(SELECT id + {number * SPAN} FROM temp.search_owners)"
            )
            conn.execute(
                "INSERT INTO search_index (rowid, title, body, notes) "
                + document_select(
                    kind, "WHERE d.id IN (SELECT id FROM temp.search_owners)", _function_bigrams
                )
            )
        conn.execute("DROP TABLE temp.search_owners")
    if existing(conn, PAUSE_TABLE):
        conn.execute(f"DELETE FROM {PAUSE_TABLE}")


def index_everything(conn: sqlite3.Connection) -> None:
    """Empty the index and fill it again from every table (m013, and a repair), with the
    bigrams of `bigram_text` (a million work orders: minutes, where the SQL `bigrams()`
    took hours)."""
    conn.create_function(BIGRAMS_FUNCTION, 1, bigram_text, deterministic=True)
    conn.execute("DELETE FROM search_index")
    for kind, (_, table, *_) in KINDS.items():
        if existing(conn, table):
            conn.execute(
                "INSERT INTO search_index (rowid, title, body, notes) "
                + document_select(kind, split=_function_bigrams)
            )


def create_index(conn: sqlite3.Connection) -> None:
    """The index, its numbers and its triggers, filled from every existing row (m013)."""
    conn.execute(
        """
        CREATE TABLE search_numbers (
            n  INTEGER PRIMARY KEY          -- 1, 2, ... MAX_CHARS: the positions bigrams() reads
        )
        """
    )
    conn.execute(
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ?) "
        "INSERT INTO search_numbers (n) SELECT n FROM c",
        (MAX_CHARS,),
    )
    # one document per work order, unit, person and need; rowid = kind * SPAN + id
    conn.execute("CREATE VIRTUAL TABLE search_index USING fts5 (title, body, notes)")
    # the orders of the units a search finds (issue list --search names a unit too)
    conn.execute("CREATE INDEX issues_unit ON issues (unit_id)")
    for statement in trigger_statements(conn):
        conn.execute(statement)
    index_everything(conn)


def add_pause(conn: sqlite3.Connection) -> None:
    """m015: the pause table, and every search trigger made again with its WHEN."""
    conn.execute(
        f"""
        CREATE TABLE {PAUSE_TABLE} (
            since  TEXT NOT NULL    -- when an import paused the triggers (never committed)
        )
        """
    )
    for name in trigger_names(conn):
        conn.execute(f'DROP TRIGGER "{name}"')
    for statement in trigger_statements(conn):
        conn.execute(statement)
