"""The migration of the service records (志愿服务记录, `beiwen service`), in a module of its
own because migrations.py had passed the house's 500 lines; migrations.py lists it in STEPS."""

from __future__ import annotations

from typing import Any


def m012_service(db: Any) -> None:
    """Service records (志愿服务记录, issue 19): the hours a person served on a day, at an
    activity, a class or a work order (at most one of them), for `beiwen service`: totals,
    certificates and the feedback to an 在职党员's unit. A record logged by mistake is
    removed softly (`removed_at`) and leaves every total."""
    db.execute(
        """
        CREATE TABLE service_records (
            id           INTEGER PRIMARY KEY,                       -- record id
            person_id    INTEGER NOT NULL REFERENCES people (id),   -- who served
            date         TEXT NOT NULL,                             -- the day served, YYYY-MM-DD
            hours        REAL NOT NULL CHECK (hours > 0 AND hours <= 24), -- hours that day (1.5)
            activity_id  INTEGER REFERENCES activities (id),        -- the activity served at
            class_id     INTEGER REFERENCES course_classes (id),    -- the class helped at (堂)
            issue_id     INTEGER REFERENCES issues (id),            -- the work order worked on
            note         TEXT,                                      -- what was done, free text
            removed_at   TEXT,                                      -- soft removal (a mistake)
            created_at   TEXT NOT NULL,                             -- when it was logged
            CHECK ((activity_id IS NOT NULL) + (class_id IS NOT NULL)
                + (issue_id IS NOT NULL) <= 1)                      -- one reference at most
        )
        """
    )
    db.execute("CREATE INDEX service_records_person_date ON service_records (person_id, date)")
    db.execute("CREATE INDEX service_records_date ON service_records (date)")
