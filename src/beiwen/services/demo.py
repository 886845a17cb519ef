"""`beiwen init --demo`: load the fictional example district from examples/.

Every file goes through the same import pipeline a user's roster does; a later module
adds its example data by appending a step to DEMO_STEPS.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path

from beiwen.db import write
from beiwen.errors import BeiwenError, ConflictError
from beiwen.i18n import t
from beiwen.services import grids, units
from beiwen.services.database import has_data
from beiwen.services.importing import run_import


def examples_dir() -> Path:
    """examples/ as installed in the wheel, else beside the source tree (editable installs)."""
    packaged = Path(str(files("beiwen").joinpath("examples")))
    if packaged.is_dir():
        return packaged
    source = Path(__file__).resolve().parents[3] / "examples"
    if source.is_dir():
        return source
    raise BeiwenError(t("db.no_examples"))


def _grids(conn: sqlite3.Connection, folder: Path) -> int:
    return run_import(conn, folder / "grids.csv", grids.import_spec()).inserted


def _council(conn: sqlite3.Connection, folder: Path) -> int:
    return units.import_units(conn, folder / "council_units.csv", default_kind=None).inserted


def _merchants(conn: sqlite3.Connection, folder: Path) -> int:
    return units.import_units(conn, folder / "merchants.csv", default_kind="merchant").inserted


def _rotation(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services import rotation

    # The council's turns for 2024 and 2025, planned as a secretary would plan them.
    return rotation.plan(conn, "2024-01", 24).changed


def _issues(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services import issues

    return issues.import_issues(conn, folder / "issues_2024.csv").inserted


def _people(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services import people

    return people.import_members(conn, folder / "people.csv").inserted


def _courses(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services import courses

    return courses.demo_courses(conn, folder)


def _course_classes(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services import courses

    return courses.demo_classes(conn, folder)


def _activities(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services import activities

    return activities.demo_activities(conn, folder)


def _party(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services.party.exchange import demo_party

    return demo_party(conn, folder)


def _meetings(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services import meetings_exchange

    return meetings_exchange.demo_meetings(conn, folder)


def _needs(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services.lists.demo import demo_needs

    return demo_needs(conn, folder)


def _resources(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services.lists.demo import demo_resources

    return demo_resources(conn, folder)


def _projects(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services.lists.demo import demo_projects  # the needs' steps too

    return demo_projects(conn, folder)


def _service(conn: sqlite3.Connection, folder: Path) -> int:
    from beiwen.services.service_records import demo_records

    return demo_records(conn, folder)


DEMO_STEPS: list[tuple[str, Callable[[sqlite3.Connection, Path], int]]] = [
    ("grids", _grids),
    ("council units", _council),
    ("merchants", _merchants),
    ("rotation months", _rotation),
    ("work orders", _issues),
    ("people", _people),
    ("courses", _courses),
    ("course classes", _course_classes),
    ("activities", _activities),
    ("needs", _needs),
    ("resources", _resources),
    ("projects", _projects),
    ("party members", _party),
    ("joint meetings", _meetings),
    ("service records", _service),
]


def load_demo(conn: sqlite3.Connection, path: Path) -> dict[str, int]:
    if has_data(conn):
        raise ConflictError(t("db.demo_not_empty", path=path))
    folder = examples_dir()
    # One transaction for the whole district (each step's own write() nests inside it), so a
    # demo killed half-way leaves an empty database, never grids without their work orders.
    with write(conn):
        return {name: step(conn, folder) for name, step in DEMO_STEPS}
