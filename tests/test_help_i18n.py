"""The command line speaks the user's language: every help text exists in Chinese and English
(in the catalogue), `-h` in Chinese has no English sentence, and usage errors are worded in
the language asked for (issue 14)."""

from __future__ import annotations

import re

import pytest

from beiwen import i18n
from beiwen.commands.localise import key_of, walk
from conftest import COMMAND, Cli

PATHS = [path for path, _ in walk(COMMAND) if not path or path[0] != "issues"]  # alias
# Three English words in a row (not an option, a key or a command line): a sentence left.
ENGLISH_SENTENCE = re.compile(r"(?<![-\w./$<{])[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}(?![\w>}])")


def command_at(path: tuple[str, ...]):  # type: ignore[no-untyped-def]
    command = COMMAND
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return command


@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "beiwen")
def test_every_command_and_option_has_help_in_both_languages(path: tuple[str, ...]) -> None:
    command = command_at(path)
    keys = [key_of(path)] + [key_of(path, p.name) for p in command.params if hasattr(p, "help")]
    for language in ("en", "zh"):
        catalogue = i18n.texts(language)
        missing = [key for key in keys if not catalogue.get(key, "").strip()]
        assert missing == [], (language, missing)


def strip_allowed(text: str) -> str:
    """The help page without what stays in English on purpose: command lines, option names,
    metavars, format names and the stable keys users type."""
    text = re.sub(r"beiwen(?: [a-z][\w-]*)+", " ", text)
    text = re.sub(r"--?[\w-]+", " ", text)
    text = re.sub(r"<[^>]*>|\{[^}]*\}|\$\w+|\S+\.\w{2,4}\b", " ", text)
    return text


@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "beiwen")
def test_chinese_help_has_no_english_sentence(ready: Cli, path: tuple[str, ...]) -> None:
    page = ready.ok(*path, "-h", lang="zh").stdout
    assert page.startswith("用法：beiwen")
    assert "Usage" not in page and "Options" not in page and "Show this" not in page
    leftovers = ENGLISH_SENTENCE.findall(strip_allowed(page))
    assert leftovers == [], leftovers


@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "beiwen")
def test_english_help_stays_english(ready: Cli, path: tuple[str, ...]) -> None:
    page = ready.ok(*path, "-h", lang="en").stdout
    assert page.startswith("Usage: beiwen")
    assert "用法" not in page and "选项" not in page


def test_lang_anywhere_on_the_line_chooses_the_help(ready: Cli) -> None:
    assert ready.ok("issue", "add", "--lang", "zh", "-h", lang="en").stdout.startswith("用法：")
    assert ready.ok("--lang", "en", "issue", "add", "-h", lang="zh").stdout.startswith("Usage:")
    assert ready.ok("issue", "add", "-h", "--lang=zh", lang="en").stdout.startswith("用法：")


def test_the_root_help_groups_commands_by_task(ready: Cli) -> None:
    page = ready.ok("-h", lang="zh").stdout
    panels = ["工单：", "单位与名册：", "轮值：", "网格：", "课程活动：", "报表：", "数据库："]
    positions = [page.index(panel) for panel in panels]
    assert positions == sorted(positions)
    assert re.search(r"工单：\n  issue ", page)
    assert re.search(r"数据库：\n  init .*\n  db .*\n  doctor ", page)


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (
            ["issue", "comment"],
            "Error: Missing argument 'ID'.",
            "错误：缺少参数 ID；请在命令后写上它。",
        ),
        (
            ["issue", "cancel", "1"],
            "Error: Missing option '--note'.",
            "错误：缺少选项 --note；请加上 --note 及其取值。",
        ),
        (
            ["issue", "dispach"],
            "Error: No such command 'dispach'. Did you mean 'dispatch'?",
            "错误：没有命令“dispach”；您是想用 dispatch 吗？",
        ),
        (
            ["issue", "frobnicate"],
            "Error: No such command 'frobnicate'.",
            "错误：没有命令“frobnicate”；请用 -h 查看可用的命令。",
        ),
        (
            ["units", "list", "--colour"],
            "Error: No such option: --colour",
            "错误：没有选项 --colour；请用 -h 查看可用的选项。",
        ),
        (
            ["units", "list", "--kind"],
            "Error: Option '--kind' requires an argument.",
            "错误：选项 --kind 需要一个取值。",
        ),
        (
            ["--lang", "fr", "units", "list"],
            "Error: Invalid value for --lang: use zh or en",
            None,  # --lang fr names no language: the message is in the default, Chinese
        ),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_usage_errors_in_both_languages(
    ready: Cli, args: list[str], english: str, chinese: str | None
) -> None:
    result = ready(*args, lang="en")
    assert result.exit_code == 2
    assert result.stdout == ""
    english_lines = result.stderr.splitlines()
    assert english_lines[-1] == english
    if chinese is not None:
        result = ready(*args, lang="zh")
        assert result.exit_code == 2
        lines = result.stderr.splitlines()
        assert lines[-1] == chinese
        assert len(lines) == len(english_lines)
        if english_lines[0].startswith("Usage: beiwen"):
            assert lines[0].startswith("用法：beiwen")
            assert lines[1].startswith("运行 'beiwen") and lines[1].endswith("查看帮助。")
