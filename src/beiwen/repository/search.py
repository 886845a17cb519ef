"""Full-text search over the one index of work orders, units, people and needs.

The index (`search_index`, made by m013, see search_schema.py) holds each text as its
overlapping character bigrams; `match_query` turns what a user typed into the FTS5 query
that finds it there, and `search_clause` is the one SQL test every `--search` uses (and
`beiwen serve` gives Datasette's search box the same `match_query`).
"""

from __future__ import annotations

import sqlite3
import unicodedata

from beiwen.repository import phone_search, scalar
from beiwen.search_schema import KINDS, PAUSE_TABLE, SPAN, existing, index_everything, resume

# A query that no document can match (FTS5 refuses an empty one): a search made only of
# spaces and punctuation, which the tokenizer drops, finds nothing.
NOTHING = '"\U0010fffd"'


def _indexed(character: str) -> bool:
    """Whether FTS5's unicode61 tokenizer keeps `character` in a token (letters, numbers,
    private use), rather than treating it as a separator."""
    return unicodedata.category(character)[0] in "LN" or unicodedata.category(character) == "Co"


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def term_query(term: str) -> str | None:
    """The FTS5 query for one word: the phrase of its bigrams as the index holds them (the
    token `摊贩` for 摊贩, `游摊 摊占 占道` for 游摊占道), a one-character word as a prefix
    (every bigram that starts with it, and the text's last character alone); None when the
    tokenizer would keep nothing of it."""
    if not any(_indexed(character) for character in term):
        return None
    if len(term) == 1:
        return _phrase(term) + " *"
    grams = [term[index : index + 2] for index in range(len(term) - 1)]
    if not any(_indexed(character) for gram in grams for character in gram):
        return None
    return _phrase(" ".join(grams))


def match_query(text: str | None) -> str | None:
    """The FTS5 query for a search: every whitespace-separated word must be found (AND), as
    Datasette's search box treats them; None when there is nothing to search for, NOTHING
    when what was typed can match no document."""
    if text is None or not text.strip():
        return None
    terms = [term_query(term) for term in text.split()]
    found = [term for term in terms if term is not None]
    return " AND ".join(found) if found else NOTHING


def search_clause(kind: str, id_sql: str, param: str = "search_match") -> str:
    """SQL true when the row whose id is `id_sql` (a work order, unit, person or need, by
    `kind`) has a document matching the FTS5 query in `:param` (from `match_query`)."""
    low = KINDS[kind][0] * SPAN
    return (
        f"{id_sql} IN (SELECT rowid - {low} FROM search_index "
        f"WHERE search_index MATCH :{param} AND rowid BETWEEN {low} AND {low + SPAN - 1})"
    )


def phone_like(text: str | None) -> bool:
    """Whether a search could be (a piece of) a phone: four digits or more, once the spaces,
    dashes, plus signs and brackets people type are left out (as `phone_search` reads it)."""
    digits = "".join(c for c in (text or "") if c not in " -+()")
    return len(digits) >= 4 and digits.isascii() and digits.isdigit()


def issue_search_sql(search: str | None = None) -> str:
    """The test of `issue list --search` (the query aliases the order `i`): its title,
    description, reporter and notes, and the unit concerned (name, short names, address),
    through the index (`:search_match`); when the search could be a phone, the phone's
    digits too (`:search`), which only a scan can find. Index lookups only otherwise: a
    million orders are searched in milliseconds."""
    units = SPAN * KINDS["unit"][0]
    found = (
        "i.id IN (SELECT rowid FROM search_index WHERE search_index MATCH :search_match "
        f"AND rowid BETWEEN 0 AND {SPAN - 1} "
        "UNION SELECT x.id FROM issues x WHERE x.unit_id IN ("
        f"SELECT rowid - {units} FROM search_index WHERE search_index MATCH :search_match "
        f"AND rowid BETWEEN {units} AND {units + SPAN - 1}))"
    )
    phone = f" OR {phone_search('i.phone')}" if phone_like(search) else ""
    return f"({found}{phone})"


def matching_ids(conn: sqlite3.Connection, kind: str, text: str) -> list[int]:
    """Ids of the `kind` rows whose text holds every word of `text`, in id order."""
    query = match_query(text)
    if query is None:
        return []
    low = KINDS[kind][0] * SPAN
    return [
        row[0]
        for row in conn.execute(
            "SELECT rowid - ? FROM search_index WHERE search_index MATCH ? "
            "AND rowid BETWEEN ? AND ? ORDER BY rowid",
            (low, query, low, low + SPAN - 1),
        )
    ]


def rebuild(conn: sqlite3.Connection) -> int:
    """Index every row again and end any pause of the triggers (a repair; the triggers keep
    the index true otherwise); returns the number of documents."""
    resume(conn)
    index_everything(conn)
    return int(scalar(conn, "SELECT count(*) FROM search_index") or 0)


def is_paused(conn: sqlite3.Connection) -> bool:
    """Whether the file holds a committed pause of the triggers (search_schema.pause is only
    ever held inside an import's own transaction: another program wrote this one)."""
    if not existing(conn, PAUSE_TABLE):
        return False
    return conn.execute(f"SELECT 1 FROM {PAUSE_TABLE} LIMIT 1").fetchone() is not None
