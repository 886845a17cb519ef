"""The classes, activities, month-by-month counts and the duty units of the report."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    AwareDatetime,
    Field,
    NonNegativeInt,
)

from beiwen.report_contract.base import (
    ActivityKind,
    Contract,
    Day,
    Month,
)
from beiwen.report_contract.issues import DepartmentRef
from beiwen.report_contract.meetings import HostedMeeting


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
    meetings: list[HostedMeeting] = Field(description="The joint meetings it hosted then.")
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
