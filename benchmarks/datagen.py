"""The benchmark's own data: a merchant roster and work-order databases, made once and reused.

Everything is seeded, so two machines measure the same rows. A generated file is kept in
benchmarks/data/ with a `.meta.json` beside it that records what it was made from; a file
whose recipe changed (or every file, with --fresh) is made again.

- The roster is written the way Chinese Excel exports it (GB18030, the headers of
  examples/merchants.csv, dates in three spellings, mobiles and landlines, about 70% of the
  rows with a valid credit code), plus a UTF-8 copy of the same rows for the peers.
- A work-order database is a real `beiwen init` file with the six grids added by
  `beiwen grid add`; the rest (council units, merchants, the rotation, courses, activities,
  work orders with the departments they went to and their event log) is bulk-inserted with
  sqlite3 executemany in one transaction, honouring the schema's CHECK constraints and
  foreign keys (checked afterwards with PRAGMA foreign_key_check).
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "examples"))
import generate as examples  # noqa: E402  (examples/generate.py: names, codes, phones, dates)

GENERATOR_VERSION = 3
ROSTER_HEADER = [
    "统一社会信用代码",
    "商户名称",
    "业态",
    "经营地址",
    "网格",
    "负责人",
    "联系电话",
    "开业日期",
]
BEIJING = 8 * 3600
DAY = 86_400
HOUR = 3_600
# The last month the work-order databases cover; reports are benchmarked on it.
LAST_MONTH = "2026-10"

# Work-order mix: (key, weight, Chinese titles)
CATEGORIES: list[tuple[str, int, tuple[str, ...]]] = [
    ("property", 12, ("电梯停运", "楼道灯不亮", "屋顶漏水", "物业费争议")),
    ("supervision", 8, ("过期食品", "无证经营", "价格未明码标价")),
    ("safety", 6, ("燃气管道老化", "电线私拉乱接", "广告牌松动")),
    ("vendor", 18, ("占道经营", "流动摊贩", "出店经营")),
    ("fire_lane", 6, ("消防通道堵塞", "消防栓被遮挡")),
    ("sanitation", 16, ("垃圾未清运", "油烟扰民", "污水外溢", "噪音扰民")),
    ("consumer", 12, ("预付卡退费", "商品质量投诉", "服务纠纷")),
    ("labour", 4, ("拖欠工资", "劳动合同纠纷")),
    ("dispute", 8, ("邻里纠纷", "商户租赁纠纷", "停车纠纷")),
    ("service", 6, ("政策咨询", "办证咨询", "融资需求")),
    ("other", 4, ("其他诉求",)),
]
SOURCES = [
    ("patrol", 45),
    ("hotline", 20),
    ("visit", 10),
    ("station_315", 10),
    ("mediation", 5),
    ("merchant", 8),
    ("other", 2),
]
SATISFACTION = [("satisfied", 85), ("basic", 10), ("unsatisfied", 5)]
COURSES = [
    ("民族舞", "dance", "王老师", "商圈党群服务中心"),
    ("声乐", "vocal", "李老师", "商圈党群服务中心"),
    ("新媒体运营", "new_media", "陈老师", "嵩达广场会议室"),
    ("书法", "calligraphy", "刘老师", "商圈党群服务中心"),
]
ACTIVITY_KINDS = ("finance_visit", "policy_briefing", "training", "forum", "salon", "volunteer")


# --------------------------------------------------------------------------- bookkeeping


def log(message: str) -> None:
    sys.stderr.write(f"[data] {message}\n")
    sys.stderr.flush()


def fresh_enough(path: Path, recipe: dict[str, Any]) -> bool:
    """True when `path` exists and was made from exactly this recipe."""
    meta = path.with_name(path.name + ".meta.json")
    if not path.exists() or not meta.exists():
        return False
    try:
        return bool(json.loads(meta.read_text(encoding="utf-8")) == recipe)
    except ValueError:
        return False


def record_recipe(path: Path, recipe: dict[str, Any]) -> None:
    meta = path.with_name(path.name + ".meta.json")
    meta.write_text(json.dumps(recipe, ensure_ascii=False, indent=1), encoding="utf-8")


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def copy_database(source: Path, target: Path) -> None:
    """A fresh copy of a checkpointed database file (no -wal to carry along)."""
    remove_database(target)
    shutil.copyfile(source, target)


def beiwen(beiwen_bin: Path, db: Path, *args: str) -> None:
    env = {"BEIWEN_LANG": "en", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [str(beiwen_bin), "--db", str(db), *args], check=True, env=env, capture_output=True
    )


# --------------------------------------------------------------------------- roster


def merchant_rows(count: int, seed: int) -> Iterator[list[str]]:
    """`count` merchants with unique names, as examples/generate.py spells them."""
    rng = random.Random(seed)
    trades = list(examples.WEIGHT)
    weights = [examples.WEIGHT[trade] for trade in trades]
    seen_names: dict[str, int] = {}
    seen_codes: set[str] = set()
    for _ in range(count):
        trade = rng.choices(trades, weights=weights)[0]
        base = rng.choice(examples.PLACES) + rng.choice(examples.GIVEN)
        base += rng.choice(examples.TRADES[trade])
        branches = seen_names.get(base, 0) + 1
        seen_names[base] = branches
        name = base if branches == 1 else f"{base}（{branches}号店）"
        code = ""
        if rng.random() < 0.7:
            code = examples.credit_code(rng, rng.choice(["92", "92", "91"]))
            while code in seen_codes:
                code = examples.credit_code(rng, "92")
            seen_codes.add(code)
        contact = (
            rng.choice(examples.SURNAMES)
            + rng.choice(examples.GIVEN_NAMES)
            + (rng.choice(examples.GIVEN_NAMES) if rng.random() < 0.6 else "")
        )
        address = f"北碚区{rng.choice(examples.STREETS)}{rng.randint(1, 300)}号"
        yield [
            code,
            name,
            trade,
            address,
            str(rng.randint(1, 6)),
            contact,
            examples.phone(rng),
            examples.opened(rng),
        ]


def make_roster(folder: Path, rows: int, fresh: bool) -> tuple[Path, Path]:
    """The GB18030 roster and its UTF-8 copy (same rows) for the peers."""
    gb = folder / "roster-gb18030.csv"
    utf8 = folder / "roster-utf8.csv"
    recipe = {"version": GENERATOR_VERSION, "rows": rows, "seed": 20240801}
    if not fresh and fresh_enough(gb, recipe) and fresh_enough(utf8, recipe):
        return gb, utf8
    log(f"writing a {rows:,}-row roster (GB18030 and UTF-8)")
    with (
        gb.open("w", encoding="gb18030", newline="") as gb_handle,
        utf8.open("w", encoding="utf-8", newline="") as utf8_handle,
    ):
        gb_writer, utf8_writer = csv.writer(gb_handle), csv.writer(utf8_handle)
        gb_writer.writerow(ROSTER_HEADER)
        utf8_writer.writerow(ROSTER_HEADER)
        for row in merchant_rows(rows, recipe["seed"]):
            gb_writer.writerow(row)
            utf8_writer.writerow(row)
    record_recipe(gb, recipe)
    record_recipe(utf8, recipe)
    return gb, utf8


# --------------------------------------------------------------------------- databases


def make_grids_db(folder: Path, name: str, beiwen_bin: Path, fresh: bool) -> Path:
    """`beiwen init` plus the six grids: what an import or an `issue add` starts from."""
    path = folder / name
    recipe = {"version": GENERATOR_VERSION, "grids": 6, "schema": schema_fingerprint()}
    if not fresh and fresh_enough(path, recipe):
        return path
    log(f"creating {path.name} (beiwen init, beiwen grid add x6)")
    remove_database(path)
    beiwen(beiwen_bin, path, "init")
    for number, grid_name, branch, _area in examples.GRIDS:
        beiwen(beiwen_bin, path, "grid", "add", str(number), grid_name, "--branch", branch)
    checkpoint(path)
    record_recipe(path, recipe)
    return path


def schema_fingerprint(*names: str) -> str:
    """Changes with the packaged schema (and the migrations), so that old files are remade."""
    import hashlib

    digest = hashlib.sha256()
    for name in names or ("schema.sql", "migrations.py"):
        digest.update((ROOT / "src" / "beiwen" / name).read_bytes())
    return digest.hexdigest()[:16]


def checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


class Clock:
    """Beijing local seconds -> "YYYY-MM-DDTHH:MM:SS+08:00", by table lookup (millions of calls)."""

    def __init__(self) -> None:
        self.hms = [f"T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+08:00" for s in range(DAY)]
        self.days: dict[int, str] = {}

    def day(self, seconds: int) -> str:
        index = seconds // DAY
        text = self.days.get(index)
        if text is None:
            text = date.fromordinal(719_163 + index).isoformat()  # 719163 = 1970-01-01
            self.days[index] = text
        return text

    def __call__(self, seconds: int) -> str:
        return self.day(seconds) + self.hms[seconds % DAY]


def month_bounds(months: int) -> list[tuple[str, int, int]]:
    """(YYYY-MM, first second, end second) in Beijing local seconds, ending at LAST_MONTH."""
    year, month = int(LAST_MONTH[:4]), int(LAST_MONTH[5:])
    result = []
    for _ in range(months):
        start = (date(year, month, 1).toordinal() - 719_163) * DAY
        next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
        end = (date(next_year, next_month, 1).toordinal() - 719_163) * DAY
        result.append((f"{year:04d}-{month:02d}", start, end))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return result[::-1]


def make_orders_db(
    folder: Path,
    name: str,
    orders: int,
    months: int,
    with_history: bool,
    grids_db: Path,
    fresh: bool,
) -> Path:
    """A copy of `grids_db` with `orders` work orders spread evenly over `months` months."""
    path = folder / name
    recipe = {
        "version": GENERATOR_VERSION,
        "orders": orders,
        "months": months,
        "last_month": LAST_MONTH,
        "history": with_history,
        # Not the migrations: beiwen applies a new one to the file when it first opens it
        # (the warm-up round), as it would to a user's file, instead of 10-20 min of remaking.
        "schema": schema_fingerprint("schema.sql"),
    }
    if not fresh and fresh_enough(path, recipe):
        return path
    started = time.monotonic()
    log(f"creating {path.name}: {orders:,} work orders over {months} months")
    building = folder / (name + ".building")
    copy_database(grids_db, building)
    conn = sqlite3.connect(building, isolation_level=None)
    # Generation only: no journal, no fsync, a big cache. The file goes back to WAL below.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN")
    # The schema's own indexes are dropped and re-created after the rows are in: building an
    # index by sorting is several times faster than keeping it up to date row by row.
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('issues', 'issue_units', 'issue_events')"
    ).fetchall()
    for index_name, _sql in indexes:
        conn.execute(f'DROP INDEX "{index_name}"')
    # The search index's triggers (m013) would index every row as it is inserted; it is
    # filled once at the end instead, by beiwen's own search_schema.index_everything.
    search_triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'"
    ).fetchall()
    for trigger_name, _sql in search_triggers:
        conn.execute(f'DROP TRIGGER "{trigger_name}"')
    rng = random.Random(20241001 + orders)
    bounds = month_bounds(months)
    clock = Clock()
    departments, merchants = insert_units(conn, rng, clock, bounds[0][1])
    insert_rotation(conn, bounds, departments, clock)
    insert_courses_and_activities(conn, rng, bounds, departments, clock)
    deadlines = dict(conn.execute("SELECT category, days FROM issue_deadlines").fetchall())
    insert_orders(conn, rng, clock, bounds, orders, deadlines, departments, merchants, with_history)
    log(f"  indexing ({len(indexes)} indexes of the schema)")
    for _index_name, sql in indexes:
        conn.execute(sql)
    if search_triggers:
        from beiwen.search_schema import index_everything

        log("  the search index (m013)")
        index_everything(conn)
        for _trigger_name, sql in search_triggers:
            conn.execute(sql)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(issues)")}
    if "last_event_at" in columns:  # m014_issue_speed is applied: what beiwen keeps per row
        from beiwen.repository.issues import backfill_speed

        log("  m014_issue_speed's columns (last event time, hours)")
        backfill_speed(conn)
    conn.execute("COMMIT")
    problems = conn.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise SystemExit(f"generated data breaks foreign keys: {problems[:5]}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    remove_database(path)
    building.rename(path)
    record_recipe(path, recipe)
    log(f"{path.name} done in {time.monotonic() - started:.0f} s ({path.stat().st_size >> 20} MiB)")
    return path


def insert_units(
    conn: sqlite3.Connection, rng: random.Random, clock: Clock, since: int
) -> tuple[list[int], list[int]]:
    """The 18 council units (the departments orders go to) and 1,400 merchants."""
    stamp = clock(since - 30 * DAY)
    rows: list[tuple[Any, ...]] = []
    for index, (unit_name, kind, prefix) in enumerate(examples.COUNCIL):
        code = examples.credit_code(rng, prefix)
        rows.append((code, unit_name, kind, None, index % 6 + 1, 1, stamp, stamp, stamp))
    merchant_start = len(rows) + 1
    for cells in merchant_rows(1400, 7):
        code = cells[0] or None
        rows.append((code, cells[1], "merchant", "retail", int(cells[4]), 0, None, stamp, stamp))
    conn.executemany(
        "INSERT INTO units (code, name, kind, category, grid, council, council_since, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    departments = list(range(1, len(examples.COUNCIL) + 1))
    merchants = list(range(merchant_start, len(rows) + 1))
    return departments, merchants


def insert_rotation(
    conn: sqlite3.Connection,
    bounds: list[tuple[str, int, int]],
    departments: list[int],
    clock: Clock,
) -> None:
    conn.executemany(
        "INSERT INTO rotation (month, unit_id, assigned_at) VALUES (?, ?, ?)",
        [
            (month, departments[index % len(departments)], clock(start - 20 * DAY))
            for index, (month, start, _end) in enumerate(bounds)
        ],
    )


def insert_courses_and_activities(
    conn: sqlite3.Connection,
    rng: random.Random,
    bounds: list[tuple[str, int, int]],
    departments: list[int],
    clock: Clock,
) -> None:
    created = clock(bounds[0][1] - 30 * DAY)
    conn.executemany(
        "INSERT INTO courses (name, category, teacher, venue, capacity, created_at) "
        "VALUES (?, ?, ?, ?, 30, ?)",
        [(*course, created) for course in COURSES],
    )
    classes = []
    activities = []
    for _month, start, end in bounds:
        for course_id in range(1, len(COURSES) + 1):
            for week in range(2):
                at = start + (week * 14 + course_id) * DAY + 19 * HOUR
                if at < end:
                    classes.append((course_id, clock(at), rng.randint(8, 30)))
        for _ in range(6):
            day = start + rng.randrange((end - start) // DAY) * DAY
            kind = rng.choice(ACTIVITY_KINDS)
            activities.append(
                (
                    f"{kind}活动",
                    kind,
                    clock.day(day),
                    rng.choice(departments),
                    rng.randint(0, 40),
                    rng.randint(0, 10),
                    rng.randint(5, 120),
                    clock(day),
                )
            )
    conn.executemany(
        "INSERT INTO course_classes (course_id, starts_at, status, attendance) "
        "VALUES (?, ?, 'held', ?)",
        classes,
    )
    conn.executemany(
        "INSERT INTO activities (title, kind, date, lead_unit_id, enterprises_served, "
        "enterprises_helped, participants, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        activities,
    )


def weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> Callable[[], str]:
    """A fast weighted picker (random.choices is slow called millions of times)."""
    table = [key for key, weight in pairs for _ in range(weight)]
    size = len(table)
    rand = rng.random
    return lambda: table[int(rand() * size)]


def insert_orders(
    conn: sqlite3.Connection,
    rng: random.Random,
    clock: Clock,
    bounds: list[tuple[str, int, int]],
    orders: int,
    deadlines: dict[str, int],
    departments: list[int],
    merchants: list[int],
    with_history: bool,
) -> None:
    """The work orders, month by month, each with the life it has had by the data's end.

    Written for speed (ten million rows): random() scaled by hand instead of randrange and
    choice, and times formatted by list lookup.
    """
    cutoff = bounds[-1][2]  # nothing happens after the end of LAST_MONTH
    category = weighted(rng, [(key, weight) for key, weight, _ in CATEGORIES])
    titles = {key: names for key, _, names in CATEGORIES}
    source = weighted(rng, SOURCES)
    satisfaction = weighted(rng, SATISFACTION)
    rand = rng.random
    surnames, given = examples.SURNAMES, examples.GIVEN_NAMES
    n_surnames, n_given = len(surnames), len(given)
    n_departments, n_merchants = len(departments), len(merchants)
    first_day = bounds[0][1] // DAY
    days = [
        clock.day((first_day + offset) * DAY) for offset in range((cutoff // DAY) - first_day + 60)
    ]
    hms = clock.hms

    def fmt(seconds: int) -> str:
        return days[seconds // DAY - first_day] + hms[seconds % DAY]

    issue_rows: list[tuple[Any, ...]] = []
    unit_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    per_month, extra = divmod(orders, len(bounds))
    issue_id = 0
    for index, (_month, start, end) in enumerate(bounds):
        count = per_month + (1 if index < extra else 0)
        span = end - start
        for reported in sorted([start + int(rand() * span) for _ in range(count)]):
            issue_id += 1
            kind = category()
            names = titles[kind]
            title = names[int(rand() * len(names))]
            limit = deadlines[kind] * DAY
            dispatched = accepted = resolved = closed = cancelled = 0
            verdict = None
            department = departments[int(rand() * n_departments)]
            status = "open"
            last = reported
            if rand() < 0.02:
                moment = reported + 1800 + int(rand() * 2 * DAY)
                if moment < cutoff:
                    cancelled, status, last = moment, "cancelled", moment
            else:
                moment = reported + 720 + int(rand() * 8 * HOUR)
                if moment < cutoff:
                    dispatched, status, last = moment, "dispatched", moment
                    moment += 360 + int(rand() * DAY)
                    if moment < cutoff:
                        accepted, status, last = moment, "in_progress", moment
                        moment = reported + 2 * HOUR + int(rand() * 1.3 * limit)
                        moment = max(moment, accepted + 60)
                        if moment < cutoff:
                            resolved, status, last = moment, "resolved", moment
                            moment += 2 * HOUR + int(rand() * 5 * DAY)
                            if moment < cutoff and rand() < 0.85:
                                closed, status, last = moment, "closed", moment
                                verdict = satisfaction()
            reporter = (
                surnames[int(rand() * n_surnames)]
                + given[int(rand() * n_given)]
                + given[int(rand() * n_given)]
            )
            phone = f"1{3 + int(rand() * 7)}{int(rand() * 1e9):09d}" if rand() < 0.5 else None
            reported_at = fmt(reported)
            dispatched_at = fmt(dispatched) if dispatched else None
            accepted_at = fmt(accepted) if accepted else None
            resolved_at = fmt(resolved) if resolved else None
            closed_at = fmt(closed) if closed else None
            cancelled_at = fmt(cancelled) if cancelled else None
            issue_rows.append(
                (
                    issue_id,
                    title,
                    title + "，请尽快处理。",
                    kind,
                    source(),
                    1 + int(rand() * 6) if rand() < 0.97 else None,
                    merchants[int(rand() * n_merchants)] if rand() < 0.35 else None,
                    reporter,
                    phone,
                    status,
                    reported_at,
                    fmt(reported + limit),
                    dispatched_at,
                    accepted_at,
                    resolved_at,
                    closed_at,
                    cancelled_at,
                    verdict,
                    fmt(reported + 30),
                    fmt(last),
                )
            )
            if with_history:
                event_rows.append((issue_id, reported_at, "report", None, None, None, reported_at))
                if dispatched_at:
                    unit_rows.append((issue_id, department, dispatched_at, accepted_at))
                    event_rows.append(
                        (issue_id, dispatched_at, "dispatch", department, None, None, dispatched_at)
                    )
                    if accepted_at:
                        event_rows.append(
                            (issue_id, accepted_at, "accept", department, None, None, accepted_at)
                        )
                if resolved_at:
                    event_rows.append(
                        (issue_id, resolved_at, "resolve", department, None, "已处理", resolved_at)
                    )
                if closed_at:
                    event_rows.append(
                        (issue_id, closed_at, "close", None, verdict, "已回访", closed_at)
                    )
                if cancelled_at:
                    event_rows.append(
                        (issue_id, cancelled_at, "cancel", None, None, "重复工单", cancelled_at)
                    )
            if len(issue_rows) >= 50_000:
                flush(conn, issue_rows, unit_rows, event_rows)
        if index % 12 == 11 or index == len(bounds) - 1:
            log(f"  {issue_id:,} of {orders:,} work orders")
    flush(conn, issue_rows, unit_rows, event_rows)


def flush(
    conn: sqlite3.Connection,
    issue_rows: list[tuple[Any, ...]],
    unit_rows: list[tuple[Any, ...]],
    event_rows: list[tuple[Any, ...]],
) -> None:
    conn.executemany(
        "INSERT INTO issues (id, title, description, category, source, grid, unit_id, reporter, "
        "phone, status, reported_at, due_at, first_dispatched_at, first_accepted_at, "
        "resolved_at, closed_at, cancelled_at, satisfaction, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        issue_rows,
    )
    conn.executemany(
        "INSERT INTO issue_units (issue_id, unit_id, dispatched_at, accepted_at) "
        "VALUES (?, ?, ?, ?)",
        unit_rows,
    )
    conn.executemany(
        "INSERT INTO issue_events (issue_id, at, action, unit_id, satisfaction, note, "
        "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        event_rows,
    )
    issue_rows.clear()
    unit_rows.clear()
    event_rows.clear()
