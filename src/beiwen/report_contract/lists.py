"""The three lists (需求清单、资源清单、项目清单) of the report: services/report_lists.py."""

from __future__ import annotations

from pydantic import Field, NonNegativeInt

from beiwen.report_contract.base import Contract


class Lists(Contract):
    """What the three lists achieved in the period, computed from the needs' event log and
    the projects."""

    needs_collected: NonNegativeInt = Field(
        description="Needs raised in the period and not cancelled by its end."
    )
    needs_transferred: NonNegativeInt = Field(
        description="Needs passed to a unit (转单) in the period, each once."
    )
    needs_replied: NonNegativeInt = Field(
        description="Needs a unit replied to in the period, each once."
    )
    needs_matched: NonNegativeInt = Field(
        description="Needs linked to a project in the period, each once."
    )
    projects_done: NonNegativeInt = Field(description="Projects done in the period.")
    enterprises_helped: NonNegativeInt = Field(
        description="Enterprises the projects done in the period helped (the sum of their helped)."
    )
    projects_overdue: NonNegativeInt = Field(
        description=(
            "Projects due before the period's end (or today), neither done nor cancelled at "
            "its end."
        )
    )
