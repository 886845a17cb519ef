"""Roster files as secretaries have them: every encoding Excel writes, broken files, and text
that must come back exactly as it went in.

- UTF-8, UTF-8 with BOM, GBK, GB18030 and UTF-16 with BOM are read exactly; anything else is
  refused with the line it failed on, never read as mojibake, never with a BOM in a header.
- Ragged rows, empty and header-only files, duplicate keys, a 50 MB line, NUL bytes: one
  line-numbered error each, nothing written; with --skip-invalid, imported + rejected = rows.
- Formulas are stored as typed and leave in exports neutralised; an export imports back to
  the very same text: leading zeros, IDs ending in X, landlines, emoji, rare characters.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Cli

HEADER = "名称,业态,地址,网格,联系人,联系电话"
# 𠮷 (U+20BB7) and 䶮 (U+4DAE) are outside GBK: GB18030 encodes them in four bytes.
RARE_ROWS = [
    "嘉陵𠮷祥火锅,餐饮,嘉陵风情步行街1号,1,刘䶮,13812345678",
    "北温泉咖啡,咖啡,北温泉街道2号,2,王五,023-68281234",
]
GBK_ROWS = [
    "嘉陵火锅,餐饮,嘉陵风情步行街1号,1,刘强,13812345678",
    "北温泉咖啡,咖啡,北温泉街道2号,2,王五,023-68281234",
]


def write(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def stored_units(cli: Cli) -> list[dict[str, object]]:
    return json.loads(cli.ok("units", "list", "--format", "json").stdout)


def unit_count(cli: Cli) -> int:
    conn = sqlite3.connect(cli.db)
    try:
        return int(conn.execute("SELECT count(*) FROM units").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("encoding", "rows", "shown"),
    [
        ("utf-8", RARE_ROWS, "UTF-8"),
        ("utf-8-sig", RARE_ROWS, "UTF-8 (BOM)"),
        ("gbk", GBK_ROWS, "GB18030"),
        ("gb18030", RARE_ROWS, "GB18030"),
        ("utf-16", RARE_ROWS, "UTF-16"),  # Python writes the BOM, little-endian here
        ("utf-16-be-bom", RARE_ROWS, "UTF-16"),
    ],
)
def test_each_encoding_is_read_exactly(
    ready: Cli, tmp_path: Path, encoding: str, rows: list[str], shown: str
) -> None:
    path = tmp_path / "roster.csv"
    if encoding == "utf-16-be-bom":
        path.write_bytes(b"\xfe\xff" + ("\r\n".join([HEADER, *rows]) + "\r\n").encode("utf-16-be"))
    else:
        write(path, [HEADER, *rows], encoding)
    result = ready.ok("units", "import", str(path))
    assert result.stdout == "2 inserted, 0 updated, 0 unchanged, 0 rejected\n"
    assert result.stderr == f"{path}: read as {shown}\n"
    keys = ("name", "category", "address", "grid", "contact", "phone")
    got = [[str(unit[key]) for key in keys] for unit in stored_units(ready)]
    categories = {"餐饮": "catering", "咖啡": "coffee"}
    expected = [row.split(",") for row in rows]
    for row in expected:
        row[1] = categories[row[1]]
    assert got == expected


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_no_byte_order_mark_ends_up_in_a_column_name(
    ready: Cli, tmp_path: Path, encoding: str
) -> None:
    path = write(tmp_path / "roster.csv", ["名称,网格", "甲商户,1", "乙商户,9"], encoding)
    rejects = tmp_path / "rejects.csv"
    result = ready.ok("units", "import", str(path), "--skip-invalid", "--rejects", str(rejects))
    assert result.stdout == "1 inserted, 0 updated, 0 unchanged, 1 rejected\n"
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert header == ["名称", "网格", "error"]
    assert [u["name"] for u in stored_units(ready)] == ["甲商户"]


def test_a_character_outside_gbk_is_refused_when_gbk_is_forced(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "roster.csv", [HEADER, *GBK_ROWS[:1], RARE_ROWS[0]], "gb18030")
    result = ready.fails("units", "import", str(path), "--encoding", "gbk")
    assert result.stderr == (
        "Error: line 3: bytes that are not valid gbk; save the file as UTF-8 or pass --encoding\n"
    )
    assert unit_count(ready) == 0
    ready.ok("units", "import", str(path), "--encoding", "gb18030")
    assert unit_count(ready) == 2


def _roster_lines(count: int) -> list[str]:
    return [HEADER] + [
        f"商户{n:05d},零售,嘉陵风情步行街{n}号,{n % 6 + 1},张三,1381234{n % 10000:04d}"
        for n in range(count)
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_an_invalid_byte_on_line_5001_names_the_line_and_writes_nothing(
    ready: Cli, tmp_path: Path, encoding: str
) -> None:
    lines = [line.encode(encoding) for line in _roster_lines(6000)]
    lines[5000] = lines[5000].replace("零售".encode(encoding), b"\xff\xfe")  # line 5,001
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = ready.fails("units", "import", str(path))
    assert result.stderr == (
        "Error: line 5001: the file is neither UTF-8 nor GB18030; save it as UTF-8 or pass "
        "--encoding\n"
    )
    assert unit_count(ready) == 0
    forced = ready.fails("units", "import", str(path), "--encoding", encoding)
    assert forced.stderr.startswith(f"Error: line 5001: bytes that are not valid {encoding}")
    assert unit_count(ready) == 0


def test_an_invalid_utf16_unit_names_its_line(ready: Cli, tmp_path: Path) -> None:
    lines = ["名称,业态", "甲商户,零售", "乙商户,零售", "丙商户,零售", "丁商户,零售"]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-16")
    broken = "丙".encode("utf-16-le")
    data = data.replace(broken, b"\x00\xd8")  # a lone high surrogate on line 4
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    result = ready.fails("units", "import", str(path))
    assert result.stderr.startswith("Error: line 4: bytes that are not valid utf-16")
    assert unit_count(ready) == 0


def test_utf16_without_a_bom_is_refused_with_the_fix(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "roster.csv", ["name,category", "Jialing Hotpot,catering"], "utf-16-le")
    result = ready.fails("units", "import", str(path))
    assert result.stderr == (
        "Error: line 1 holds NUL bytes: the file looks like UTF-16 saved without its byte-order "
        "mark; pass --encoding utf-16-le (or utf-16-be), or save it as UTF-8\n"
    )
    assert "\x00" not in result.stderr
    ready.ok("units", "import", str(path), "--encoding", "utf-16-le")
    assert [u["name"] for u in stored_units(ready)] == ["Jialing Hotpot"]


def test_a_western_code_page_is_refused_not_garbled(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "roster.csv", ["name,category", "Café Crème,coffee"], "cp1252")
    result = ready.fails("units", "import", str(path))
    assert result.stderr.startswith("Error: line 2: the file is neither UTF-8 nor GB18030")
    ready.ok("units", "import", str(path), "--encoding", "cp1252")
    assert [u["name"] for u in stored_units(ready)] == ["Café Crème"]


# --- 6. broken files -----------------------------------------------------------------------


def test_ragged_rows_are_refused_line_by_line(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "名称,业态\n"
        "甲商户,零售\n"
        "乙商户\n"  # too few
        "丙商户,零售,多出来的\n"  # too many
        "丁商户,零售,,\n",  # empty trailing cells, as spreadsheets leave them: fine
        encoding="utf-8",
    )
    result = ready.fails("units", "import", str(path))
    assert result.stderr == (
        f"Error: {path}: 2 of 4 rows are invalid; nothing was imported. Fix them, or pass "
        "--skip-invalid --rejects PATH\n"
        "line 3: has 1 cells but the header has 2\n"
        "line 4: has 3 cells but the header has 2\n"
    )
    assert unit_count(ready) == 0


def test_skip_invalid_accounts_for_every_row(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "名称,业态,网格\n甲商户,零售,1\n乙商户\n丙商户,零售,9\n丁商户,火星,1\n戊商户,餐饮,2\n"
        "甲商户,零售,1\n",
        encoding="utf-8",
    )
    rejects = tmp_path / "rejects.csv"
    result = ready.ok("units", "import", str(path), "--skip-invalid", "--rejects", str(rejects))
    assert result.stdout == "2 inserted, 0 updated, 0 unchanged, 4 rejected\n"
    data_rows = path.read_text(encoding="utf-8").count("\n") - 1
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rejected = list(csv.reader(handle))[1:]
    assert len(rejected) + unit_count(ready) == data_rows == 6
    assert [row[0] for row in rejected] == ["乙商户", "丙商户", "丁商户", "甲商户"]
    assert rejected[3][-1] == 'line 7: name: "甲商户" already appears on line 2'


def test_empty_and_header_only_files(ready: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert ready.fails("units", "import", str(empty)).stderr == (
        f"Error: {empty} is empty; it needs a header line and at least one row\n"
    )
    blank = tmp_path / "blank.csv"
    blank.write_bytes(b"\r\n  \r\n")
    assert ready.fails("units", "import", str(blank)).stderr.startswith(f"Error: {blank} is empty")
    header_only = tmp_path / "header.csv"
    header_only.write_bytes("\ufeff名称,业态\r\n,\r\n\r\n".encode())
    assert ready.fails("units", "import", str(header_only)).stderr == (
        f"Error: {header_only} has a header but no rows; nothing to import\n"
    )
    assert unit_count(ready) == 0


def test_duplicate_keys_in_one_file(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(
        "统一社会信用代码,名称\n91500109MA5U00018X,甲商户\n,乙商户\n91500109ma5u00018x,丙商户\n"
        ",乙商户\n",
        encoding="utf-8",
    )
    result = ready.fails("units", "import", str(path))
    assert result.stderr.splitlines()[1:] == [
        'line 4: code: "91500109MA5U00018X" already appears on line 2',
        'line 5: name: "乙商户" already appears on line 3',
    ]
    assert unit_count(ready) == 0


@pytest.mark.parametrize("shape", ["one huge cell", "a huge row of cells"])
def test_a_50_mb_line_is_one_error_with_its_number(ready: Cli, tmp_path: Path, shape: str) -> None:
    path = tmp_path / "roster.csv"
    cells = 25 * 1024 * 1024
    huge = "商" * (50 * 1024 * 1024 // 3) if shape == "one huge cell" else "甲," * cells
    with path.open("w", encoding="utf-8") as handle:
        handle.write("名称,业态\n甲商户,零售\n")
        handle.write(f"{huge},零售\n" if shape == "one huge cell" else f"{huge}\n")
        handle.write("乙商户\n丙商户,零售\n")
    assert path.stat().st_size >= 50 * 1024 * 1024
    # A real process under a 1 GiB address-space limit: the file must not be held in memory
    # as cells (25 million one-character cells took 2.6 GB before the line limit).
    limited = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from beiwen.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", limited, "--db", str(ready.db), "units", "import", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "BEIWEN_LANG": "en"},
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Error: {path}: 2 of 4 rows are invalid; nothing was imported")
    # Refused before it is split into cells: 25 million cells would take gigabytes.
    assert lines[1] == "line 3: the line is longer than 4 MB; a roster row never is, check the file"
    assert lines[2] == "line 4: has 1 cells but the header has 2"
    assert len(lines) == 3
    assert unit_count(ready) == 0


def test_a_cell_over_the_limit_names_its_line(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(f"名称,地址\n甲商户,{'路' * 200_000}\n乙商户,一号\n", encoding="utf-8")
    result = ready.fails("units", "import", str(path))
    assert result.stderr.splitlines()[1:] == ["line 2: a cell is longer than 131072 characters"]
    assert unit_count(ready) == 0


def test_nul_bytes_in_a_cell(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes("名称,业态\n甲商户,零售\n乙\x00商户,零售\n".encode())
    result = ready.fails("units", "import", str(path))
    assert result.stderr.splitlines()[1:] == ["line 3: 名称: contains a NUL byte"]
    assert unit_count(ready) == 0


FORMULAS = [
    '=HYPERLINK("http://example.com/x","点击领取补贴")',
    "+8613812345678",
    "-5折特卖店",
    "@商户联盟",
    "'=已转义",
]


def test_formulas_are_stored_as_typed_and_exported_neutralised(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["名称", "地址"])
        for number, text in enumerate(FORMULAS):
            writer.writerow([text, f"{text} {number}"])
    ready.ok("units", "import", str(path))
    # Stored as typed, except that an apostrophe before a formula is Excel's text marker.
    assert [u["name"] for u in stored_units(ready)] == [*FORMULAS[:4], "=已转义"]
    exported = ready.ok("units", "export").stdout
    rows = list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))
    assert [row["name"] for row in rows] == [
        "'" + '=HYPERLINK("http://example.com/x","点击领取补贴")',
        "'+8613812345678",
        "'-5折特卖店",
        "'@商户联盟",
        "'=已转义",
    ]
    xlsx = tmp_path / "units.xlsx"
    ready.ok("units", "export", "--format", "xlsx", "--output", str(xlsx))
    from openpyxl import load_workbook

    workbook = load_workbook(xlsx, read_only=True)
    sheet = workbook.active
    assert sheet is not None
    cells = list(sheet.iter_rows(values_only=True))
    workbook.close()  # a read-only workbook keeps its file open until closed
    names = [row[cells[0].index("name")] for row in cells[1:]]
    assert all(str(name).startswith("'") for name in names)
    assert not any(str(value).startswith("=") for row in cells for value in row)
    # Importing either export gives back exactly the text that was stored.
    for number, export in enumerate((exported, xlsx)):
        again = tmp_path / f"again{number}.db"
        ready.ok("init", db=again)
        if isinstance(export, str):
            csv_file = tmp_path / "units.csv"
            csv_file.write_text(export, encoding="utf-8")
            export = csv_file
        ready.ok("units", "import", str(export), db=again)
        names = json.loads(ready.ok("units", "list", "--format", "json", db=again).stdout)
        assert [unit["name"] for unit in names] == [*FORMULAS[:4], "=已转义"]


# --- 7. text survives import then export ---------------------------------------------------

EXACT_TEXT = [
    # code ending in X, landline with leading zero, extension, emoji, rare characters
    ("91500109MA5U00018X", "𠮷祥🍲火锅", "023-68281234", "欧阳䶮", "嘉陵风情步行街1号"),
    ("", "龘龘麻辣烫😀", "02368281234", "𪚥先生", "北温泉街道002号"),
    ("", "王记·小面（总店）", "023-68281234-801", "司马懿", "0023号铺"),
    ("", "麦当劳McDonald's", "13800001111", "Zoë", "嘉陵路 8 号 A-01"),
]


def exact(unit: dict[str, str]) -> tuple[str, ...]:
    return (unit["code"] or "", unit["name"], unit["phone"], unit["contact"], unit["address"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_text_comes_back_exactly_after_import_and_export(
    ready: Cli, tmp_path: Path, fmt: str
) -> None:
    source = tmp_path / "source.csv"
    with source.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "phone", "contact", "address"])
        writer.writerows(EXACT_TEXT)
    ready.ok("units", "import", str(source))
    exported = tmp_path / f"units.{fmt}"
    ready.ok("units", "export", "--format", fmt, "--output", str(exported))
    if fmt == "json":
        records = json.loads(exported.read_text(encoding="utf-8"))
        assert [exact(record) for record in records] == EXACT_TEXT
    # Whatever the format, importing the export into a fresh file gives the same rows back.
    again = tmp_path / "again.db"
    ready.ok("init", db=again)
    for number in range(1, 7):
        ready.ok("grid", "add", str(number), f"第{number}网格", db=again)
    ready.ok("units", "import", str(exported), db=again)
    first = json.loads(ready.ok("units", "list", "--format", "json").stdout)
    second = json.loads(ready.ok("units", "list", "--format", "json", db=again).stdout)
    fields = ("code", "name", "phone", "contact", "address", "kind", "category", "grid")
    assert [[u[f] for f in fields] for u in second] == [[u[f] for f in fields] for u in first]
    assert [exact(unit) for unit in first] == EXACT_TEXT


def test_resident_id_ending_in_x_and_phones_survive(ready: Cli, tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(
        "姓名,角色,网格,电话,身份证号\n"
        "李晓燕,志愿者,1,023-68281234,50010919850312007X\n"
        "欧阳𡒄,志愿者,2,02368281234,\n",
        encoding="utf-8",
    )
    ready.ok("grid", "member", "import", str(source))
    listed = ready.ok("grid", "member", "list", "--format", "json", "--show-pii")
    people = json.loads(listed.stdout)
    by_name = {person["name"]: person for person in people}
    assert by_name["李晓燕"]["id_number"] == "50010919850312007X"
    assert by_name["李晓燕"]["phone"] == "023-68281234"
    assert by_name["欧阳𡒄"]["phone"] == "02368281234"


NAME_TEXT = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            exclude_categories=("Cc", "Cs", "Zl", "Zp"),
            exclude_characters="\ufeff",
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


# Half the names start like a formula, behind any number of apostrophes.
RISKY_NAME = st.builds(
    lambda quotes, start, rest: "'" * quotes + start + rest,
    st.integers(0, 3),
    st.sampled_from(["=", "+", "-", "@", ""]),
    NAME_TEXT,
)


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(names=st.lists(st.one_of(NAME_TEXT, RISKY_NAME), min_size=1, max_size=4, unique=True))
def test_any_name_survives_a_csv_round_trip(ready: Cli, tmp_path: Path, names: list[str]) -> None:
    conn = sqlite3.connect(ready.db)
    conn.execute("DELETE FROM units")
    conn.commit()
    conn.close()
    # JSON cells are taken exactly as written (no spreadsheet text marker to undo), so the
    # stored names are exactly `names`; the CSV export must then bring them back unchanged.
    source = tmp_path / "names.json"
    source.write_text(
        json.dumps([{"name": name, "address": name} for name in names], ensure_ascii=False),
        encoding="utf-8",
    )
    ready.ok("units", "import", str(source))
    assert [(u["name"], u["address"]) for u in stored_units(ready)] == [(n, n) for n in names]
    exported = tmp_path / "export.csv"
    ready.ok("units", "export", "--output", str(exported))
    conn = sqlite3.connect(ready.db)
    conn.execute("DELETE FROM units")
    conn.commit()
    conn.close()
    ready.ok("units", "import", str(exported))
    assert [(u["name"], u["address"]) for u in stored_units(ready)] == [(n, n) for n in names]
