"""The report's `lists` section (三张清单) on screen, in Markdown, CSV, sheets and Word, and
the needs or projects `report --explain` lists behind one of its figures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from beiwen.i18n import label, t
from beiwen.render import Column
from beiwen.vocab import display
from beiwen.vocab_lists import LIST_METRICS, NEED_KINDS, NEED_STATUSES, PROJECT_STATUSES

H_FIGURE = ("Figure", "指标")
H_VALUE = ("Value", "数值")


def lists_tables(
    report: dict[str, Any], number: Callable[[int], Any] = str
) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    """(heading, columns, rows) of the section, when the report has it; `number` shows a
    count (`str` for text, `int` for a sheet)."""
    section = report.get("lists")
    if section is None:
        return
    rows = [[label(LIST_METRICS[key]), number(section[key])] for key in LIST_METRICS]
    yield t("report.lists"), [label(H_FIGURE), label(H_VALUE)], rows


def metric_name(key: str) -> str:
    """The figure as `--explain` names it: its key in English, its Chinese name in Chinese."""
    return label((key, LIST_METRICS[key][1]))


def explained(result: dict[str, Any]) -> tuple[list[dict[str, Any]], list[Column]]:
    """The rows and columns of `report --explain` for a lists figure."""
    if "needs" in result:
        columns = [
            Column("id", ("Need", "需求编号"), justify="right"),
            Column("title", ("Title", "标题")),
            Column("kind", ("Kind", "类型"), lambda v: display(NEED_KINDS, v)),
            Column("from_unit", ("Raised by", "提出单位")),
            Column("day", ("Raised", "收集日期")),
            Column("status", ("Status now", "当前状态"), lambda v: display(NEED_STATUSES, v)),
        ]
        return result["needs"], columns
    columns = [
        Column("id", ("Project", "项目编号"), justify="right"),
        Column("title", ("Title", "标题")),
        Column("lead_unit", ("Lead unit", "牵头单位")),
        Column("due", ("Due", "完成期限")),
        Column("done_day", ("Done", "完成日期")),
        Column("helped", ("Enterprises helped", "帮扶企业数"), justify="right"),
        Column("status", ("Status now", "当前状态"), lambda v: display(PROJECT_STATUSES, v)),
    ]
    return result["projects"], columns


def emit_explained(result: dict[str, Any], period_label: str, fmt: str) -> None:
    """`report --explain` for a lists figure: JSON, or its title on stderr and the rows."""
    import sys

    from beiwen.render import emit, to_json

    if fmt == "json":
        sys.stdout.write(to_json(result) + "\n")
        return
    title = t(
        "report.explain_title",
        metric=metric_name(result["metric"]),
        label=period_label,
        numerator=result["numerator"],
        denominator="-",
    )
    sys.stderr.write(title + "\n")
    rows, columns = explained(result)
    emit(rows, fmt, columns)
