"""Hypothesis drives every command with random arguments and random roster files.

The commands are found in the Click tree, so a module that lands later is fuzzed too. The
only outcomes allowed: success (exit 0); a user error (exit 1, stderr starting with
`Error: `); a usage error (exit 2). Never a traceback, and after any failure the database
is exactly as it was.

Runs on a small database with a few of everything (lists of 1,400 units would make each
example slow, not more telling); the working directory is a temporary folder, so files that
commands write land there.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beiwen.cli import app
from conftest import Cli

EXAMPLES = int(os.environ.get("BEIWEN_FUZZ_EXAMPLES", "10"))

Leaf = tuple[tuple[str, ...], Any]


def leaves(command: Any = None, path: tuple[str, ...] = ()) -> Iterator[Leaf]:
    command = command or typer.main.get_command(app)
    for name, sub in getattr(command, "commands", {}).items():
        if getattr(sub, "hidden", False):
            continue  # an alias of a visible group
        if hasattr(sub, "commands"):
            yield from leaves(sub, (*path, name))
        else:
            yield (*path, name), sub


# `serve` runs until it is stopped: a valid invocation would never return here. Its bad
# ports and addresses are tested in tests/test_serve.py, as a real process.
RUNS_UNTIL_STOPPED = {("serve",)}
COMMANDS = [leaf for leaf in leaves() if leaf[0] not in RUNS_UNTIL_STOPPED]

WORDS = [
    "1", "2", "3", "0", "-1", "999", "", " ", "2024-08", "2024-08-03", "2024-08-03 09:30",
    "2024/8/3", "2024年8月", "2025-13", "2024-02-30", "13800001111", "023-68281234", "vendor",
    "merchant", "agency", "open", "resolved", "satisfied", "volunteer", "志愿者", "法律",
    "第1网格", "09:30", "25:00", "mon", "周三", "餐饮", "游摊占道", "嘉陵火锅", "handling_rate",
    "table", "json", "csv", "xlsx", "docx", "md", "zh", "en", "gb18030", "utf-16", "latin-9",
    "91500109MA5U00018X", "50010919850312007X", "'; DROP TABLE units;--", "=1+1", "{0}", "%s",
    "\\", "..", "-", "--", "-x", "1,2", "1.5", "1e9", "9" * 25, "\u3000", "🍲", "𠮷",
]  # fmt: skip
# Values that used to pass a parser and break a later command, or crash one outright: Unicode
# digits, numbers past SQLite's 2**63 - 1 and Python's 4,300-digit limit, far dates, names
# longer than the file system allows, terminal escapes (ESC, OSC) and other control bytes.
HOSTILE = [
    "①", "²", "٣", "１２", "２０２４-０８", "٢٠٢٤-٠٨-٠٣", str(2**63), str(2**63 - 1), "9" * 5000,
    "0001-01-01", "9999-12-31", "9999-12-31 23:59", "9999-12", "9999", "2024-08-03T09:30+99:00",
    "3000000", "a" * 300, "a" * 5000, "\x1b[31m红\x1b[0m", "\x1b]0;title\x07", "\x07\x08\x7f",
    "\r\n", "\u202e", "rot13", "idna", "base64", "zlib", "hex",
]  # fmt: skip
WORDS += HOSTILE
TEXT = st.one_of(
    st.sampled_from(WORDS),
    st.text(
        alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
        max_size=12,
    ),
    st.integers(-5, 400).map(str),
)
PATHS = st.sampled_from(
    ["input.csv", "input.xlsx", "input.json", "out.csv", "out.xlsx", "out.docx", "missing.csv",
     "no/such/dir/out.csv", ".", "copy.db", "rejects.csv", "input.tsv", "a" * 300 + ".csv",
     "a" * 300 + "/in.csv", "b" * 5000 + ".xlsx"]
)  # fmt: skip
HEADERS = [
    "名称", "name", "业态", "网格", "grid", "联系电话", "统一社会信用代码", "code", "类型", "标题",
    "title", "类别", "category", "上报时间", "状态", "姓名", "角色", "身份证号", "技能", "课程",
    "日期", "date", "活动", "kind", "error", "unknown", "",
]  # fmt: skip
CELLS = st.one_of(st.sampled_from(WORDS), TEXT, st.just('"quoted, with comma"'))


@st.composite
def roster(draw: st.DrawFn) -> bytes:
    """A random roster file: known and unknown headers, ragged rows, odd encodings."""
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=6))
    rows = draw(st.lists(st.lists(CELLS, max_size=7), max_size=5))
    text = "\n".join(",".join(cells) for cells in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "bytes"]))
    if encoding == "bytes":
        return draw(st.binary(max_size=200))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=4)) + data[cut:]
    return data


def is_path(param: Any) -> bool:
    descriptor = getattr(param, "type_descriptor", None)
    annotation = str(getattr(descriptor, "annotation", ""))
    return "Path" in annotation or param.name in ("file", "output", "destination", "rejects")


@st.composite
def invocation(draw: st.DrawFn, command: Any) -> list[str]:
    arguments: list[str] = []
    chosen: list[list[str]] = []
    for param in command.params:
        if param.name == "help":
            continue
        values = PATHS if is_path(param) else TEXT
        if param.param_type_name == "argument":
            # Leave out an argument now and then: a usage error is a valid outcome.
            if param.nargs == -1:
                arguments += draw(st.lists(values, max_size=3))
            elif draw(st.integers(0, 9)):
                arguments.append(draw(values))
        elif draw(st.booleans()):
            if getattr(param, "is_flag", False):
                chosen.append([param.opts[0]])
            else:
                count = max(param.nargs, 1)
                chosen.append([param.opts[0], *(draw(values) for _ in range(count))])
    if draw(st.integers(0, 19)) == 0:
        chosen.append([draw(st.sampled_from(["--bogus", "-q", "--format=xml"]))])
    order = draw(st.permutations(chosen)) if chosen else []
    return [word for option in order for word in option] + arguments


def fingerprint(path: Path) -> str:
    """Schema and every row: equal fingerprints mean equal databases."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        tables = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ).fetchall()
        # the search index (FTS5) by its rows; its shadow tables are its internals
        shadow = {row[1] for row in conn.execute("PRAGMA main.table_list") if row[2] == "shadow"}
        for name, sql in tables:
            digest.update(repr((name, sql)).encode())
            if (
                sql
                and sql.startswith(("CREATE TABLE", "CREATE VIRTUAL TABLE"))
                and name not in shadow
            ):
                # search_numbers holds 1..65,536: its count and sum say whether it changed
                query = (
                    "SELECT count(*), total(n), min(n), max(n) FROM search_numbers"
                    if name == "search_numbers"
                    else f'SELECT * FROM "{name}" ORDER BY rowid'
                )
                digest.update(repr(conn.execute(query).fetchall()).encode())
        return digest.hexdigest()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def small_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "small.db"
    cli = Cli(path)
    cli.ok("init")
    cli.ok("grid", "add", "1", "第一网格", "--branch", "第一网格党支部")
    cli.ok("grid", "add", "2", "第二网格")
    cli.ok("units", "add", "北碚区城市管理局", "--kind", "agency", "--council", "--grid", "1")
    cli.ok("units", "add", "嘉陵火锅", "--kind", "merchant", "--phone", "13812345678")
    cli.ok("issue", "add", "游摊占道", "--category", "vendor", "--grid", "1", "--unit", "2")
    cli.ok("issue", "add", "噪音扰民", "--category", "dispute", "--phone", "13900001111")
    cli.ok("grid", "member", "add", "张三", "--role", "volunteer", "--grid", "1", "--skill", "法律")
    cli.ok("course", "add", "民族舞", "--category", "dance")
    cli.ok("activity", "add", "金融进企业", "--kind", "finance_visit", "--date", "2024-08-03")
    return path


@pytest.fixture
def small(small_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    copy = tmp_path / "small.db"
    source, target = sqlite3.connect(small_template), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    monkeypatch.chdir(tmp_path)
    return Cli(copy)


def check_outcome(cli: Cli, args: list[str], before: str) -> None:
    result = cli(*args)
    shown = f"beiwen {' '.join(args)!r} -> {result.exit_code}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        shown,
        result.exception,
    )
    if result.exit_code == 0:
        return
    assert result.exit_code in (1, 2), shown
    if result.exit_code == 1:
        assert result.stderr.startswith("Error: "), shown
    else:
        assert "Error: " in result.stderr, shown  # Click's usage error
    assert fingerprint(cli.db) == before, f"a failed command changed the database: {shown}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_random_arguments_fail_cleanly(small: Cli, path: tuple[str, ...], command: Any) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(args=invocation(command), files=st.lists(roster(), min_size=4, max_size=4))
    def run(args: list[str], files: list[bytes]) -> None:
        names = ("input.csv", "input.xlsx", "input.json", "input.tsv")
        for name, data in zip(names, files, strict=True):
            Path(name).write_bytes(data)
        for leftover in ("out.csv", "out.xlsx", "out.docx", "copy.db", "rejects.csv"):
            Path(leftover).unlink(missing_ok=True)
        check_outcome(small, [*path, *args], fingerprint(small.db))

    run()


def test_every_command_is_fuzzed() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"units import", "issue add", "issue import", "db backup", "doctor", "report"} <= names
    assert len(names) >= 40


HUGE = "99999999999999999999"  # over SQLite's largest integer, 2**63 - 1


@pytest.mark.parametrize(
    "args",
    [
        ["units", "show", HUGE],
        ["issue", "show", HUGE],
        ["issue", "add", "游摊", "--category", "vendor", "--unit", HUGE],
        ["grid", "member", "edit", "1", "--unit", HUGE],
        ["activity", "show", HUGE],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_number_too_large_for_sqlite_is_a_user_error(small: Cli, args: list[str]) -> None:
    before = fingerprint(small.db)
    result = small.fails(*args)
    assert result.stderr == (
        "Error: a number you gave is too large (ids and counts go up to 9223372036854775807); "
        "check it\n"
    )
    assert fingerprint(small.db) == before


def hostile_invocations(command: Any) -> Iterator[list[str]]:
    """Each HOSTILE value in every argument and option of `command` at once, then in each
    path parameter a name too long for the file system."""
    for value in HOSTILE:
        arguments: list[str] = []
        for param in command.params:
            if param.name == "help" or getattr(param, "is_flag", False):
                continue
            given = [value] * max(param.nargs, 1)
            if param.param_type_name == "argument":
                arguments += given
            else:
                arguments += [param.opts[0], *given]
        yield arguments


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_hostile_values_fail_cleanly(small: Cli, path: tuple[str, ...], command: Any) -> None:
    for args in hostile_invocations(command):
        check_outcome(small, [*path, *args], fingerprint(small.db))


def test_a_backup_into_a_folder_name_too_long_is_a_user_error(small: Cli) -> None:
    check_outcome(small, ["db", "backup", "a" * 300 + "/copy.db"], fingerprint(small.db))


UNDECODABLE = "caf\udce9"  # b"caf\xe9" in a UTF-8 locale: Python hands argv over like this


@pytest.mark.parametrize(
    "args",
    [["units", "show", UNDECODABLE], ["issue", "add", UNDECODABLE, "--category", "vendor"]],
    ids=lambda args: " ".join(args[:2]),
)
def test_undecodable_argument_bytes_are_a_user_error(small: Cli, args: list[str]) -> None:
    check_outcome(small, args, fingerprint(small.db))
