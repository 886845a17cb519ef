"""Every sentence a user sees, in English and Chinese, and the choice between them.

The sentences live in one catalogue file per language, `locale/en.json` and `locale/zh.json`
(key -> text), not in the modules that use them: services read as rules, and a translator
works on one file. `t(key, **values)` formats one in the current language; only the file of
the language in use is read, once. A test checks that both files hold the same keys with the
same placeholders, and that every key the code names exists.
"""

from __future__ import annotations

import locale
import os
from pathlib import Path

from beiwen.printable import printable

Catalog = dict[str, tuple[str, str]]  # key -> (English, Chinese)

LANGUAGES = ("zh", "en")
_LOCALE = Path(__file__).parent / "locale"  # packaged with the code (hatch includes it)
_texts: dict[str, dict[str, str]] = {}  # language -> key -> text, read on first use
_language = "zh"


def texts(language: str) -> dict[str, str]:
    """The catalogue of `language` (key -> text), read on first use (json and the file are
    not touched by commands that print no sentence, such as --version)."""
    if language not in _texts:
        import json

        source = _LOCALE / f"{language}.json"
        _texts[language] = json.loads(source.read_text(encoding="utf-8"))
    return _texts[language]


def catalog() -> Catalog:
    """Every message as (English, Chinese)."""
    english, chinese = texts("en"), texts("zh")
    return {key: (english[key], chinese.get(key, "")) for key in english}


def detect_language(option: str | None) -> str:
    """--lang, else BEIWEN_LANG, else the locale; Chinese unless one of them asks for English.

    beiwen is made for a Chinese office: a C or POSIX locale (a server, a container, a
    script run from cron) means Chinese; only an English locale (en_*) means English.
    """
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
            return "en" if value.lower().startswith("en") else "zh"
    loc = locale.getlocale()[0] or ""
    return "en" if loc.lower().startswith("en") else "zh"


def set_language(language: str) -> None:
    global _language
    _language = language if language in LANGUAGES else "zh"


def language() -> str:
    return _language


def t(key: str, /, **values: object) -> str:
    """The message `key` in the current language, with `values` filled in."""
    catalogue = texts(_language)
    text = catalogue[key]
    if not values:
        return text
    field = values.get("field")
    if isinstance(field, str):  # a field is named by its label: 第 6 行：联系电话：…
        values["field"] = field_label(field, catalogue)
    # What a message quotes may come from an imported file: no control character reaches
    # the terminal through it (the message's own text has none).
    safe = {
        name: value if isinstance(value, (int, float)) else printable(str(value))
        for name, value in values.items()
    }
    return text.format(**safe)


def field_label(name: str, catalogue: dict[str, str] | None = None) -> str:
    """The label of the field `name` (a column key such as `phone`) in the current language;
    an option (`--month`) or an unknown name as it is."""
    catalogue = catalogue if catalogue is not None else texts(_language)
    return catalogue.get(f"field.{name}", name)


def label(pair: tuple[str, str]) -> str:
    """Pick the current language from an (English, Chinese) label pair."""
    return pair[1] if _language == "zh" else pair[0]
