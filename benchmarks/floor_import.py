"""The floor of the roster import: what a plain Python script needs for the same work.

    .venv/bin/python benchmarks/floor_import.py DATABASE ROSTER.csv

`make bench` runs it beside `beiwen units import` on the same rows and the same fresh
database (a copy of the benchmark's grids.db, beiwen's whole schema with its indexes and
triggers): the file decoded once as GB18030 and split by the csv module, the Chinese header
mapped to columns by index once, every cell through the rules beiwen applies (the same
parsers: credit code with its GB 32100 check character, merchant category, grid, phone, the
opening date; the name required), line-numbered reasons, the in-file duplicate check by
credit code else name, one load of the existing units, then the new units as tuples in one
`executemany`, in one transaction with beiwen's pragmas and its import history (the same
TEMP triggers record every row for `imports undo`; the search index's triggers paused and
the new units' documents written at once before the commit, as beiwen's imports do since
m015: `search_schema.pause`/`resume`). Nothing of beiwen's pipeline is used:
no Table, no ImportSpec, no batches. Prints the count written, or the reasons and exits 1.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

HEADERS = {
    "统一社会信用代码": "code",
    "商户名称": "name",
    "业态": "category",
    "经营地址": "address",
    "网格": "grid",
    "负责人": "contact",
    "联系电话": "phone",
    "开业日期": "opened",
}
COLUMNS = ("code", "name", "kind", "category", "grid", "address", "contact", "phone", "opened")


def main(argv: list[str]) -> int:
    from beiwen import search_schema
    from beiwen.errors import BeiwenError
    from beiwen.parsing import iso, now, parse_credit_code, parse_date, parse_phone
    from beiwen.repository import imports as history
    from beiwen.services.refs import grid_number
    from beiwen.vocab import ALIASES, MERCHANT_CATEGORIES, parse_choice

    database, roster = Path(argv[0]), Path(argv[1])
    conn = sqlite3.connect(database, isolation_level=None)
    for pragma in (
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
        "busy_timeout = 30000",
        "cache_size = -32768",
    ):
        conn.execute(f"PRAGMA {pragma}")
    grids = dict(conn.execute("SELECT number, name FROM grids").fetchall())
    categories = ALIASES["MERCHANT_CATEGORIES"]

    def category(value: str) -> str:
        return parse_choice(MERCHANT_CATEGORIES, value, "category", categories)

    parsers = {
        "code": lambda v: parse_credit_code(v, "code"),
        "category": category,
        "grid": lambda v: grid_number(v, grids),
        "phone": lambda v: parse_phone(v, "phone"),
        "opened": lambda v: parse_date(v, "opened").isoformat(),
    }
    stamp = iso(now())
    reasons: list[str] = []
    values: list[tuple[object, ...]] = []
    first_line: dict[tuple[str, str], int] = {}
    with roster.open(encoding="gb18030", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        picks = [(index, HEADERS[name.strip()]) for index, name in enumerate(header)]
        known_codes = {c for (c,) in conn.execute("SELECT code FROM units WHERE code IS NOT NULL")}
        known_names = {n for (n,) in conn.execute("SELECT name FROM units")}
        for line, cells in enumerate(reader, start=2):
            row: dict[str, object] = {"kind": "merchant"}
            problems = []
            for index, column in picks:
                text = cells[index].strip()
                if not text:
                    row[column] = None
                    continue
                parse = parsers.get(column)
                try:
                    row[column] = parse(text) if parse else text
                except BeiwenError as error:
                    problems.append(f"line {line}: {error.message}")
            if not row.get("name"):
                problems.append(f"line {line}: name is required")
            if not problems:
                key = ("code", row["code"]) if row.get("code") else ("name", row["name"])
                if key in first_line:
                    problems.append(f"line {line}: {key[0]} also on line {first_line[key]}")
                else:
                    first_line[key] = line  # type: ignore[assignment]
                if row.get("code") in known_codes or (
                    not row.get("code") and row["name"] in known_names
                ):
                    problems.append(f"line {line}: already stored")  # the data is all new
            if problems:
                reasons.extend(problems)
                continue
            values.append((*(row.get(c) for c in COLUMNS), 0, stamp, stamp))
    if reasons:
        sys.stderr.write("\n".join(reasons[:20]) + "\n")
        return 1
    conn.execute("BEGIN IMMEDIATE")
    import_id = conn.execute(
        "INSERT INTO imports (kind, file, sha256, at) VALUES ('units', ?, '', ?)",
        (str(roster), stamp),
    ).lastrowid
    assert import_id is not None
    line_now = [0]
    search_schema.pause(conn)
    history.start_capture(conn, import_id, lambda: line_now[0])

    def numbered() -> object:
        for number, row in enumerate(values, start=2):
            line_now[0] = number
            yield row

    conn.executemany(
        f"INSERT INTO units ({', '.join(COLUMNS)}, council, created_at, updated_at) "
        f"VALUES ({', '.join('?' * (len(COLUMNS) + 3))})",
        numbered(),  # type: ignore[arg-type]
    )
    search_schema.resume(conn, history.CHANGES_OF_IMPORT, (import_id,))
    history.stop_capture(conn)
    conn.execute("COMMIT")
    print(len(values))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
