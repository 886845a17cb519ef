"""The small shared owners: the yes/no parser and the repository's insert/update."""

from __future__ import annotations

import sqlite3

import pytest

from beiwen import repository
from beiwen.errors import InvalidInputError
from beiwen.parsing import parse_yes_no


@pytest.mark.parametrize("value", ["是", "yes", "Y", "1", "true", "TRUE", "对", "√", " 是 "])
def test_yes(value: str) -> None:
    assert parse_yes_no(value) is True


@pytest.mark.parametrize("value", ["否", "no", "N", "0", "false", ""])
def test_no(value: str) -> None:
    assert parse_yes_no(value) is False


def test_neither_names_the_field() -> None:
    with pytest.raises(InvalidInputError, match='council: "maybe" is not yes/no'):
        parse_yes_no("maybe", "council")


def test_insert_and_update() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT, number INTEGER)")
    first = repository.insert(conn, "things", {"name": "a'; DROP TABLE things; --", "number": 5})
    repository.update(conn, "things", first, {"name": "b"})
    repository.update(conn, "things", 5, {"name": "c"}, key_column="number")
    repository.update(conn, "things", first, {})
    assert repository.rows(conn, "SELECT * FROM things") == [{"id": 1, "name": "c", "number": 5}]


@pytest.mark.parametrize("name", ["things; DROP TABLE x", "Things", "a b", ""])
def test_names_come_from_code(name: str) -> None:
    conn = sqlite3.connect(":memory:")
    with pytest.raises(ValueError):
        repository.insert(conn, name, {"a": 1})
    with pytest.raises(ValueError):
        repository.update(conn, "things", 1, {name: 1})
