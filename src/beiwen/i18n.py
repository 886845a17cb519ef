"""Every sentence a user sees, in English and Chinese, and the choice between them.

Modules keep their own messages next to their code and `register()` them at import time;
`t(key, **values)` formats one in the current language. A test imports every module and
checks that each message exists in both languages with the same placeholders.
"""

from __future__ import annotations

import locale
import os

Catalog = dict[str, tuple[str, str]]  # key -> (English, Chinese)

LANGUAGES = ("zh", "en")
_catalog: Catalog = {}
_language = "en"


def register(messages: Catalog) -> None:
    """Add a module's messages; a key may be defined only once across the project."""
    for key in messages:
        if key in _catalog and _catalog[key] != messages[key]:
            raise RuntimeError(f"message {key!r} is defined twice")
    _catalog.update(messages)


def catalog() -> Catalog:
    return dict(_catalog)


def detect_language(option: str | None) -> str:
    """--lang, else BEIWEN_LANG, else the locale (zh_* -> zh), else English."""
    for candidate in (option, os.environ.get("BEIWEN_LANG")):
        if candidate:
            value = candidate.strip().lower()
            if value.startswith("zh"):
                return "zh"
            if value.startswith("en"):
                return "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    loc = locale.getlocale()[0] or ""
    return "zh" if loc.lower().startswith("zh") else "en"


def set_language(language: str) -> None:
    global _language
    _language = language if language in LANGUAGES else "en"


def language() -> str:
    return _language


def t(key: str, /, **values: object) -> str:
    """The message `key` in the current language, with `values` filled in."""
    english, chinese = _catalog[key]
    text = chinese if _language == "zh" else english
    return text.format(**values) if values else text


def label(pair: tuple[str, str]) -> str:
    """Pick the current language from an (English, Chinese) label pair."""
    return pair[1] if _language == "zh" else pair[0]


register(
    {
        "error.prefix": ("Error", "错误"),
        "error.no_database": (
            "no database at {path}; create it with: beiwen init",
            "数据库不存在：{path}；请先运行：beiwen init",
        ),
        "error.database_locked": (
            "the database stayed locked by another beiwen process for {seconds} s; try again",
            "数据库被另一个 beiwen 进程占用超过 {seconds} 秒；请稍后重试",
        ),
        "error.database": (
            "the database could not be read or written ({detail}); run: beiwen doctor",
            "数据库读写失败（{detail}）；请运行：beiwen doctor",
        ),
        "error.not_a_database": (
            "{path} is not a beiwen database ({detail}); check --db or BEIWEN_DB",
            "{path} 不是 beiwen 数据库（{detail}）；请检查 --db 或 BEIWEN_DB",
        ),
        "error.newer_schema": (
            "{path} was written by a newer beiwen (migration {name}); upgrade beiwen",
            "{path} 由更新版本的 beiwen 写入（迁移 {name}）；请升级 beiwen",
        ),
        "error.file_missing": (
            "no such file: {path}; check the path",
            "文件不存在：{path}；请检查路径",
        ),
        "error.cannot_write": (
            "cannot write {path} ({detail}); choose another path",
            "无法写入 {path}（{detail}）；请换一个路径",
        ),
        "error.stdout": (
            "the output could not be written ({detail}); it is incomplete: free disk space "
            "or write to another file",
            "输出写入失败（{detail}），内容不完整：请清理磁盘空间或改写到其他文件",
        ),
        "error.undecodable_argument": (
            "argument {position} is not valid text (bytes that are not UTF-8); retype it",
            "第 {position} 个参数不是有效文本（不是 UTF-8 编码）；请重新输入",
        ),
        "error.interrupted": ("interrupted; nothing was written", "已中断；未写入任何内容"),
        "error.choice": (
            '{field}: unknown value "{value}"; use one of: {choices}',
            "{field}：未知取值“{value}”；可用：{choices}",
        ),
    }
)
