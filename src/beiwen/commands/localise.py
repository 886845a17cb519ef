"""The command line in the user's language: help texts, help headings and usage errors.

Typer builds the Click command tree from the decorators; the words a user reads come from the
catalogue (`locale/*.json`) like every other sentence:

- `help_texts(root)` puts each command's and option's help in the current language: the key of
  a command is `help.<path>` (`help.issue.add`, `help.root` for beiwen itself), of an option or
  argument `help.<path>.<name>` (`help.issue.add.category`), of an example block
  `help.<path>.epilog`. A test fails when a command or option has no text in either language.
- `Formatter` writes Click's own words of a help page (`Usage:`, the section headings) from
  the catalogue; `typer.core` asks gettext for its few words (`Options`, `required` …), which
  `install()` routes to the catalogue too.
- `usage_error(error)` is the one wording of a usage error (a missing option, an unknown
  command, a bad value), translated from the vendored Click's English templates.

It is imported by `cli.py` at start-up, so it imports nothing heavy.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import typer.core
from typer._click import core as click_core
from typer._click.formatting import HelpFormatter

from beiwen.i18n import language, t, texts

_ORIGINAL = "_beiwen_original_help"
_CLICK_HELP_OPTION = "Show this message and exit."


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, command) for `command` and every command below it, depth first."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, (*path, name))


# Hidden aliases of a group (cli.GROUPS) read the texts of the group they stand for.
ALIASES = {"issues": "issue"}


def key_of(path: tuple[str, ...], name: str | None = None) -> str:
    if path:
        path = (ALIASES.get(path[0], path[0]), *path[1:])
    base = "help." + (".".join(path) if path else "root")
    return f"{base}.{name}" if name else base


def help_texts(root: Any) -> None:
    """Give every command and parameter of `root` its help in the current language."""
    catalogue = texts(language())
    for path, command in walk(root):
        original = getattr(command, _ORIGINAL, None)
        if original is None:  # the first pass keeps the decorators' texts as the fallback
            original = (command.help, command.short_help, command.epilog)
            setattr(command, _ORIGINAL, original)
        key = key_of(path)
        command.help = catalogue.get(key, original[0])
        command.short_help = catalogue.get(f"{key}.short", original[1])
        command.epilog = catalogue.get(f"{key}.epilog", original[2])
        for param in command.params:
            if not hasattr(param, "help"):
                continue
            kept = getattr(param, _ORIGINAL, None)
            if kept is None:
                kept = param.help
                setattr(param, _ORIGINAL, kept)
            param.help = catalogue.get(key_of(path, param.name), kept)


# The help page's own words, as typer.core asks gettext for them.
_TYPER_WORDS = {
    "Arguments": "help.word.arguments",
    "Options": "help.word.options",
    "Commands": "help.word.commands",
    "required": "help.word.required",
    "default: {default}": "help.word.default",
    "env var: {var}": "help.word.env_var",
    "(dynamic)": "help.word.dynamic",
    "Aborted!": "help.word.aborted",
}


def _gettext(message: str) -> str:
    key = _TYPER_WORDS.get(message)
    return t(key) if key is not None else message


class Formatter(HelpFormatter):
    """Click's HelpFormatter with its `Usage:` prefix and headings in the current language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = t("usage.prefix")
        super().write_usage(prog, _metavars(args), prefix)

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        # The help option is made by Click itself, with its English text.
        rows = [
            (term, t("help.word.help_option") if text == _CLICK_HELP_OPTION else text)
            for term, text in rows
        ]
        super().write_dl(rows, col_max, col_spacing)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}{t('help.word.colon')}\n")


def _metavars(args: str) -> str:
    """`[OPTIONS] COMMAND [ARGS]...` in the current language."""
    if language() == "en":
        return args
    for english, key in (
        ("[OPTIONS]", "help.word.options_metavar"),
        ("COMMAND", "help.word.command_metavar"),
        ("[ARGS]", "help.word.args_metavar"),
    ):
        args = args.replace(english, t(key))
    return args


def install() -> None:
    """Route Typer's gettext words and Click's help formatter through the catalogue.

    Typer (0.29) vendors Click without its gettext calls; Typer's own module still asks
    gettext for a few words, and Click's Context names its formatter class as a documented
    extension point. Both are set here, once, for every context.
    """
    typer.core._ = _gettext  # type: ignore[attr-defined]
    click_core.Context.formatter_class = Formatter


# The vendored Click's usage-error sentences, each with its catalogue key.
_USAGE_ERRORS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Missing argument '(?P<name>.+)'\."), "usage.missing_argument"),
    (re.compile(r"Missing option '(?P<name>.+)'\."), "usage.missing_option"),
    (re.compile(r"Missing parameter '(?P<name>.+)'\."), "usage.missing_option"),
    (re.compile(r"Missing command\."), "usage.missing_command"),
    (
        re.compile(r"No such command '(?P<name>.+)'\. Did you mean '(?P<hint>.+)'\?"),
        "usage.no_such_command_hint",
    ),
    (re.compile(r"No such command '(?P<name>.+)'\."), "usage.no_such_command"),
    (
        re.compile(r"No such option: (?P<name>\S+) Did you mean (?P<hint>.+)\?"),
        "usage.no_such_option_hint",
    ),
    (re.compile(r"No such option: (?P<name>\S+)"), "usage.no_such_option"),
    (
        re.compile(r"Option '(?P<name>.+)' requires an argument\."),
        "usage.option_needs_value",
    ),
    (
        re.compile(r"Option '(?P<name>.+)' requires (?P<count>\d+) arguments\."),
        "usage.option_needs_values",
    ),
    (
        re.compile(r"Option '(?P<name>.+)' does not take a value\."),
        "usage.option_takes_no_value",
    ),
    (
        re.compile(r"Got unexpected extra arguments? \((?P<name>.*)\)"),
        "usage.extra_arguments",
    ),
    (
        re.compile(r"Invalid value for (?P<name>.+?): (?P<detail>.+)", re.S),
        "usage.invalid_value",
    ),
    (
        re.compile(r"'(?P<value>.*)' is not one of (?P<choices>.+)\.", re.S),
        "usage.not_a_choice",
    ),
    (
        re.compile(r"'(?P<value>.*)' is not a valid integer\.", re.S),
        "usage.not_an_integer",
    ),
    (
        re.compile(r"'?(?P<value>.*?)'? is not a valid (?:float|number)\.", re.S),
        "usage.not_a_number",
    ),
    (re.compile(r"(?:File|Path|Directory) '(?P<value>.+)' does not exist\."), "usage.no_such_path"),
    (re.compile(r"(?:File|Path) '(?P<value>.+)' is a directory\."), "usage.path_is_folder"),
]


def translate_usage(message: str) -> str:
    """A vendored-Click usage message in the current language (English stays as it is)."""
    if language() == "en":
        return message
    for pattern, key in _USAGE_ERRORS:
        match = pattern.fullmatch(message.strip())
        if match:
            values = {
                name: translate_usage(value) if name == "detail" else value
                for name, value in match.groupdict().items()
            }
            return t(key, **values)
    return message


def usage_error(error: Any) -> str:
    """The text of a usage error as beiwen prints it: the usage line, the hint, the error."""
    lines: list[str] = []
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(
                t("usage.try_help", command=f"{ctx.command_path} {ctx.help_option_names[0]}")
            )
        lines.append("")
    lines.append(f"{t('error.prefix')}{t('error.colon')}{translate_usage(error.format_message())}")
    return "\n".join(lines) + "\n"
