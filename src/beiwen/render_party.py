"""Renderers of the Party member register: the member table, a member's record with their
spells of membership and the sessions they attended, the branches; and the report's `party`
section as plain rows (render_report, render_report_sheets and io/report_docx wrap them in
their own tables, so this module imports none of them).

Phones and ID numbers are masked by beiwen.privacy (a member is a person: entity `member`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from beiwen.i18n import label, t
from beiwen.render import Column, Field, cell

H_ID = ("No.", "编号")
H_NAME = ("Name", "姓名")
H_BRANCH = ("Party branch", "党支部")
H_STATUS = ("Status", "类别")
H_MOBILE = ("Mobile member", "流动党员")
H_HOME_ORG = ("Home organisation", "原组织关系所在")
H_IN_SERVICE = ("In-service member", "在职党员")
H_UNIT = ("Unit", "工作单位")
H_REPORTED = ("Reported to the community", "双报到日期")
H_PHONE = ("Phone", "电话")
H_ID_NUMBER = ("ID number", "身份证号")
H_JOINED = ("Joined the Party", "入党日期")
H_SINCE = ("Member here since", "转入日期")
H_LEFT = ("Left", "转出日期")
H_LEFT_TO = ("Left for", "转往")
H_NOTE = ("Note", "备注")
H_PERSON = ("Person", "人员编号")
H_DATE = ("Date", "日期")
H_ACTIVITY = ("Activity", "活动编号")
H_TITLE = ("Title", "标题")
H_SESSION = ("Session", "类型")
H_GRID = ("Grid", "网格")
H_MEMBERS = ("Members", "党员人数")
H_FIGURE = ("Figure", "指标")
H_VALUE = ("Value", "数值")
H_TOTAL = ("Total", "合计")


def _status(value: str | None) -> str:
    from beiwen.services.party import PARTY_STATUSES
    from beiwen.vocab import display

    return display(PARTY_STATUSES, value)


def _session(value: str | None) -> str:
    from beiwen.services.party import PARTY_SESSIONS
    from beiwen.vocab import display

    return display(PARTY_SESSIONS, value)


def _yes(value: Any) -> str:
    return cell(bool(value))


MEMBER_COLUMNS = [
    Column("id", H_ID, justify="right"),
    Column("name", H_NAME),
    Column("branch", H_BRANCH),
    Column("status", H_STATUS, _status),
    Column("mobile", H_MOBILE, _yes),
    Column("home_org", H_HOME_ORG),
    Column("in_service", H_IN_SERVICE, _yes),
    Column("unit", H_UNIT),
    Column("reported_on", H_REPORTED),
    Column("phone", H_PHONE),
    Column("since", H_SINCE),
    Column("left_on", H_LEFT),
]
CSV_KEYS = [
    "id",
    "person_id",
    "name",
    "branch",
    "status",
    "mobile",
    "home_org",
    "in_service",
    "unit",
    "reported_on",
    "phone",
    "id_number",
    "joined",
    "since",
    "left_on",
    "left_to",
    "note",
]

MEMBER_FIELDS = [
    Field("id", H_ID),
    Field("person_id", H_PERSON),
    Field("name", H_NAME),
    Field("branch", H_BRANCH),
    Field("status", H_STATUS, _status),
    Field("mobile", H_MOBILE, _yes),
    Field("home_org", H_HOME_ORG),
    Field("in_service", H_IN_SERVICE, _yes),
    Field("unit", H_UNIT),
    Field("reported_on", H_REPORTED),
    Field("phone", H_PHONE),
    Field("id_number", H_ID_NUMBER),
    Field("joined", H_JOINED),
    Field("since", H_SINCE),
    Field("left_on", H_LEFT),
    Field("left_to", H_LEFT_TO),
    Field("note", H_NOTE),
]

BRANCH_COLUMNS = [
    Column("branch", H_BRANCH),
    Column("grid", H_GRID, justify="right"),
    Column("unit", H_UNIT),
    Column("members", H_MEMBERS, justify="right"),
]


def private_member(member: dict[str, Any], fmt: str, show_pii: bool) -> dict[str, Any]:
    """A member as `fmt` may show them (beiwen.privacy: a member is a person)."""
    from beiwen.privacy import private_row, private_rows

    shown = private_row("member", member, fmt, show_pii)
    if "history" in shown:  # every spell names the person too: the same policy
        shown = {**shown, "history": private_rows("member", shown["history"], fmt, show_pii)}
    return shown


def emit_members(members: list[dict[str, Any]], fmt: str, show_pii: bool) -> None:
    from beiwen.render import emit

    shown = [private_member(member, fmt, show_pii) for member in members]
    columns = MEMBER_COLUMNS if fmt != "csv" else [Column(key, (key, key)) for key in CSV_KEYS]
    emit(shown, fmt, columns)


def member_sections(detail: dict[str, Any]) -> Iterator[Any]:
    """Under a member's record: every spell of membership, then the sessions attended."""
    from beiwen.render import build_table, text

    history = [
        Column("id", H_ID, justify="right"),
        Column("branch", H_BRANCH),
        Column("since", H_SINCE),
        Column("left_on", H_LEFT),
        Column("left_to", H_LEFT_TO),
    ]
    if len(detail["history"]) > 1:
        yield build_table(detail["history"], history, title=t("party.history_title"))
    attended = [
        Column("date", H_DATE),
        Column("activity_id", H_ACTIVITY, justify="right"),
        Column("title", H_TITLE),
        Column("session", H_SESSION, _session),
    ]
    if detail["attended"]:
        yield build_table(detail["attended"], attended, title=t("party.attended_title"))
    else:
        yield text(t("party.attended_none"))


# --- the report's `party` section ----------------------------------------------------------

Rows = tuple[str, list[str], list[list[Any]], list[Any] | None]


def party_figures(party: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(label, value, (numerator, denominator) or None) of each figure, in report order."""
    return [
        (t("report.party.members"), party["members"], None),
        (t("report.party.mobile"), party["mobile"], None),
        (
            t("report.party.mobile_registered"),
            party["mobile_registered"],
            (party["mobile_registered"], party["mobile"]),
        ),
        (t("report.party.in_service"), party["in_service"], None),
        (
            t("report.party.in_service_reported"),
            party["in_service_reported"],
            (party["in_service_reported"], party["in_service"]),
        ),
        (t("report.party.joined"), party["joined"], None),
        (t("report.party.left"), party["left"], None),
    ]


def party_rows(report: dict[str, Any], fraction: Callable[[int, int], str]) -> Iterator[Rows]:
    """The section as text rows for the screen, Markdown and Word: `fraction` writes
    `3/4 = 75.0%`."""
    party = report.get("party")
    if party is None:
        return
    figures = [
        [name, fraction(*pair) if pair else str(value)]
        for name, value, pair in party_figures(party)
    ]
    yield t("report.party"), [label(H_FIGURE), label(H_VALUE)], figures, None
    branches = [[name, str(count)] for name, count in party["by_branch"].items()]
    yield (
        t("report.party.by_branch"),
        [label(H_BRANCH), label(H_MEMBERS)],
        branches,
        [label(H_TOTAL), str(party["members"])],
    )


def party_number_rows(report: dict[str, Any], rate: Callable[[int, int], Any]) -> Iterator[Rows]:
    """The section as numbers for spreadsheets: a fraction as its numerator, denominator
    and `rate(n, d)`."""
    party = report.get("party")
    if party is None:
        return
    headings = [label(H_FIGURE), label(H_VALUE), label(("Of", "基数")), label(("Rate", "比率"))]
    figures = [
        [name, value, pair[1] if pair else None, rate(*pair) if pair else None]
        for name, value, pair in party_figures(party)
    ]
    yield t("report.party"), headings, figures, None
    yield (
        t("report.party.by_branch"),
        [label(H_BRANCH), label(H_MEMBERS)],
        [[name, count] for name, count in party["by_branch"].items()],
        [label(H_TOTAL), party["members"]],
    )


EXPLAIN_COLUMNS = [
    Column("id", H_ID, justify="right"),
    Column("name", H_NAME),
    Column("branch", H_BRANCH),
    Column("mobile", H_MOBILE, _yes),
    Column("home_org", H_HOME_ORG),
    Column("in_service", H_IN_SERVICE, _yes),
    Column("reported_on", H_REPORTED),
    Column("since", H_SINCE),
    Column("left_on", H_LEFT),
    Column("in_numerator", ("Numerator", "计入分子"), lambda v: "1" if v else ""),
    Column("in_denominator", ("Denominator", "计入分母"), lambda v: "1" if v else ""),
]


def emit_explained(result: dict[str, Any], period: str, fmt: str) -> None:
    """`report --explain` of a party figure: the members behind it (JSON: the whole result)."""
    import sys

    from beiwen.render import emit, to_json
    from beiwen.services.report_party import PARTY_METRICS
    from beiwen.vocab import display

    if fmt == "json":
        sys.stdout.write(to_json(result) + "\n")
        return
    name = (
        result["metric"]
        if label(("en", "zh")) == "en"
        else display(PARTY_METRICS, result["metric"])
    )
    denominator = result["denominator"]
    sys.stderr.write(
        t(
            "report.explain_title",
            metric=name,
            label=period,
            numerator=result["numerator"],
            denominator="-" if denominator is None else denominator,
        )
        + "\n"
    )
    emit(result["members"], fmt, EXPLAIN_COLUMNS)
