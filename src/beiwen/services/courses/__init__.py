"""Free public-benefit courses (公益课程): courses, terms (期), classes (堂) and attendance.

`catalogue` holds courses and terms, `classes` classes and their rosters, `plan` the
`course plan` dates (holidays skipped), `exchange` the catalogue and ledger imports;
`common` what they share. This file only gathers their public names, so that
`from beiwen.services.courses import add_class` keeps working.
"""

from beiwen.services.courses.catalogue import (
    add_course,
    add_term,
    course_detail,
    edit_course,
    edit_term,
    held_by_course,
    held_totals,
    list_courses,
    remove_course,
    resolve_partner,
    validate_course,
)
from beiwen.services.courses.classes import (
    ROSTER_COLUMNS,
    AttendOutcome,
    Outcome,
    add_class,
    attend,
    attend_file,
    class_detail,
    edit_class,
    list_classes,
    parse_attendee,
    roster_spec,
)
from beiwen.services.courses.exchange import (
    CLASS_COLUMNS,
    COURSE_COLUMNS,
    class_spec,
    course_spec,
    demo_classes,
    demo_courses,
    import_classes,
    import_courses,
)
from beiwen.services.courses.plan import (
    PLAN_LIMIT,
    PlanOutcome,
    parse_weekdays,
    plan_classes,
    plan_dates,
)

__all__ = [
    "PLAN_LIMIT",
    "ROSTER_COLUMNS",
    "COURSE_COLUMNS",
    "CLASS_COLUMNS",
    "Outcome",
    "AttendOutcome",
    "PlanOutcome",
    "resolve_partner",
    "validate_course",
    "add_course",
    "edit_course",
    "list_courses",
    "course_detail",
    "add_term",
    "edit_term",
    "remove_course",
    "add_class",
    "edit_class",
    "list_classes",
    "class_detail",
    "parse_attendee",
    "attend",
    "roster_spec",
    "attend_file",
    "parse_weekdays",
    "plan_dates",
    "plan_classes",
    "course_spec",
    "class_spec",
    "import_courses",
    "import_classes",
    "demo_courses",
    "demo_classes",
    "held_by_course",
    "held_totals",
]
