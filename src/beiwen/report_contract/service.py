"""The report's `service` section: volunteer service hours (志愿服务时长) in the period."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, NonNegativeInt, PositiveInt

from beiwen.report_contract.base import Contract, GridKey

Hours = Annotated[float, Field(ge=0)]


class TopPerson(Contract):
    """One of the people with the most hours in the period."""

    rank: PositiveInt = Field(description="Rank by hours: equal hours share a rank (1, 2, 2, 4).")
    id: PositiveInt = Field(description="The person's id.")
    name: str = Field(description="The person's name.")
    hours: Hours = Field(description="Their hours of service in the period.")


class Service(Contract):
    """Service records (志愿服务记录) dated within the period; removed records left out."""

    hours: Hours = Field(description="Hours of service in the period, to two decimals.")
    people: NonNegativeInt = Field(description="People with at least one record in the period.")
    top: list[TopPerson] = Field(
        description="The ten people with the most hours, most first (then by name).", max_length=10
    )
    hours_by_grid: dict[GridKey, Hours] = Field(
        description=(
            "Grid number -> the hours of the people serving in it on the record's day (the "
            "lowest-numbered grid of a person serving several); every grid, 0 where nobody "
            "served; `none`: people with no grid role."
        )
    )
