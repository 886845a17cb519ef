"""The command line as a whole: help for every command, README coverage, commands named in
messages exist, usage errors, --version, and stdout/stderr of real processes."""

from __future__ import annotations

import codecs
import importlib
import json
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import beiwen
from beiwen import i18n
from beiwen.cli import GROUPS
from conftest import COMMAND, Cli, beiwen_process

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def is_group(command: Any) -> bool:
    # typer 0.26+ carries its own copy of click, so duck typing rather than isinstance.
    return hasattr(command, "commands")


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    if is_group(command):
        for name, sub in command.commands.items():
            yield from walk(sub, (*path, name))


ROOT_COMMAND = COMMAND  # the tree the Cli fixture runs: help texts are set on it per run
COMMANDS = [path for path, _ in walk(ROOT_COMMAND) if path]
TOP_LEVEL = sorted(name for name, command in ROOT_COMMAND.commands.items() if not command.hidden)


def command_at(path: tuple[str, ...]) -> Any:
    command: Any = ROOT_COMMAND
    for name in path:
        assert is_group(command)
        command = command.commands[name]
    return command


def test_the_tree_holds_the_foundation_commands() -> None:
    for path in [
        ("init",),
        ("units", "add"),
        ("units", "list"),
        ("units", "show"),
        ("units", "edit"),
        ("units", "retire"),
        ("units", "import"),
        ("units", "export"),
        ("grid", "add"),
        ("grid", "list"),
        ("db", "path"),
        ("db", "backup"),
        ("db", "check"),
    ]:
        assert path in COMMANDS, path


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_and_group_has_help(cli: Cli, path: tuple[str, ...]) -> None:
    command = command_at(path)
    result = cli.ok(*path, "--help")  # puts the catalogue's English texts on the tree
    text = (command.help or command.short_help or "").strip()
    assert len(text) >= 10, path
    assert result.stdout.startswith("Usage: "), path
    assert text.split()[0] in result.stdout
    assert result.stderr == ""
    for param in command.params:
        if param.param_type_name == "option" and param.name != "help":
            assert (param.help or "").strip(), (path, param.name)
    assert not cli.db.exists()  # help never creates the database


def test_root_help_lists_every_visible_group(cli: Cli) -> None:
    text = cli.ok("--help").stdout
    for name in TOP_LEVEL:
        assert name in text, name


def test_groups_are_registered_in_one_list() -> None:
    names = [name for _, name, _ in GROUPS]
    assert len(names) == len(set(names))
    for name in names:
        assert is_group(ROOT_COMMAND.commands[name])


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_readme_mentions_every_command_group(name: str) -> None:
    assert f"beiwen {name}" in README


def _messages() -> dict[str, tuple[str, str]]:
    for module in pkgutil.walk_packages(beiwen.__path__, "beiwen."):
        if module.name != "beiwen.__main__":
            importlib.import_module(module.name)
    return i18n.catalog()


def test_commands_named_in_messages_exist() -> None:
    """`see: beiwen units edit --help` must not send a user to a command that is not there."""
    missing = []
    for key, pair in _messages().items():
        for text in pair:
            for match in re.finditer(r"beiwen((?: [a-z][a-z-]*)+)", text):
                words = match[1].split()
                command = ROOT_COMMAND.commands.get(words[0])
                if command is None:
                    continue  # prose: "another beiwen process", "a beiwen database"
                if is_group(command) and len(words) > 1:
                    if words[1] not in command.commands:
                        missing.append(f"{key}: beiwen {words[0]} {words[1]}")
    assert missing == []


# --- usage errors and the version ------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["nonsense"], "No such command 'nonsense'"),
        (["units", "nonsense"], "No such command 'nonsense'"),
        (["units", "list", "--bogus"], "No such option: --bogus"),
        (["units", "show"], "Missing argument"),
        (["units", "add", "x"], "Missing option '--kind'"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(cli: Cli, args: list[str], fragment: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not cli.db.exists()


def test_no_arguments_shows_help(cli: Cli) -> None:
    result = cli()
    assert result.exit_code in (0, 2)
    assert "Usage: " in result.stdout + result.stderr


def test_version(cli: Cli) -> None:
    assert cli.ok("--version").stdout == f"beiwen {beiwen.__version__}\n"


def test_version_in_a_real_process() -> None:
    process = beiwen_process("--version")
    assert process.returncode == 0
    assert process.stdout == f"beiwen {beiwen.__version__}\n"
    assert process.stderr == ""


# --- real processes: stdout is data -------------------------------------------------------


def _raw(*args: str) -> subprocess.CompletedProcess[bytes]:
    """beiwen as a process, bytes untouched (text mode would turn \\r\\n into \\n)."""
    return subprocess.run(
        [sys.executable, "-m", "beiwen", *args],
        capture_output=True,
        env={"BEIWEN_LANG": "en", "COLUMNS": "200", "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_csv_and_json_from_a_real_process(demo: Cli) -> None:
    csv_run = _raw("--db", str(demo.db), "units", "list", "--format", "csv", "--council")
    assert csv_run.returncode == 0
    assert csv_run.stderr == b""
    assert csv_run.stdout.startswith(codecs.BOM_UTF8 + b"id,code,name,kind,")
    lines = csv_run.stdout.split(b"\r\n")
    assert len(lines) == 1 + 18 + 1  # header, 18 council units, the empty end
    json_run = _raw("--db", str(demo.db), "units", "list", "--format", "json", "--council")
    assert json_run.stderr == b""
    text = json_run.stdout.decode("utf-8")
    assert "北碚区" in text  # Chinese as Chinese, not \\u escapes
    assert len(json.loads(text)) == 18


def test_a_closed_pipe_is_not_an_error(demo: Cli) -> None:
    process = subprocess.run(
        f"{sys.executable} -m beiwen --db {demo.db} units list --format csv | head -n 2",
        shell=True,
        capture_output=True,
        env={"BEIWEN_LANG": "en", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert process.stdout.count(b"\n") == 2
    assert b"Traceback" not in process.stderr
    assert b"Error" not in process.stderr


def test_an_error_from_a_real_process_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "beiwen.db"
    assert beiwen_process("--db", str(path), "init").returncode == 0
    process = beiwen_process("--db", str(path), "units", "show", "nobody")
    assert process.returncode == 1
    assert process.stdout == ""
    assert process.stderr == (
        'Error: unknown unit "nobody"; find it with: beiwen units list --search TEXT\n'
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--db", "issue", "issue", "add", "x"], ("issue", "add")),
        (["--lang=zh", "report", "--month", "2024-08"], ("report", None)),
        (["--version"], ("", None)),
        (["issue", "--help"], ("issue", None)),
        (["grid", "member", "list"], ("grid", "member")),
        (["--help"], (None, None)),
        (["isue", "add"], (None, None)),
        ([], (None, None)),
    ],
)
def test_the_script_builds_only_what_was_typed(args: list[str], expected: tuple) -> None:
    from beiwen.cli import invoked

    assert invoked(args) == expected


def test_narrowed_group_keeps_nested_groups_and_help(tmp_path: Path, capsys: Any) -> None:
    """The script's narrowed tree behaves like the full one for the command typed."""
    from beiwen.cli import build_app, main, narrowed
    from beiwen.commands import grid, issues

    assert narrowed(grid.app, "member") is grid.app
    assert [c.name for c in narrowed(issues.app, "add").registered_commands] == ["add"]
    assert build_app("issue", "add").registered_groups[0].typer_instance is not issues.app
    db = str(tmp_path / "narrow.db")
    with pytest.raises(SystemExit) as done:
        main(["--db", db, "init"])
    assert done.value.code in (0, None)
    with pytest.raises(SystemExit) as done:
        main(["--db", db, "issue", "add", "窄通道", "--category", "fire_lane"])
    assert done.value.code in (0, None)
    assert capsys.readouterr().out.strip() == "1"
