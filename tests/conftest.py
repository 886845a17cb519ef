"""Shared fixtures: a real temporary SQLite file per test, the CLI run through CliRunner.

`run("units", "list")` invokes the real root app with `--db` pointing at the test's file,
fixed COLUMNS and English output unless the test asks for another language.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
import typer.main
from click.testing import CliRunner

from beiwen import db, migrations
from beiwen.cli import app

# typer.testing.CliRunner builds the whole Click command tree again on every invoke, which is
# most of the time a test command takes. The tree is stateless between invocations: build it
# once with Typer's public get_command and run it with Click's own runner.
COMMAND: click.Command = typer.main.get_command(app)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Cli:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(
        self,
        *args: str,
        lang: str = "en",
        input: str | None = None,
        db: Path | None = None,
        columns: int = 200,
    ) -> Result:
        env = {"COLUMNS": str(columns), "BEIWEN_LANG": lang, "NO_COLOR": "1", "TERM": "dumb"}
        result = self.runner.invoke(
            COMMAND,
            ["--db", str(db or self.db), *args],
            env=env,
            input=input,
            catch_exceptions=True,
            prog_name="beiwen",
        )
        return Result(result.exit_code, result.stdout, result.stderr, result.exception)

    def ok(self, *args: str, **kwargs: Any) -> Result:
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
        assert "Traceback" not in result.stderr
        return result

    def fails(self, *args: str, **kwargs: Any) -> Result:
        """Run a command that must fail as a user error: one `Error:` line first (`错误：`
        in Chinese), exit 1."""
        result = self(*args, **kwargs)
        prefix = "错误：" if language_of(args, kwargs.get("lang", "en")) == "zh" else "Error: "
        assert result.exit_code == 1, (
            result.exit_code,
            result.stdout,
            result.stderr,
            result.exception,
        )
        assert result.stderr.startswith(prefix), result.stderr
        assert "Traceback" not in result.stderr
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit
        )
        return result


def language_of(args: tuple[str, ...], lang: str) -> str:
    """The language a command line asks for: its --lang, else the BEIWEN_LANG given."""
    words = list(args)
    if "--lang" in words[:-1]:
        return words[words.index("--lang") + 1]
    return lang


@pytest.fixture(autouse=True)
def english_for_direct_calls() -> None:
    """Tests that call a parser or service directly read its English messages; beiwen's own
    default is Chinese, and every CLI run sets the language it is given."""
    from beiwen import i18n

    i18n.set_language("en")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "beiwen.db"


@pytest.fixture
def cli(db_path: Path) -> Cli:
    return Cli(db_path)


@pytest.fixture
def ready(cli: Cli) -> Cli:
    """An initialised database with six grids."""
    cli.ok("init")
    for number in range(1, 7):
        cli.ok("grid", "add", str(number), f"第{number}网格", "--branch", f"第{number}网格党支部")
    return cli


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database, built once per session; tests copy it (see `demo`)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    Cli(path).ok("init", "--demo")
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Cli:
    import sqlite3

    copy = tmp_path / "demo.db"
    source = sqlite3.connect(demo_template)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return Cli(copy)


def beiwen_process(
    *args: str, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run beiwen as a real process (python -m beiwen), for concurrency and import checks."""
    full_env = {**os.environ, "BEIWEN_LANG": "en", "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "beiwen", *args],
        capture_output=True,
        text=True,
        env=full_env,
        **kwargs,
    )


def older_copy(source: Path, target: Path, steps: int) -> None:
    """`source`'s rows in a file that has only the first `steps` migrations: the columns
    the older schema has, nothing else (a file an older beiwen left)."""
    conn = sqlite3.connect(target, isolation_level=None)
    with db.write(conn):
        migrations.apply_pending(conn, steps=migrations.STEPS[:steps])
    conn.execute("ATTACH ? AS source", (str(source),))
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name <> '_sqlite_migrations' "
            # the search index is no set of rows to copy (FTS5 keeps it in shadow tables):
            # the older file's own triggers index the rows as they are copied
            "AND name NOT LIKE 'search_index%' AND name <> 'search_numbers'"
        )
    ]
    with db.write(conn):
        for table in tables:
            have = {row[1] for row in conn.execute(f"PRAGMA source.table_info({table})")}
            columns = [
                row[1] for row in conn.execute(f"PRAGMA main.table_info({table})") if row[1] in have
            ]
            names = ", ".join(columns)
            conn.execute(
                f"INSERT OR REPLACE INTO main.{table} ({names}) SELECT {names} FROM source.{table}"
            )
    conn.execute("DETACH source")
    conn.execute("PRAGMA journal_mode = wal")
    conn.close()
