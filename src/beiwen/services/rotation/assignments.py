"""The rotating secretary (轮值书记制度): each month one council unit leads the Party activities.

`plan_sequence` is the planning rule as a plain function over unit ids (no database), so it
can be tested on its own; `plan` feeds it what the database holds and writes the result.
Every change to the schedule is logged in `rotation_history` with its time and note.

Rules of a plan: active council units take turns in rotation order, continuing after the
last active unit that held a month before the range; no unit holds two consecutive months
while another unit could take one of them; the months per unit within the plan differ by
at most one (months kept from before count, so they can tilt this; the plan then evens
things out as far as the kept months allow).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from beiwen import db
from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import add_months, iso, month_of, now, parse_count, parse_month, parse_year
from beiwen.repository import rotation as repo
from beiwen.services import refs
from beiwen.vocab import Vocabulary

MAX_MONTHS = 240  # twenty years: more than that is a typo, not a plan

ROTATION_ACTIONS: Vocabulary = {
    "plan": ("planned", "排班"),
    "assign": ("assigned", "指定"),
    "swap": ("swapped", "对调"),
    "unassign": ("left open", "空出"),
}

# ---------------------------------------------------------------------------------------
# The planning rule, without the database.


def plan_sequence(
    order: Sequence[int],
    count: int,
    *,
    previous: int | None = None,
    kept: Mapping[int, int] | None = None,
    before: int | None = None,
    after: int | None = None,
) -> list[int]:
    """The duty unit of each of `count` months.

    order     active council unit ids in rotation order (not empty, no repeats)
    previous  the unit whose turn came last before the range: turns continue after it
    kept      month index -> unit id, assignments inside the range that stay as they are
              (units outside `order` may appear there: they keep the month, count for none)
    before    the unit holding the month just before the range (None: a gap)
    after     the unit holding the month just after the range (None: a gap)

    Without kept months the result is plain round-robin in `order` after `previous`
    (with one swap at the end if the last turn would border `after`). With kept months,
    if some plan has no unit bordering itself and counts (kept months included) within
    one of each other, the result is such a plan; otherwise it is the turn-by-turn plan,
    evened out as far as moving single months allows.
    """
    if not order or len(set(order)) != len(order):
        raise ValueError("order must be a non-empty list of distinct unit ids")
    if any(not 0 <= index < count for index in kept or {}):
        raise ValueError("kept months must lie inside the range")
    frame = _Frame(list(order), count, previous, dict(kept or {}), before, after)
    in_turn = _fill_in_turn(frame)
    if len(order) == 1 or frame.is_even(in_turn):
        return in_turn
    return _fill_evenly(frame) or in_turn


@dataclass
class _Frame:
    """The fixed inputs of one plan and the questions every filling asks of them."""

    order: list[int]
    count: int
    previous: int | None
    kept: dict[int, int]
    before: int | None
    after: int | None

    def __post_init__(self) -> None:
        self.position = {unit: index for index, unit in enumerate(self.order)}
        self.free = [index for index in range(self.count) if index not in self.kept]

    def turn(self, unit: int, pointer: int | None) -> int:
        """How many turns after `pointer` the unit comes (0: right after it)."""
        base = self.position[pointer] + 1 if pointer in self.position else 0
        return (self.position[unit] - base) % len(self.order)

    def unit_at(self, result: Sequence[int | None], index: int) -> int | None:
        if index < 0:
            return self.before
        if index >= self.count:
            return self.after
        return result[index]

    def kept_totals(self) -> dict[int, int]:
        totals = dict.fromkeys(self.order, 0)
        for unit in self.kept.values():
            if unit in totals:
                totals[unit] += 1
        return totals

    def is_even(self, result: Sequence[int]) -> bool:
        """No planned month borders its own unit, and counts are within one of each other."""
        for index in self.free:
            if result[index] in (
                self.unit_at(result, index - 1),
                self.unit_at(result, index + 1),
            ):
                return False
        totals = self.kept_totals()
        for index in self.free:
            totals[result[index]] += 1
        return max(totals.values()) - min(totals.values()) <= 1


def _fill_in_turn(frame: _Frame) -> list[int]:
    """Turn by turn: quotas by water-filling (fewest months first, ties in turn after
    `previous`), then each free month in order gets a unit with quota left that does not
    border itself, most quota left first, ties in turn. Repairs follow: swaps between
    free months that leave fewer equal neighbours; a month still bordering its own unit
    goes to a unit that fits, if any; a month whose unit has two more months than another
    unit that fits there moves to that unit, until no such move is left."""
    order, kept, free = frame.order, frame.kept, frame.free
    result: list[int | None] = [kept.get(index) for index in range(frame.count)]
    totals = frame.kept_totals()

    quota = dict.fromkeys(order, 0)
    level = dict(totals)
    for _ in free:
        chosen = min(order, key=lambda u: (level[u], frame.turn(u, frame.previous)))
        quota[chosen] += 1
        level[chosen] += 1

    def at(index: int) -> int | None:
        return frame.unit_at(result, index)

    def same(first: int, second: int) -> int:
        a, b = at(first), at(second)
        return 1 if a is not None and a == b else 0

    def bordering(index: int) -> int:
        return same(index - 1, index) + same(index, index + 1)

    def fits(unit: int, index: int) -> bool:
        return unit != at(index - 1) and unit != at(index + 1)

    remaining = dict(quota)
    pointer = frame.previous
    for index in range(frame.count):
        if index in kept:
            if kept[index] in frame.position:
                pointer = kept[index]
            continue
        left = at(index - 1)
        right = at(index + 1) if index + 1 >= frame.count or index + 1 in kept else None
        holders = [u for u in order if remaining[u] > 0]
        fitting = [u for u in holders if u != left and u != right]
        last = pointer
        chosen = min(fitting or holders, key=lambda u: (-remaining[u], frame.turn(u, last)))
        result[index] = chosen
        remaining[chosen] -= 1
        totals[chosen] += 1
        pointer = chosen

    improved = True
    while improved:
        improved = False
        for index in free:
            if not bordering(index):
                continue
            for other in free:
                if other == index or result[other] == result[index]:
                    continue
                edges = {index - 1, index, other - 1, other}
                cost = sum(same(k, k + 1) for k in edges)
                result[index], result[other] = result[other], result[index]
                if sum(same(k, k + 1) for k in edges) < cost:
                    improved = True
                    break
                result[index], result[other] = result[other], result[index]

    def move(index: int, options: list[int]) -> None:
        held = result[index]
        assert held is not None
        left = at(index - 1)
        chosen = min(options, key=lambda u: (totals[u], frame.turn(u, left)))
        totals[held] -= 1
        totals[chosen] += 1
        result[index] = chosen

    for index in free:
        if bordering(index):
            options = [u for u in order if fits(u, index)]
            if options:
                move(index, options)

    moved = True
    while moved:
        moved = False
        for index in free:
            held = result[index]
            assert held is not None
            options = [u for u in order if totals[held] - totals[u] >= 2 and fits(u, index)]
            if options:
                move(index, options)
                moved = True

    return [unit for unit in result if unit is not None]


def _room(slots: int, unit: int, left: int | None, right: int | None) -> int:
    """The most months `unit` can hold in a run of `slots` free months between `left` and
    `right` without bordering itself: every other month, minus an end next to itself."""
    usable = slots - (unit == left) - (unit == right)
    return max(0, (usable + 1) // 2)


def _fill_evenly(frame: _Frame) -> list[int] | None:
    """A plan with no unit bordering itself and counts within one of each other, or None
    if there is none.

    The free months fall into runs between fixed neighbours. A run of k months can take a
    set of units without any bordering itself exactly when no unit exceeds its `_room` in
    the run, so choosing how many months each unit takes in each run is a flow problem
    with lower bounds (each unit's count must land in [low, high]); each run is then
    ordered in turn, checking at every step that the rest still fits.
    """
    order, kept = frame.order, frame.kept
    runs: list[tuple[int, int]] = []  # (first index, length)
    for index in frame.free:
        if runs and runs[-1][0] + runs[-1][1] == index:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((index, 1))
    totals = frame.kept_totals()
    low, spare = divmod(sum(totals.values()) + len(frame.free), len(order))
    high = low + (1 if spare else 0)
    if any(totals[unit] > high for unit in order):
        return None
    bounds = {unit: (max(0, low - totals[unit]), high - totals[unit]) for unit in order}
    empty: list[int | None] = [kept.get(index) for index in range(frame.count)]
    rooms = {
        (unit, number): _room(
            length, unit, frame.unit_at(empty, first - 1), frame.unit_at(empty, first + length)
        )
        for unit in order
        for number, (first, length) in enumerate(runs)
    }
    shares = _bounded_flow(bounds, rooms, [length for _, length in runs])
    if shares is None:
        return None

    result = empty
    pointer = frame.previous
    run_of = {
        first + offset: number
        for number, (first, length) in enumerate(runs)
        for offset in range(length)
    }
    for index in range(frame.count):
        if index in kept:
            if kept[index] in frame.position:
                pointer = kept[index]
            continue
        number = run_of[index]
        first, length = runs[number]
        left = frame.unit_at(result, index - 1)
        right = frame.unit_at(result, first + length)
        rest = first + length - index - 1
        last = pointer
        for unit in sorted(order, key=lambda u: frame.turn(u, last)):
            need = shares.get((unit, number), 0)
            if need == 0 or unit == left or (rest == 0 and unit == right):
                continue
            shares[(unit, number)] = need - 1
            if all(
                shares.get((other, number), 0) <= _room(rest, other, unit, right) for other in order
            ):
                result[index] = pointer = unit
                break
            shares[(unit, number)] = need
        else:  # pragma: no cover - the room condition is exact, so a unit always fits
            raise AssertionError("run could not be ordered")
    return [unit for unit in result if unit is not None]


def _bounded_flow(
    bounds: dict[int, tuple[int, int]],
    rooms: dict[tuple[int, int], int],
    lengths: list[int],
) -> dict[tuple[int, int], int] | None:
    """How many months each unit takes in each run: unit totals within `bounds`, at most
    `rooms[unit, run]` per run, each run exactly filled; None if impossible.

    A feasible circulation with lower bounds, by the textbook reduction to one max-flow
    (Edmonds-Karp; the graphs are a few hundred edges)."""
    source, sink, super_source, super_sink = 0, 1, 2, 3
    unit_node = {unit: 4 + index for index, unit in enumerate(bounds)}
    run_node = [4 + len(bounds) + number for number in range(len(lengths))]
    capacity: dict[int, dict[int, int]] = {}
    excess: dict[int, int] = {}

    def edge(tail: int, head: int, lower: int, upper: int) -> None:
        capacity.setdefault(tail, {})
        capacity.setdefault(head, {})
        capacity[tail][head] = capacity[tail].get(head, 0) + upper - lower
        capacity[head].setdefault(tail, 0)
        excess[head] = excess.get(head, 0) + lower
        excess[tail] = excess.get(tail, 0) - lower

    for unit, (lower, upper) in bounds.items():
        edge(source, unit_node[unit], lower, upper)
    for (unit, number), room in rooms.items():
        if room > 0:
            edge(unit_node[unit], run_node[number], 0, room)
    for number, length in enumerate(lengths):
        edge(run_node[number], sink, length, length)
    edge(sink, source, 0, sum(lengths) + sum(upper for _, upper in bounds.values()))
    needed = 0
    for node, amount in list(excess.items()):
        if amount > 0:
            edge(super_source, node, 0, amount)
            needed += amount
        elif amount < 0:
            edge(node, super_sink, 0, -amount)
    initial = {tail: dict(heads) for tail, heads in capacity.items()}

    flow = 0
    while True:
        parent = {super_source: super_source}
        queue = [super_source]
        for node in queue:
            for head, room in capacity[node].items():
                if room > 0 and head not in parent:
                    parent[head] = node
                    queue.append(head)
            if super_sink in parent:
                break
        if super_sink not in parent:
            break
        path_room = needed
        node = super_sink
        while node != super_source:
            path_room = min(path_room, capacity[parent[node]][node])
            node = parent[node]
        node = super_sink
        while node != super_source:
            capacity[parent[node]][node] -= path_room
            capacity[node][parent[node]] += path_room
            node = parent[node]
        flow += path_room
    if flow < needed:
        return None
    return {
        (unit, number): initial[unit_node[unit]][run_node[number]]
        - capacity[unit_node[unit]][run_node[number]]
        for (unit, number), room in rooms.items()
        if room > 0
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
