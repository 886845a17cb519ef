"""The migration of the joint meeting (区域党建联席会, `beiwen meeting`), in a module of its own
because migrations.py had passed the house's 500 lines; migrations.py lists it in STEPS."""

from __future__ import annotations

from typing import Any


def m010_meetings(db: Any) -> None:
    """The joint meeting (区域党建联席会, `beiwen meeting`): the meetings held, the units that
    attended each, and the decisions taken, each with the unit that owns it, its due date,
    when it was done, and the work order or need it was turned into."""
    db.execute(
        """
        CREATE TABLE meetings (
            id          INTEGER PRIMARY KEY,                     -- meeting id
            date        TEXT NOT NULL,                           -- the day it was held, YYYY-MM-DD
            host_unit_id INTEGER NOT NULL REFERENCES units (id), -- the host (主持单位); by
                                                                 -- default the month's duty unit
            topic       TEXT NOT NULL CHECK (topic <> ''),       -- the topic (议题), as typed
            note        TEXT,                                    -- minutes or a remark (备注)
            created_at  TEXT NOT NULL                            -- when the row was created
        )
        """
    )
    db.execute("CREATE INDEX meetings_date ON meetings (date)")
    db.execute(
        """
        CREATE TABLE meeting_attendance (
            meeting_id  INTEGER NOT NULL REFERENCES meetings (id), -- the meeting
            unit_id     INTEGER NOT NULL REFERENCES units (id),    -- a unit that attended
            UNIQUE (meeting_id, unit_id)
        )
        """
    )
    db.execute("CREATE INDEX meeting_attendance_unit ON meeting_attendance (unit_id)")
    db.execute(
        """
        CREATE TABLE meeting_decisions (
            id          INTEGER PRIMARY KEY,                     -- decision id
            meeting_id  INTEGER NOT NULL REFERENCES meetings (id), -- the meeting that took it
            text        TEXT NOT NULL CHECK (text <> ''),        -- what was decided (决议事项)
            owner_unit_id INTEGER NOT NULL REFERENCES units (id), -- the unit that carries it out
            due         TEXT,                                    -- due date, YYYY-MM-DD, or NULL
            done_at     TEXT,                                    -- when it was done (NULL: open)
            done_note   TEXT,                                    -- what was done (完成情况)
            issue_id    INTEGER REFERENCES issues (id),          -- the work order it became
            need_id     INTEGER REFERENCES needs (id),           -- the need (需求清单) it became
            created_at  TEXT NOT NULL                            -- when the row was created
        )
        """
    )
    db.execute("CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id)")
    db.execute("CREATE INDEX meeting_decisions_owner ON meeting_decisions (owner_unit_id)")
