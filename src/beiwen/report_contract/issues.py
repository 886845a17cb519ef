"""The period, the rotation and the work orders of the report."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import (
    AwareDatetime,
    Field,
    NonNegativeInt,
    model_validator,
)

from beiwen.report_contract.base import (
    Contract,
    Fraction,
    GridKey,
    IssueCategory,
    IssueSource,
    Month,
    Rate,
    _rate,
)


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
