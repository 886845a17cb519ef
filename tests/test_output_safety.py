"""What leaves beiwen cannot be turned against its reader (project issue 12 items 14-17 and
issue 13 item 3), through the real CLI:

14. Formulas are neutralised in every CSV, XLSX and Markdown output, also after white space
    and in their full-width forms; an export imports back exactly.
15. Markdown cells are escaped: a name cannot add a table row, emphasis, code or a link.
16. Control characters of imported text reach no terminal: tables, `show` records and error
    messages show them escaped (`\\x1b`), JSON keeps the original.
17. People's phones and ID numbers follow the one policy in `beiwen.privacy`: masked in every
    view unless --show-pii, and always in messages.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from beiwen import privacy
from beiwen.io.formulas import unneutralise
from beiwen.render import formula_like, neutralise, printable
from conftest import Cli

HYPERLINK = '=HYPERLINK("http://evil.example","点我")'
FULL_WIDTH = ["＝1+1", "＋86 13812345678", "－5折特卖", "＠商户联盟"]
FAKE_ROW = "嘉陵小面\n| 办结率 | 100% |"
ESCAPES = "\x1b]0;pwned\x07\x1b[31mred"
SHOWN_ESCAPES = "\\x1b]0;pwned\\x07\\x1b[31mred"
MOBILE = "13700001234"
OTHER_MOBILE = "13987654321"


def council(cli: Cli, name: str) -> int:
    return int(cli.ok("units", "add", name, "--kind", "agency", "--council").stdout)


def duty(cli: Cli, name: str, month: str = "2024-08") -> None:
    cli.ok("rotation", "assign", month, str(council(cli, name)))


def course_with_class(cli: Cli, name: str, when: str = "2024-08-05 14:30") -> int:
    course = cli.ok("course", "add", name).stdout.strip()
    class_id = int(cli.ok("course", "class", "add", course, "--date", when).stdout)
    cli.ok("course", "attend", str(class_id), "张三")
    return class_id


def report_csv(cli: Cli) -> dict[str, str]:
    raw = cli.ok("report", "--month", "2024-08", "--format", "csv").stdout
    return dict(csv.reader(io.StringIO(raw.lstrip("\ufeff"))))


def exported_names(cli: Cli) -> list[str]:
    raw = cli.ok("units", "export").stdout
    return [row["name"] for row in csv.DictReader(io.StringIO(raw.lstrip("\ufeff")))]


def names(cli: Cli, db: Path | None = None) -> list[str]:
    rows = json.loads(cli.ok("units", "list", "--format", "json", db=db).stdout)
    return [row["name"] for row in rows]


# --- 14. formulas -------------------------------------------------------------------------


def test_report_csv_neutralises_a_duty_unit_named_like_a_formula(ready: Cli) -> None:
    duty(ready, HYPERLINK)
    rows = report_csv(ready)
    assert rows["rotation.units"] == "'" + HYPERLINK
    assert rows["rotation.months.2024-08"] == "'" + HYPERLINK
    assert not any(value.startswith("=") for value in rows.values())
    # The JSON report keeps the name as typed.
    data = json.loads(ready.ok("report", "--month", "2024-08", "--format", "json").stdout)
    assert data["rotation"]["units"] == [HYPERLINK]


def test_full_width_formula_characters_are_neutralised_in_csv_and_xlsx(
    ready: Cli, tmp_path: Path
) -> None:
    for name in FULL_WIDTH:
        ready.ok("units", "add", name, "--kind", "merchant")
    assert exported_names(ready) == ["'" + name for name in FULL_WIDTH]
    listed = ready.ok("units", "list", "--format", "csv").stdout
    assert all(f"'{name}" in listed for name in FULL_WIDTH)
    book = tmp_path / "units.xlsx"
    ready.ok("units", "export", "--format", "xlsx", "--output", str(book))
    sheet = load_workbook(book).active
    assert sheet is not None
    column = [cell.value for cell in sheet["B"]][1:]
    assert column == ["'" + name for name in FULL_WIDTH]


def test_exports_with_new_formula_characters_import_back_exactly(
    ready: Cli, tmp_path: Path
) -> None:
    stored = [*FULL_WIDTH, HYPERLINK, "'＝已转义", "''＋两个撇号"]
    for name in stored:
        ready.ok("units", "add", name, "--kind", "merchant")
    assert names(ready) == stored
    csv_file = tmp_path / "units.csv"
    ready.ok("units", "export", "--output", str(csv_file))
    book = tmp_path / "units.xlsx"
    ready.ok("units", "export", "--format", "xlsx", "--output", str(book))
    for number, export in enumerate((csv_file, book)):
        again = tmp_path / f"again{number}.db"
        ready.ok("init", db=again)
        ready.ok("units", "import", str(export), db=again)
        assert names(ready, db=again) == stored


@pytest.mark.parametrize(
    "value",
    [" =1+1", "\t=1", "  +1", "\u3000＝1", " ＠x", "'  -1", "\xa0=1", "\n=1", "\r=1"],
)
def test_white_space_before_a_formula_character_is_neutralised(value: str) -> None:
    assert formula_like(value)
    assert neutralise(value) == "'" + value
    assert unneutralise(neutralise(value)) == value


@pytest.mark.parametrize("value", ["a=1", "店 =1", "'", "", "  ", "1-2", "'店"])
def test_plain_text_is_left_alone(value: str) -> None:
    assert neutralise(value) == value
    assert unneutralise(value) == value


def test_report_markdown_neutralises_names(ready: Cli) -> None:
    course_with_class(ready, "＝HYPERLINK(1)")
    md = ready.ok("report", "--month", "2024-08", "--format", "md").stdout
    assert "| '＝HYPERLINK(1) | 1 | 1 |" in md.splitlines()


# --- 15. Markdown -------------------------------------------------------------------------


def table_rows(md: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith("|")]


def test_a_name_with_a_line_break_adds_no_markdown_row(ready: Cli) -> None:
    baseline = table_rows(ready.ok("report", "--month", "2024-08", "--format", "md").stdout)
    duty(ready, FAKE_ROW)
    md = ready.ok("report", "--month", "2024-08", "--format", "md").stdout
    # A month with a duty unit gains the duty unit's table (issue 17): header, delimiter and
    # exactly one row for the one unit, with the header's number of cells; nothing else moves.
    before_duty, duty_and_after = md.split("## The duty unit's work")
    duty_table, after_duty = duty_and_after.split("\n## ", 1)
    assert table_rows(before_duty) + table_rows("## " + after_duty) == baseline
    duty_rows = table_rows(duty_table)
    assert len(duty_rows) == 3
    header_cells = duty_rows[0].count("|")
    assert all(row.replace("\\|", "").count("|") == header_cells for row in duty_rows)
    assert not any("办结率 | 100%" in line for line in md.splitlines())
    assert "- Rotating secretary unit(s): 嘉陵小面<br>\\| 办结率 \\| 100% \\|" in md


def test_markdown_cells_are_escaped(ready: Cli) -> None:
    course_with_class(ready, "*粗*_斜_|管|`码`[链](x)<b>&amp;~删~\\")
    course_with_class(ready, FAKE_ROW, "2024-08-06 14:30")
    md = ready.ok("report", "--month", "2024-08", "--format", "md").stdout
    lines = md.splitlines()
    assert (
        "| \\*粗\\*\\_斜\\_\\|管\\|\\`码\\`\\[链\\](x)\\<b\\>\\&amp;\\~删\\~\\\\ | 1 | 1 |" in lines
    )
    assert "| 嘉陵小面<br>\\| 办结率 \\| 100% \\| | 1 | 1 |" in lines
    courses = md.split("## Courses")[1].split("##")[0]
    # heading, delimiter, two courses, total: every row has the 3 cells of the header.
    rows = table_rows(courses)
    assert len(rows) == 5
    assert all(row.replace("\\|", "").count("|") == 4 for row in rows)


# --- 16. control characters ---------------------------------------------------------------


def test_printable_escapes_controls_and_keeps_the_rest() -> None:
    assert printable(ESCAPES) == SHOWN_ESCAPES
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("\r\x00\x7f\x9b") == "\\x0d\\x00\\x7f\\x9b"
    assert printable("\u202eevil\u2066\u2069\u2028\u2029") == (
        "\\u202eevil\\u2066\\u2069\\u2028\\u2029"
    )
    assert printable("嘉陵小面 🍜 Zoë") == "嘉陵小面 🍜 Zoë"


def test_escape_sequences_are_shown_escaped_in_tables_and_kept_in_json(ready: Cli) -> None:
    unit = council(ready, ESCAPES)
    shown = ready.ok("units", "show", str(unit)).stdout
    assert "\x1b" not in shown and "\x07" not in shown
    assert SHOWN_ESCAPES in shown
    listed = ready.ok("units", "list").stdout
    assert "\x1b" not in listed and "\\x1b" in listed
    data = json.loads(ready.ok("units", "show", str(unit), "--format", "json").stdout)
    assert data["name"] == ESCAPES
    ready.ok("rotation", "assign", "2024-08", str(unit), "--note", "\u202e注意")
    for args in (
        ("rotation", "show", "--year", "2024"),
        ("rotation", "show", "--from", "2024-08", "--to", "2024-09"),
        ("rotation", "current", "--month", "2024-08"),
        ("rotation", "order"),
        ("report", "--month", "2024-08"),
    ):
        out = ready.ok(*args).stdout
        assert "\x1b" not in out and "\u202e" not in out, args
    assert "\\u202e注意" in ready.ok("rotation", "show", "--year", "2024").stdout


def test_error_messages_show_control_characters_escaped(ready: Cli) -> None:
    error = ready.fails("units", "show", ESCAPES).stderr
    assert "\x1b" not in error and "\x07" not in error
    assert SHOWN_ESCAPES in error


def test_report_table_and_word_file_escape_control_characters(ready: Cli, tmp_path: Path) -> None:
    from docx import Document

    course_with_class(ready, "\x1b[31m红课\u202e")
    table = ready.ok("report", "--month", "2024-08").stdout
    assert "\x1b" not in table and "\\x1b[31m红课\\u202e" in table
    target = tmp_path / "report.docx"
    ready.ok("report", "--month", "2024-08", "--format", "docx", "--output", str(target))
    cells = [
        cell.text for t in Document(str(target)).tables for row in t.rows for cell in row.cells
    ]
    assert "\\x1b[31m红课\\u202e" in cells
    md = ready.ok("report", "--month", "2024-08", "--format", "md").stdout
    assert "\x1b" not in md and "\\\\x1b\\[31m红课\\\\u202e" in md


def test_grid_show_escapes_control_characters(ready: Cli) -> None:
    ready.ok("grid", "add", "99", "第九十九网格\x1b[2J")
    ready.ok("grid", "member", "add", "王\x1b[5m芳", "--role", "grid_worker", "--grid", "99")
    out = ready.ok("grid", "show", "99").stdout
    assert "\x1b" not in out and "\\x1b[5m" in out
    assert "\\x1b[2J" in ready.ok("grid", "list").stdout


# --- 17. personal data --------------------------------------------------------------------


def test_policy_table() -> None:
    for entity in ("member", "attendee", "reporter"):
        for output in ("table", "json", "csv", "xlsx", "md", "docx"):
            assert privacy.masked(entity, "phone", output)
            assert not privacy.masked(entity, "phone", output, show_pii=True)
        assert privacy.masked(entity, "phone", "message", show_pii=True)
        assert not privacy.masked(entity, "phone", "export")
    assert privacy.masked("member", "id_number", "json")
    assert privacy.masked("unit", "phone", "table")
    assert not privacy.masked("unit", "phone", "json")
    assert not privacy.masked("unit", "phone", "csv")
    assert not privacy.masked("unit", "phone", "message")
    assert not privacy.masked("unit", "name", "table")
    assert privacy.shown("attendee", "phone", MOBILE, "json") == "137****1234"
    assert privacy.shown("attendee", "phone", None, "json") is None
    row = {"name": "张三", "phone": MOBILE}
    assert privacy.private_row("unit", row, "json") is row


def test_the_birth_date_of_a_bad_id_number_is_not_shown(ready: Cli) -> None:
    error = ready.fails(
        "grid", "member", "add", "王芳", "--role", "volunteer", "--id-number", "110105194902300028"
    ).stderr
    assert "19490230" not in error and "110105194902300028" not in error
    assert "1101**********0028" in error


def test_a_bad_member_phone_is_masked_in_the_error(ready: Cli) -> None:
    error = ready.fails(
        "grid", "member", "add", "王芳", "--role", "volunteer", "--phone", "1597654321"
    )
    assert "1597654321" not in error.stderr
    assert "1597**4321" in error.stderr
    ready.ok("grid", "member", "add", "王芳", "--role", "volunteer", "--phone", MOBILE)
    bad = ready.fails("grid", "member", "edit", "王芳", "--phone", "1586543210").stderr
    assert "1586543210" not in bad


def test_member_import_messages_mask_phones(ready: Cli, tmp_path: Path) -> None:
    roster = tmp_path / "people.csv"
    roster.write_text(
        f"姓名,角色,电话\n王芳,志愿者,{MOBILE}\n王芳,志愿者,{MOBILE}\n李强,志愿者,1586543210\n",
        encoding="utf-8",
    )
    error = ready.fails("grid", "member", "import", str(roster)).stderr
    assert MOBILE not in error and "1586543210" not in error
    assert "王芳 137****1234" in error  # the duplicate, recognisable but masked


def test_id_numbers_alike_in_their_masked_form_are_not_duplicates(
    ready: Cli, tmp_path: Path
) -> None:
    # Same first four and last four characters: equal when masked, two different people.
    roster = tmp_path / "people.csv"
    roster.write_text(
        "姓名,角色,身份证号\n张明,志愿者,11010519491231002X\n李强,志愿者,11010219900101002X\n",
        encoding="utf-8",
    )
    assert ready.ok("grid", "member", "import", str(roster)).stdout.startswith("2 inserted")


def attendees(cli: Cli, *options: str) -> list[tuple[str, str]]:
    data: dict[str, Any] = json.loads(
        cli.ok("course", "class", "show", "1", "--format", "json", *options).stdout
    )
    return [(a["name"], a["phone"]) for a in data["attendees"]]


def test_attendees_phones_are_masked_in_json_unless_show_pii(ready: Cli, tmp_path: Path) -> None:
    course_with_class(ready, "书法")
    ready.ok("course", "attend", "1", f"李四:{MOBILE}")
    assert attendees(ready) == [("张三", ""), ("李四", "137****1234")]
    assert attendees(ready, "--show-pii") == [("张三", ""), ("李四", MOBILE)]
    bad = ready.fails("course", "attend", "1", "王五:1597654321").stderr
    assert "1597654321" not in bad
    roster = tmp_path / "roster.csv"
    roster.write_text(f"姓名,电话\n赵六,{OTHER_MOBILE}\n赵六,{OTHER_MOBILE}\n", encoding="utf-8")
    error = ready.fails("course", "attend", "1", "--file", str(roster)).stderr
    assert OTHER_MOBILE not in error and "139****4321" in error


def test_reporters_phones_are_masked_in_json_unless_show_pii(ready: Cli) -> None:
    number = ready.ok(
        "issue", "add", "占道", "--category", "vendor", "--grid", "1", "--phone", MOBILE
    ).stdout.strip()
    shown = json.loads(ready.ok("issue", "show", number, "--format", "json").stdout)
    assert shown["phone"] == "137****1234"
    whole = json.loads(ready.ok("issue", "show", number, "--format", "json", "--show-pii").stdout)
    assert whole["phone"] == MOBILE
    (listed,) = json.loads(ready.ok("issue", "list", "--format", "json").stdout)
    assert listed["phone"] == "137****1234"
    (listed,) = json.loads(ready.ok("issue", "list", "--format", "json", "--show-pii").stdout)
    assert listed["phone"] == MOBILE
    # The export is what is imported again: whole.
    assert MOBILE in ready.ok("issue", "export").stdout
    bad = ready.fails("issue", "add", "占道", "--category", "vendor", "--phone", "1597654321")
    assert "1597654321" not in bad.stderr
