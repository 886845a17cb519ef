"""The contract's shared types: the base model, months, rates, fractions, vocabularies."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    StringConstraints,
)

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
