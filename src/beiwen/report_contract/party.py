"""The report's `party` section: the Party member register at the period's end."""

from __future__ import annotations

from typing import Self

from pydantic import Field, NonNegativeInt, PositiveInt, model_validator

from beiwen.report_contract.base import Contract


class Party(Contract):
    """Party members (党员) as the register stood at the period's end (a member who left
    in June counts in May, not in July), and the moves within the period."""

    members: NonNegativeInt = Field(description="Members at the period's end.")
    by_branch: dict[str, PositiveInt] = Field(
        description="Branch (党支部) -> its members at the end; branches with members, most first."
    )
    mobile: NonNegativeInt = Field(description="Of the members, mobile members (流动党员).")
    mobile_registered: NonNegativeInt = Field(
        description="Of the mobile members, those whose home organisation (原组织关系) is known."
    )
    in_service: NonNegativeInt = Field(description="Of the members, in-service members (在职党员).")
    in_service_reported: NonNegativeInt = Field(
        description="Of the in-service members, those who reported to the community (双报到)."
    )
    joined: NonNegativeInt = Field(description="Members who came into the register in the period.")
    left: NonNegativeInt = Field(description="Members who left the register in the period.")

    @model_validator(mode="after")
    def parts_within_wholes(self) -> Self:
        if sum(self.by_branch.values()) != self.members:
            raise ValueError("by_branch must add up to members")
        if self.mobile + self.in_service > self.members:
            raise ValueError("mobile and in-service members are members, never both")
        if self.mobile_registered > self.mobile or self.in_service_reported > self.in_service:
            raise ValueError("a part cannot exceed its whole")
        return self
