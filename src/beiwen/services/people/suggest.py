"""Who can help on a work order: people with the skills a category needs, in the
suggestion order (this grid, then the whole district, then other grids; fewest open
assignments first), and `assign`, which records a helper through the work-order state
machine (services/issues) and returns their open assignments.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from beiwen.errors import InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import iso
from beiwen.repository import people as repo
from beiwen.services import refs
from beiwen.services.people.fields import split_values
from beiwen.services.people.members import _decorate
from beiwen.vocab import Vocabulary

# The skills that serve each work-order category (used by `issue suggest`). Skills are free
# text; a person matches when one of their skills contains one of these words.
CATEGORY_SKILLS: dict[str, tuple[str, ...]] = {
    "property": ("物业", "调解"),
    "supervision": ("市场监管", "法律"),
    "safety": ("安全", "应急"),
    "vendor": ("城管", "巡查"),
    "fire_lane": ("消防", "巡查"),
    "sanitation": ("环境卫生", "巡查"),
    "consumer": ("消费维权", "法律"),
    "labour": ("劳动", "法律"),
    "dispute": ("调解", "法律"),
    "service": ("便民服务", "志愿服务"),
    "other": ("便民服务", "志愿服务"),
}

PLACES: Vocabulary = {
    "this_grid": ("this grid", "本网格"),
    "district": ("whole district", "全商圈"),
    "other_grid": ("other grid", "其他网格"),
}


def suggest_people(
    conn: sqlite3.Connection, skill: str | Sequence[str], grid: str | int | None = None
) -> list[dict[str, Any]]:
    """Active people with the skill: those serving `grid` first, then those serving the whole
    district, then the rest; within each, fewest open assignments first."""
    wanted = [skill] if isinstance(skill, str) else list(skill)
    skills = [part for value in wanted for part in split_values(value)]
    if not skills:
        raise InvalidInputError(t("people.skill_required"))
    grid_number = refs.grid(conn, grid, "--grid")["number"] if grid is not None else None
    candidates = repo.people_with_skill(conn, skills)
    matched = {row["id"]: row["matched"] for row in candidates}
    people = _decorate(conn, candidates)
    for person in people:
        if grid_number is None:
            person["place"] = None
        elif grid_number in person["grids"]:
            person["place"] = "this_grid"
        elif not person["grids"]:
            person["place"] = "district"
        else:
            person["place"] = "other_grid"
        person["matched_skills"] = [
            own for own in person["skills"] if any(s.lower() in own.lower() for s in skills)
        ]
    rank = {None: 0, "this_grid": 0, "district": 1, "other_grid": 2}
    people.sort(key=lambda p: (rank[p["place"]], p["open_assignments"], -matched[p["id"]], p["id"]))
    return people


def suggest_for_issue(conn: sqlite3.Connection, issue_id: str | int) -> dict[str, Any]:
    """Who can help on a work order: the skills of its category, its grid first."""
    issue = refs.work_order(conn, issue_id)
    skills = list(CATEGORY_SKILLS.get(issue["category"], CATEGORY_SKILLS["other"]))
    return {
        "issue": issue,
        "skills": skills,
        "people": suggest_people(conn, skills, issue["grid"]),
    }


def assign_person(
    conn: sqlite3.Connection,
    issue_id: str | int,
    person_ref: str | int,
    note: str | None = None,
    at: str | datetime | None = None,
) -> dict[str, Any]:
    """Record that a person helps on a work order: the `assign` move of the work-order state
    machine (services/issues/moves.py writes the event), plus the person's open assignments."""
    from beiwen.services.issues.moves import assign_issue

    when = iso(at) if isinstance(at, datetime) else at
    done = assign_issue(conn, issue_id, person_ref, note, when)
    done["open_assignments"] = repo.open_assignment_counts(conn).get(done["person_id"], 0)
    return done
