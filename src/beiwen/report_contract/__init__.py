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
from pathlib import Path
from typing import Self

from pydantic import (
    AwareDatetime,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from beiwen.report_contract.base import (
    JSON_SCHEMA_DIALECT,
    SCHEMA_PATH,
    Contract,
    _absent_not_null,
)
from beiwen.report_contract.base import ActivityKind as ActivityKind
from beiwen.report_contract.base import IssueCategory as IssueCategory
from beiwen.report_contract.issues import Issues, PeriodModel, Rotation
from beiwen.report_contract.lists import Lists
from beiwen.report_contract.meetings import Meetings
from beiwen.report_contract.party import Party
from beiwen.report_contract.sections import Activities, Courses, Duty, MonthCounts
from beiwen.report_contract.service import Service


class ReportBody(Contract):
    """One period's report: the figures of `beiwen report`."""

    period: PeriodModel = Field(description="The period the report covers.")
    rotation: Rotation = Field(description="The duty units of the period's months.")
    issues: Issues = Field(description="The work orders of the period.")
    courses: Courses = Field(description="The classes held in the period.")
    activities: Activities = Field(description="The activities held in the period.")
    service: Service = Field(description="Volunteer service hours (志愿服务) in the period.")
    party: Party = Field(description="The Party member register at the period's end.")
    lists: Lists = Field(description="The three lists (需求清单、资源清单、项目清单).")
    duty: Duty = Field(description="The duty units and what they did in their months.")
    meetings: Meetings = Field(description="The joint meetings (联席会) and their decisions.")
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
