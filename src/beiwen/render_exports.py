"""The exports people open in Excel or WPS: their columns, headings and values.

Two forms of the same rows (`exported`):
- for people (Chinese): the Chinese headings the importers read (`services/*.IMPORT_COLUMNS`),
  kinds, categories, statuses and sources by their labels, yes/no as 是/否, times in local
  form (`2024-08-03 09:30`, seconds only when there are some);
- for scripts (`--keys`, and English, whose keys are its words): the stable English keys,
  the stored values and ISO 8601 times, exactly as before.
Both import back unchanged: every importer takes the labels (vocab.parse_choice), 是/否
(parsing.parse_yes_no) and local times (parsing.parse_datetime).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from beiwen.i18n import label, language
from beiwen.vocab import (
    ISSUE_CATEGORIES,
    ISSUE_SOURCES,
    ISSUE_STATUSES,
    MERCHANT_CATEGORIES,
    SATISFACTION,
    UNIT_KINDS,
    display,
)


@dataclass(frozen=True)
class ExportColumn:
    """One exported column: its key, its (English, Chinese) heading, how people see a value."""

    key: str
    heading: tuple[str, str]
    shown: Callable[[Any], Any] | None = None

    def value(self, row: dict[str, Any], labelled: bool) -> Any:
        value = row.get(self.key)
        if value is None or value == "":
            return None
        return self.shown(value) if labelled and self.shown else value


class Rate(float):
    """A fraction of one, shown as a percentage (`0.5` -> `50.0%`; XLSX: a number in the
    `0.0%` format)."""

    def __str__(self) -> str:
        return f"{self * 100:.1f}%"


def local_moment(value: Any) -> str:
    """A stored time (`2024-08-03T09:30:00+08:00`, Beijing time) as people write it:
    `2024-08-03 09:30`, with `:15` when it has seconds, so that an import gives it back."""
    text = str(value)
    if len(text) < 19 or text[10:11] != "T":
        return text
    seconds = text[16:19]
    return text[:10] + " " + text[11:16] + (seconds if seconds != ":00" else "")


def yes_no(value: Any) -> str:
    return label(("yes", "是")) if value else label(("no", "否"))


def labelled_form(keys: bool) -> bool:
    """Whether an export is for people: in Chinese, unless `--keys` asks for the keys."""
    return not keys and language() == "zh"


def exported(
    rows: Sequence[dict[str, Any]], columns: Sequence[ExportColumn], labelled: bool
) -> tuple[list[str], list[list[Any]]]:
    """The header and the cells of an export, in one of its two forms."""
    header = [label(c.heading) if labelled else c.key for c in columns]
    return header, [[c.value(row, labelled) for c in columns] for row in rows]


def _choice(vocabulary: dict[str, tuple[str, str]]) -> Callable[[Any], str]:
    return partial(display, vocabulary)


# `units export`: the columns `units import` reads (services/units.py: IMPORT_COLUMNS).
UNIT_COLUMNS = [
    ExportColumn("code", ("Credit code", "统一社会信用代码")),
    ExportColumn("name", ("Name", "名称")),
    ExportColumn("kind", ("Kind", "类型"), _choice(UNIT_KINDS)),
    ExportColumn("category", ("Category", "业态"), _choice(MERCHANT_CATEGORIES)),
    ExportColumn("grid", ("Grid", "网格")),
    ExportColumn("address", ("Address", "地址")),
    ExportColumn("contact", ("Contact", "联系人")),
    ExportColumn("phone", ("Phone", "联系电话")),
    ExportColumn("opened", ("Opened", "开业日期")),
    ExportColumn("council", ("Council member", "联席会成员"), yes_no),
]
UNIT_SHEET = ("Units", "单位名册")

# `issue export`: the columns `issue import` reads (services/issues/exchange.py).
ISSUE_COLUMNS = [
    ExportColumn("id", ("No.", "工单号")),
    ExportColumn("title", ("Title", "标题")),
    ExportColumn("category", ("Category", "类别"), _choice(ISSUE_CATEGORIES)),
    ExportColumn("source", ("Source", "来源"), _choice(ISSUE_SOURCES)),
    ExportColumn("grid", ("Grid", "网格")),
    ExportColumn("reported_at", ("Reported", "上报时间"), local_moment),
    ExportColumn("reporter", ("Reporter", "反映人")),
    ExportColumn("phone", ("Phone", "联系电话")),
    ExportColumn("unit", ("Unit concerned", "涉及单位")),
    ExportColumn("description", ("Description", "问题描述")),
    ExportColumn("due_at", ("Due", "办理期限"), local_moment),
    ExportColumn("status", ("Status", "状态"), _choice(ISSUE_STATUSES)),
    ExportColumn("departments", ("Departments", "承办单位")),
    ExportColumn("dispatched_at", ("Dispatched", "派单时间"), local_moment),
    ExportColumn("accepted_at", ("Reported in", "报到时间"), local_moment),
    ExportColumn("resolved_at", ("Resolved", "解决时间"), local_moment),
    ExportColumn("closed_at", ("Followed up", "回访时间"), local_moment),
    ExportColumn("cancelled_at", ("Cancelled", "撤销时间"), local_moment),
    ExportColumn("satisfaction", ("Satisfaction", "满意度"), _choice(SATISFACTION)),
    ExportColumn("note", ("Handling", "办理情况")),
    ExportColumn("follow_up", ("Follow-up", "回访情况")),
]
ISSUE_SHEET = ("Work orders", "工单")


def issue_list_columns() -> list[ExportColumn]:
    """`issue list --format csv|xlsx`: the list's own columns (render_issues.list_columns),
    values as the table shows them, but times with their seconds and yes/no as 是/否."""
    from beiwen.render_issues import list_columns

    exact: dict[str, Callable[[Any], Any]] = {
        "reported_at": local_moment,
        "due_at": local_moment,
        "overdue": yes_no,
    }
    return [
        ExportColumn(column.key, column.heading, exact.get(column.key, column.display))
        for column in list_columns()
    ]


def _day(value: Any) -> str:
    return str(value)[:10]


def _minute(value: Any) -> str:
    return local_moment(value)[:16]


# `issue list --format md|docx`: the printable list for a meeting.
MEETING_COLUMNS = [
    ExportColumn("id", ("No.", "工单号")),
    ExportColumn("reported_at", ("Date", "日期"), _day),
    ExportColumn("grid", ("Grid", "网格")),
    ExportColumn("title", ("Title", "标题")),
    ExportColumn("departments", ("Departments", "承办单位")),
    ExportColumn("status", ("Status", "状态"), _choice(ISSUE_STATUSES)),
    ExportColumn("due_at", ("Due", "办理期限"), _minute),
]


def meeting_rows(rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """The printable list: headings and texts in the language in use, every value shown."""
    header = [label(c.heading) for c in MEETING_COLUMNS]
    cells = [
        ["" if (v := c.value(row, True)) is None else str(v) for c in MEETING_COLUMNS]
        for row in rows
    ]
    return header, cells


def meeting_title(rows: Sequence[dict[str, Any]]) -> tuple[str, str]:
    """The printable list's title and the line under it (how many, printed when)."""
    from beiwen.i18n import t
    from beiwen.parsing import now

    return t("issues.meeting.title"), t(
        "issues.meeting.count", count=len(rows), date=now().date().isoformat()
    )


def meeting_markdown(rows: Sequence[dict[str, Any]]) -> str:
    """The printable list as a Markdown table (every cell literal text: markdown_text)."""
    from beiwen.render_report import markdown_text

    heading, line = meeting_title(rows)
    header, cells = meeting_rows(rows)
    out = [f"# {markdown_text(heading)}", "", markdown_text(line), ""]
    out.append("| " + " | ".join(markdown_text(h) for h in header) + " |")
    out.append("|" + "|".join("---:" if h in (0, 2) else "---" for h in range(len(header))) + "|")
    out += ["| " + " | ".join(markdown_text(c) for c in row) + " |" for row in cells]
    return "\n".join(out) + "\n"
