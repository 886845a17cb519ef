"""The report's JSON, the pydantic models of its contract and docs/report.schema.json agree.

`src/beiwen/report_contract/` describes `beiwen report --format json` key for key; the
published schema is generated from it (`python -m beiwen.report_contract`). A key added to or
dropped from the report, a value of another type, or a schema file left stale fails here.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import ValidationError

from beiwen import vocab
from beiwen.report_contract import ActivityKind, IssueCategory, Report, schema_text
from conftest import Cli

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "docs" / "report.schema.json"

# (arguments, whether `monthly` is present, whether `previous` is present)
SHAPES = {
    "month": (("--month", "2024-08"), False, False),
    "month-compare": (("--month", "2024-08", "--compare"), False, True),
    "year": (("--year", "2024"), True, False),
    "year-compare": (("--year", "2024", "--compare"), True, True),
    "range": (("--from", "2024-01-01", "--to", "2024-03-31"), True, False),
    "range-compare": (("--from", "2024-01-01", "--to", "2024-03-31", "--compare"), True, True),
    "short-range": (("--from", "2024-08-01", "--to", "2024-08-15"), False, False),
    "empty-month": (("--month", "2019-01", "--compare"), False, True),
}

# The objects of the report that are maps (their keys are data), not models.
MAPS = {
    ("rotation", "months"),
    ("issues", "by_category"),
    ("issues", "by_grid"),
    ("issues", "by_source"),
    ("courses", "by_course"),
    ("activities", "by_kind"),
    ("service", "hours_by_grid"),
}
OPTIONAL = {"monthly", "previous", "year_ago"}


def report_json(cli: Cli, *args: str, lang: str = "en") -> str:
    return cli.ok("report", *args, "--format", "json", lang=lang).stdout


Path_ = tuple[str | int, ...]


def models(data: Any, path: Path_ = ()) -> list[Path_]:
    """The path of every JSON object of the report that a model describes."""
    if isinstance(data, list):
        return [p for index, item in enumerate(data) for p in models(item, (*path, index))]
    if not isinstance(data, dict):
        return []
    own: list[Path_] = [] if path[-2:] in MAPS else [path]
    return own + [p for key, value in data.items() for p in models(value, (*path, key))]


def at(data: Any, path: Path_) -> Any:
    for key in path:
        data = data[key]
    return data


def invalid(data: Any) -> bool:
    try:
        Report.model_validate_json(json.dumps(data, ensure_ascii=False))
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_demo_report_is_the_contract(demo: Cli, shape: str, lang: str) -> None:
    args, has_monthly, has_previous = SHAPES[shape]
    text = report_json(demo, *args, lang=lang)
    report = Report.model_validate_json(text)
    data = json.loads(text)
    # Nothing coerced on the way: the models give back the very JSON the report printed.
    assert report.model_dump(mode="json", exclude_unset=True) == data
    assert ("monthly" in data) is has_monthly
    assert ("previous" in data) is has_previous
    if has_previous:
        assert "previous" not in data["previous"]


def test_an_empty_database_is_the_contract(ready: Cli) -> None:
    text = report_json(ready, "--year", "2024", "--compare")
    report = Report.model_validate_json(text)
    assert report.issues.handling_rate is None and report.issues.median_response_hours is None
    assert report.monthly == [] and report.rotation.units == []
    assert report.model_dump(mode="json", exclude_unset=True) == json.loads(text)


def test_an_added_or_a_missing_key_fails(demo: Cli) -> None:
    data = json.loads(report_json(demo, "--year", "2024", "--compare"))
    paths = models(data)
    assert ("issues", "fractions") in paths and ("previous", "issues", "by_grid", "1") in paths
    assert ("issues", "by_grid") not in paths and ("monthly", 0) in paths
    for path in paths:
        for key in at(data, path):
            if path in ((), ("previous",)) and key in OPTIONAL:
                continue
            dropped = copy.deepcopy(data)
            del at(dropped, path)[key]
            assert invalid(dropped), ("missing", path, key)
        added = copy.deepcopy(data)
        at(added, path)["unexpected"] = 0
        assert invalid(added), ("added", path)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("issues", "handling_rate"), "0.9481"),  # a rate as a string
        (("issues", "handling_rate"), 94.81),  # a rate as a percentage
        (("issues", "collected"), 77.0),  # a count as a float
        (("issues", "open"), -1),
        (("issues", "fractions", "handling_rate"), [73, 77, 0]),
        (("issues", "fractions", "on_time_rate"), [55, 72]),  # not the rate shown
        (("issues", "by_category", "bogus"), {"collected": 1, "handled": 1}),
        (("issues", "by_grid", "第1网格"), {"collected": 1, "handled": 1}),
        (("activities", "by_kind", "bogus"), {"count": 1}),
        (("rotation", "months", "2024-13"), "北碚区总工会"),
        (("period", "start"), "2024/01/01"),
        (("generated_at",), "2024-08-31T12:00:00"),  # no offset
        (("monthly",), None),  # left out when it does not apply, never null
        (("previous",), None),
    ],
)
def test_a_wrong_value_fails(demo: Cli, path: tuple[str, ...], value: Any) -> None:
    data = json.loads(report_json(demo, "--year", "2024"))
    at(data, path[:-1])[path[-1]] = value
    assert invalid(data)


def test_the_keys_are_the_vocabulary() -> None:
    assert list(get_args(IssueCategory)) == list(vocab.ISSUE_CATEGORIES)
    assert list(get_args(ActivityKind)) == list(vocab.ACTIVITY_KINDS)


def test_the_published_schema_is_what_the_models_generate() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "docs/report.schema.json is stale: run `python -m beiwen.report_contract`"
    )
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == Report.model_json_schema()


def test_the_generator_writes_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "report.schema.json"
    subprocess.run(
        [sys.executable, "-m", "beiwen.report_contract", str(target)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert target.read_text(encoding="utf-8") == SCHEMA_FILE.read_text(encoding="utf-8")


def test_the_cli_never_imports_the_contract() -> None:
    """Start-up stays light: only the tests (and the generator) import pydantic's models."""
    source = ROOT / "src" / "beiwen"
    users = [
        path.relative_to(source).as_posix()
        for path in source.rglob("*.py")
        if "report_contract" in path.read_text(encoding="utf-8")
        and not path.relative_to(source).as_posix().startswith("report_contract/")
    ]
    assert users == []


@pytest.mark.parametrize("shape", ["month", "year-compare", "range-compare", "empty-month"])
def test_the_schema_validates_the_demo_report(demo: Cli, shape: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    data = json.loads(report_json(demo, *SHAPES[shape][0]))
    validator.validate(data)
    data["issues"]["unexpected"] = 0
    assert not validator.is_valid(data)
