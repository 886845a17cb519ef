"""Control characters from what a user typed or imported never reach the terminal through a
message: notices, errors and usage errors show them escaped (issue 12, item 16)."""

from __future__ import annotations

from conftest import Cli

HOSTILE = "\x1b]0;pwned\x07\x1b[31m红"


def test_a_notice_quotes_a_name_escaped(ready: Cli) -> None:
    ready.ok("units", "add", HOSTILE, "--kind", "merchant", lang="zh")
    result = ready.ok("units", "retire", "1", lang="zh")  # its notice names the unit
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;pwned\\x07\\x1b[31m红" in result.stderr
    # The name is stored as typed.
    shown = ready.ok("units", "list", "--all", "--format", "json").stdout
    assert "\\u001b]0;pwned\\u0007\\u001b[31m红" in shown


def test_an_error_quotes_a_value_escaped(ready: Cli) -> None:
    result = ready.fails("units", "show", HOSTILE, lang="zh")
    assert "\x1b" not in result.stderr
    assert "\\x1b]0;pwned" in result.stderr


def test_a_usage_error_quotes_the_typed_word_escaped(ready: Cli) -> None:
    result = ready("units", HOSTILE, lang="en")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;pwned" in result.stderr
