"""The rotating secretary (轮值书记制度): each month one council unit leads the Party activities.

`planner` holds the planning rule (pure, no database); `assignments` reads and changes the
stored months and logs every change; `calendar` turns the months and that log into calendar
events (their versions, and the months left without a duty unit). This file only gathers
their public names, so that `from beiwen.services.rotation import plan` keeps working.
"""

from beiwen.services.rotation.assignments import (
    MAX_MONTHS,
    ROTATION_ACTIONS,
    Change,
    PlanResult,
    assign,
    current,
    current_month,
    duty_unit_for,
    duty_units,
    history,
    months_between,
    parse_span,
    plan,
    replan_hint_months,
    resolve_range,
    rotation_order,
    schedule,
    set_order,
    swap,
    unassign,
    unit_counts,
    vacate_future_months,
)
from beiwen.services.rotation.calendar import calendar_months
from beiwen.services.rotation.planner import plan_sequence

__all__ = [
    "MAX_MONTHS",
    "ROTATION_ACTIONS",
    "plan_sequence",
    "current_month",
    "months_between",
    "parse_span",
    "resolve_range",
    "schedule",
    "duty_units",
    "duty_unit_for",
    "current",
    "unit_counts",
    "rotation_order",
    "history",
    "PlanResult",
    "Change",
    "plan",
    "assign",
    "unassign",
    "swap",
    "set_order",
    "vacate_future_months",
    "calendar_months",
    "replan_hint_months",
]
