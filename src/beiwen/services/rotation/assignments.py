"""The rotation's months as stored: reading the schedule and every move that changes it.

`plan` feeds the planning rule (`planner.plan_sequence`) what the database holds and writes
the result; `assign`, `unassign`, `swap` and `set_order` are the hand-made changes, and
`vacate_future_months` is what a unit retiring or leaving the council does to its turns.
Every change to the schedule is logged in `rotation_history` with its time and note.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import add_months, iso, month_of, now, parse_count, parse_month, parse_year
from beiwen.repository import rotation as repo
from beiwen.services import refs
from beiwen.services.rotation.planner import plan_sequence
from beiwen.vocab import Vocabulary

MAX_MONTHS = 240  # twenty years: more than that is a typo, not a plan

ROTATION_ACTIONS: Vocabulary = {
    "plan": ("planned", "排班"),
    "assign": ("assigned", "指定"),
    "swap": ("swapped", "对调"),
    "unassign": ("left open", "空出"),
}


# ---------------------------------------------------------------------------------------
# Months and ranges.


def current_month() -> str:
    return month_of(now().date())


def months_between(start: str, end: str) -> list[str]:
    months: list[str] = []
    month = start
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def parse_span(value: str | int) -> int:
    """--months: a whole number from 1 to MAX_MONTHS."""
    count = parse_count(value, "--months", minimum=1)
    if count > MAX_MONTHS:
        raise InvalidInputError(t("rotation.too_many_months", value=count, limit=MAX_MONTHS))
    return count


def resolve_range(
    start: str | None, end: str | None, year: str | None, today: str | None = None
) -> tuple[str, str]:
    """The months `rotation show` covers: --year, or --from/--to (a 12-month span when only
    one is given), else the current calendar year."""
    if year is not None and (start is not None or end is not None):
        raise InvalidInputError(t("rotation.range_conflict"))
    if year is not None:
        number = parse_year(year, "--year")
        return f"{number:04d}-01", f"{number:04d}-12"
    first = parse_month(start, "--from") if start is not None else None
    last = parse_month(end, "--to") if end is not None else None
    if first is not None and last is not None:
        if first > last:
            raise InvalidInputError(t("rotation.range_reversed", start=first, end=last))
        return first, last
    if first is not None:
        return first, add_months(first, 11)
    if last is not None:
        return add_months(last, -11), last
    this_year = (today or current_month())[:4]
    return f"{this_year}-01", f"{this_year}-12"


# ---------------------------------------------------------------------------------------
# Reading the schedule.


def _entry(month: str, row: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "month": month,
        "unit_id": row["unit_id"] if row else None,
        "unit": row["unit"] if row else None,
        "note": row["note"] if row else None,
    }


def schedule(conn: sqlite3.Connection, start: str, end: str) -> list[dict[str, Any]]:
    """Every month from `start` to `end`, gaps included (unit_id None)."""
    held = {row["month"]: row for row in repo.assignments(conn, start, end)}
    return [_entry(month, held.get(month)) for month in months_between(start, end)]


def duty_units(conn: sqlite3.Connection, start_month: str, end_month: str) -> list[dict[str, Any]]:
    """The assigned months of a period with their duty units: month, unit_id, unit, note.

    Months without a duty unit are left out. For the monthly report and `activity add`.
    """
    start = parse_month(start_month)
    end = parse_month(end_month)
    return [_entry(row["month"], row) for row in repo.assignments(conn, start, end)]


def duty_unit_for(conn: sqlite3.Connection, month: str) -> dict[str, Any] | None:
    """The duty unit of one month (month, unit_id, unit, note), or None for a gap."""
    found = duty_units(conn, month, month)
    return found[0] if found else None


def current(
    conn: sqlite3.Connection, month: str | None = None, today: str | None = None
) -> list[dict[str, Any]]:
    """The duty unit of `month` (default: this month) and of the month after it."""
    first = parse_month(month, "--month") if month is not None else (today or current_month())
    return schedule(conn, first, add_months(first, 1))


def unit_counts(conn: sqlite3.Connection, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Months per unit in `entries`: every active member in rotation order (0 included),
    then any other unit that held a month there (retired, or no longer on the council)."""
    held: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in entries:
        if entry["unit_id"] is not None:
            held[entry["unit_id"]] = held.get(entry["unit_id"], 0) + 1
            names[entry["unit_id"]] = entry["unit"]
    counts = [
        {
            "position": index,
            "unit_id": unit["id"],
            "unit": unit["name"],
            "months": held.pop(unit["id"], 0),
            "active": True,
        }
        for index, unit in enumerate(repo.active_council(conn), start=1)
    ]
    counts += [
        {
            "position": None,
            "unit_id": unit_id,
            "unit": names[unit_id],
            "months": months,
            "active": False,
        }
        for unit_id, months in sorted(held.items())
    ]
    return counts


def rotation_order(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [
        {
            "position": index,
            "id": unit["id"],
            "name": unit["name"],
            "council_since": unit["council_since"],
        }
        for index, unit in enumerate(repo.active_council(conn), start=1)
    ]


def history(
    conn: sqlite3.Connection, month: str | None = None, unit_ref: str | None = None
) -> list[dict[str, Any]]:
    wanted_month = parse_month(month, "--month") if month is not None else None
    unit_id = refs.unit(conn, unit_ref)["id"] if unit_ref is not None else None
    return repo.history(conn, wanted_month, unit_id)


# ---------------------------------------------------------------------------------------
# Changing the schedule.


@dataclass
class PlanResult:
    start: str
    end: str
    entries: list[dict[str, Any]]
    kept: int = 0
    changed: int = 0
    replanned: list[str] = field(default_factory=list)  # months of units no longer active


@dataclass
class Change:
    entries: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    changed: bool = True


def _log(
    conn: sqlite3.Connection,
    at: str,
    action: str,
    month: str,
    unit_id: int | None,
    previous_unit_id: int | None,
    note: str | None = None,
    other_month: str | None = None,
) -> None:
    repo.insert_history(
        conn,
        {
            "at": at,
            "action": action,
            "month": month,
            "unit_id": unit_id,
            "previous_unit_id": previous_unit_id,
            "other_month": other_month,
            "note": note,
        },
    )


def _clean_note(note: str | None) -> str | None:
    """A note as stored: trimmed, and None when empty."""
    if note is None:
        return None
    return note.strip() or None


def plan(
    conn: sqlite3.Connection,
    start: str,
    months: str | int,
    *,
    replace: bool = False,
    today: str | None = None,
) -> PlanResult:
    """Give each month of the range a duty unit; keep assigned months unless `replace`.

    A month after the current one that is held by a unit no longer on the council (an
    import can take a unit off without freeing its months) is planned anew.
    """
    first = parse_month(start, "--from")
    count = parse_span(months)
    last = add_months(first, count - 1)
    this_month = today or current_month()
    with db.write(conn):
        council = repo.active_council(conn)
        if not council:
            raise ConflictError(t("rotation.empty_council"))
        order = [unit["id"] for unit in council]
        active = set(order)
        existing = {row["month"]: row for row in repo.assignments(conn, first, last)}
        month_list = months_between(first, last)
        kept: dict[int, int] = {}
        replanned: list[str] = []
        for index, month in enumerate(month_list):
            row = existing.get(month)
            if row is None or replace:
                continue
            if row["unit_id"] not in active and month > this_month:
                replanned.append(month)
                continue
            kept[index] = row["unit_id"]
        before = repo.assignment(conn, add_months(first, -1))
        after = repo.assignment(conn, add_months(last, 1))
        sequence = plan_sequence(
            order,
            count,
            previous=repo.last_active_holder_before(conn, first),
            kept=kept,
            before=before["unit_id"] if before else None,
            after=after["unit_id"] if after else None,
        )
        stamp = iso(now())
        changed = 0
        for index, month in enumerate(month_list):
            old = existing.get(month)
            if index in kept or (old is not None and old["unit_id"] == sequence[index]):
                continue
            repo.put_assignment(conn, month, sequence[index], None, stamp)
            _log(conn, stamp, "plan", month, sequence[index], old["unit_id"] if old else None)
            changed += 1
        entries = schedule(conn, first, last)
    return PlanResult(first, last, entries, len(kept), changed, replanned)


def _consecutive_warnings(conn: sqlite3.Connection, months: Sequence[str]) -> list[str]:
    """A notice for each changed month whose unit also holds a neighbouring month."""
    warnings: list[str] = []
    seen: set[tuple[str, str]] = set()
    for month in months:
        span = repo.assignments(conn, add_months(month, -1), add_months(month, 1))
        for first, second in zip(span, span[1:], strict=False):
            pair = (first["month"], second["month"])
            if (
                first["unit_id"] == second["unit_id"]
                and add_months(first["month"], 1) == second["month"]
                and pair not in seen
            ):
                seen.add(pair)
                warnings.append(
                    t("rotation.consecutive", unit=first["unit"], first=pair[0], second=pair[1])
                )
    return warnings


def _require_can_hold(unit: dict[str, Any], month: str) -> None:
    if not unit["council"]:
        raise ConflictError(t("rotation.not_council", id=unit["id"], name=unit["name"]))
    if unit["retired_at"] and month >= unit["retired_at"][:7]:
        raise ConflictError(
            t(
                "rotation.retired_unit",
                id=unit["id"],
                name=unit["name"],
                retired=unit["retired_at"][:7],
            )
        )


def assign(conn: sqlite3.Connection, month: str, unit_ref: str, note: str | None = None) -> Change:
    """Make `unit_ref` the duty unit of `month` (a council unit; a retired one only for
    months before it retired)."""
    wanted = parse_month(month, "month")
    text = _clean_note(note)
    with db.write(conn):
        unit = refs.unit(conn, unit_ref)
        _require_can_hold(unit, wanted)
        old = repo.assignment(conn, wanted)
        if old is not None and old["unit_id"] == unit["id"] and text in (None, old["note"]):
            return Change(schedule(conn, wanted, wanted), changed=False)
        stamp = iso(now())
        repo.put_assignment(conn, wanted, unit["id"], text, stamp)
        _log(conn, stamp, "assign", wanted, unit["id"], old["unit_id"] if old else None, text)
        warnings = _consecutive_warnings(conn, [wanted])
        entries = schedule(conn, wanted, wanted)
    return Change(entries, warnings)


def unassign(conn: sqlite3.Connection, month: str, note: str | None = None) -> Change:
    """Leave `month` without a duty unit (a gap)."""
    wanted = parse_month(month, "month")
    with db.write(conn):
        old = repo.assignment(conn, wanted)
        if old is None:
            raise ConflictError(t("rotation.unassigned", month=wanted))
        repo.delete_assignment(conn, wanted)
        _log(conn, iso(now()), "unassign", wanted, None, old["unit_id"], _clean_note(note))
        entries = schedule(conn, wanted, wanted)
    return Change(entries)


def swap(
    conn: sqlite3.Connection,
    first_month: str,
    second_month: str,
    note: str | None = None,
    today: str | None = None,
) -> Change:
    """Exchange the duty units of two assigned months."""
    first = parse_month(first_month, "first month")
    second = parse_month(second_month, "second month")
    if first == second:
        raise InvalidInputError(t("rotation.swap_same", month=first))
    text = _clean_note(note)
    this_month = today or current_month()
    with db.write(conn):
        one = repo.assignment(conn, first)
        two = repo.assignment(conn, second)
        for month, row in ((first, one), (second, two)):
            if row is None:
                raise ConflictError(t("rotation.unassigned", month=month))
        assert one is not None and two is not None
        if one["unit_id"] == two["unit_id"]:
            raise ConflictError(
                t("rotation.swap_same_unit", first=first, second=second, unit=one["unit"])
            )
        for row, month in ((one, second), (two, first)):
            if month > this_month and (not row["council"] or row["retired_at"]):
                raise ConflictError(
                    t(
                        "rotation.not_active_for_swap",
                        id=row["unit_id"],
                        name=row["unit"],
                        month=month,
                    )
                )
        stamp = iso(now())
        repo.put_assignment(conn, first, two["unit_id"], text, stamp)
        repo.put_assignment(conn, second, one["unit_id"], text, stamp)
        _log(conn, stamp, "swap", first, two["unit_id"], one["unit_id"], text, second)
        _log(conn, stamp, "swap", second, one["unit_id"], two["unit_id"], text, first)
        warnings = _consecutive_warnings(conn, [first, second])
        entries = [*schedule(conn, first, first), *schedule(conn, second, second)]
    return Change(entries, warnings)


def set_order(conn: sqlite3.Connection, unit_refs: Sequence[str]) -> list[dict[str, Any]]:
    """Put the named units first in the rotation, in the order given; the other active
    members follow in their present order. Turns already planned do not move."""
    with db.write(conn):
        council = repo.active_council(conn)
        active = {unit["id"] for unit in council}
        named: list[int] = []
        for ref in unit_refs:
            unit = refs.unit(conn, ref)
            if unit["id"] not in active:
                raise ConflictError(
                    t("rotation.order_not_active", id=unit["id"], name=unit["name"])
                )
            if unit["id"] in named:
                raise InvalidInputError(
                    t("rotation.order_duplicate", id=unit["id"], name=unit["name"])
                )
            named.append(unit["id"])
        order = named + [unit["id"] for unit in council if unit["id"] not in named]
        stamp = iso(now())
        for position, unit_id in enumerate(order, start=1):
            repo.set_rotation_order(conn, unit_id, position, stamp)
        result = rotation_order(conn)
    return result


def vacate_future_months(
    conn: sqlite3.Connection, unit_id: int, today_month: str, reason: str = "retired"
) -> list[str]:
    """Free the months after `today_month` that `unit_id` holds, inside the caller's
    transaction; log each as left open. Returns the months now without a duty unit.

    Called when a unit retires (reason "retired") or leaves the council ("left"). The
    current month stays with the unit: it has begun. The unit also loses its explicit
    place in the rotation order, so that if it rejoins it queues at the end.
    """
    note = t("rotation.note_retired" if reason == "retired" else "rotation.note_left")
    months = repo.months_held_after(conn, unit_id, today_month)
    stamp = iso(now())
    for month in months:
        repo.delete_assignment(conn, month)
        _log(conn, stamp, "unassign", month, None, unit_id, note)
    repo.set_rotation_order(conn, unit_id, None, stamp)
    return months


def replan_hint_months(months: Sequence[str]) -> int:
    """How many months `plan --from months[0]` must cover to reach the last of `months`."""
    first, last = months[0], months[-1]
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
