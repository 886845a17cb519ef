"""The one privacy policy: which field of which entity is masked in which output.

Two kinds of record hold phones and resident ID numbers:

- people (grid members, class attendees, the reporters of work orders): their phone and ID
  number are masked in every view (table, JSON, CSV, XLSX, Markdown, Word) unless
  `--show-pii`;
- units (councils, merchants): their phone is an organisation's contact line, masked in
  tables unless `--show-pii` and whole in JSON and CSV, which feed other tools.

Messages (errors, notices, import reports) never show a person's phone or ID number whole,
with or without `--show-pii`: they end up in terminals, logs and screenshots. Exports (`units
export`, `issue export`) are the way data leaves beiwen to be imported again: they carry
everything whole, into 0600 files.

Commands apply `private_row` / `private_rows` (or `shown`) to what a service returns, just
before rendering; services keep returning the stored text, and messages mask through
`in_message` and `parse_person_phone`. Where SQLite writes the output itself (`issue list
--format json`: each row's JSON made by the query), the command hands the query
`shown_in_sql`: the same masks, as SQL functions on the connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from beiwen.errors import InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import mask_id_number, mask_phone, parse_phone

OUTPUTS = ("table", "json", "csv", "xlsx", "md", "docx", "message", "export")
VIEWS = frozenset({"table", "json", "csv", "xlsx", "md", "docx"})

# (entity, field) -> the outputs where the field is masked unless --show-pii. In a "message"
# a person's field is masked always (no option reveals it); "export" is never masked.
PERSON: frozenset[str] = VIEWS
UNIT: frozenset[str] = frozenset({"table"})
POLICY: dict[str, dict[str, frozenset[str]]] = {
    "member": {"phone": PERSON, "id_number": PERSON},
    "attendee": {"phone": PERSON},
    "reporter": {"phone": PERSON},  # the `phone` of a work order
    "unit": {"phone": UNIT},
}
PEOPLE = ("member", "attendee", "reporter")  # in messages too, whatever the options

MASKS: dict[str, Callable[[str | None], str]] = {
    "phone": mask_phone,
    "id_number": mask_id_number,
}


def masked(entity: str, field: str, output: str, show_pii: bool = False) -> bool:
    """Whether `field` of `entity` is masked in `output` (see the table above)."""
    outputs = POLICY.get(entity, {}).get(field)
    if outputs is None or output == "export":
        return False
    if output == "message":
        return entity in PEOPLE
    return not show_pii and output in outputs


def shown(entity: str, field: str, value: Any, output: str, show_pii: bool = False) -> Any:
    """`value` as `output` may show it: masked by the policy, else as stored. Empty stays
    None."""
    if value is None or value == "" or not masked(entity, field, output, show_pii):
        return value
    return MASKS[field](str(value))


def shown_in_sql(
    conn: sqlite3.Connection, entity: str, output: str, show_pii: bool = False
) -> dict[str, str]:
    """For a query that writes `entity`'s rows straight to `output`: each field the policy
    masks there -> the name of an SQL function, registered on `conn`, that gives a column's
    value as `shown` gives it. The fields shown whole are not in it."""
    functions: dict[str, str] = {}
    for field in POLICY.get(entity, {}):
        if masked(entity, field, output, show_pii):
            name = f"shown_{entity}_{field}"
            conn.create_function(name, 1, _masker(MASKS[field]), deterministic=True)
            functions[field] = name
    return functions


def _masker(mask: Callable[[str | None], str]) -> Callable[[Any], Any]:
    """`shown` of a field that is masked: empty stays as it is."""

    def masking(value: Any) -> Any:
        return value if value is None or value == "" else mask(str(value))

    return masking


def private_row(
    entity: str, row: dict[str, Any], output: str, show_pii: bool = False
) -> dict[str, Any]:
    """A copy of `row` with the policy's fields of `entity` masked for `output`."""
    fields = [f for f in POLICY.get(entity, {}) if f in row and masked(entity, f, output, show_pii)]
    if not fields:
        return row
    return {**row, **{f: shown(entity, f, row[f], output, show_pii) for f in fields}}


def private_rows(
    entity: str, rows: Iterable[dict[str, Any]], output: str, show_pii: bool = False
) -> list[dict[str, Any]]:
    return [private_row(entity, row, output, show_pii) for row in rows]


def in_message(field: str, value: str | None) -> str:
    """A person's phone or ID number as a message may show it: always masked."""
    return MASKS[field](value)


def parse_person_phone(value: str, field: str = "phone") -> str:
    """`parsing.parse_phone` for a person's phone: the error shows the number masked once it
    has as many digits as a phone (8), so that "12345" still shows what is wrong with it."""
    try:
        return parse_phone(value, field)
    except InvalidInputError as error:
        typed = value.strip()
        if sum(c.isdigit() for c in typed) < 8:
            raise
        shown = in_message("phone", typed)
        raise InvalidInputError(t("parse.phone", field=field, value=shown)) from error
