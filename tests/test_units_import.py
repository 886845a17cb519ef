"""`beiwen units import` and `units export`: encodings, headers, bad rows with their lines,
all-or-nothing, --skip-invalid, upserts, dry runs and byte-exact round trips."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from beiwen.parsing import credit_code_check_char
from beiwen.render import neutralise
from beiwen.services.importing import unneutralise
from conftest import Cli


def code_for(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


CODE_1 = code_for("92500109MA5U2QAX6")
CODE_2 = code_for("91500109MA60LJ0G1")
CODE_3 = code_for("92500109L12345678")

CHINESE_HEADER = "统一社会信用代码,商户名称,业态,经营地址,网格,负责人,联系电话,开业日期"
CHINESE_ROWS = [
    f"{CODE_1},嘉陵小面馆,餐饮,北碚区嘉陵风情步行街12号,2,王芳,13812341234,2019年3月5日",
    ",云清咖啡,咖啡,北碚区云清路8号,3,李强,023-68281234,2021/4/15",
    f"{CODE_2},䶮记服饰,服装,北碚区天生路𠀀号,1,赵䶮,02368281234,2018-11-30",
]
EXPECTED = [
    {
        "code": CODE_1,
        "name": "嘉陵小面馆",
        "kind": "merchant",
        "category": "catering",
        "grid": 2,
        "address": "北碚区嘉陵风情步行街12号",
        "contact": "王芳",
        "phone": "13812341234",
        "opened": "2019-03-05",
        "council": 0,
    },
    {
        "code": None,
        "name": "云清咖啡",
        "kind": "merchant",
        "category": "coffee",
        "grid": 3,
        "address": "北碚区云清路8号",
        "contact": "李强",
        "phone": "023-68281234",
        "opened": "2021-04-15",
        "council": 0,
    },
    {
        "code": CODE_2,
        "name": "䶮记服饰",
        "kind": "merchant",
        "category": "clothing",
        "grid": 1,
        "address": "北碚区天生路𠀀号",
        "contact": "赵䶮",
        "phone": "02368281234",
        "opened": "2018-11-30",
        "council": 0,
    },
]
FIELDS = list(EXPECTED[0])


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def roster(folder: Path, rows: list[str], header: str = "name,phone", name: str = "r.csv") -> Path:
    return write(folder, name, "\n".join([header, *rows]) + "\n")


def units(cli: Cli) -> list[dict[str, Any]]:
    data = json.loads(cli.ok("units", "list", "--all", "--format", "json").stdout)
    return [{key: unit[key] for key in FIELDS} for unit in data]


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def summary(inserted: int = 0, updated: int = 0, unchanged: int = 0, rejected: int = 0) -> str:
    return f"{inserted} inserted, {updated} updated, {unchanged} unchanged, {rejected} rejected\n"


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom", "shown"),
    [
        ("utf-8", b"", "UTF-8"),
        ("utf-8", codecs.BOM_UTF8, "UTF-8 (BOM)"),
        ("gb18030", b"", "GB18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
    ],
)
def test_each_encoding_is_detected_and_named(
    ready: Cli, tmp_path: Path, encoding: str, bom: bytes, shown: str
) -> None:
    path = tmp_path / "roster.csv"
    text = "\r\n".join([CHINESE_HEADER, *CHINESE_ROWS]) + "\r\n"
    path.write_bytes(bom + text.encode(encoding))
    result = ready.ok("units", "import", str(path))
    assert result.stdout == summary(inserted=3)
    assert result.stderr == f"{path}: read as {shown}\n"
    assert units(ready) == EXPECTED


def test_gbk_file_is_read_as_gb18030_its_superset(ready: Cli, tmp_path: Path) -> None:
    rows = CHINESE_ROWS[:2]  # 䶮 and 𠀀 are outside GBK
    path = write(tmp_path, "gbk.csv", "\n".join([CHINESE_HEADER, *rows]) + "\n", "gbk")
    result = ready.ok("units", "import", str(path))
    assert result.stderr == f"{path}: read as GB18030\n"
    assert units(ready) == EXPECTED[:2]


def test_gb18030_carries_characters_gbk_lacks(ready: Cli, tmp_path: Path) -> None:
    text = "\n".join([CHINESE_HEADER, *CHINESE_ROWS]) + "\n"
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")
    path = write(tmp_path, "gb.csv", text, "gb18030")
    ready.ok("units", "import", str(path))
    assert units(ready)[2]["name"] == "䶮记服饰"
    assert units(ready)[2]["address"] == "北碚区天生路𠀀号"


@pytest.mark.parametrize(("name", "shown"), [("gbk", "GBK"), ("gb18030", "GB18030")])
def test_a_named_encoding_is_used_as_given(
    ready: Cli, tmp_path: Path, name: str, shown: str
) -> None:
    path = write(tmp_path, "r.csv", "\n".join([CHINESE_HEADER, *CHINESE_ROWS[:2]]) + "\n", "gbk")
    result = ready.ok("units", "import", str(path), "--encoding", name)
    assert result.stderr == f"{path}: read as {shown}\n"
    assert units(ready) == EXPECTED[:2]


def _mislabelled(tmp_path: Path) -> Path:
    """5,000 ASCII lines, then a GB18030 line: valid UTF-8 until line 5,001."""
    lines = ["name,phone"] + [f"shop{i},13812345678" for i in range(2, 5001)]
    data = ("\n".join(lines) + "\n").encode("ascii") + "坏店,13812345678\n".encode("gb18030")
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    return path


def test_an_invalid_byte_is_named_with_its_line(ready: Cli, tmp_path: Path) -> None:
    path = _mislabelled(tmp_path)
    before = dump(ready.db)
    result = ready.fails("units", "import", str(path), "--encoding", "utf-8")
    assert result.stderr == (
        "Error: line 5001: bytes that are not valid utf-8; save the file as UTF-8 or pass "
        "--encoding\n"
    )
    assert dump(ready.db) == before
    # Detection reads the same file as GB18030, whole.
    result = ready.ok("units", "import", str(path), "--dry-run")
    assert result.stdout == "dry run, nothing written: " + summary(inserted=5000)
    assert result.stderr == f"{path}: read as GB18030\n"


def test_a_file_that_is_neither_utf8_nor_gb18030_names_the_line(ready: Cli, tmp_path: Path) -> None:
    lines = ["名称,电话"] + [f"商户{i},13812345678" for i in range(2, 5001)]
    path = tmp_path / "broken.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8") + b"\xff\xfe,13812345678\n")
    assert ready.fails("units", "import", str(path)).stderr == (
        "Error: line 5001: the file is neither UTF-8 nor GB18030; save it as UTF-8 or pass "
        "--encoding\n"
    )


def test_a_bad_utf16_unit_is_named_with_its_line(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    good = "\ufeffname\n店一\n".encode("utf-16-le")
    path.write_bytes(good + b"\x00\xd8" + "x\n".encode("utf-16-le"))
    assert ready.fails("units", "import", str(path)).stderr == (
        "Error: line 3: bytes that are not valid utf-16; save the file as UTF-8 or pass "
        "--encoding\n"
    )


def test_an_unknown_encoding_name(ready: Cli, tmp_path: Path) -> None:
    path = roster(tmp_path, ["店,13812345678"])
    assert ready.fails("units", "import", str(path), "--encoding", "klingon").stderr == (
        'Error: unknown encoding "klingon"; use auto, utf-8, utf-8-sig, gb18030, gbk or utf-16\n'
    )


# --- spreadsheets ---------------------------------------------------------------------


def _workbook(path: Path) -> None:
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "说明"
    notes.append(["本表由网格员填写"])
    sheet = book.create_sheet("商户")
    sheet.append([])  # rows 1-2 left empty: line numbers are Excel's row numbers
    sheet.append([])
    sheet.append(["商户名称", "联系电话", "开业日期", "网格", "统一社会信用代码"])
    sheet.append(["表格面馆", 13812341234, datetime.date(2019, 3, 5), 2, CODE_1])
    sheet.append(["表格咖啡", "023-68281234", datetime.datetime(2021, 4, 15), 3.0, None])
    sheet.append([None, None, None, None, None])
    sheet.append(["表格服饰", "02368281234", "2018年11月30日", "1", CODE_3.lower()])
    book.save(path)


def test_xlsx_named_sheet(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    _workbook(path)
    result = ready.ok("units", "import", str(path), "--sheet", "商户")
    assert result.stdout == summary(inserted=3)
    assert result.stderr == ""
    got = units(ready)
    assert [(u["name"], u["phone"], u["opened"], u["grid"], u["code"]) for u in got] == [
        ("表格面馆", "13812341234", "2019-03-05", 2, CODE_1),
        ("表格咖啡", "023-68281234", "2021-04-15", 3, None),
        ("表格服饰", "02368281234", "2018-11-30", 1, CODE_3),
    ]


def test_xlsx_first_sheet_by_default_and_line_numbers_are_excel_rows(
    ready: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "roster.xlsx"
    _workbook(path)
    assert ready.fails("units", "import", str(path)).stderr.startswith(
        'Error: unknown column "本表由网格员填写" in the header; accepted columns are: code ('
    )
    book = load_workbook(path)
    book["商户"]["B7"] = "12345"
    book.save(path)
    assert ready.fails("units", "import", str(path), "--sheet", "商户").stderr == (
        f"Error: {path}: 1 of 3 rows are invalid; nothing was imported. Fix them, or pass "
        "--skip-invalid --rejects PATH\n"
        'line 7: phone: "12345" is not a phone number; use an 11-digit mobile (13812345678) '
        "or a landline with area code (023-68281234)\n"
    )


def test_xlsx_unknown_sheet_lists_the_sheets(ready: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    _workbook(path)
    assert ready.fails("units", "import", str(path), "--sheet", "Sheet9").stderr == (
        f'Error: {path} has no sheet "Sheet9"; its sheets are: 说明, 商户\n'
    )


def test_a_broken_workbook(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "roster.xlsx", "name,phone\n")
    assert ready.fails("units", "import", str(path)).stderr.startswith(
        f"Error: {path} cannot be read as a spreadsheet ("
    )


# --- headers ----------------------------------------------------------------------------


def test_english_headers_in_any_case_and_spacing(ready: Cli, tmp_path: Path) -> None:
    path = roster(
        tmp_path,
        [f"{CODE_1},嘉陵小面馆,catering,2,13812341234,2019-03-05,王芳,北碚区嘉陵风情步行街12号"],
        header="CODE, Name ,category,Grid,*phone,opened,contact,address",
    )
    ready.ok("units", "import", str(path))
    assert units(ready) == EXPECTED[:1]


@pytest.mark.parametrize(
    "header",
    [
        "信用代码,名称,类别,地址,所属网格,联系人,电话,成立日期",
        "社会信用代码,企业名称,行业,详细地址,网格号,法定代表人,手机,开业日期",
        "credit_code,店名,经营类别,经营地址,网格,负责人,手机号,开业日期",
        "统一社会信用代码*,单位名称＊,业态,地址,网格,联系人,联系电话,开业日期",
    ],
)
def test_chinese_header_aliases(ready: Cli, tmp_path: Path, header: str) -> None:
    path = roster(tmp_path, CHINESE_ROWS[:1], header=header)
    ready.ok("units", "import", str(path))
    assert units(ready) == EXPECTED[:1]


def test_an_unknown_column_lists_the_accepted_names(ready: Cli, tmp_path: Path) -> None:
    path = roster(tmp_path, ["店,13812345678,x"], header="名称,电话,备注")
    assert ready.fails("units", "import", str(path)).stderr == (
        'Error: unknown column "备注" in the header; accepted columns are: '
        "code (统一社会信用代码/信用代码/社会信用代码/credit_code), "
        "name (名称/商户名称/企业名称/单位名称/店名), category (类别/业态/行业/经营类别), "
        "address (地址/经营地址/详细地址), grid (网格/所属网格/网格号), "
        "contact (联系人/负责人/法定代表人), phone (联系电话/电话/手机/手机号), "
        "opened (开业日期/成立日期), kind (类型/单位类型), council (联席会成员/联席会/共建单位)\n"
    )


def test_two_columns_for_one_field(ready: Cli, tmp_path: Path) -> None:
    path = roster(tmp_path, ["店,店2"], header="名称,商户名称")
    assert ready.fails("units", "import", str(path)).stderr == (
        'Error: columns "名称" and "商户名称" both mean name; keep one\n'
    )


def test_the_name_column_is_required(ready: Cli, tmp_path: Path) -> None:
    path = roster(tmp_path, ["13812345678"], header="电话")
    assert ready.fails("units", "import", str(path)).stderr == (
        'Error: the header has no column for name (for example "名称"); add it\n'
    )


def test_blank_trailing_header_cells_are_ignored(ready: Cli, tmp_path: Path) -> None:
    path = roster(tmp_path, ["店,13812345678,,", ",,,", "  ,  ,,"], header="名称,电话,,")
    assert ready.ok("units", "import", str(path)).stdout == summary(inserted=1)


# --- bad rows -----------------------------------------------------------------------------

BAD_ROWS = [
    "名称,信用代码,电话,开业日期,网格,业态",  # line 1
    f"好店一,{CODE_1},13812345678,2019-03-05,1,餐饮",  # line 2
    f"坏代码,{CODE_2[:-1]}0,13812345678,,,",  # line 3
    '"多行\n地址店",,1381234567,,,',  # lines 4-5
    "坏日期,,,2019-02-30,,",  # line 6
    "坏网格,,,,7,",  # line 7
    "坏业态,,,,,茶楼",  # line 8
    ",,13812345678,,,",  # line 9: no name
    "短行,,",  # line 10
    "长行,,,,,,多余",  # line 11
    f"重复代码,{CODE_1},,,,",  # line 12
    "好店二,,,,,",  # line 13
    "好店二,,,,,",  # line 14: the same name twice without a code
    "坏\x00字节,,,,,",  # line 15
    '"好店三\n（分店）",,023-68281234,,2,',  # lines 16-17
]
BAD_ROW_ERRORS = [
    f'line 3: code: "{CODE_2[:-1]}0" fails the GB 32100 check (last character should be '
    f'"{CODE_2[-1]}"); check the code',
    'line 4: phone: "1381234567" is not a phone number; use an 11-digit mobile (13812345678) '
    "or a landline with area code (023-68281234)",
    'line 6: opened: "2019-02-30" is not a date; use 2019-03-05, 2019/3/5 or 2019年3月5日',
    'line 7: unknown grid "7"; grids are 1, 2, 3, 4, 5, 6, see: beiwen grid list',
    'line 8: category: unknown value "茶楼"; use one of: catering (餐饮), retail (零售), '
    "fitness (健身), coffee (咖啡), bar (酒吧), clothing (服装), kids_entertainment (儿童娱乐), "
    "education (教育培训), beauty (美容美发), lodging (住宿), leisure (休闲娱乐), "
    "services (生活服务), finance (金融), other (其他)",
    "line 9: name: is required",
    "line 10: has 3 cells but the header has 6",
    "line 11: has 7 cells but the header has 6",
    f'line 12: code: "{CODE_1}" already appears on line 2',
    'line 14: name: "好店二" already appears on line 13',
    "line 15: 名称: contains a NUL byte",
]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(
    ready: Cli, tmp_path: Path
) -> None:
    path = write(tmp_path, "bad.csv", "\n".join(BAD_ROWS) + "\n")
    before = dump(ready.db)
    result = ready.fails("units", "import", str(path))
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {path}: 11 of 14 rows are invalid; nothing was imported. Fix them, or pass "
        "--skip-invalid --rejects PATH",
        *BAD_ROW_ERRORS,
    ]
    assert dump(ready.db) == before


def test_bad_rows_in_chinese(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "\n".join(BAD_ROWS[:4]) + "\n")
    lines = ready.fails("units", "import", str(path), lang="zh").stderr.splitlines()
    assert lines[0] == (
        f"错误：{path}：3 行中有 2 行无效，未导入任何数据。"
        "请修正，或使用 --skip-invalid --rejects PATH"
    )
    assert lines[1].startswith("第 3 行：统一社会信用代码：")
    assert lines[2].startswith("第 4 行：联系电话：“1381234567”不是有效电话")


def test_a_good_file_after_bad_rows_leaves_the_database_as_it_was(
    ready: Cli, tmp_path: Path
) -> None:
    ready.ok("units", "add", "老店", "--kind", "merchant", "--phone", "13800000000")
    rows = [f"店{i},13812345678" for i in range(300)] + ["老店,13900000000", "坏店,1"]
    path = roster(tmp_path, rows)
    before = dump(ready.db)
    ready.fails("units", "import", str(path))
    assert dump(ready.db) == before


def test_skip_invalid_needs_a_rejects_file(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "\n".join(BAD_ROWS) + "\n")
    assert ready.fails("units", "import", str(path), "--skip-invalid").stderr == (
        "Error: --skip-invalid needs --rejects PATH to keep the rows it skips\n"
    )


def test_skip_invalid_writes_good_rows_and_the_rejects_file(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "\n".join(BAD_ROWS) + "\n")
    rejects = tmp_path / "rejects.csv"
    result = ready.ok("units", "import", str(path), "--skip-invalid", "--rejects", str(rejects))
    assert result.stdout == summary(inserted=3, rejected=11)
    assert result.stderr.splitlines() == [
        f"{path}: read as UTF-8",
        *BAD_ROW_ERRORS,
        f"rejected rows written to {rejects}",
    ]
    assert [u["name"] for u in units(ready)] == ["好店一", "好店二", "好店三\n（分店）"]
    raw = rejects.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header = BAD_ROWS[0].split(",")
    assert table[0] == [*header, "error"]
    assert len(table) == 12
    assert [row[len(header)] for row in table[1:]] == BAD_ROW_ERRORS
    assert table[1][: len(header)] == ["坏代码", f"{CODE_2[:-1]}0", "13812345678", "", "", ""]
    assert table[2][0] == "多行\n地址店"
    assert table[7][: len(header)] == ["短行", "", "", "", "", ""]
    assert table[8] == ["长行", "", "", "", "", "", BAD_ROW_ERRORS[7], "多余"]


def test_a_corrected_rejects_file_imports_as_it_is(ready: Cli, tmp_path: Path) -> None:
    path = roster(tmp_path, ["好店,13812345678", "坏店,1"])
    rejects = tmp_path / "rejects.csv"
    ready.ok("units", "import", str(path), "--skip-invalid", "--rejects", str(rejects))
    text = rejects.read_text(encoding="utf-8-sig").replace("坏店,1,", "坏店,13912345678,")
    rejects.write_text(text, encoding="utf-8-sig")
    assert ready.ok("units", "import", str(rejects)).stdout == summary(inserted=1)
    assert [u["phone"] for u in units(ready)] == ["13812345678", "13912345678"]


def test_skip_invalid_with_dry_run_writes_nothing(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "\n".join(BAD_ROWS) + "\n")
    rejects = tmp_path / "rejects.csv"
    before = dump(ready.db)
    result = ready.ok(
        "units", "import", str(path), "--skip-invalid", "--rejects", str(rejects), "--dry-run"
    )
    assert result.stdout == "dry run, nothing written: " + summary(inserted=3, rejected=11)
    assert dump(ready.db) == before
    assert not rejects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "Error: {path} is empty; it needs a header line and at least one row\n"),
        ("\n\n\n", "Error: {path} is empty; it needs a header line and at least one row\n"),
        ("名称,电话\n", "Error: {path} has a header but no rows; nothing to import\n"),
        ("名称,电话\n,\n\n", "Error: {path} has a header but no rows; nothing to import\n"),
    ],
)
def test_empty_and_header_only_files(
    ready: Cli, tmp_path: Path, content: str, message: str
) -> None:
    path = write(tmp_path, "r.csv", content)
    assert ready.fails("units", "import", str(path)).stderr == message.format(path=path)


def test_missing_file_and_unsupported_type(ready: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    assert ready.fails("units", "import", str(missing)).stderr == (
        f"Error: no such file: {missing}; check the path\n"
    )
    pdf = write(tmp_path, "roster.pdf", "%PDF")
    assert ready.fails("units", "import", str(pdf)).stderr == (
        f'Error: {pdf}: unsupported file type ".pdf"; use .csv, .tsv, .xlsx, .xls or .json\n'
    )


def test_an_unreadable_file_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from beiwen.errors import BeiwenError
    from beiwen.io.tables import read_table

    path = roster(tmp_path, ["店,13812345678"])

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(BeiwenError) as caught:
        read_table(path)
    assert caught.value.message == (
        f"cannot read {path} (Permission denied); check the file and its permissions"
    )


def test_tab_separated_files(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "r.tsv", "名称\t电话\n嘉陵, 小面\t13812345678\n")
    ready.ok("units", "import", str(path))
    assert units(ready)[0]["name"] == "嘉陵, 小面"


# --- kinds and the council -------------------------------------------------------------


def test_kind_option_for_rows_without_a_kind_column(ready: Cli, tmp_path: Path) -> None:
    path = roster(tmp_path, ["重庆银行北碚支行,023-68281234"])
    ready.ok("units", "import", str(path), "--kind", "银行")
    assert units(ready)[0]["kind"] == "bank"
    assert ready.fails("units", "import", str(path), "--kind", "shop").stderr.startswith(
        'Error: --kind: unknown value "shop"; use one of: agency (机关)'
    )


def test_kind_and_council_columns(ready: Cli, tmp_path: Path) -> None:
    path = roster(
        tmp_path,
        ["北碚区市场监督管理局,机关,是", "北碚区商会,商会,否", "嘉陵小面馆,,"],
        header="单位名称,单位类型,联席会成员",
    )
    ready.ok("units", "import", str(path))
    got = units(ready)
    assert [(u["kind"], u["council"]) for u in got] == [
        ("agency", 1),
        ("association", 0),
        ("merchant", 0),
    ]
    council = json.loads(ready.ok("units", "show", "1", "--format", "json").stdout)
    assert council["council_since"] is not None


def test_a_bad_council_flag(ready: Cli, tmp_path: Path) -> None:
    path = roster(tmp_path, ["北碚区商会,也许"], header="名称,联席会")
    assert ready.fails("units", "import", str(path)).stderr.splitlines()[1] == (
        'line 2: council: "也许" is not yes/no; use 1/0, yes/no or 是/否'
    )


# --- upserts ---------------------------------------------------------------------------


def test_reimport_is_idempotent(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "\n".join([CHINESE_HEADER, *CHINESE_ROWS]) + "\n")
    assert ready.ok("units", "import", str(path)).stdout == summary(inserted=3)
    before = dump(ready.db)
    assert ready.ok("units", "import", str(path)).stdout == summary(unchanged=3)
    assert dump(ready.db) == before


def test_changed_rows_are_updated(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "\n".join([CHINESE_HEADER, *CHINESE_ROWS]) + "\n")
    ready.ok("units", "import", str(path))
    changed = [
        CHINESE_ROWS[0].replace("13812341234", "13912341234"),
        CHINESE_ROWS[1].replace("023-68281234", "023-68280000"),
        CHINESE_ROWS[2],
    ]
    path = write(tmp_path, "r2.csv", "\n".join([CHINESE_HEADER, *changed]) + "\n")
    assert ready.ok("units", "import", str(path)).stdout == summary(updated=2, unchanged=1)
    assert [u["phone"] for u in units(ready)] == ["13912341234", "023-68280000", "02368281234"]


def test_upsert_by_code_else_by_exact_name(ready: Cli, tmp_path: Path) -> None:
    ready.ok("units", "add", "旧名字", "--kind", "merchant", "--code", CODE_1)
    ready.ok("units", "add", "无代码店", "--kind", "merchant")
    ready.ok("units", "add", "嘉陵", "--kind", "merchant")
    path = roster(
        tmp_path,
        [
            f"{CODE_1},新名字,13800000001",  # same code: renamed
            f"{CODE_2},无代码店,13800000002",  # code-less unit of that name gains the code
            ",嘉陵小面馆,13800000003",  # a longer name is another unit
        ],
        header="code,name,phone",
    )
    assert ready.ok("units", "import", str(path)).stdout == summary(inserted=1, updated=2)
    assert [(u["code"], u["name"], u["phone"]) for u in units(ready)] == [
        (CODE_1, "新名字", "13800000001"),
        (CODE_2, "无代码店", "13800000002"),
        (None, "嘉陵", None),
        (None, "嘉陵小面馆", "13800000003"),
    ]


def test_a_name_two_units_share_is_not_guessed(ready: Cli, tmp_path: Path) -> None:
    ready.ok("units", "add", "老店", "--kind", "merchant")
    ready.ok("units", "add", "老店", "--kind", "merchant")
    path = roster(tmp_path, ["老店,13812345678"])
    before = dump(ready.db)
    assert ready.fails("units", "import", str(path)).stderr.splitlines()[1] == (
        'line 2: name: "老店" matches 2 units (ids 1, 2); add the credit code column, '
        "or rename one with: beiwen units edit ID --name NEW"
    )
    assert dump(ready.db) == before


def test_dry_run_counts_and_writes_nothing(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "\n".join([CHINESE_HEADER, *CHINESE_ROWS]) + "\n")
    before = dump(ready.db)
    result = ready.ok("units", "import", str(path), "--dry-run")
    assert result.stdout == "dry run, nothing written: " + summary(inserted=3)
    assert dump(ready.db) == before
    bad = write(tmp_path, "bad.csv", "\n".join(BAD_ROWS) + "\n")
    assert ready.fails("units", "import", str(bad), "--dry-run").stderr.startswith(
        f"Error: {bad}: 11 of 14 rows are invalid"
    )


# --- export and round trips ----------------------------------------------------------


def test_export_csv_has_a_bom_and_the_import_columns(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "\n".join([CHINESE_HEADER, *CHINESE_ROWS]) + "\n")
    ready.ok("units", "import", str(path))
    out = tmp_path / "out.csv"
    result = ready.ok("units", "export", "--output", str(out))
    assert result.stdout == ""
    assert result.stderr == f"wrote 3 units to {out}\n"
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8 + b"code,name,kind,category,grid,address,contact,")
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[2]["phone"] == "02368281234"
    assert rows[2]["name"] == "䶮记服饰"


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_then_import_changes_nothing(demo: Cli, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"units.{fmt}"
    demo.ok("units", "export", "--format", fmt, "--output", str(out))
    total = len(units(demo))
    before = dump(demo.db)
    result = demo.ok("units", "import", str(out))
    assert result.stdout == summary(unchanged=total)
    assert dump(demo.db) == before


def test_export_to_stdout(ready: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "\n".join([CHINESE_HEADER, *CHINESE_ROWS]) + "\n")
    ready.ok("units", "import", str(path))
    raw = ready.ok("units", "export", "--format", "json").stdout
    assert "\\u" not in raw
    data = json.loads(raw)
    assert [{k: row[k] for k in FIELDS} for row in data] == EXPECTED
    assert ready.fails("units", "export", "--format", "xlsx").stderr == (
        "Error: --format xlsx writes a file; add --output PATH\n"
    )
    assert ready.fails("units", "export", "--format", "xml").stderr.startswith(
        'Error: --format: unknown format "xml"; use one of: csv, json, xlsx'
    )


TRICKY = [
    ('=HYPERLINK("http://evil.example","点我")', "+86 13812345678"),
    ("-减价店", "023-68281234"),
    ("+加盟店", "02368281234"),
    ("@提及店", "0571-88886666"),
    ("'=already quoted", None),
    ("'-quoted dash", None),
    ("emoji 店🍜😀", "13812345678"),
    ("生僻字𠀀䶮𪚥店", None),
    ("[bold]markup[/bold]", None),
    ('含"引号",和逗号', None),
]


@pytest.fixture
def tricky(ready: Cli) -> Cli:
    for name, phone in TRICKY:
        options = [f"--phone={phone}"] if phone else []
        # `--` so that a name starting with "-" is not read as an option.
        ready.ok("units", "add", "--kind", "merchant", f"--address={name}", *options, "--", name)
    return ready


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_tricky_text_comes_back_byte_identical(tricky: Cli, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"units.{fmt}"
    tricky.ok("units", "export", "--format", fmt, "--output", str(out))
    # Into the same database: nothing changes.
    assert tricky.ok("units", "import", str(out)).stdout == summary(unchanged=len(TRICKY))
    # Into a new one: every value arrives exactly as stored.
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    fresh.ok("units", "import", str(out))
    assert units(fresh) == units(tricky)
    assert [(u["name"], u["phone"]) for u in units(fresh)] == TRICKY


def test_formulas_are_neutralised_in_csv_and_xlsx_exports(tricky: Cli, tmp_path: Path) -> None:
    out = tmp_path / "units.csv"
    tricky.ok("units", "export", "--output", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [row["name"] for row in rows[:6]] == [
        '\'=HYPERLINK("http://evil.example","点我")',
        "'-减价店",
        "'+加盟店",
        "'@提及店",
        "''=already quoted",
        "''-quoted dash",
    ]
    assert rows[0]["phone"] == "'+86 13812345678"
    book = tmp_path / "units.xlsx"
    tricky.ok("units", "export", "--format", "xlsx", "--output", str(book))
    sheet = load_workbook(book).active
    assert sheet is not None
    assert sheet["B2"].value == '\'=HYPERLINK("http://evil.example","点我")'
    assert sheet["B2"].data_type == "s"
    # Every cell is text: Excel must not turn a landline into a number.
    phones = [sheet.cell(row=r, column=8).value for r in range(2, 6)]
    assert phones == ["'+86 13812345678", "023-68281234", "02368281234", "0571-88886666"]


# --- JSON rosters -------------------------------------------------------------------------


def test_json_roster_rows_are_numbered_by_their_line(ready: Cli, tmp_path: Path) -> None:
    data = [
        {"name": "好店", "phone": "13812345678", "council": False},
        {"name": "坏店", "phone": "123", "grid": None},
    ]
    path = write(tmp_path, "r.json", json.dumps(data, ensure_ascii=False, indent=2))
    assert (
        ready.fails("units", "import", str(path))
        .stderr.splitlines()[1]
        .startswith('line 7: phone: "123" is not a phone number')
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"name": "店",}]', "Error: {path}: line 1: not valid JSON ("),
        ('{"name": "店"}', "Error: {path}: line 1: expected a JSON array of objects"),
        ('[\n  {"name": "店"},\n  ["店"]\n]', "Error: {path}: line 3: expected a JSON array"),
        ("[]", "Error: {path} is empty; it needs a header line and at least one row"),
    ],
)
def test_bad_json_rosters(ready: Cli, tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, "r.json", content)
    assert ready.fails("units", "import", str(path)).stderr.startswith(message.format(path=path))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("'=+-@\t\r a店＝＋－＠\u3000\n"), max_size=8)
    | st.text(max_size=8)
)
def test_neutralising_is_undone_exactly_by_the_importer(value: str) -> None:
    exported = neutralise(value)
    assert not exported.startswith(("=", "+", "-", "@", "\t", "\r"))
    # Nor after white space, nor in the full-width forms spreadsheets also run.
    assert not exported.lstrip().startswith(("=", "+", "-", "@", "＝", "＋", "－", "＠"))
    assert unneutralise(exported) == value


def test_blank_code_cell_keeps_the_stored_code(ready: Cli, tmp_path: Path) -> None:
    code = "92500109MA5U5G7X14"
    ready.ok("units", "add", "云清咖啡", "--kind", "merchant", "--code", code)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "统一社会信用代码,商户名称,联系电话\n,云清咖啡,13812345678\n", encoding="utf-8"
    )
    result = ready.ok("units", "import", str(roster))
    assert "1 updated" in result.stdout
    unit = json.loads(ready.ok("units", "show", "云清咖啡", "--format", "json").stdout)
    assert unit["code"] == code
    assert unit["phone"] == "13812345678"
