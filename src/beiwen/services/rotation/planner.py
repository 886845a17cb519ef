"""The planning rule of the rotation, as a plain function over unit ids: no database.

`plan_sequence` is what `rotation plan` asks once it has read the council, the months kept
and their neighbours (see `assignments.plan`), so the rule can be tested on its own.

Rules of a plan: active council units take turns in rotation order, continuing after the
last active unit that held a month before the range; no unit holds two consecutive months
while another unit could take one of them; the months per unit within the plan differ by
at most one (months kept from before count, so they can tilt this; the plan then evens
things out as far as the kept months allow).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


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
