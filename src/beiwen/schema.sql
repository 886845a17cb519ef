-- beiwen schema, migration m001. The copy that runs is src/beiwen/schema.sql; a test keeps
-- the two identical. Later changes are new migrations in src/beiwen/migrations.py, never
-- edits here.
--
-- Conventions: times are ISO 8601 text in Beijing time with its offset
-- ("2024-08-03T09:30:00+08:00"), so text order is time order; dates are "YYYY-MM-DD";
-- months "YYYY-MM". Codes and phones are TEXT: type guessing would drop leading zeros.
-- Nothing a user entered is deleted: rows are retired or removed softly.

CREATE TABLE grids (
    number      INTEGER PRIMARY KEY CHECK (number > 0), -- grid number (网格编号) that rosters and work orders use
    name        TEXT NOT NULL CHECK (name <> ''),       -- grid name (网格名称)
    branch      TEXT,                                    -- the grid's Party branch (网格党支部)
    area        TEXT,                                    -- streets or buildings the grid covers
    created_at  TEXT NOT NULL                            -- when the row was created
);

CREATE TABLE units (
    id              INTEGER PRIMARY KEY,                 -- unit id
    code            TEXT UNIQUE,                         -- unified social credit code (统一社会信用代码), 18 chars, GB 32100 checked
    name            TEXT NOT NULL CHECK (name <> ''),    -- name (名称); the import key when there is no code
    kind            TEXT NOT NULL CHECK (kind IN ('agency', 'institution', 'enterprise', 'bank',
                        'merchant', 'association', 'station', 'community')), -- 政银企商 kind
    category        TEXT,                                -- trade of a merchant (业态): catering, retail, ...
    grid            INTEGER REFERENCES grids (number),   -- grid the unit lies in
    address         TEXT,                                -- street address (地址)
    contact         TEXT,                                -- contact person (联系人)
    phone           TEXT,                                -- contact phone, text as given (联系电话)
    opened          TEXT,                                -- opening or founding date (开业日期), YYYY-MM-DD
    council         INTEGER NOT NULL DEFAULT 0 CHECK (council IN (0, 1)), -- member of the joint meeting (共建联席会)
    council_since   TEXT,                                -- when it joined the council; orders the rotation by default
    rotation_order  INTEGER,                             -- explicit rotation position (beiwen rotation order)
    retired_at      TEXT,                                -- set when retired; history keeps pointing at the row
    created_at      TEXT NOT NULL,                       -- when the row was created
    updated_at      TEXT NOT NULL                        -- when the row last changed
);
CREATE INDEX units_name ON units (name);
CREATE INDEX units_grid ON units (grid);

CREATE TABLE rotation (
    month        TEXT PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'), -- YYYY-MM
    unit_id      INTEGER NOT NULL REFERENCES units (id), -- the duty unit (轮值书记单位) of the month
    note         TEXT,                                   -- why, when changed by hand
    assigned_at  TEXT NOT NULL                           -- when this assignment was made
);

CREATE TABLE rotation_history (
    id           INTEGER PRIMARY KEY,                    -- event id
    at           TEXT NOT NULL,                          -- when the change was made
    action       TEXT NOT NULL CHECK (action IN ('plan', 'assign', 'swap', 'unassign')), -- what changed
    month        TEXT NOT NULL,                          -- the month changed
    unit_id      INTEGER REFERENCES units (id),          -- the unit assigned (NULL when a gap was left)
    previous_unit_id INTEGER REFERENCES units (id),      -- the unit that held the month before
    other_month  TEXT,                                   -- the other month of a swap
    note         TEXT                                    -- the reason given
);

CREATE TABLE people (
    id                   INTEGER PRIMARY KEY,            -- person id
    name                 TEXT NOT NULL CHECK (name <> ''), -- name (姓名)
    phone                TEXT,                           -- phone, text as given
    id_number            TEXT,                           -- resident ID (身份证号), GB 11643 checked; shown masked
    unit_id              INTEGER REFERENCES units (id),  -- employer or the unit the person represents
    mobile_party_member  INTEGER NOT NULL DEFAULT 0 CHECK (mobile_party_member IN (0, 1)), -- 流动党员
    note                 TEXT,                           -- free text
    removed_at           TEXT,                           -- soft removal
    created_at           TEXT NOT NULL                   -- when the row was created
);
CREATE INDEX people_name ON people (name);

CREATE UNIQUE INDEX people_id_number ON people (id_number)
    WHERE id_number IS NOT NULL AND removed_at IS NULL;

-- One row per role a person holds in a grid. Leaving a grid or a role sets `until` instead
-- of deleting the row, so the people who served a grid in a past month can still be counted.
CREATE TABLE person_roles (
    person_id  INTEGER NOT NULL REFERENCES people (id),  -- the person
    role       TEXT NOT NULL CHECK (role IN ('grid_worker', 'volunteer', 'party_member',
                   'merchant_rep', 'lawyer', 'mediator', 'social_worker')), -- "N" force role
    grid       INTEGER REFERENCES grids (number),        -- the grid served (NULL: the whole district)
    since      TEXT NOT NULL,                            -- the day the person started in this role, YYYY-MM-DD
    until      TEXT                                      -- when the person left this role or grid (NULL: serving)
);
CREATE UNIQUE INDEX person_roles_serving ON person_roles (person_id, role, coalesce(grid, 0))
    WHERE until IS NULL;
CREATE INDEX person_roles_grid ON person_roles (grid);

CREATE TABLE person_skills (
    person_id  INTEGER NOT NULL REFERENCES people (id),  -- the person
    skill      TEXT NOT NULL CHECK (skill <> ''),        -- a skill or speciality (专业技能), free text
    PRIMARY KEY (person_id, skill)
);
CREATE INDEX person_skills_skill ON person_skills (skill);

CREATE TABLE issue_deadlines (
    category  TEXT PRIMARY KEY,                          -- work-order category key
    days      INTEGER NOT NULL CHECK (days > 0)          -- days from report to due time
);

CREATE TABLE issues (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT, -- work-order number (工单号); never reused
    title               TEXT NOT NULL CHECK (title <> ''), -- short title
    description         TEXT,                            -- details
    category            TEXT NOT NULL CHECK (category IN ('property', 'supervision', 'safety',
                            'vendor', 'fire_lane', 'sanitation', 'consumer', 'labour', 'dispute',
                            'service', 'other')),        -- problem area
    source              TEXT NOT NULL DEFAULT 'patrol' CHECK (source IN ('patrol', 'hotline',
                            'visit', 'station_315', 'mediation', 'merchant', 'other')), -- how it reached us
    grid                INTEGER REFERENCES grids (number), -- grid where it happened
    unit_id             INTEGER REFERENCES units (id),   -- unit or merchant concerned
    reporter            TEXT,                            -- who reported it
    phone               TEXT,                            -- reporter's phone, text as given
    status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dispatched',
                            'in_progress', 'resolved', 'closed', 'cancelled')), -- current state
    reported_at         TEXT NOT NULL,                   -- when it was reported (上报时间)
    due_at              TEXT,                            -- when it should be resolved
    first_dispatched_at TEXT,                            -- first whistle (街道吹哨)
    first_accepted_at   TEXT,                            -- first report-in (部门报到)
    resolved_at         TEXT,                            -- last resolution (NULL after reopen)
    closed_at           TEXT,                            -- follow-up done (回访)
    cancelled_at        TEXT,                            -- cancelled as duplicate or not ours
    satisfaction        TEXT CHECK (satisfaction IN ('satisfied', 'basic', 'unsatisfied')), -- follow-up result
    created_at          TEXT NOT NULL,                   -- when the row was entered
    updated_at          TEXT NOT NULL                    -- when the row last changed
);
CREATE INDEX issues_reported_at ON issues (reported_at);
CREATE INDEX issues_resolved_at ON issues (resolved_at);
CREATE INDEX issues_cancelled_at ON issues (cancelled_at) WHERE cancelled_at IS NOT NULL;
CREATE INDEX issues_status ON issues (status);
CREATE INDEX issues_grid ON issues (grid);

CREATE TABLE issue_units (
    issue_id       INTEGER NOT NULL REFERENCES issues (id), -- the work order
    unit_id        INTEGER NOT NULL REFERENCES units (id),  -- a department it was dispatched or transferred to
    dispatched_at  TEXT NOT NULL,                         -- when it was sent to this unit
    accepted_at    TEXT,                                  -- when this unit reported in
    transferred_from INTEGER REFERENCES units (id),       -- set when it came by transfer (转单)
    released_at    TEXT,                                  -- when this unit passed it on by transfer; NULL while it holds it
    PRIMARY KEY (issue_id, unit_id)
);
CREATE INDEX issue_units_unit ON issue_units (unit_id);

CREATE TABLE issue_events (
    id         INTEGER PRIMARY KEY,                       -- event id; events are append-only
    issue_id   INTEGER NOT NULL REFERENCES issues (id),   -- the work order
    at         TEXT NOT NULL,                             -- when it happened (may be back-dated)
    action     TEXT NOT NULL CHECK (action IN ('report', 'dispatch', 'accept', 'resolve', 'close',
                   'reopen', 'transfer', 'comment', 'cancel', 'assign', 'import')), -- what happened
    unit_id    INTEGER REFERENCES units (id),             -- department concerned (the receiving one of a transfer)
    from_unit_id INTEGER REFERENCES units (id),           -- the department that passed it on (transfer)
    person_id  INTEGER REFERENCES people (id),            -- person concerned (assign)
    satisfaction TEXT CHECK (satisfaction IN ('satisfied', 'basic', 'unsatisfied')), -- follow-up result (close)
    note       TEXT,                                      -- what was said or done
    recorded_at TEXT NOT NULL                             -- when it was entered
);
CREATE INDEX issue_events_issue ON issue_events (issue_id, at);

CREATE TRIGGER issue_events_append_only_update BEFORE UPDATE ON issue_events
BEGIN
    SELECT RAISE(ABORT, 'issue events are append-only');
END;
CREATE TRIGGER issue_events_append_only_delete BEFORE DELETE ON issue_events
BEGIN
    SELECT RAISE(ABORT, 'issue events are append-only');
END;

CREATE TABLE courses (
    id               INTEGER PRIMARY KEY,                 -- course id
    name             TEXT NOT NULL UNIQUE CHECK (name <> ''), -- course name (课程)
    category         TEXT,                                -- dance, vocal, new media, ...
    partner_unit_id  INTEGER REFERENCES units (id),       -- partner unit in the register
    partner_text     TEXT,                                -- partner not in the register (social-work org, charity)
    teacher          TEXT,                                -- teacher
    venue            TEXT,                                -- usual venue
    capacity         INTEGER CHECK (capacity IS NULL OR capacity >= 0), -- seats per class
    created_at       TEXT NOT NULL                        -- when the row was created
);

CREATE TABLE course_terms (
    id          INTEGER PRIMARY KEY,                      -- term id
    course_id   INTEGER NOT NULL REFERENCES courses (id), -- the course
    name        TEXT NOT NULL CHECK (name <> ''),         -- term name (期), e.g. 第一期
    start_date  TEXT NOT NULL,                            -- first day, YYYY-MM-DD
    end_date    TEXT,                                     -- last day, YYYY-MM-DD
    UNIQUE (course_id, name)
);

CREATE TABLE course_classes (
    id          INTEGER PRIMARY KEY,                      -- class id (堂)
    course_id   INTEGER NOT NULL REFERENCES courses (id), -- the course
    term_id     INTEGER REFERENCES course_terms (id),     -- the term, if any
    starts_at   TEXT NOT NULL,                            -- when the class starts
    status      TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('planned', 'held', 'cancelled')), -- planned until recorded
    venue       TEXT,                                     -- venue when not the course's usual one
    attendance  INTEGER CHECK (attendance IS NULL OR attendance >= 0), -- head count; derived from the roster when one exists
    note        TEXT                                      -- free text
);
CREATE INDEX course_classes_starts_at ON course_classes (starts_at);
CREATE INDEX course_classes_course ON course_classes (course_id);

CREATE TABLE class_attendees (
    id         INTEGER PRIMARY KEY,                       -- row id
    class_id   INTEGER NOT NULL REFERENCES course_classes (id), -- the class
    name       TEXT NOT NULL CHECK (name <> ''),          -- attendee's name (may be a resident not otherwise known)
    phone      TEXT NOT NULL DEFAULT '',                  -- attendee's phone, '' when not given
    person_id  INTEGER REFERENCES people (id),            -- the person, when known
    UNIQUE (class_id, name, phone)
);

CREATE TABLE activities (
    id                  INTEGER PRIMARY KEY,              -- activity id
    title               TEXT NOT NULL CHECK (title <> ''), -- title
    kind                TEXT NOT NULL CHECK (kind IN ('finance_visit', 'policy_briefing', 'training',
                            'forum', 'cooperation_meeting', 'salon', 'festival', 'volunteer',
                            'party_day', 'other')),      -- kind of event or service
    date                TEXT NOT NULL,                    -- the day it took place, YYYY-MM-DD
    lead_unit_id        INTEGER REFERENCES units (id),    -- leading unit (defaults to the duty unit)
    enterprises_served  INTEGER NOT NULL DEFAULT 0 CHECK (enterprises_served >= 0), -- enterprises served
    enterprises_helped  INTEGER NOT NULL DEFAULT 0 CHECK (enterprises_helped >= 0), -- enterprises whose problem was solved
    participants        INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0), -- people taking part
    outcome             TEXT,                             -- what came of it
    removed_at          TEXT,                             -- soft removal
    created_at          TEXT NOT NULL                     -- when the row was created
);
CREATE INDEX activities_date ON activities (date);

CREATE TABLE activity_partners (
    activity_id  INTEGER NOT NULL REFERENCES activities (id), -- the activity
    unit_id      INTEGER NOT NULL REFERENCES units (id),      -- a partner unit
    PRIMARY KEY (activity_id, unit_id)
);

INSERT INTO issue_deadlines (category, days) VALUES
    ('property', 7), ('supervision', 5), ('safety', 1), ('vendor', 3), ('fire_lane', 1),
    ('sanitation', 3), ('consumer', 7), ('labour', 15), ('dispute', 10), ('service', 5),
    ('other', 7);

-- Views the monthly report reads, named so that the file also makes sense in Datasette or the
-- sqlite3 shell. Periods compare as text: every stored time carries +08:00.

CREATE VIEW v_issue_facts AS
SELECT
    f.*,
    round((julianday(f.first_response_at) - julianday(f.reported_at)) * 24, 2)
        AS response_hours,                           -- hours from report to first response
    round((julianday(f.handled_at) - julianday(f.reported_at)) * 24, 2)
        AS resolution_hours,                         -- hours from report to resolution
    CASE WHEN f.handled_at IS NOT NULL AND f.due_at IS NOT NULL
        THEN f.handled_at <= f.due_at END AS on_time -- 1 when handled by its due time
FROM (
    SELECT
        i.id,
        i.title,
        i.category,
        i.source,
        i.grid,
        i.status,
        i.reported_at,
        substr(i.reported_at, 1, 7) AS reported_month,   -- YYYY-MM in Beijing time
        i.due_at,
        i.satisfaction,
        i.closed_at,
        CASE WHEN i.status IN ('resolved', 'closed')
            THEN coalesce(i.resolved_at, i.closed_at) END AS handled_at, -- latest resolution
        CASE WHEN i.status = 'cancelled' THEN i.cancelled_at END AS cancelled_at,
        CASE
            WHEN i.first_dispatched_at IS NULL THEN i.first_accepted_at
            WHEN i.first_accepted_at IS NULL THEN i.first_dispatched_at
            ELSE min(i.first_dispatched_at, i.first_accepted_at)
        END AS first_response_at                         -- first whistle or report-in
    FROM issues i
) f;

CREATE VIEW v_monthly_issue_stats AS
SELECT
    reported_month AS month,
    sum(status <> 'cancelled') AS collected,             -- reported that month, not cancelled
    sum(handled_at IS NOT NULL
        AND handled_at < date(reported_month || '-01', '+1 month') || 'T00:00:00+08:00')
        AS handled_in_month,                             -- of those, handled within the month
    sum(handled_at IS NOT NULL) AS handled_to_date,      -- of those, handled by now
    sum(status = 'cancelled') AS cancelled
FROM v_issue_facts
GROUP BY reported_month;

CREATE VIEW v_activity_facts AS
SELECT
    a.id,
    a.title,
    a.kind,
    a.date,
    substr(a.date, 1, 7) AS month,
    a.lead_unit_id,
    u.name AS lead_unit,
    a.enterprises_served,
    a.enterprises_helped,
    a.participants
FROM activities a LEFT JOIN units u ON u.id = a.lead_unit_id
WHERE a.removed_at IS NULL;
