"""English and Chinese: every message and label exists in both, and the language is chosen by
--lang, else BEIWEN_LANG, else the locale, else English."""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

import beiwen
from beiwen import i18n, vocab
from beiwen.errors import InvalidInputError
from conftest import Cli, beiwen_process

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def every_message() -> dict[str, tuple[str, str]]:
    """The catalog once every module of the package has registered its messages."""
    for module in pkgutil.walk_packages(beiwen.__path__, "beiwen."):
        if module.name != "beiwen.__main__":  # running it would start the CLI
            importlib.import_module(module.name)
    return i18n.catalog()


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_catalog_is_not_trivially_small() -> None:
    catalog = every_message()
    assert len(catalog) >= 50
    for key in ("error.no_database", "units.not_found", "import.rejected", "parse.month"):
        assert key in catalog


@pytest.mark.parametrize("key", sorted(every_message()))
def test_every_message_exists_in_english_and_chinese(key: str) -> None:
    english, chinese = every_message()[key]
    assert english.strip(), key
    assert chinese.strip(), key
    assert placeholders(english) == placeholders(chinese), key
    # A sentence with words in English has Chinese words in Chinese, not a copy.
    if re.search(r"[A-Za-z]", PLACEHOLDER.sub("", english)):
        assert CJK.search(chinese), (key, chinese)
    # Both format with the same values.
    values = {name: f"<{name}>" for name in placeholders(english)}
    english.format(**values)
    chinese.format(**values)


def test_both_catalogue_files_hold_the_same_keys() -> None:
    assert sorted(i18n.texts("en")) == sorted(i18n.texts("zh"))


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    """Each `t("a.key")` with a literal key, in every module, has a message."""
    import ast

    known = set(i18n.texts("en"))
    missing = []
    for path in sorted(Path(beiwen.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value not in known
            ):
                missing.append(f"{path.name}:{node.lineno}: {node.args[0].value}")
    assert missing == []


def vocabularies() -> dict[str, vocab.Vocabulary]:
    return {
        name: value
        for name, value in vars(vocab).items()
        if name.isupper()
        and isinstance(value, dict)
        and value
        and all(isinstance(pair, tuple) and len(pair) == 2 for pair in value.values())
    }


def test_the_vocabularies_are_found() -> None:
    assert {"UNIT_KINDS", "MERCHANT_CATEGORIES"} <= set(vocabularies())


@pytest.mark.parametrize("name", sorted(vocabularies()))
def test_every_vocabulary_entry_has_both_labels(name: str) -> None:
    entries = vocabularies()[name]
    for key, (english, chinese) in entries.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", key), (name, key)
        assert english.strip(), (name, key)
        assert CJK.search(chinese), (name, key, chinese)
    # Labels name one entry each, so input by label is never ambiguous.
    assert len({english.lower() for english, _ in entries.values()}) == len(entries), name
    assert len({chinese for _, chinese in entries.values()}) == len(entries), name


@pytest.mark.parametrize("name", sorted(vocabularies()))
def test_input_accepts_the_key_and_either_label(name: str) -> None:
    entries = vocabularies()[name]
    aliases = vocab.ALIASES.get(name)
    for key, (english, chinese) in entries.items():
        for text in (key, key.upper(), english, english.upper(), f" {chinese} "):
            assert vocab.parse_choice(entries, text, "field", aliases) == key, text
    with pytest.raises(InvalidInputError) as caught:
        vocab.parse_choice(entries, "no such thing", "field", aliases)
    assert caught.value.message.startswith('field: unknown value "no such thing"; use one of: ')


def test_every_alias_names_an_existing_key() -> None:
    found = vocabularies()
    for name, aliases in vocab.ALIASES.items():
        assert name in found, name
        for alias, key in aliases.items():
            assert key in found[name], (name, alias, key)
            assert vocab.parse_choice(found[name], alias, "field", aliases) == key


def test_display_follows_the_language() -> None:
    try:
        i18n.set_language("zh")
        assert vocab.display(vocab.UNIT_KINDS, "bank") == "银行"
        i18n.set_language("en")
        assert vocab.display(vocab.UNIT_KINDS, "bank") == "bank"
        assert vocab.display(vocab.UNIT_KINDS, "unknown") == "unknown"
        assert vocab.display(vocab.UNIT_KINDS, None) == ""
    finally:
        i18n.set_language("en")


# --- choosing the language ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "env", "expected"),
    [
        ("zh", {"BEIWEN_LANG": "en", "LANG": "en_US.UTF-8"}, "zh"),
        ("en", {"BEIWEN_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
        ("ZH", {}, "zh"),
        (None, {"BEIWEN_LANG": "zh"}, "zh"),
        (None, {"BEIWEN_LANG": "zh_CN", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"BEIWEN_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANG": "zh_TW.UTF-8"}, "zh"),
        (None, {"LANG": "en_GB.UTF-8"}, "en"),
        (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        # Chinese is the default: a C or POSIX locale, or none, means zh (issue 14).
        (None, {"LC_ALL": "C", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_ALL": "POSIX"}, "zh"),
        (None, {"LANG": "fr_FR.UTF-8"}, "zh"),
        (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"BEIWEN_LANG": "", "LANG": "zh_CN.GB18030"}, "zh"),
        (None, {"BEIWEN_LANG": "fr", "LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANG": "C.UTF-8"}, "zh"),
        (None, {"BEIWEN_LANG": "fr", "LANG": "en_US.UTF-8"}, "en"),
    ],
)
def test_detect_language(
    monkeypatch: pytest.MonkeyPatch, option: str | None, env: dict[str, str], expected: str
) -> None:
    for name in ("BEIWEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert i18n.detect_language(option) == expected


def test_lang_option_and_variable_through_the_cli(ready: Cli) -> None:
    missing = 'Error: unknown unit "9"; find it with: beiwen units list --search TEXT\n'
    chinese = "错误：找不到单位“9”；可用 beiwen units list --search 关键词 查找\n"
    assert ready.fails("units", "show", "9", lang="en").stderr == missing
    assert ready.fails("units", "show", "9", lang="zh").stderr == chinese
    # --lang wins over BEIWEN_LANG (the fixture sets BEIWEN_LANG from `lang`).
    assert ready.fails("--lang", "zh", "units", "show", "9", lang="en").stderr == chinese
    assert ready.fails("--lang", "en", "units", "show", "9", lang="zh").stderr == missing


def test_a_bad_lang_is_a_usage_error(ready: Cli) -> None:
    result = ready("--lang", "fr", "units", "list")
    assert result.exit_code == 2
    assert "Error: Invalid value for --lang: use zh or en" in result.stderr
    assert result.stdout == ""


def test_the_locale_chooses_chinese_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    process = beiwen_process(
        "--db",
        str(path),
        "units",
        "list",
        env={"BEIWEN_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"},
    )
    assert process.returncode == 1
    assert process.stderr == f"错误：数据库不存在：{path}；请先运行：beiwen init\n"
    assert not path.exists()


def test_headings_and_labels_follow_the_language(ready: Cli) -> None:
    ready.ok("units", "add", "农商行", "--kind", "bank")
    assert "银行" in ready.ok("units", "list", lang="zh").stdout
    assert "信用代码" in ready.ok("units", "list", lang="zh").stdout
    english = ready.ok("units", "list").stdout
    assert "bank" in english
    assert "银行" not in english
    # Data keeps its stable keys whatever the language.
    assert '"kind": "bank"' in ready.ok("units", "list", "--format", "json", lang="zh").stdout
