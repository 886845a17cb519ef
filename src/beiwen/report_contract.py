"""The JSON contract of `beiwen report --format json`, as pydantic models.

`services/report.py` builds the report as plain dicts (start-up stays light: the CLI never
imports this module, nor pydantic). These models describe that JSON exactly, key for key:
`extra="forbid"` rejects a key the report adds, a required field rejects a key it drops, and
`strict=True` rejects a value of the wrong type (a rate as a string, a count as a float).
`tests/test_report_contract.py` validates the demo's reports against them and checks that
`docs/report.schema.json` is what they generate now:

    python -m beiwen.report_contract [PATH]    # default docs/report.schema.json
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

SCHEMA_PATH = Path("docs") / "report.schema.json"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The stable English keys of vocab.ISSUE_CATEGORIES and vocab.ACTIVITY_KINDS (the CHECK lists
# of schema.sql); a test keeps them equal to the vocabulary.
IssueCategory = Literal[
    "property",
    "supervision",
    "safety",
    "vendor",
    "fire_lane",
    "sanitation",
    "consumer",
    "labour",
    "dispute",
    "service",
    "other",
]
ActivityKind = Literal[
    "finance_visit",
    "policy_briefing",
    "training",
    "forum",
    "cooperation_meeting",
    "salon",
    "festival",
    "volunteer",
    "party_day",
    "other",
]
IssueSource = Literal["patrol", "hotline", "visit", "station_315", "mediation", "merchant", "other"]

Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
GridKey = Annotated[str, StringConstraints(pattern=r"^([1-9][0-9]*|none)$")]
Rate = Annotated[float, Field(ge=0, le=1)] | None
Fraction = tuple[NonNegativeInt, NonNegativeInt]
Day = date  # for a field named `date`


def _rate(numerator: int, denominator: int) -> float | None:
    """The rule of services.report.rate, repeated here so that the contract can check it."""
    return round(numerator / denominator, 4) if denominator else None


def _absent_not_null(schema: dict[str, Any]) -> None:
    """An optional key is left out of the report, never written as null: no default."""
    schema.pop("default", None)


class Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PeriodModel(Contract):
    """The period the report covers: a month, a year or a custom range of days."""

    label: str = Field(
        description=(
            "The period as the user gave it: `YYYY-MM` for --month, `YYYY` for --year, "
            "`YYYY-MM-DD..YYYY-MM-DD` (both days included) for --from/--to."
        ),
        pattern=r"^(\d{4}-\d{2}|\d{4}|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$",
    )
    start: date = Field(description="The first day of the period (Beijing time), included.")
    end: date = Field(
        description=(
            "The day after the last day of the period: exclusive (August 2024 ends on 2024-09-01)."
        )
    )


class Rotation(Contract):
    """The duty units (轮值单位) of the months the period touches."""

    units: list[str] = Field(
        description="The duty units' names, each once, in the order of their months."
    )
    months: dict[Month, str] = Field(
        description="Month (`YYYY-MM`) -> the duty unit's name; months without one are left out."
    )


class Counts(Contract):
    """Work orders collected in the period and, of those, handled by its end."""

    collected: NonNegativeInt = Field(
        description="Reported within the period and not cancelled by its end."
    )
    handled: NonNegativeInt = Field(
        description="Of the collected, resolved or closed at the end of the period."
    )


class Fractions(Contract):
    """The numerator and the denominator behind each rate, as `[numerator, denominator]`."""

    handling_rate: Fraction = Field(description="`[handled, collected]`.")
    on_time_rate: Fraction = Field(
        description=(
            "`[handled by their due time, fallen due]`; fallen due = due before the end of the "
            "period (or now), not handled before it began, not cancelled at its end."
        )
    )
    handled_on_time_rate: Fraction = Field(description="`[handled by their due time, handled]`.")
    satisfaction_rate: Fraction = Field(
        description=(
            "`[satisfied + basically satisfied, followed up]`; followed up = closed with a "
            "satisfaction by the end of the period."
        )
    )


class DepartmentRef(Contract):
    """A department by id and name."""

    unit_id: NonNegativeInt = Field(description="The unit's id.")
    unit: str = Field(description="The unit's name.")


class DepartmentFractions(Contract):
    """The fractions behind a department's score, as `[numerator, denominator]`."""

    reported_in_on_time: Fraction = Field(
        description="`[reported in within the limit, reported in or past the limit by the end]`."
    )
    handled_on_time: Fraction = Field(
        description="`[handled by their due time, kept orders handled or past due by the end]`."
    )
    satisfied: Fraction = Field(description="`[satisfied + basically satisfied, followed up]`.")


class Department(DepartmentRef):
    """One department the sub-district whistled to (吹哨) and how it reported in (报到)."""

    dispatched: NonNegativeInt = Field(description="Whistles to it in the period (not cancelled).")
    reported_in: NonNegativeInt = Field(description="Of those, reported in by the end.")
    reported_in_on_time: NonNegativeInt = Field(description="Of those, within the limit (24 h).")
    median_report_in_hours: Annotated[float, Field(ge=0)] | None = Field(
        description="Median hours from whistle to report-in; null when none reported in."
    )
    transferred: NonNegativeInt = Field(description="Of the dispatched, passed on (转单).")
    handled: NonNegativeInt = Field(description="Of the kept, resolved or closed by the end.")
    handled_on_time: NonNegativeInt = Field(description="Of those, by their due time.")
    overdue: NonNegativeInt = Field(description="Orders it held open and overdue at the end.")
    satisfied: NonNegativeInt = Field(description="Of the followed up, (basically) satisfied.")
    followed_up: NonNegativeInt = Field(description="Of the handled, closed with a satisfaction.")
    fractions: DepartmentFractions = Field(description="The fractions behind the score.")
    score: Annotated[float, Field(ge=0, le=100)] | None = Field(
        description=(
            "40% report-in on time + 40% handled on time + 20% satisfied (rates of the "
            "fractions; a part over 0 left out, the rest scaled), 0..100; null: no whistle."
        )
    )
    rank: Annotated[int, Field(ge=1)] | None = Field(
        description="1 is the best; equal scores share a rank; null when there is no score."
    )

    @model_validator(mode="after")
    def counts_agree(self) -> Self:
        """The fractions' numerators are the counts, and the counts nest."""
        parts = self.fractions
        if (
            parts.reported_in_on_time[0] != self.reported_in_on_time
            or parts.handled_on_time[0] != self.handled_on_time
            or parts.satisfied != (self.satisfied, self.followed_up)
            or any(n > d for n, d in parts.model_dump().values())
            or not self.reported_in_on_time <= self.reported_in <= self.dispatched
            or not self.handled_on_time <= self.handled <= self.dispatched - self.transferred
            or not self.satisfied <= self.followed_up <= self.handled
            or (self.score is None) != (self.rank is None)
        ):
            raise ValueError(f"the figures of {self.unit} do not agree")
        return self


class OverdueOrder(Contract):
    """A work order open at the end of the period and past its due time then."""

    id: NonNegativeInt = Field(description="The work order's number.")
    title: str = Field(description="Its title.")
    category: IssueCategory = Field(description="Its category (stable English key).")
    grid: NonNegativeInt | None = Field(description="Its grid number; null when none.")
    grid_name: str | None = Field(description="The grid's name; null when no grid.")
    due_at: AwareDatetime = Field(description="Its due time, ISO 8601 in Beijing time.")
    days_overdue: Annotated[int, Field(ge=1)] = Field(
        description="Days past due at the end of the period (or now); a started day counts."
    )
    departments: list[DepartmentRef] = Field(description="Those holding it at the end.")


class TopCategory(Contract):
    """One of the three categories with the most collected orders."""

    category: IssueCategory = Field(description="The category's stable English key.")
    collected: Annotated[int, Field(ge=1)] = Field(description="Its collected orders.")
    share: Rate = Field(description="Its share of all collected orders (0..1, 4 decimals).")


class Issues(Contract):
    """The work orders (工单) of the period; a rate is 0..1 (4 decimals), null over 0."""

    collected: NonNegativeInt = Field(
        description="Work orders reported within the period and not cancelled by its end."
    )
    handled: NonNegativeInt = Field(
        description=(
            "Of the collected, resolved or closed at the end of the period, as the event log "
            "says it stood then (a later reopening does not change a past period)."
        )
    )
    handling_rate: Rate = Field(description="handled / collected.")
    open: NonNegativeInt = Field(
        description=(
            "Reported before the end of the period, neither handled nor cancelled at its end, "
            "whatever month they were reported in."
        )
    )
    overdue: NonNegativeInt = Field(
        description=(
            "Of the open, past their due time at the end of the period (or now, for a period "
            "not yet over)."
        )
    )
    on_time_rate: Rate = Field(
        description=(
            "按期办结率: handled by their due time / orders whose due time fell in the period "
            "or before it (by its end, or now) and which were not handled before it began nor "
            "cancelled at its end; open overdue orders count against it."
        )
    )
    handled_on_time_rate: Rate = Field(
        description="Of the handled, those handled by their due time / handled."
    )
    median_response_hours: Annotated[float, Field(ge=0)] | None = Field(
        description=(
            "Median hours from report to the first response (the first dispatch 吹哨 or "
            "report-in 报到, whichever came first) of the collected; null when none has one."
        )
    )
    median_resolution_hours: Annotated[float, Field(ge=0)] | None = Field(
        description="Median hours from report to resolution of the handled; null when none."
    )
    satisfaction_rate: Rate = Field(
        description="(Satisfied + basically satisfied) / followed up by the end of the period."
    )
    by_category: dict[IssueCategory, Counts] = Field(
        description=(
            "Per work-order category (its stable English key); only the categories with "
            "collected orders."
        )
    )
    by_grid: dict[GridKey, Counts] = Field(
        description=(
            "Per grid number (as text), every grid of the district with zeros where nothing "
            "was collected, then `none` for orders with no grid (only when there are some)."
        )
    )
    fractions: Fractions = Field(description="The numerator and denominator of each rate.")
    by_source: dict[IssueSource, Counts] = Field(
        description="Per source (its stable English key); only the sources with collected orders."
    )
    top_categories: list[TopCategory] = Field(
        description="The (at most) three categories with the most collected orders, most first.",
        max_length=3,
    )
    by_department: list[Department] = Field(
        description="Whistled to in the period or holding an overdue order: ranked, best first."
    )
    overdue_list: list[OverdueOrder] = Field(
        description="The orders open and overdue at the end of the period, oldest due first."
    )

    @model_validator(mode="after")
    def fractions_agree(self) -> Self:
        """Each rate is its fraction, and the fractions use the counts shown above them."""
        checks = {
            "handling_rate": (self.handling_rate, self.fractions.handling_rate),
            "on_time_rate": (self.on_time_rate, self.fractions.on_time_rate),
            "handled_on_time_rate": (
                self.handled_on_time_rate,
                self.fractions.handled_on_time_rate,
            ),
            "satisfaction_rate": (self.satisfaction_rate, self.fractions.satisfaction_rate),
        }
        for name, (shown, (numerator, denominator)) in checks.items():
            if numerator > denominator or shown != _rate(numerator, denominator):
                raise ValueError(f"{name} {shown} is not {numerator}/{denominator}")
        if self.fractions.handling_rate != (self.handled, self.collected):
            raise ValueError("fractions.handling_rate is not [handled, collected]")
        if self.fractions.handled_on_time_rate[1] != self.handled:
            raise ValueError("the denominator of handled_on_time_rate is not handled")
        on_time, fallen_due = self.fractions.on_time_rate
        if self.overdue > fallen_due - on_time:
            raise ValueError("an overdue order is missing from the denominator of on_time_rate")
        if self.handled > self.collected or self.overdue > self.open:
            raise ValueError("handled > collected or overdue > open")
        if len(self.overdue_list) != self.overdue:
            raise ValueError("overdue_list does not hold the overdue orders")
        return self


class ClassCounts(Contract):
    """Classes of one course held in the period."""

    classes: NonNegativeInt = Field(description="Classes held in the period.")
    attendance: NonNegativeInt = Field(description="Attendances recorded at those classes.")


class Courses(Contract):
    """The classes (课程) held in the period."""

    classes: NonNegativeInt = Field(description="Classes held in the period, all courses.")
    attendance: NonNegativeInt = Field(description="Attendances at those classes.")
    by_course: dict[str, ClassCounts] = Field(
        description="Course name -> its classes; only the courses with classes held."
    )


class KindTotals(Contract):
    """The activities of one kind held in the period, with their totals."""

    count: NonNegativeInt = Field(description="Activities of this kind.")
    enterprises_served: NonNegativeInt = Field(description="Enterprises served, summed.")
    enterprises_helped: NonNegativeInt = Field(
        description="Enterprises whose problem was solved, summed."
    )
    participants: NonNegativeInt = Field(description="Participants, summed.")


class Activities(Contract):
    """The activities (活动) held in the period."""

    count: NonNegativeInt = Field(description="Activities held in the period.")
    by_kind: dict[ActivityKind, KindTotals] = Field(
        description="Per kind of activity (its stable English key); only the kinds held."
    )


class MonthCounts(Contract):
    """One month of a long period."""

    month: Month = Field(description="The month, `YYYY-MM`.")
    collected: NonNegativeInt = Field(
        description="Work orders reported that month and not cancelled at its end."
    )
    handled: NonNegativeInt = Field(
        description=(
            "Of those, handled at the end of the same month (not of the period, unlike "
            "issues.handled)."
        )
    )


class DutyActivity(Contract):
    """An activity the duty unit led in its month."""

    id: NonNegativeInt = Field(description="The activity's id.")
    date: Day = Field(description="The day it took place.")
    title: str = Field(description="Its title.")
    kind: ActivityKind = Field(description="Its kind (stable English key).")
    enterprises_served: NonNegativeInt = Field(description="Enterprises served.")
    participants: NonNegativeInt = Field(description="Participants.")


class DutyOrder(Contract):
    """A work order whistled to the duty unit in its month."""

    id: NonNegativeInt = Field(description="The work order's number.")
    dispatched_at: AwareDatetime = Field(description="When it was whistled to the unit.")
    accepted_at: AwareDatetime | None = Field(description="Its report-in by the end, or null.")
    report_in_hours: Annotated[float, Field(ge=0)] | None = Field(
        description="Hours from whistle to report-in; null when not reported in."
    )


class DutyUnit(DepartmentRef):
    """A duty unit (轮值书记单位) and what it did in its months of the period."""

    months: list[Month] = Field(description="Its duty months within the period.")
    activities: list[DutyActivity] = Field(description="The activities it led then, by date.")
    dispatched: NonNegativeInt = Field(description="Orders whistled to it then.")
    reported_in: NonNegativeInt = Field(description="Of those, reported in by the end.")
    reported_in_on_time: NonNegativeInt = Field(description="Of those, within 24 hours.")
    median_report_in_hours: Annotated[float, Field(ge=0)] | None = Field(
        description="Median hours from whistle to report-in; null when none."
    )
    orders: list[DutyOrder] = Field(description="The orders whistled to it, by number.")


class Duty(Contract):
    """The duty unit's month: what the joint meeting reviews."""

    units: list[DutyUnit] = Field(description="The duty units, in the order of their months.")


class ReportBody(Contract):
    """One period's report: the figures of `beiwen report`."""

    period: PeriodModel = Field(description="The period the report covers.")
    rotation: Rotation = Field(description="The duty units of the period's months.")
    issues: Issues = Field(description="The work orders of the period.")
    courses: Courses = Field(description="The classes held in the period.")
    activities: Activities = Field(description="The activities held in the period.")
    duty: Duty = Field(description="The duty units and what they did in their months.")
    monthly: list[MonthCounts] | SkipJsonSchema[None] = Field(
        default=None,
        description=(
            "Month by month, each month the period touches that has work orders; present only "
            "for a year or a period longer than 62 days."
        ),
        json_schema_extra=_absent_not_null,
    )
    generated_at: AwareDatetime = Field(
        description="When the report was made: ISO 8601 in Beijing time (+08:00)."
    )

    @model_validator(mode="after")
    def absent_not_null(self) -> Self:
        """An optional key that does not apply is left out, never written as null."""
        for name in ("monthly", "previous", "year_ago"):
            if name in self.model_fields_set and getattr(self, name, None) is None:
                raise ValueError(f"{name} is left out when it does not apply, never null")
        return self


class Report(ReportBody):
    """The JSON of `beiwen report --format json` (--month, --year or --from/--to)."""

    model_config = ConfigDict(
        title="beiwen report",
        json_schema_extra={"$schema": JSON_SCHEMA_DIALECT},
    )

    previous: ReportBody | SkipJsonSchema[None] = Field(
        default=None,
        description=(
            "With --compare only: the same report for the period before (the month, the year "
            "or a range of the same length just before), without a `previous` of its own."
        ),
        json_schema_extra=_absent_not_null,
    )
    year_ago: ReportBody | SkipJsonSchema[None] = Field(
        default=None,
        description="With --compare for a month only: the same month a year earlier.",
        json_schema_extra=_absent_not_null,
    )


def schema_text() -> str:
    """docs/report.schema.json as the models generate it now."""
    schema = Report.model_json_schema()
    first = {"$schema": schema.pop("$schema")}  # the dialect first, as readers expect
    return json.dumps({**first, **schema}, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else SCHEMA_PATH
    path.write_text(schema_text(), encoding="utf-8")
    sys.stderr.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
