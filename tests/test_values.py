"""Every number and date a user gives has a range, and every file a user hands in is read or
refused with one `Error:` line: the values that used to be accepted and then broke later
commands, or crashed the reader, now stop at the door.

The ranges live in `beiwen.parsing` (NUMBER_RANGES, FIRST_DAY, LAST_DAY); the encodings and
the spreadsheet limits in `beiwen.io.tables`. README "What beiwen promises" lists them.
"""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from beiwen.io.tables import SHEET_COLUMNS
from conftest import Cli, beiwen_process

MAX_INT = str(2**63 - 1)
ACCEPTED = (
    "auto, utf-8, utf-8-sig, gb18030, gbk, gb2312, big5, utf-16, utf-16-le, utf-16-be, "
    "latin-1, cp1252, ascii"
)


# --- numbers ------------------------------------------------------------------------------


def test_a_deadline_past_a_year_is_refused_and_work_orders_can_still_be_added(
    ready: Cli,
) -> None:
    result = ready.fails("issue", "deadlines", "--set", "vendor", "3000000")
    assert result.stderr == (
        'Error: --set DAYS: "3000000" is too large; use a whole number from 1 to 365\n'
    )
    ready.ok("issue", "deadlines", "--set", "vendor", "365")
    ready.ok("issue", "add", "游摊占道", "--category", "vendor", "--grid", "1")


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("9" * 5000, '"99999999999999999999…(5000)" is too large'),
        (str(2**63), f'"{2**63}" is too large; use a whole number from 1 to 365'),
        ("①", "has digits other than 0-9"),
        ("٣", "has digits other than 0-9"),
        ("²", "has digits other than 0-9"),
    ],
)
def test_huge_numbers_and_unicode_digits_are_one_error_line(
    ready: Cli, days: str, message: str
) -> None:
    assert message in ready.fails("issue", "deadlines", "--set", "vendor", days).stderr


def test_full_width_digits_are_read_as_digits_and_others_refused(ready: Cli) -> None:
    assert (
        "digits other than 0-9"
        in ready.fails("issue", "deadlines", "--set", "vendor", "１①").stderr
    )
    result = ready.ok("issue", "deadlines", "--set", "vendor", "１０")
    assert "10 days" in result.stdout + result.stderr


def test_an_imported_work_order_number_past_the_id_range_is_refused(
    ready: Cli, tmp_path: Path
) -> None:
    source = tmp_path / "orders.csv"
    source.write_text(
        f"编号,标题,类别,网格,上报时间\n{MAX_INT},游摊占道,vendor,1,2024-08-01 09:00\n",
        encoding="utf-8",
    )
    result = ready.fails("issue", "import", str(source))
    assert (
        f'line 2: id: "{MAX_INT}" is too large; use a whole number from 1 to 999999999'
        in result.stderr
    )
    # Nothing was stored, so the next work order still gets a number.
    ready.ok("issue", "add", "噪音扰民", "--category", "dispute")
    source.write_text(
        "编号,标题,类别,网格,上报时间\n999999999,游摊占道,vendor,1,2024-08-01 09:00\n",
        encoding="utf-8",
    )
    ready.ok("issue", "import", str(source))


def test_participants_past_the_count_range_are_refused_and_the_report_still_adds_up(
    ready: Cli,
) -> None:
    result = ready.fails(
        "activity", "add", "金融进企业", "--kind", "finance_visit", "--date", "2024-08-03",
        "--participants", MAX_INT,
    )  # fmt: skip
    assert result.stderr.startswith(
        f'Error: participants: "{MAX_INT}" is too large; use a whole number from 0 to 100000'
    )
    for _ in range(2):
        ready.ok(
            "activity", "add", "金融进企业", "--kind", "finance_visit", "--date", "2024-08-03",
            "--participants", "100000",
        )  # fmt: skip
    ready.ok("report", "--month", "2024-08")
    ready.ok("report", "--year", "2024")


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "--from", "9999-12-01", "--to", "9999-12-31"],
            '--from: "9999-12-01" is outside the dates beiwen accepts (1900-01-01 to 2999-12-31)',
        ),
        (
            ["report", "--from", "2024-01-01", "--to", "0001-01-01"],
            '--to: "0001-01-01" is outside the dates beiwen accepts (1900-01-01 to 2999-12-31)',
        ),
        (
            ["report", "--month", "3000-01"],
            '--month: "3000-01" is outside the dates beiwen accepts (1900-01 to 2999-12)',
        ),
        (
            ["report", "--year", "9999"],
            '--year: "9999" is outside the dates beiwen accepts (1900 to 2999)',
        ),
        (
            ["rotation", "show", "--year", "9999"],
            '--year: "9999" is outside the dates beiwen accepts (1900 to 2999)',
        ),
        (
            ["activity", "add", "培训", "--kind", "finance_visit", "--date", "0001-01-01"],
            'date: "0001-01-01" is outside the dates beiwen accepts',
        ),
        (
            ["issue", "add", "游摊", "--category", "vendor", "--reported-at", "1899-12-31 23:00"],
            '--reported-at: "1899-12-31 23:00" is outside the dates beiwen accepts',
        ),
        (
            [
                "issue",
                "add",
                "游摊",
                "--category",
                "vendor",
                "--reported-at",
                "2024-08-03T09:30+99:00",
            ],
            '--reported-at: "2024-08-03T09:30+99:00" is not a date and time',
        ),
        (
            ["report", "--month", "٢٠٢٤-٠٨"],
            '--month: "٢٠٢٤-٠٨" has digits other than 0-9',
        ),
    ],
    ids=lambda value: value[1] if isinstance(value, list) else None,
)
def test_far_dates_are_one_error_line(ready: Cli, args: list[str], message: str) -> None:
    assert message in ready.fails(*args).stderr


def test_the_last_accepted_dates_still_work_and_the_next_is_refused(ready: Cli) -> None:
    ready.fails("report", "--from", "2999-12-01", "--to", "9999-12-31")
    ready.ok("report", "--from", "2999-12-01", "--to", "2999-12-31")
    ready.ok("report", "--month", "2999-12")
    ready.ok("report", "--year", "2999")
    ready.ok("report", "--month", "１９００-01")  # full-width digits are digits
    ready.ok("rotation", "show", "--year", "2999")


# --- encodings ----------------------------------------------------------------------------


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_bytes("名称,类型\n甲商户,merchant\n".encode())
    return path


@pytest.mark.parametrize("name", ["rot13", "idna", "base64", "zlib", "hex", "utf-32"])
def test_codecs_that_are_not_roster_encodings_are_refused_with_the_list(
    ready: Cli, roster: Path, name: str
) -> None:
    result = ready.fails("units", "import", str(roster), "--encoding", name)
    assert result.stderr == (
        f'Error: "{name}" is not an encoding beiwen reads files in; use one of: {ACCEPTED}\n'
    )


def test_utf16_named_for_a_file_without_its_mark_is_one_error_line(
    ready: Cli, roster: Path
) -> None:
    roster.write_bytes("名称,类型\n甲商户,merchant\n".encode("utf-16-le"))
    result = ready.fails("units", "import", str(roster), "--encoding", "utf-16")
    assert result.stderr.startswith(
        "Error: the file does not start with a UTF-16 byte-order mark; pass --encoding utf-16-le"
    )
    ready.ok("units", "import", str(roster), "--encoding", "utf-16-le")


@pytest.mark.parametrize("name", ["latin-1", "latin1", "windows-1252", "cp936", "UTF8"])
def test_aliases_of_accepted_encodings_work(ready: Cli, tmp_path: Path, name: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(b"name,kind\nCafe,merchant\n")
    ready.fails("units", "import", str(path), "--encoding", "rot13")
    ready.ok("units", "import", str(path), "--encoding", name, "--dry-run")


# --- JSON rosters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[{"名称": "甲"},\n' + "[" * 3000 + "]" * 3000 + "]",
            "line 2: the JSON nests deeper than 100 levels",
        ),
        (
            '[{"名称": "甲"},\n{"名称": ' + "9" * 5000 + "}]",
            "line 2: a number of more than 100 digits",
        ),
        (
            '[{"名称": "甲"},\n{"名称": "\\ud800"}]',
            "line 2: a \\u escape names half a character (a lone surrogate",
        ),
    ],
    ids=["deep", "digits", "surrogate"],
)
def test_hostile_json_rosters_are_one_error_line(
    ready: Cli, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "roster.json"
    path.write_text(text, encoding="utf-8")
    assert message in ready.fails("units", "import", str(path)).stderr


def test_a_json_roster_with_a_real_emoji_pair_is_read(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.json"
    path.write_text('[{"名称": "火锅\\ud83c"}]', encoding="utf-8")  # half of the pair
    ready.fails("units", "import", str(path))
    path.write_text(json.dumps([{"名称": "火锅🍲"}]), encoding="utf-8")  # \ud83c\udf72
    ready.ok("units", "import", str(path))
    assert "火锅🍲" in ready.ok("units", "list").stdout


# --- paths --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["a" * 5000 + ".csv", "a" * 300 + "/x.csv", "b" * 300 + ".xlsx"], ids=len
)
def test_a_path_longer_than_the_file_system_allows_is_one_error_line(
    ready: Cli, tmp_path: Path, name: str
) -> None:
    result = ready.fails("units", "import", str(tmp_path / name))
    assert result.stderr.endswith(
        "…: the path is longer than the file system allows; use a shorter name\n"
    )


# --- spreadsheets -------------------------------------------------------------------------


def far_cell_workbook(path: Path) -> Path:
    """A 5 KB workbook: a header, one row, and one cell at row 200,000, column 3,000."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"], sheet["A2"] = "名称", "甲商户"
    sheet.cell(row=200_000, column=3_000, value="x")
    workbook.save(path)
    return path


def rewrite_sheet(source: Path, target: Path, body: str) -> Path:
    """`source` with its first sheet's <sheetData> replaced by `body` and no <dimension>."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                start, end = xml.index("<sheetData>"), xml.index("</sheetData>") + 12
                data = (xml[:start] + body + xml[end:]).encode()
                data = data.replace(b'<dimension ref="A1:DKJ200000"/>', b"")
            new.writestr(item.filename, data)
    return target


def test_a_cell_far_outside_the_table_is_refused_before_the_reader_allocates(
    ready: Cli, tmp_path: Path
) -> None:
    path = far_cell_workbook(tmp_path / "far.xlsx")
    assert path.stat().st_size < 10_000
    started = time.monotonic()
    result = beiwen_process("--db", str(ready.db), "units", "import", str(path), timeout=120)
    assert time.monotonic() - started < 60
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert result.stderr == (
        f'Error: {path}: sheet "Sheet" reaches row 200,000 and column 3,000; beiwen reads '
        f"sheets of up to 1,048,576 rows, {SHEET_COLUMNS} columns and 20,000,000 cells: "
        "delete the cells far outside the table, or save the table as CSV\n"
    )


def test_cells_without_references_are_placed_as_the_reader_would(
    ready: Cli, tmp_path: Path
) -> None:
    """200,000 `<row/>` and a row of 3,000 `<c/>`: no `r=` anywhere, same 19 GB rectangle."""
    body = (
        '<sheetData><row><c t="inlineStr"><is><t>名称</t></is></c></row>'
        + "<row/>" * 200_000
        + "<row>"
        + "<c/>" * 2_999
        + "<c><v>1</v></c></row></sheetData>"
    )
    path = rewrite_sheet(far_cell_workbook(tmp_path / "far.xlsx"), tmp_path / "bare.xlsx", body)
    result = beiwen_process("--db", str(ready.db), "units", "import", str(path), timeout=120)
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    assert result.stderr.startswith(
        f'Error: {path}: sheet "Sheet" reaches row 200,002 and column 3,000;'
    )


def test_a_workbook_whose_other_sheet_is_huge_imports_its_first(ready: Cli, tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "名单"
    first["A1"], first["A2"] = "名称", "甲商户"
    far = workbook.create_sheet("远处")
    far.cell(row=5_000, column=SHEET_COLUMNS + 1, value="x")
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    ready.ok("units", "import", str(path), "--dry-run")
    result = ready.fails("units", "import", str(path), "--sheet", "远处")
    assert f'sheet "远处" reaches row 5,000 and column {SHEET_COLUMNS + 1};' in result.stderr
