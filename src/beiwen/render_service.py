"""How `beiwen service` and the report's `service` section show service records: the columns
of the lists, totals and feedback, the records behind `report --explain service_hours`, and
the section's tables as plain rows (text for the screen, Markdown and Word; numbers for the
workbook and the CSV people read), which render_report and render_report_sheets wrap."""

from __future__ import annotations

from typing import Any

from beiwen.i18n import label, t
from beiwen.render import Column
from beiwen.services.service_records import hours_text

H_ID = ("ID", "编号")
H_DATE = ("Date", "日期")
H_PERSON = ("Person", "姓名")
H_PERSON_ID = ("Person ID", "人员编号")
H_HOURS = ("Hours", "时长（小时）")
H_SERVICE_HOURS = ("Hours of service", "志愿服务时长（小时）")
H_SERVED_AT = ("Served at", "服务内容")
H_NOTE = ("Note", "备注")
H_RANK = ("Rank", "排名")
H_RECORDS = ("Records", "次数")
H_DAYS = ("Days", "天数")
H_POINTS = ("Points", "积分")
H_GRID = ("Grid", "网格")
H_FIGURE = ("Figure", "指标")
H_VALUE = ("Value", "数值")
H_TOTAL = ("Total", "合计")
H_UNIT = ("Unit", "工作单位")
H_BRANCH = ("Party branch", "党支部")
H_REPORTED = ("Reported to the community", "双报到日期")

# (heading, columns, rows, total) of one table of the report: render_report makes a Section
# of it, render_report_sheets a ReportTable.
Table = tuple[str, list[str], list[list[Any]], list[Any] | None]


def served_at(row: dict[str, Any]) -> str:
    """What a record was logged against: 活动 3 标题, 课堂 12 课程, 工单 7 标题, or ''."""
    for key, name, word in (
        ("activity_id", "activity", "service.at_activity"),
        ("class_id", "course", "service.at_class"),
        ("issue_id", "issue", "service.at_issue"),
    ):
        if row.get(key) is not None:
            return t(word, id=row[key], name=row.get(name) or "")
    return ""


def _hours(value: Any) -> str:
    return "" if value is None else hours_text(float(value))


def record_columns() -> list[Column]:
    """`service list` and the records behind `report --explain service_hours`."""
    return [
        Column("id", H_ID, justify="right"),
        Column("date", H_DATE),
        Column("person", H_PERSON),
        Column("person_id", H_PERSON_ID, justify="right"),
        Column("hours", H_HOURS, _hours, justify="right"),
        Column("served_at", H_SERVED_AT),
        Column("note", H_NOTE),
    ]


def with_served_at(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "served_at": served_at(row)} for row in records]


def total_columns() -> list[Column]:
    """`service total`: rank, person, records, days, hours, points."""
    return [
        Column("rank", H_RANK, justify="right"),
        Column("person", H_PERSON),
        Column("person_id", H_PERSON_ID, justify="right"),
        Column("records", H_RECORDS, justify="right"),
        Column("days", H_DAYS, justify="right"),
        Column("hours", H_HOURS, _hours, justify="right"),
        Column("points", H_POINTS, _hours, justify="right"),
    ]


def feedback_columns() -> list[Column]:
    """`service feedback UNIT`: one row per member and record."""
    return [
        Column("person", H_PERSON),
        Column("person_id", H_PERSON_ID, justify="right"),
        Column("branch", H_BRANCH),
        Column("reported_on", H_REPORTED),
        Column("date", H_DATE),
        Column("hours", H_HOURS, _hours, justify="right"),
        Column("served_at", H_SERVED_AT),
        Column("note", H_NOTE),
    ]


def hours_footer(rows: list[dict[str, Any]], first: str) -> dict[str, Any]:
    """The totals row of a list: how many, and the hours summed."""
    return {
        first: f"{t('render.total')} {len(rows)}",
        "hours": round(sum(row["hours"] for row in rows), 2),
    }


def _grid_name(key: str, grids: dict[int, str] | None) -> str:
    if key == "none":
        return t("report.none_grid")
    return (grids or {}).get(int(key)) or key


def service_tables(
    report: dict[str, Any], *, numbers: bool = False, grids: dict[int, str] | None = None
) -> list[Table]:
    """The report's `service` section as tables: the figures, the people with the most
    hours, hours by grid. `numbers`: cells as numbers (workbook, readable CSV), else text."""
    service = report.get("service")
    if service is None:
        return []

    def shown(hours: float) -> Any:
        if numbers:  # a whole number of hours as an int, so the CSV and the sheet agree
            return int(hours) if float(hours).is_integer() else hours
        return hours_text(hours)

    figures: list[list[Any]] = [
        [label(H_SERVICE_HOURS), shown(service["hours"])],
        [t("report.service.people"), service["people"] if numbers else str(service["people"])],
    ]
    tables: list[Table] = [
        (t("report.service.heading"), [label(H_FIGURE), label(H_VALUE)], figures, None)
    ]
    if service["top"]:
        tables.append(
            (
                t("report.service.top"),
                [label(H_RANK), label(H_PERSON), label(H_HOURS)],
                [
                    [row["rank"] if numbers else str(row["rank"]), row["name"], shown(row["hours"])]
                    for row in service["top"]
                ],
                None,
            )
        )
    by_grid = service["hours_by_grid"]
    if by_grid:
        tables.append(
            (
                t("report.service.by_grid"),
                [label(H_GRID), label(H_HOURS)],
                [[_grid_name(key, grids), shown(hours)] for key, hours in by_grid.items()],
                [label(H_TOTAL), shown(service["hours"])],
            )
        )
    return tables


def docx_blocks(report: dict[str, Any], grids: dict[int, str]) -> list[tuple[str, Any]]:
    """The section in the Word report: a heading, a sentence, then its tables (as
    `io/report_docx.blocks` yields them; the tables as (heading, columns, rows, total))."""
    service = report.get("service")
    if service is None:
        return []
    blocks: list[tuple[str, Any]] = [
        ("heading", t("report.service.heading")),
        (
            "text",
            t(
                "report.service.sentence",
                hours=hours_text(service["hours"]),
                people=service["people"],
            ),
        ),
    ]
    blocks += [("rows", table) for table in service_tables(report, grids=grids)[1:]]
    return blocks


def emit_explained(result: dict[str, Any], period_label: str, fmt: str) -> None:
    """`report --explain service_hours|service_people`: the records behind the figure, its
    value on stderr (JSON: the whole result on stdout)."""
    import sys

    from beiwen import vocab
    from beiwen.render import emit, to_json

    if fmt == "json":
        sys.stdout.write(to_json(result) + "\n")
        return
    key = result["metric"]
    numerator = result["numerator"]
    sys.stderr.write(
        t(
            "report.explain_title",
            metric=label((key, vocab.SERVICE_METRICS[key][1])),
            label=period_label,
            numerator=hours_text(numerator) if isinstance(numerator, float) else numerator,
            denominator="-",
        )
        + "\n"
    )
    emit(with_served_at(result["records"]), fmt, record_columns())
