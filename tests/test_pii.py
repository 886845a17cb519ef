"""No mobile number or resident ID in any default table, over the demo district.

The commands are found in the Click tree, so a module that lands later is scanned too:
every leaf named like a reading command (list, show, report, ...) and every leaf with a
--show-pii option. Each runs with its default (table) format; `show` commands run on records
that hold personal data. Where --show-pii exists and the default output masked something,
--show-pii must show it whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import typer

from beiwen.cli import app
from beiwen.errors import InvalidInputError
from beiwen.parsing import parse_id_number
from conftest import Cli

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MASKED = re.compile(r"\d\*{4}")
READING = {"list", "show", "report", "suggest", "stats", "current", "history", "deadlines"}
# Options a reading command cannot run without, over the demo data.
REQUIRED: dict[tuple[str, ...], list[str]] = {
    ("report",): ["--month", "2024-08"],
    ("grid", "suggest"): ["--skill", "法律"],
}


def leaves(
    command: Any = None, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    command = command or typer.main.get_command(app)
    for name, sub in getattr(command, "commands", {}).items():
        if getattr(sub, "hidden", False):
            continue  # an alias (issues = issue): the same code
        if hasattr(sub, "commands"):
            yield from leaves(sub, (*path, name))
        else:
            yield (*path, name), sub


def options(command: Any) -> set[str]:
    return {opt for param in command.params for opt in getattr(param, "opts", [])}


def required_arguments(command: Any) -> list[str]:
    return [
        param.name
        for param in command.params
        if param.param_type_name == "argument" and param.required
    ]


# Commands whose output is not on stdout: `serve` runs until it is stopped
# (tests/test_serve.py fetches its pages over HTTP and checks them for the same personal
# data); `service certificate` writes a Word file (tests/test_report_service.py reads it
# back, the ID number masked unless --show-pii).
RUNS_UNTIL_STOPPED = {("serve",), ("service", "certificate")}
SCANNED = [
    (path, command)
    for path, command in leaves()
    if (path[-1] in READING or "--show-pii" in options(command)) and path not in RUNS_UNTIL_STOPPED
]


def personal_data(text: str) -> list[str]:
    found = MOBILE.findall(text)
    for candidate in ID_CANDIDATE.findall(text):
        try:
            found.append(parse_id_number(candidate))
        except InvalidInputError:
            pass  # 18 digits that are no resident ID (a credit code, say)
    return found


def refs_for(demo: Cli, path: tuple[str, ...]) -> list[str]:
    """Records of the sibling list command that hold personal data (else the first ones)."""
    lister = [*path[:-1], "list"]
    extra = ["--show-pii"] if "--show-pii" in options(dict(leaves())[tuple(lister)]) else []
    records = json.loads(demo.ok(*lister, "--format", "json", *extra).stdout)
    keys = [key for key in ("id", "number") if records and key in records[0]]
    assert keys, f"no id in {' '.join(lister)} --format json"
    holding = [r for r in records if personal_data(json.dumps(r, ensure_ascii=False))]
    chosen = (holding or records)[:3]
    return [str(record[keys[0]]) for record in chosen]


def invocations(demo: Cli, path: tuple[str, ...], command: Any) -> list[list[str]]:
    arguments = required_arguments(command)
    base = [*path, *REQUIRED.get(path, [])]
    if not arguments:
        return [base]
    assert len(arguments) == 1, f"{' '.join(path)}: say in REQUIRED how to call it"
    return [[*base, ref] for ref in refs_for(demo, path)]


@pytest.mark.parametrize(("path", "command"), SCANNED, ids=[" ".join(p) for p, _ in SCANNED])
def test_default_output_hides_personal_data(demo: Cli, path: tuple[str, ...], command: Any) -> None:
    for args in invocations(demo, path, command):
        result = demo(*args)
        assert result.exit_code == 0, (args, result.stderr)
        shown = personal_data(result.stdout + result.stderr)
        assert shown == [], f"{' '.join(args)} shows {shown[:3]}"
        if "--show-pii" in options(command) and MASKED.search(result.stdout):
            revealed = demo.ok(*args, "--show-pii")
            assert personal_data(revealed.stdout), f"{' '.join(args)} --show-pii shows nothing"


def test_the_scan_covers_the_commands_that_hold_personal_data(demo: Cli) -> None:
    scanned = {" ".join(path) for path, _ in SCANNED}
    assert {"units list", "units show", "issue list", "issue show", "report"} <= scanned
    # The demo has mobiles and resident IDs (JSON carries them whole), so the scan is not
    # vacuous.
    units = demo.ok("units", "list", "--format", "json").stdout
    assert len(personal_data(units)) > 100


def test_show_pii_reveals_resident_ids(demo: Cli) -> None:
    members = demo.ok("grid", "member", "list", "--format", "json", "--show-pii").stdout
    ids = [p for p in personal_data(members) if len(p) == 18]
    assert ids, "the demo people carry resident ID numbers"
    person = json.loads(members)[0]["id"]
    default = demo.ok("grid", "member", "show", str(person)).stdout
    revealed = demo.ok("grid", "member", "show", str(person), "--show-pii").stdout
    assert [p for p in personal_data(default) if len(p) == 18] == []
    assert [p for p in personal_data(revealed) if len(p) == 18]


# Units' phones are an organisation's contact line, whole in JSON and CSV; every other record
# with a phone or ID number is a person's, masked in every view (beiwen.privacy.POLICY).
ORGANISATIONS = {"units"}


@pytest.mark.parametrize(("path", "command"), SCANNED, ids=[" ".join(p) for p, _ in SCANNED])
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_views_hide_peoples_data(
    demo: Cli, path: tuple[str, ...], command: Any, fmt: str
) -> None:
    if "--format" not in options(command) or path[0] in ORGANISATIONS:
        pytest.skip("no such view of people")
    for args in invocations(demo, path, command):
        result = demo(*args, "--format", fmt)
        if result.exit_code == 1 and "--format" in result.stderr:
            pytest.skip(f"{' '.join(path)} has no {fmt} format")
        assert result.exit_code == 0, (args, result.stderr)
        shown = personal_data(result.stdout + result.stderr)
        assert shown == [], f"{' '.join(args)} --format {fmt} shows {shown[:3]}"
        if "--show-pii" in options(command) and MASKED.search(result.stdout):
            revealed = demo.ok(*args, "--format", fmt, "--show-pii")
            assert personal_data(revealed.stdout), f"{' '.join(args)} --show-pii shows nothing"
