"""The errors a user can cause. Services raise them; `cli.main` turns them into `Error: …` lines.

Each message says what was wrong and what to do next. They are already translated
(see `beiwen.i18n.t`) when raised, so the translator only prints them.
"""

from __future__ import annotations


class BeiwenError(Exception):
    """Anything a user can cause: printed as `Error: …` on stderr, exit code 1."""

    exit_code = 1

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # One extra stderr line each, e.g. one per bad row of an import.
        self.details = details or []


class NotFoundError(BeiwenError):
    """An id, code, number or name that names nothing in the database."""


class InvalidInputError(BeiwenError):
    """A value that fails validation: a month, a date, a credit code, a phone."""


class ConflictError(BeiwenError):
    """A change that clashes with what is stored: a duplicate, an illegal state move."""


class DatabaseMissingError(BeiwenError):
    """The database file does not exist; only `beiwen init` creates one."""


class ImportRejectedError(BeiwenError):
    """An import with bad rows: nothing was written, each bad row is a detail line."""
