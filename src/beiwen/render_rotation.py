"""Renderers of the rotation: the year as a calendar-like grid (four quarters of three
months), months by quarter for other ranges, the months per unit, this month and the next,
the order and the history. Light at import time: rich loads inside the functions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from beiwen.i18n import t
from beiwen.render import Column

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table
    from rich.text import Text

MONTH_NAMES = (
    ("Jan", "1月"),
    ("Feb", "2月"),
    ("Mar", "3月"),
    ("Apr", "4月"),
    ("May", "5月"),
    ("Jun", "6月"),
    ("Jul", "7月"),
    ("Aug", "8月"),
    ("Sep", "9月"),
    ("Oct", "10月"),
    ("Nov", "11月"),
    ("Dec", "12月"),
)
H_MONTH = ("Month", "月份")
H_QUARTER = ("Quarter", "季度")
H_UNIT_ID = ("Unit ID", "单位编号")
H_UNIT = ("Duty unit", "轮值单位")
H_NOTE = ("Note", "备注")
H_POSITION = ("#", "序号")
H_ID = ("ID", "编号")
H_NAME = ("Unit", "单位")
H_MONTHS = ("Months", "月数")
H_SINCE = ("On the council since", "加入联席会")
H_AT = ("Time", "时间")
H_ACTION = ("Action", "操作")
H_PREVIOUS = ("Previous unit", "原轮值单位")
H_OTHER = ("Swapped with", "对调月份")

GAP_STYLE = "bold red"


def entry_columns() -> list[Any]:
    return [
        Column("month", H_MONTH),
        Column("unit_id", H_UNIT_ID, justify="right"),
        Column("unit", H_UNIT),
        Column("note", H_NOTE),
    ]


def _unit_text(entry: dict[str, Any]) -> Text:
    from beiwen.render import text

    if entry["unit_id"] is None:
        return text(t("rotation.gap"), style=GAP_STYLE)
    return text(entry["unit"])


def _month_name(month: str) -> str:
    from beiwen.i18n import label

    return label(MONTH_NAMES[int(month[5:7]) - 1])


def _year_grid(year: str, entries: list[dict[str, Any]]) -> Table:
    """A year as four quarters (rows) of three months (columns)."""
    from rich.table import Table
    from rich.text import Text

    from beiwen.render import printable

    table = Table(
        title=t("rotation.title", span=year),
        title_justify="left",
        show_header=False,
        show_lines=True,
    )
    table.add_column(style="bold", no_wrap=True)
    for _ in range(3):
        table.add_column(overflow="fold")  # a long unit name wraps, never cut to "…"
    by_month = {entry["month"]: entry for entry in entries}
    for quarter in range(4):
        cells: list[RenderableType] = [Text(t("rotation.quarter", number=quarter + 1))]
        for offset in range(3):
            month = f"{year}-{quarter * 3 + offset + 1:02d}"
            entry = by_month[month]
            cell = Text(_month_name(month), style="bold")
            cell.append("\n")
            cell.append_text(_unit_text(entry))
            if entry["note"]:
                cell.append("\n" + printable(entry["note"]), style="dim")
            cells.append(cell)
        table.add_row(*cells)
    return table


def month_list(entries: list[dict[str, Any]]) -> Table:
    """Months in rows, grouped by quarter."""
    from rich.table import Table
    from rich.text import Text

    from beiwen.i18n import label
    from beiwen.render import text

    span = f"{entries[0]['month']} - {entries[-1]['month']}"
    table = Table(title=t("rotation.title", span=span), title_justify="left")
    for heading in (H_QUARTER, H_MONTH, H_UNIT, H_NOTE):
        table.add_column(label(heading))
    for index, entry in enumerate(entries):
        month = entry["month"]
        quarter = (int(month[5:7]) - 1) // 3 + 1
        last_of_quarter = int(month[5:7]) % 3 == 0 and index < len(entries) - 1
        table.add_row(
            Text(f"{month[:4]} {t('rotation.quarter', number=quarter)}"),
            Text(month),
            _unit_text(entry),
            text(entry["note"]),
            end_section=last_of_quarter,
        )
    return table


def _counts_table(counts: list[dict[str, Any]]) -> Table:
    from rich.table import Table
    from rich.text import Text

    from beiwen.i18n import label
    from beiwen.render import text

    table = Table(title=t("rotation.counts_title"), title_justify="left", show_footer=True)
    table.add_column(label(H_POSITION), justify="right")
    table.add_column(label(H_NAME), footer=Text(t("render.total")))
    total = sum(row["months"] for row in counts)
    table.add_column(label(H_MONTHS), justify="right", footer=Text(str(total)))
    for row in counts:
        name = row["unit"] if row["active"] else t("rotation.inactive", unit=row["unit"])
        table.add_row(Text(str(row["position"] or "")), text(name), Text(str(row["months"])))
    return table


def show_schedule(entries: list[dict[str, Any]], counts: list[dict[str, Any]]) -> None:
    """The calendar-like view: a 3x4 grid per whole year, else months by quarter; then the
    months per unit and the gaps."""
    from rich.text import Text

    from beiwen.render import show

    first, last = entries[0]["month"], entries[-1]["month"]
    if first.endswith("-01") and last.endswith("-12"):
        for year in range(int(first[:4]), int(last[:4]) + 1):
            show(_year_grid(str(year), [e for e in entries if e["month"].startswith(str(year))]))
    else:
        show(month_list(entries))
    show(_counts_table(counts))
    gaps = [entry["month"] for entry in entries if entry["unit_id"] is None]
    if gaps:
        show(Text(t("rotation.gaps", months=", ".join(gaps)), style=GAP_STYLE))


def current_table(entries: list[dict[str, Any]]) -> Table:
    """This month's duty unit and the next month's."""
    from rich.table import Table
    from rich.text import Text

    from beiwen.i18n import label
    from beiwen.render import text

    table = Table(title_justify="left")
    for heading in (("", ""), H_MONTH, H_UNIT, H_NOTE):
        table.add_column(label(heading))
    for key, entry in zip(("rotation.this_month", "rotation.next_month"), entries, strict=True):
        table.add_row(
            Text(t(key), style="bold"),
            Text(entry["month"]),
            _unit_text(entry),
            text(entry["note"]),
        )
    return table


ORDER_COLUMNS = [
    Column("position", H_POSITION, justify="right"),
    Column("id", H_ID, justify="right"),
    Column("name", H_NAME),
    Column("council_since", H_SINCE, lambda v: (v or "")[:10]),
]


def history_columns() -> list[Column]:
    from beiwen.services.rotation import ROTATION_ACTIONS
    from beiwen.vocab import display

    return [
        Column("id", H_ID, justify="right"),
        Column("at", H_AT, lambda v: v[:16].replace("T", " ")),
        Column("action", H_ACTION, lambda v: display(ROTATION_ACTIONS, v)),
        Column("month", H_MONTH),
        Column("unit", H_UNIT, lambda v: v or t("rotation.gap")),
        Column("previous_unit", H_PREVIOUS),
        Column("other_month", H_OTHER),
        Column("note", H_NOTE),
    ]
