"""Every file beiwen writes goes through one safe writer; the database is never its victim.

Project issue 12, items 1-8: output paths that are (or lead to) the database, the -wal, the
file being imported, a link, a device or a folder are refused with one `Error:` line and
nothing changes; normal outputs are 0600 and leave no temporary file; XLSX never spools to
the system temp folder and round-trips `#N/A`; backups and restores are verified; stdout
errors are one line; another program's SQLite file is never touched; a read-only database
still answers queries; a CHECK violation is found by `db check` and `doctor` alike.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import beiwen.db
from conftest import Cli, beiwen_process

ROSTER_HEADER = "名称,业态,地址,网格,联系人,联系电话\n"

# Every writer with an --output (or --rejects) path; "{out}" is the target, "{roster}" the
# file being imported.
WRITERS: dict[str, list[str]] = {
    "units-csv": ["units", "export", "--format", "csv", "--output", "{out}"],
    "units-json": ["units", "export", "--format", "json", "--output", "{out}"],
    "units-xlsx": ["units", "export", "--format", "xlsx", "--output", "{out}"],
    "issues-csv": ["issue", "export", "--format", "csv", "--output", "{out}"],
    "issues-json": ["issue", "export", "--format", "json", "--output", "{out}"],
    "issues-open311": ["issue", "export", "--format", "open311", "--output", "{out}"],
    "report-csv": ["report", "--month", "2024-08", "--format", "csv", "--output", "{out}"],
    "report-md": ["report", "--month", "2024-08", "--format", "md", "--output", "{out}"],
    "report-json": ["report", "--month", "2024-08", "--format", "json", "--output", "{out}"],
    "report-docx": ["report", "--month", "2024-08", "--format", "docx", "--output", "{out}"],
    "rotation-ics": ["rotation", "show", "--year", "2024", "--format", "ics", "--output", "{out}"],
    "rotation-json": [
        *("rotation", "show", "--year", "2024", "--format", "json", "--output", "{out}")
    ],
    "rotation-csv": ["rotation", "show", "--year", "2024", "--format", "csv", "--output", "{out}"],
    "rejects": ["units", "import", "{roster}", "--skip-invalid", "--rejects", "{out}"],
}

# Targets that are, or lead to, a file beiwen must never overwrite.
PROTECTED_TARGETS = ["database", "dotdot", "symlink", "hardlink", "wal", "wal-unmade"]
MATRIX = [(writer, target) for writer in WRITERS for target in PROTECTED_TARGETS] + [
    ("rejects", "import")
]


def write_roster(path: Path) -> None:
    """Two good rows and one bad (grid "abc"): --skip-invalid writes the rejects file."""
    path.write_text(
        ROSTER_HEADER
        + "安全测试商户甲,零售,嘉陵风情步行街1号,1,李四,13912340001\n"
        + "安全测试商户乙,零售,嘉陵风情步行街2号,abc,李四,13912340002\n"
        + "安全测试商户丙,零售,嘉陵风情步行街3号,2,李四,13912340003\n",
        encoding="utf-8",
    )


def args_for(writer: str, out: Path | str, roster: Path) -> list[str]:
    return [part.format(out=out, roster=roster) for part in WRITERS[writer]]


def state_of(path: Path) -> tuple[object, ...]:
    """What is at `path`: kind, mode, inode, mtime and bytes; a link with what it leads to."""
    if not os.path.lexists(path):
        return ("absent",)
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        return ("link", os.readlink(path), state_of(Path(os.path.realpath(path))))
    kind = stat.S_IFMT(info.st_mode)
    content = path.read_bytes() if stat.S_ISREG(info.st_mode) else None
    return (kind, stat.S_IMODE(info.st_mode), info.st_ino, info.st_mtime_ns, content)


def folder_state(folder: Path) -> dict[str, tuple[object, ...]]:
    """Every name in `folder` (and one level below) and its state; -shm holds only locks."""
    names: dict[str, tuple[object, ...]] = {}
    for entry in sorted(folder.rglob("*")):
        if entry.name.endswith("-shm"):
            continue
        names[str(entry.relative_to(folder))] = state_of(entry)
    return names


def temp_leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith(".beiwen-"))


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    write_roster(path)
    return path


@pytest.fixture
def wal_holder(demo: Cli) -> Iterator[Callable[[], None]]:
    """Call it to keep a connection open, so that the database's -wal file exists."""
    held: list[sqlite3.Connection] = []

    def hold() -> None:
        conn = sqlite3.connect(demo.db)
        conn.execute("SELECT count(*) FROM units").fetchone()
        held.append(conn)
        assert Path(f"{demo.db}-wal").exists()

    yield hold
    for conn in held:
        conn.close()


def make_target(
    target: str, demo: Cli, roster: Path, tmp_path: Path, hold: Callable[[], None]
) -> Path:
    db = demo.db
    if target == "database":
        return db
    if target == "dotdot":
        (tmp_path / "sub").mkdir()
        return tmp_path / "sub" / ".." / db.name
    if target == "symlink":
        link = tmp_path / "link.db"
        link.symlink_to(db)
        return link
    if target == "hardlink":
        link = tmp_path / "hard.db"
        os.link(db, link)
        return link
    if target == "wal":
        hold()
        return Path(f"{db}-wal")
    if target == "wal-unmade":
        assert not Path(f"{db}-wal").exists()
        return Path(f"{db}-wal")
    assert target == "import"
    return roster


# -- 1. the database, its -wal and the file being imported are never written ----------------


@pytest.mark.parametrize(("writer", "target"), MATRIX)
def test_a_protected_target_is_refused_and_nothing_changes(
    demo: Cli,
    roster: Path,
    tmp_path: Path,
    wal_holder: Callable[[], None],
    writer: str,
    target: str,
) -> None:
    out = make_target(target, demo, roster, tmp_path, wal_holder)
    before = folder_state(tmp_path)
    units_before = demo.ok("units", "export", "--format", "json").stdout
    assert folder_state(tmp_path) == before
    result = demo.fails(*args_for(writer, out, roster))
    assert result.stderr.count("Error: ") == 1, result.stderr
    assert folder_state(tmp_path) == before  # the database, the target, everything
    assert demo.ok("units", "export", "--format", "json").stdout == units_before


# -- 2. links, devices, FIFOs, folders, modes, leftovers, missing folders ---------------------


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_symlink_to_another_file_is_refused_and_its_target_is_unchanged(
    demo: Cli, roster: Path, tmp_path: Path, writer: str
) -> None:
    other = tmp_path / "keep.txt"
    other.write_bytes(b"not beiwen's to overwrite\n")
    os.chmod(other, 0o640)
    link = tmp_path / "out.file"
    link.symlink_to(other)
    before = folder_state(tmp_path)
    result = demo.fails(*args_for(writer, link, roster))
    assert "symbolic link" in result.stderr
    assert link.is_symlink() and os.readlink(link) == str(other)
    assert other.read_bytes() == b"not beiwen's to overwrite\n"
    assert stat.S_IMODE(other.stat().st_mode) == 0o640
    assert folder_state(tmp_path) == before


SPECIAL = ["fifo", "folder", "dev-null"]


@pytest.mark.parametrize("special", SPECIAL)
@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_fifo_a_folder_or_a_device_is_refused_and_stays_what_it_was(
    demo: Cli, roster: Path, tmp_path: Path, writer: str, special: str
) -> None:
    if special == "fifo":
        out = tmp_path / "pipe"
        os.mkfifo(out)
        kind = "a pipe (FIFO)"
    elif special == "folder":
        out = tmp_path / "folder"
        out.mkdir()
        (out / "inside.txt").write_text("kept\n", encoding="utf-8")
        kind = "a folder"
    else:
        out = Path("/dev/null")
        kind = "a device"
    device_before = os.lstat("/dev/null")
    before = folder_state(tmp_path)
    result = demo.fails(*args_for(writer, out, roster))
    assert f"is {kind}, not a regular file" in result.stderr, result.stderr
    assert folder_state(tmp_path) == before
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (device_before.st_ino, device_before.st_rdev)


@pytest.mark.parametrize("existing", [False, True], ids=["new", "replaced"])
@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_written_file_is_0600_and_no_temporary_file_remains(
    demo: Cli, roster: Path, tmp_path: Path, writer: str, existing: bool
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "result.out"
    other_name = tmp_path / "last-month.out"  # a second name of the older file
    if existing:
        out.write_bytes(b"an older export\n")
        os.chmod(out, 0o644)
        os.link(out, other_name)
    demo.ok(*args_for(writer, out, roster))
    assert out.is_file() and not out.is_symlink()
    assert out.read_bytes() != b"an older export\n" and out.stat().st_size > 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert os.listdir(out_dir) == ["result.out"]  # no .beiwen-* or other temporary file
    if existing:
        # A new file took the name in one rename; the older file was not written in place.
        assert out.stat().st_ino != other_name.stat().st_ino
        assert other_name.read_bytes() == b"an older export\n"
        assert stat.S_IMODE(other_name.stat().st_mode) == 0o644
    assert temp_leftovers(tmp_path) == []


@pytest.mark.parametrize("writer", list(WRITERS))
def test_an_output_into_a_missing_folder_is_one_error_line(
    demo: Cli, roster: Path, tmp_path: Path, writer: str
) -> None:
    before = folder_state(tmp_path)
    units_before = demo.ok("units", "export", "--format", "json").stdout
    result = demo.fails(*args_for(writer, tmp_path / "missing" / "out.file", roster))
    assert result.stderr.count("\n") == 1, result.stderr
    assert "does not exist" in result.stderr
    assert folder_state(tmp_path) == before
    # The rejects file is checked before a row is read: nothing was imported either.
    assert demo.ok("units", "export", "--format", "json").stdout == units_before


# -- 3. XLSX: nothing in the system temp folder; #N/A and friends survive a round trip ------


def test_xlsx_export_writes_nothing_to_the_system_temp_folder(demo: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "tmpdir"
    empty.mkdir()
    # A file made and removed again still changes the folder's mtime: set it far back first.
    os.utime(empty, ns=(1_000_000_000 * 10**9, 1_000_000_000 * 10**9))
    out = tmp_path / "units.xlsx"
    result = beiwen_process(
        "--db",
        str(demo.db),
        "units",
        "export",
        "--format",
        "xlsx",
        "--output",
        str(out),
        env={"TMPDIR": str(empty), "TEMP": str(empty), "TMP": str(empty)},
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 10_000
    assert os.listdir(empty) == []
    assert empty.stat().st_mtime_ns == 1_000_000_000 * 10**9, "something was made and removed"


PHONE = "023-68281234"
TRICKY_NAMES = ["#N/A", "#DIV/0!", "=1+1", "0571", "+86 店", "-减价", "@home", "#REF!"]


def test_xlsx_export_then_import_gives_back_the_same_names(ready: Cli, tmp_path: Path) -> None:
    for name in TRICKY_NAMES:
        ready.ok("units", "add", "--kind", "merchant", "--grid", "1", "--phone", PHONE, "--", name)
    out = tmp_path / "units.xlsx"
    ready.ok("units", "export", "--format", "xlsx", "--output", str(out))
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    fresh.ok("grid", "add", "1", "第1网格")
    fresh.ok("units", "import", str(out))
    exported = json.loads(fresh.ok("units", "export", "--format", "json").stdout)
    assert sorted(unit["name"] for unit in exported) == sorted(TRICKY_NAMES)
    assert {unit["phone"] for unit in exported} == {PHONE}


# -- 4. db backup and db restore ----------------------------------------------------------


def check_counts(cli: Cli, db: Path) -> str:
    result = cli.ok("db", "check", db=db)
    assert result.stdout.startswith("database is sound: "), result.stdout
    return result.stdout


def test_a_backup_passes_db_check_with_the_same_counts(demo: Cli, tmp_path: Path) -> None:
    backup = tmp_path / "backups" / "b.db"
    demo.ok("db", "backup", str(backup))
    assert check_counts(demo, backup) == check_counts(demo, demo.db)
    assert "work_orders" in check_counts(demo, backup) or "issues" in check_counts(demo, backup)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert temp_leftovers(backup.parent) == []
    assert sorted(os.listdir(backup.parent)) == ["b.db"]


@pytest.mark.parametrize("existing", ["file", "symlink-to-db", "dangling-symlink", "folder"])
def test_a_backup_refuses_an_existing_destination(demo: Cli, tmp_path: Path, existing: str) -> None:
    destination = tmp_path / "b.db"
    if existing == "file":
        destination.write_bytes(b"yesterday's notes\n")
    elif existing == "symlink-to-db":
        destination.symlink_to(demo.db)
    elif existing == "dangling-symlink":
        destination.symlink_to(tmp_path / "nowhere.db")
    else:
        destination.mkdir()
    before = folder_state(tmp_path)
    result = demo(*("db", "backup", str(destination)))
    # A folder is refused by the argument parser (exit 2); everything else as a user error.
    assert result.exit_code in ((1, 2) if existing == "folder" else (1,)), result.output
    assert "Error" in result.stderr and "Traceback" not in result.stderr
    assert folder_state(tmp_path) == before
    assert not (tmp_path / "nowhere.db").exists()


def issue_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM issues").fetchone()[0]
    finally:
        conn.close()


def add_issue(cli: Cli, title: str) -> None:
    cli.ok("issue", "add", title, "--category", "vendor", "--grid", "1", "--phone", "13800001111")


# `db restore` runs as a real process, as a user runs it: in this test process every
# database an earlier command opened stays registered as protected (io.files._protected).


def real_ok(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = beiwen_process("--db", str(db), *args, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


def real_fails(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = beiwen_process("--db", str(db), *args, timeout=120)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    return result


def kept_files(db: Path) -> list[Path]:
    return sorted(
        path
        for path in db.parent.glob(f"{db.name}.before-restore-*")
        if not path.name.endswith(("-wal", "-shm"))
    )


def test_restore_brings_back_the_backup_and_keeps_the_replaced_file(
    demo: Cli, tmp_path: Path
) -> None:
    backup = tmp_path / "b.db"
    demo.ok("db", "backup", str(backup))
    backed_up = issue_count(demo.db)
    add_issue(demo, "备份之后的工单")
    add_issue(demo, "备份之后的第二张工单")
    assert issue_count(demo.db) == backed_up + 2
    result = real_ok(demo.db, "db", "restore", str(backup))
    assert issue_count(demo.db) == backed_up
    assert check_counts(demo, demo.db) == check_counts(demo, backup)
    kept = kept_files(demo.db)
    assert len(kept) == 1, kept
    assert str(kept[0]) in result.stderr
    # The replaced file still opens as a beiwen database and holds the later rows.
    titles = demo.ok("issue", "export", "--format", "json", db=kept[0]).stdout
    assert "备份之后的工单" in titles and "备份之后的第二张工单" in titles
    assert "备份之后的工单" not in demo.ok("issue", "export", "--format", "json").stdout
    assert stat.S_IMODE(demo.db.stat().st_mode) == 0o600
    assert temp_leftovers(tmp_path) == []


@pytest.mark.parametrize("spelling", ["same", "dotdot", "symlink", "hardlink"])
def test_restore_refuses_the_database_itself(demo: Cli, tmp_path: Path, spelling: str) -> None:
    if spelling == "same":
        backup = demo.db
    elif spelling == "dotdot":
        (tmp_path / "sub").mkdir()
        backup = tmp_path / "sub" / ".." / demo.db.name
    elif spelling == "symlink":
        backup = tmp_path / "link.db"
        backup.symlink_to(demo.db)
    else:
        backup = tmp_path / "hard.db"
        os.link(demo.db, backup)
    before = folder_state(tmp_path)
    result = real_fails(demo.db, "db", "restore", str(backup))
    assert "is the database itself" in result.stderr
    assert folder_state(tmp_path) == before
    assert kept_files(demo.db) == []


def _swap_index_roots(path: Path) -> None:
    """Point two indexes at each other's b-tree: integrity_check reports it row by row."""
    conn = sqlite3.connect(path, isolation_level=None)
    roots = dict(
        conn.execute(
            "SELECT name, rootpage FROM sqlite_master WHERE name IN ('units_name', 'units_grid')"
        ).fetchall()
    )
    conn.execute("PRAGMA writable_schema = 1")
    for name, other in (("units_name", "units_grid"), ("units_grid", "units_name")):
        conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (roots[other], name))
    conn.close()


def without_backup_sidecars(state: dict[str, tuple[object, ...]]) -> dict[str, tuple[object, ...]]:
    """Reading a WAL-mode backup read-only may leave an empty -wal beside it (not the db's)."""
    return {
        name: value
        for name, value in state.items()
        if name != "backups" and not (name.startswith("backups/") and name.endswith("-wal"))
    }


@pytest.mark.parametrize(
    "damage", ["index-damaged", "check-violated", "truncated", "foreign", "not-sqlite", "empty"]
)
def test_restore_refuses_a_bad_backup_and_leaves_the_database_alone(
    demo: Cli, tmp_path: Path, damage: str
) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    backup = backups / "b.db"
    if damage in ("index-damaged", "check-violated", "truncated"):
        demo.ok("db", "backup", str(backup))
        if damage == "index-damaged":
            _swap_index_roots(backup)
        elif damage == "check-violated":
            conn = sqlite3.connect(backup, isolation_level=None)
            conn.execute("PRAGMA ignore_check_constraints = 1")
            conn.execute("UPDATE grids SET name = '' WHERE number = 1")
            conn.close()
        else:
            data = backup.read_bytes()
            backup.write_bytes(data[: len(data) // 2])
    elif damage == "foreign":
        conn = sqlite3.connect(backup)
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT)")
        conn.execute("INSERT INTO photos (caption) VALUES ('嘉陵江')")
        conn.commit()
        conn.close()
    elif damage == "not-sqlite":
        backup.write_bytes(b"name,phone\n\xe5\xbc\xa0\xe4\xb8\x89,13812345678\n" * 200)
    else:
        backup.write_bytes(b"")
    add_issue(demo, "恢复之前的工单")
    before = folder_state(tmp_path)
    count = issue_count(demo.db)
    real_fails(demo.db, "db", "restore", str(backup))
    assert without_backup_sidecars(folder_state(tmp_path)) == without_backup_sidecars(before)
    assert state_of(backup) == before["backups/b.db"]
    assert issue_count(demo.db) == count
    assert kept_files(demo.db) == []
    assert temp_leftovers(tmp_path) == []


def test_restore_moves_a_garbage_database_aside_without_opening_it(
    demo: Cli, tmp_path: Path
) -> None:
    backup = tmp_path / "b.db"
    demo.ok("db", "backup", str(backup))
    garbage = os.urandom(8192)
    demo.db.write_bytes(garbage)
    real_ok(demo.db, "db", "restore", str(backup))
    assert check_counts(demo, demo.db) == check_counts(demo, backup)
    kept = kept_files(demo.db)
    assert len(kept) == 1 and kept[0].read_bytes() == garbage


def test_a_restore_when_the_kept_name_is_taken_still_keeps_both(demo: Cli, tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    backup = tmp_path / "b.db"
    demo.ok("db", "backup", str(backup))
    add_issue(demo, "备份之后的工单")
    # An earlier restore in this very second (and the next ones) already took the name.
    now = datetime.now()
    taken = [
        demo.db.with_name(
            f"{demo.db.name}.before-restore-{now + timedelta(seconds=s):%Y%m%d-%H%M%S}"
        )
        for s in range(-1, 30)
    ]
    for path in taken:
        path.write_bytes(b"an earlier replaced database")
    real_ok(demo.db, "db", "restore", str(backup))
    assert all(path.read_bytes() == b"an earlier replaced database" for path in taken)
    assert len(kept_files(demo.db)) == len(taken) + 1


def test_the_next_backup_sweeps_a_dead_backups_leftover(demo: Cli, tmp_path: Path) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    stale = tmp_path / f".beiwen-{int(gone.stdout)}-0123456789ab.tmp"
    stale.write_bytes(b"half a backup")
    alive = tmp_path / f".beiwen-{os.getppid()}-0123456789ab.tmp"  # a live process's: kept
    alive.write_bytes(b"another backup being written")
    demo.ok("db", "backup", str(tmp_path / "b.db"))
    assert not stale.exists()
    assert alive.exists()


# -- 5. stdout: a full disk, a closed pipe, undecodable arguments ----------------------------


def test_stdout_on_a_full_disk_is_one_error_line(demo: Cli) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "beiwen", "--db", str(demo.db), "units", "list"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "BEIWEN_LANG": "en", "COLUMNS": "200"},
            timeout=60,
        )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Error: "), result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_a_reader_that_leaves_early_ends_the_listing_quietly(demo: Cli, tmp_path: Path) -> None:
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "beiwen", "--db", str(demo.db), "units", "list"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            env={**os.environ, "BEIWEN_LANG": "en", "COLUMNS": "200"},
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        process.stdout.close()  # `| head -1`
        code = process.wait(timeout=60)
    text = errors.read_text(encoding="utf-8", errors="replace")
    assert first
    assert "Traceback" not in text and "Exception ignored" not in text, text
    assert "BrokenPipe" not in text and text == "", text
    assert code == 0


def test_an_undecodable_argument_is_one_error_line_exit_2(demo: Cli) -> None:
    before = state_of(demo.db)
    result = subprocess.run(
        [sys.executable, "-m", "beiwen", "--db", str(demo.db), "units", "add", b"\xff"],
        capture_output=True,
        env={**os.environ, "BEIWEN_LANG": "en"},
        timeout=60,
    )
    stderr = result.stderr.decode("utf-8", errors="replace")
    assert result.returncode == 2, stderr
    assert stderr.startswith("Error: ") and stderr.count("\n") == 1, stderr
    assert "Traceback" not in stderr
    assert state_of(demo.db) == before


# -- 6. another program's SQLite file, an empty file ----------------------------------------


def foreign_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('买菜')")
    conn.commit()
    conn.close()
    os.chmod(path, 0o644)


def journal_mode(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("command", [["units", "list"], ["init"], ["db", "check"], ["doctor"]])
def test_another_programs_sqlite_file_is_refused_untouched(
    cli: Cli, tmp_path: Path, command: list[str]
) -> None:
    other = tmp_path / "other.db"
    foreign_file(other)
    before = folder_state(tmp_path)
    result = cli(*command, db=other)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    if command[0] != "doctor":
        assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
        assert "another program" in result.stderr
    assert folder_state(tmp_path) == before
    assert not Path(f"{other}-wal").exists()
    assert stat.S_IMODE(other.stat().st_mode) == 0o644
    assert journal_mode(other) == "delete"
    conn = sqlite3.connect(other)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("notes",)]
    conn.close()


def test_an_empty_file_is_refused_by_queries_but_init_fills_it(cli: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    before = folder_state(tmp_path)
    result = cli.fails("units", "list", db=empty)
    assert result.stderr.count("\n") == 1
    assert "init" in result.stderr
    assert folder_state(tmp_path) == before
    assert empty.stat().st_size == 0
    cli.ok("init", db=empty)
    assert empty.stat().st_size > 0
    cli.ok("units", "list", db=empty)
    cli.ok("db", "check", db=empty)


# -- 7. a read-only database still answers -------------------------------------------------


def test_a_read_only_database_answers_queries_and_refuses_writes(
    demo: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As root os.access says yes to everything; the real file is still opened read-only.
    monkeypatch.setattr(beiwen.db, "_writable", lambda path: False)
    before = state_of(demo.db)
    names = before_names = demo.ok("units", "list").stdout
    assert "Name" in names
    assert demo.ok("report", "--month", "2024-08").stdout
    assert "外墙瓷砖脱落存在隐患" in demo.ok("issue", "show", "1").stdout
    backup = tmp_path / "backups" / "ro.db"
    demo.ok("db", "backup", str(backup))
    result = demo.fails("issue", "add", "只读时的工单", "--category", "vendor", "--grid", "1")
    assert "read-only" in result.stderr
    assert result.stderr.count("Error: ") == 1
    assert state_of(demo.db) == before
    assert not Path(f"{demo.db}-wal").exists() or Path(f"{demo.db}-wal").stat().st_size == 0
    monkeypatch.undo()
    assert check_counts(demo, backup) == check_counts(demo, demo.db)
    assert demo.ok("units", "list").stdout == before_names


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write any file")
def test_a_chmod_0444_database_answers_queries_and_refuses_writes(demo: Cli) -> None:
    os.chmod(demo.db, 0o444)
    try:
        before = state_of(demo.db)
        demo.ok("units", "list")
        demo.ok("issue", "show", "1")
        result = demo.fails("issue", "add", "只读时的工单", "--category", "vendor", "--grid", "1")
        assert "read-only" in result.stderr
        assert state_of(demo.db) == before
    finally:
        os.chmod(demo.db, 0o600)


# -- 8. a CHECK violation is found by db check and doctor alike -----------------------------


def test_a_check_violation_is_found_by_db_check_and_doctor(ready: Cli) -> None:
    conn = sqlite3.connect(ready.db, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = 1")
    conn.execute("UPDATE grids SET number = -5 WHERE number = 1")
    conn.close()
    checked = ready.fails("db", "check")
    doctor = ready.fails("doctor")
    finding = "CHECK constraint failed in grids"
    assert finding in checked.stderr, checked.stderr
    assert finding in doctor.stdout, doctor.stdout
    check_lines = [line for line in checked.stderr.splitlines() if finding in line]
    doctor_lines = [line for line in doctor.stdout.splitlines() if finding in line]
    assert len(check_lines) == len(doctor_lines) == 1
    assert doctor_lines[0].startswith(check_lines[0].strip())
