"""The report's JSON imports neither the other areas' services nor statistics (issue 20).

A structural check, not a timing: the report reads the courses held, the activities and the
duty units through `services.report_reads` (their repositories), because the areas'
services import their writers and import pipelines, and works out its medians without
`statistics` (which imports fractions, decimal and random).
"""

from __future__ import annotations

from pathlib import Path

from conftest import Cli
from test_imports_light import imported_modules, orders_file

NOT_FOR_THE_REPORT = (
    "statistics",
    "beiwen.services.activities",
    "beiwen.services.courses",
    "beiwen.services.rotation",
    "beiwen.services.importing",  # service_records loads the import pipeline only to import
)


def test_the_report_reads_other_areas_without_their_services(ready: Cli, db_path: Path) -> None:
    orders_file(ready)
    modules = imported_modules("--db", str(db_path), "report", "--year", "2024", "--format", "json")
    assert "beiwen.services.report_reads" in modules
    assert [name for name in NOT_FOR_THE_REPORT if name in modules] == []
