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

Month = Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
GridKey = Annotated[str, StringConstraints(pattern=r"^([1-9][0-9]*|none)$")]
Rate = Annotated[float, Field(ge=0, le=1)] | None
Fraction = tuple[NonNegativeInt, NonNegativeInt]


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
        description="Of the collected, resolved or closed by the end of the period."
    )


class Fractions(Contract):
    """The numerator and the denominator behind each rate, as `[numerator, denominator]`."""

    handling_rate: Fraction = Field(description="`[handled, collected]`.")
    on_time_rate: Fraction = Field(description="`[handled by their due time, handled]`.")
    satisfaction_rate: Fraction = Field(
        description=(
            "`[satisfied + basically satisfied, followed up]`; followed up = closed with a "
            "satisfaction by the end of the period."
        )
    )


class Issues(Contract):
    """The work orders (工单) of the period; a rate is 0..1 (4 decimals), null over 0."""

    collected: NonNegativeInt = Field(
        description="Work orders reported within the period and not cancelled by its end."
    )
    handled: NonNegativeInt = Field(
        description=(
            "Of the collected, resolved or closed by the end of the period (a reopened order "
            "counts from its latest resolution)."
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
    on_time_rate: Rate = Field(description="Handled by their due time / handled.")
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

    @model_validator(mode="after")
    def fractions_agree(self) -> Self:
        """Each rate is its fraction, and the fractions use the counts shown above them."""
        checks = {
            "handling_rate": (self.handling_rate, self.fractions.handling_rate),
            "on_time_rate": (self.on_time_rate, self.fractions.on_time_rate),
            "satisfaction_rate": (self.satisfaction_rate, self.fractions.satisfaction_rate),
        }
        for name, (shown, (numerator, denominator)) in checks.items():
            if numerator > denominator or shown != _rate(numerator, denominator):
                raise ValueError(f"{name} {shown} is not {numerator}/{denominator}")
        if self.fractions.handling_rate != (self.handled, self.collected):
            raise ValueError("fractions.handling_rate is not [handled, collected]")
        if self.fractions.on_time_rate[1] != self.handled:
            raise ValueError("the denominator of on_time_rate is not handled")
        if self.handled > self.collected or self.overdue > self.open:
            raise ValueError("handled > collected or overdue > open")
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
        description="Work orders reported that month and not cancelled (now)."
    )
    handled: NonNegativeInt = Field(
        description=(
            "Of those, handled within the same month (not by the end of the period, unlike "
            "issues.handled)."
        )
    )


class ReportBody(Contract):
    """One period's report: the figures of `beiwen report`."""

    period: PeriodModel = Field(description="The period the report covers.")
    rotation: Rotation = Field(description="The duty units of the period's months.")
    issues: Issues = Field(description="The work orders of the period.")
    courses: Courses = Field(description="The classes held in the period.")
    activities: Activities = Field(description="The activities held in the period.")
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
        for name in ("monthly", "previous"):
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
