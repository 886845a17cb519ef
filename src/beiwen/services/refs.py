"""The one resolver per kind of reference: what a user (or a file) means by a unit, a grid,
a work order, a member, a course, a term, a class or an activity.

Every command and every importer resolves through here, so `5`, `第5网格`, `第五网格`,
`５` and the grid's name mean grid 5 everywhere, `#12` and `12号` mean work order 12
everywhere, and each kind has one "not found" sentence. A reference made only of digits
is read by `parsing.whole_number`: full-width digits count, any other Unicode digit
(`①`, `²`, `٣`) is an InvalidInputError rather than a name to look up or a crash.

Only repositories and parsing are imported, so any service can use this module without
an import cycle.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Mapping

from beiwen.errors import ConflictError, InvalidInputError, NotFoundError
from beiwen.i18n import t
from beiwen.parsing import whole_number
from beiwen.repository import Row
from beiwen.repository import activities as activity_repo
from beiwen.repository import courses as course_repo
from beiwen.repository import grids as grid_repo
from beiwen.repository import issues as issue_repo
from beiwen.repository import lists as lists_repo
from beiwen.repository import people as people_repo
from beiwen.repository import units as unit_repo

# --- numbers -------------------------------------------------------------------------------

_LARGEST_ID = 2**63 - 1


def number(ref: str | int, field: str = "value") -> int | None:
    """The id a reference made only of digits means (`12`, `１２`), else None (a name).

    `①`, `²` or `٣` are digits to Python but not to us: InvalidInputError, never a crash.
    """
    if isinstance(ref, int):
        return ref
    text = ref.strip()
    if not text.isdigit():  # `①号店` is a name; only an all-digit text is a number
        return None
    found = whole_number(text, field)
    if found is not None and found > _LARGEST_ID:
        # Beyond SQLite's 64-bit integers: the same sentence as any number SQLite refuses.
        raise InvalidInputError(t("db.number_too_large"))
    return found


def _by_id(
    get: Callable[[sqlite3.Connection, int], Row | None],
    conn: sqlite3.Connection,
    ref: str | int,
    field: str,
) -> Row | None:
    """The row `get` finds for a reference made only of digits; None for a name or no row."""
    found_id = number(ref, field)
    return get(conn, found_id) if found_id is not None else None


_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}
_CHINESE_DIGITS |= {"八": 8, "九": 9}
_CHINESE_NUMBER = re.compile(
    r"(?:(?P<hundreds>[一二两三四五六七八九])百)?"
    r"(?:零?(?P<tens>[一二两三四五六七八九])?(?P<ten>十))?"
    r"零?(?P<ones>[一二三四五六七八九])?"
)


def chinese_number(text: str) -> int | None:
    """`五` -> 5, `十一` -> 11, `二十` -> 20, `一百零五` -> 105; None for anything else."""
    match = _CHINESE_NUMBER.fullmatch(text)
    if not match or not text:
        return None
    digit = _CHINESE_DIGITS.get
    value = (digit(match["hundreds"] or "", 0)) * 100
    if match["ten"]:
        value += (digit(match["tens"] or "", 1)) * 10
    value += digit(match["ones"] or "", 0)
    return value or None


# --- grids ---------------------------------------------------------------------------------


def known_grids(conn: sqlite3.Connection) -> dict[int, str]:
    """Grid number -> name: load once, then resolve many rows with `grid_number`."""
    return grid_repo.grid_names(conn)


def grid_form(ref: str, field: str = "grid") -> int | None:
    """The number in `5`, `５`, `第5网格`, `5网格`, `第五网格`, `5号网格`; None if no number."""
    core = ref.strip().removeprefix("第").removesuffix("网格").strip().removesuffix("号").strip()
    if not core:
        return None
    found = number(core, field)
    return found if found is not None else chinese_number(core)


def grid_number(ref: str | int, known: Mapping[int, str], field: str = "grid") -> int:
    """The grid `ref` names among `known`: a number form (see `grid_form`) or a grid's name."""
    found = ref if isinstance(ref, int) else grid_form(ref, field)
    if found is not None and found in known:
        return found
    text = str(ref).strip()
    for grid_no, name in known.items():
        if name == text:
            return grid_no
    shown = ", ".join(str(n) for n in known) or t("refs.no_grids")
    raise NotFoundError(t("grids.not_found", ref=ref, grids=shown))


def grid(conn: sqlite3.Connection, ref: str | int, field: str = "grid") -> Row:
    """The grid row `ref` names (see `grid_number` for the forms)."""
    found = grid_repo.get_grid(conn, grid_number(ref, known_grids(conn), field))
    assert found is not None
    return found


# --- units ---------------------------------------------------------------------------------


# The notices of the units found by a guess (`城管局` taken for 北碚区城市管理局), kept until
# the command that asked prints them on stderr (`taken_notices`): services never print.
_TAKEN: list[str] = []
# At most this many candidates are listed when a guess matches several units.
GUESSES_LISTED = 10


def taken_notices() -> list[str]:
    """The notices of the units found by a guess since the last call, once each."""
    notices = list(dict.fromkeys(_TAKEN))
    _TAKEN.clear()
    return notices


def unit(conn: sqlite3.Connection, ref: str | int, field: str = "unit") -> Row:
    """A unit by id, credit code or exact name, then by an alias (`units alias add`), then by
    a guess: an active unit whose name contains the text, else its characters in order
    (城管局 -> 北碚区城市管理局). A guess that fits one unit is taken, with a notice (see
    `taken_notices`); several are an error listing them; none, the not-found sentence."""
    text = str(ref).strip()
    found = _by_id(unit_repo.get_unit, conn, text, field)
    if found:
        return found
    if len(text) == 18:
        found = unit_repo.unit_by_code(conn, text.upper())
        if found:
            return found
    named = unit_repo.units_by_name(conn, text)
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        ids = ", ".join(str(u["id"]) for u in named)
        raise NotFoundError(t("units.ambiguous", ref=ref, count=len(named), ids=ids))
    found = unit_repo.unit_by_alias(conn, text) if text else None
    if found:
        return found
    # A guess needs two characters at least, and an id that names no unit is not a name.
    if len(text) >= 2 and number(text, field) is None:
        guesses = unit_repo.units_containing(conn, text) or unit_repo.units_containing(
            conn, text, in_order=True
        )
        if len(guesses) == 1:
            found = unit_repo.get_unit(conn, guesses[0]["id"])
            assert found is not None
            _TAKEN.append(t("units.taken", ref=text, id=found["id"], name=found["name"]))
            return found
        if guesses:
            listed = t("refs.separator").join(
                f"{g['id']} {g['name']}" for g in guesses[:GUESSES_LISTED]
            )
            more = len(guesses) > GUESSES_LISTED
            raise NotFoundError(
                t(
                    "units.guesses" + ("_more" if more else ""),
                    ref=text,
                    count=len(guesses),
                    units=listed,
                )
            )
    raise NotFoundError(t("units.not_found", ref=ref))


# --- work orders ---------------------------------------------------------------------------


def work_order_number(ref: str | int, field: str = "work order") -> int | None:
    """The number in `12`, `#12`, `＃12`, `12号`, `12 号`, `１２`; None if there is none."""
    if isinstance(ref, int):
        return ref if ref > 0 else None
    text = ref.strip().removeprefix("#").removeprefix("＃").removesuffix("号").strip()
    found = number(text, field) if text else None
    return found if found is not None and found > 0 else None


def work_order(conn: sqlite3.Connection, ref: str | int, field: str = "work order") -> Row:
    """A work order by its number (see `work_order_number` for the forms)."""
    issue_id = work_order_number(ref, field)
    found = issue_repo.get_issue(conn, issue_id) if issue_id is not None else None
    if found is None:
        raise NotFoundError(t("issues.not_found", ref=ref))
    return found


# --- people --------------------------------------------------------------------------------


def person(
    conn: sqlite3.Connection, ref: str | int, *, removed: bool = False, field: str = "member"
) -> Row:
    """A member by id, exact name or phone. Names and phones find active members only; an
    id finds a removed member too when `removed`, else it is a clear error."""
    text = str(ref).strip()
    found = _by_id(people_repo.get_person, conn, text, field)
    if found:
        if found["removed_at"] and not removed:
            raise ConflictError(
                t(
                    "people.is_removed",
                    id=found["id"],
                    name=found["name"],
                    date=found["removed_at"][:10],
                )
            )
        return found
    matches = people_repo.active_people_named(conn, text) or people_repo.active_people_with_phone(
        conn, text
    )
    if len(matches) == 1:
        found = people_repo.get_person(conn, matches[0]["id"])
        assert found is not None
        return found
    if len(matches) > 1:
        ids = ", ".join(str(p["id"]) for p in matches)
        raise NotFoundError(t("people.ambiguous", ref=ref, count=len(matches), ids=ids))
    raise NotFoundError(t("people.not_found", ref=ref))


# --- joint meetings (联席会) and their decisions ---------------------------------------------


def meeting(conn: sqlite3.Connection, ref: str | int, field: str = "meeting") -> Row:
    """A joint meeting by id (`3`, `#3`, `3号`), or by the day it was held (`2024-08-15`,
    `2024年8月15日`) when one meeting was held that day."""
    from beiwen.parsing import parse_date
    from beiwen.repository import meetings as meeting_repo

    text = str(ref).strip()
    found_id = work_order_number(text, field)
    if found_id is not None:
        found = meeting_repo.get_meeting(conn, found_id)
        if found:
            return found
        raise NotFoundError(t("meetings.not_found", ref=ref))
    try:
        day = parse_date(text, field).isoformat()
    except InvalidInputError:
        raise NotFoundError(t("meetings.not_found", ref=ref)) from None
    held = meeting_repo.meetings_on(conn, day)
    if len(held) == 1:
        return held[0]
    if held:
        ids = ", ".join(str(m["id"]) for m in held)
        raise NotFoundError(t("meetings.ambiguous", day=day, count=len(held), ids=ids))
    raise NotFoundError(t("meetings.none_on", day=day))


def decision(conn: sqlite3.Connection, ref: str | int, field: str = "decision") -> Row:
    """A decision of a joint meeting by id (`7`, `#7`)."""
    from beiwen.repository import meetings as meeting_repo

    found_id = work_order_number(ref, field)
    found = meeting_repo.get_decision(conn, found_id) if found_id is not None else None
    if found is None:
        raise NotFoundError(t("meetings.decision_not_found", ref=ref))
    return found


# --- courses, terms, classes, activities ---------------------------------------------------


def course(conn: sqlite3.Connection, ref: str | int, field: str = "course") -> Row:
    """A course by id or exact name."""
    text = str(ref).strip()
    found = _by_id(course_repo.get_course, conn, text, field)
    found = found or course_repo.course_by_name(conn, text)
    if found:
        return found
    raise NotFoundError(t("courses.not_found", ref=ref))


def term(conn: sqlite3.Connection, of_course: Row, ref: str | int, field: str = "term") -> Row:
    """A term of `of_course` by name, else by id."""
    text = str(ref).strip()
    found = course_repo.term_by_name(conn, of_course["id"], text)
    if found:
        return found
    found = _by_id(course_repo.get_term, conn, text, field)
    if found and found["course_id"] == of_course["id"]:
        return found
    names = ", ".join(row["name"] for row in course_repo.terms_of(conn, of_course["id"]))
    raise NotFoundError(
        t(
            "courses.term_not_found",
            course=of_course["name"],
            ref=ref,
            terms=names or t("courses.none_yet"),
        )
    )


def course_class(conn: sqlite3.Connection, ref: str | int, field: str = "class") -> Row:
    """A class (one session of a course) by id."""
    found = _by_id(course_repo.get_class, conn, ref, field)
    if found is None:
        raise NotFoundError(t("courses.class_not_found", ref=ref))
    return found


def activity(conn: sqlite3.Connection, ref: str | int, field: str = "activity") -> Row:
    """An activity by id."""
    found = _by_id(activity_repo.get_activity, conn, ref, field)
    if found is None:
        raise NotFoundError(t("activities.not_found", ref=ref))
    return found


# --- the three lists: needs, resources, projects -------------------------------------------


def _listed(
    get: Callable[[sqlite3.Connection, int], Row | None],
    conn: sqlite3.Connection,
    ref: str | int,
    field: str,
    missing: str,
) -> Row:
    """A need, resource or project by its number (`12`, `#12`, `12号`, `１２`)."""
    found_id = work_order_number(ref, field)
    found = get(conn, found_id) if found_id is not None else None
    if found is None:
        raise NotFoundError(t(missing, ref=ref))
    return found


def need(conn: sqlite3.Connection, ref: str | int, field: str = "need") -> Row:
    return _listed(lists_repo.get_need, conn, ref, field, "needs.not_found")


def resource(conn: sqlite3.Connection, ref: str | int, field: str = "resource") -> Row:
    return _listed(lists_repo.get_resource, conn, ref, field, "resources.not_found")


def project(conn: sqlite3.Connection, ref: str | int, field: str = "project") -> Row:
    return _listed(lists_repo.get_project, conn, ref, field, "projects.not_found")
