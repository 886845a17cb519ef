"""Text made safe for a terminal: the one rule, used by the renderers for every table cell
and record, and by `i18n.t` for every value put into a message (a name, a path, a value a
user typed), so that no imported text can move the cursor, retitle the window or hide text.
Only what is shown changes: the database, JSON and CSV keep the text as typed."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, the line and paragraph separators, and
# the bidirectional embeddings, overrides and isolates: what can move a terminal's cursor,
# retitle its window, hide text or reorder it.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` safe for a terminal: each control character shown as a Python-style escape
    (ESC as `\\x1b`, U+202E as `\\u202e`); tab and newline stay. Only what is shown changes:
    the database, JSON and CSV keep the text as typed."""
    return _UNPRINTABLE.sub(_escaped, text)
