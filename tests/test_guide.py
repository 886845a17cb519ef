"""The user guide (docs/使用手册.md) cannot go stale: every `$ beiwen …` line of its console
blocks runs, in order, as a real process on one temporary database in an empty folder, and
every top-level command of the CLI is shown there (sqlite-utils' documentation tests are the
model).

The guide's console blocks hold three kinds of lines:

- `$ beiwen …`: run with `--db` pointing at the test's database (unless the line gives its own
  `--db`), BEIWEN_LANG=zh and a fixed width. It must exit 0; a line ending in `# 预期报错`
  must exit 1 with one `错误：` line first on stderr.
- `$ cat > 文件名 <<'EOF'` and the lines up to `EOF`: the file is written (UTF-8) before the
  commands after it run.
- anything else after a command: what beiwen shows. Each such line must appear in that
  command's output (stdout and stderr), `…` standing for any text within the line.

`$` lines of other programs (`make install`, `export …`) are shown for the reader only.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from beiwen.cli import GROUPS, ROOT_COMMANDS

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "使用手册.md"
EXPECTED_FAILURE = "# 预期报错"
HEREDOC = re.compile(r"^cat > (?P<name>\S+) <<'(?P<end>\w+)'$")
# Programs the guide shows but the test does not run: installing, and the shell itself.
SHOWN_ONLY = ("make ", "export ", "cd ", "ls")


@dataclass
class Step:
    line: int  # in the guide, for messages
    command: str  # as typed after `$ `
    expected: list[str] = field(default_factory=list)  # output lines shown under it
    file_name: str | None = None  # a `cat > NAME <<'EOF'` block ...
    file_text: str = ""  # ... and what it writes

    @property
    def fails(self) -> bool:
        return self.command.rstrip().endswith(EXPECTED_FAILURE)


def console_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(line number of the first line, lines) of every ```console block."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if current is None:
            if line.strip() == "```console":
                current, start = [], number + 1
        elif line.strip() == "```":
            blocks.append((start, current))
            current = None
        else:
            current.append(line)
    assert current is None, f"a ```console block opened at line {start - 1} is not closed"
    return blocks


def steps(text: str) -> list[Step]:
    found: list[Step] = []
    for start, lines in console_blocks(text):
        index = 0
        while index < len(lines):
            line, number = lines[index], start + index
            index += 1
            if not line.startswith("$ "):
                assert found, f"line {number}: output before any command"
                if line.strip():
                    found[-1].expected.append(line.strip())
                continue
            step = Step(number, line[2:].strip())
            heredoc = HEREDOC.match(step.command)
            if heredoc:
                body: list[str] = []
                while lines[index] != heredoc["end"]:
                    body.append(lines[index])
                    index += 1
                    assert index < len(lines), f"line {number}: no {heredoc['end']} line"
                index += 1
                step.file_name, step.file_text = heredoc["name"], "\n".join(body) + "\n"
            found.append(step)
    return found


GUIDE_STEPS = steps(GUIDE.read_text(encoding="utf-8"))


def beiwen_words(step: Step) -> list[str] | None:
    """The words after `beiwen` of a command the test runs, None for one it only shows."""
    words = shlex.split(step.command, comments=True)
    if words and words[0] == "beiwen":
        return words[1:]
    assert step.command.startswith(SHOWN_ONLY), f"line {step.line}: cannot run {step.command!r}"
    return None


def _words(step: Step) -> list[str] | None:
    return None if step.file_name is not None else beiwen_words(step)


def matches(shown: str, output: str) -> bool:
    pattern = r"[^\n]*".join(re.escape(part) for part in shown.split("…"))
    return re.search(pattern, output) is not None


def test_every_command_of_the_guide_runs(tmp_path: Path) -> None:
    folder = tmp_path / "工作目录"
    folder.mkdir()
    database = tmp_path / "数据" / "beiwen.db"
    env = {key: value for key, value in os.environ.items() if key != "BEIWEN_DB"}
    env.update({"BEIWEN_LANG": "zh", "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"})
    ran = 0
    for step in GUIDE_STEPS:
        where = f"docs/使用手册.md line {step.line}: $ {step.command}"
        if step.file_name is not None:
            (folder / step.file_name).write_text(step.file_text, encoding="utf-8")
            continue
        words = beiwen_words(step)
        if words is None:
            continue
        if "--db" not in words[:1]:
            words = ["--db", str(database), *words]
        result = subprocess.run(
            [sys.executable, "-m", "beiwen", *words],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        ran += 1
        output = result.stdout + result.stderr
        assert "Traceback" not in result.stderr, f"{where}\n{result.stderr}"
        if step.fails:
            assert result.returncode == 1, f"{where}: expected exit 1\n{output}"
            errors = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
            assert result.stderr.startswith("错误：") and len(errors) == 1, f"{where}\n{output}"
        else:
            assert result.returncode == 0, f"{where}: exit {result.returncode}\n{output}"
        for shown in step.expected:
            assert matches(shown, output), f"{where}\nthe guide shows: {shown}\nbeiwen:\n{output}"
    assert ran >= 40, ran


def test_the_guide_shows_every_top_level_command() -> None:
    commands = [words for step in GUIDE_STEPS if (words := _words(step))]
    shown = {words[0] for words in commands} | {
        words[2] for words in commands if words[:1] == ["--db"] and len(words) > 2
    }
    names = [name for _, name, hidden in GROUPS if not hidden] + [name for name, _ in ROOT_COMMANDS]
    missing = [name for name in names if name not in shown]
    assert missing == [], f"docs/使用手册.md has no `$ beiwen …` example for: {missing}"
