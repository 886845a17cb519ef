"""The joint meetings (区域党建联席会) of the report, and the meetings a duty unit hosted."""

from __future__ import annotations

from typing import Self

from pydantic import Field, NonNegativeInt, model_validator

from beiwen.report_contract.base import Contract, Day
from beiwen.report_contract.issues import DepartmentRef


class OwnerDecisions(DepartmentRef):
    """The decisions one unit owns, of the meetings held in the period."""

    decisions: NonNegativeInt = Field(description="Decisions it owns.")
    decisions_done: NonNegativeInt = Field(description="Of those, done by the period's end.")

    @model_validator(mode="after")
    def done_of_decisions(self) -> Self:
        if self.decisions_done > self.decisions:
            raise ValueError("decisions_done counts some of the decisions")
        return self


class Meetings(Contract):
    """The joint meetings (联席会) held in the period and their decisions (议定事项)."""

    held: NonNegativeInt = Field(description="Joint meetings held in the period.")
    decisions: NonNegativeInt = Field(description="Decisions taken at those meetings.")
    decisions_done: NonNegativeInt = Field(
        description="Of those, done by the period's end (shown as decisions_done/decisions)."
    )
    by_owner: list[OwnerDecisions] = Field(
        description="Per owner unit: its decisions and those done; most decisions first."
    )

    @model_validator(mode="after")
    def owners_add_up(self) -> Self:
        if self.decisions_done > self.decisions:
            raise ValueError("decisions_done counts some of the decisions")
        if sum(o.decisions for o in self.by_owner) != self.decisions:
            raise ValueError("by_owner's decisions add up to decisions")
        if sum(o.decisions_done for o in self.by_owner) != self.decisions_done:
            raise ValueError("by_owner's decisions_done add up to decisions_done")
        return self


class HostedMeeting(Contract):
    """A joint meeting the duty unit hosted in its month."""

    id: NonNegativeInt = Field(description="The meeting's id.")
    date: Day = Field(description="The day it was held.")
    topic: str = Field(description="Its topic (议题).")
