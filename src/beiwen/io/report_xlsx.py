"""The report as a workbook (`report --format xlsx`): one sheet per table of
`render_report_sheets.report_tables`, numbers as numbers, rates as percentages, the totals
row in bold; written by io/export.py's one workbook writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beiwen.io.export import Sheet, write_workbook
from beiwen.render_report_sheets import report_tables


def write_report_xlsx(report: dict[str, Any], path: Path) -> None:
    sheets = [
        Sheet(table.heading, table.columns, table.rows, table.total)
        for table in report_tables(report)
    ]
    write_workbook(sheets, path)
