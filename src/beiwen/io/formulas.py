"""The one rule for text a spreadsheet would run as a formula (CSV injection), both ways:
exports put an apostrophe before it (`neutralise`), imports take exactly that one away again
(`unneutralise`), so export -> import gives back what was stored."""

from __future__ import annotations

from typing import Any

_FORMULA_STARTS = ("\t", "\r")
# What starts a formula, also after leading white space: spreadsheets (WPS, and Excel with
# some input methods) take the full-width forms too.
_FORMULA_CHARS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def formula_like(value: str) -> bool:
    """Whether a spreadsheet could run `value` as a formula, after any apostrophes: it starts
    with = + - @ (or their full-width forms), maybe after white space, or with a tab or CR."""
    rest = value.lstrip("'")
    return rest.startswith(_FORMULA_STARTS) or rest.lstrip().startswith(_FORMULA_CHARS)


def neutralise(value: Any) -> Any:
    """Prefix an apostrophe to text a spreadsheet would run as a formula (CSV injection).

    Text made of apostrophes and then such text gets one more too, so that an import, which
    removes one (`unneutralise`), gives back exactly what was stored.
    """
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def unneutralise(cell: str) -> str:
    """Undo the apostrophe our exports put before text a spreadsheet would run as a formula
    (formula_like: neutralise adds exactly one, this removes it)."""
    if cell.startswith("'") and formula_like(cell):
        return cell[1:]
    return cell


def quote_prefixed(value: str) -> str:
    """The text of a spreadsheet cell that its quote prefix marks as text (XLSX `quotePrefix`,
    shown without an apostrophe): the value as stored, since the prefix already keeps a
    formula from running. Only text of apostrophes and then formula-like text gets one
    more, as `neutralise` gives it, so that the import (`unneutralise`) gives it back."""
    return "'" + value if value.startswith("'") and formula_like(value) else value
