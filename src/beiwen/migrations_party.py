"""The statements of migration m011_party (migrations.py), kept here so that migrations.py
stays a list of steps: the Party member register, units' branches, sessions and attendance."""

# Every column is commented as schema.sql does; SQLite keeps these comments in sqlite_master.
STATEMENTS: tuple[str, ...] = (
    """
    CREATE TABLE party_branches (
        id          INTEGER PRIMARY KEY,                     -- branch id
        name        TEXT NOT NULL UNIQUE CHECK (name <> ''), -- the branch (党支部), as named
        unit_id     INTEGER REFERENCES units (id),           -- the unit it belongs to (单位党组织)
        created_at  TEXT NOT NULL                            -- when it was added
    )
    """,
    """
    CREATE TABLE party_members (
        id           INTEGER PRIMARY KEY,                    -- register row id (党员编号)
        person_id    INTEGER NOT NULL REFERENCES people (id), -- the person (same as grid member)
        branch       TEXT NOT NULL CHECK (branch <> ''),     -- the Party branch (所在党支部)
        status       TEXT NOT NULL DEFAULT 'formal'
                     CHECK (status IN ('formal', 'probationary')), -- 正式党员 / 预备党员
        mobile       INTEGER NOT NULL DEFAULT 0 CHECK (mobile IN (0, 1)), -- 流动党员
        home_org     TEXT,                                   -- 原组织关系所在 (mobile members)
        in_service   INTEGER NOT NULL DEFAULT 0 CHECK (in_service IN (0, 1)), -- 在职党员
        unit_id      INTEGER REFERENCES units (id),          -- an in-service member's own unit
        reported_on  TEXT,                                   -- 双报到: reported to the community
        joined       TEXT,                                   -- joined the Party (入党日期)
        since        TEXT NOT NULL,                          -- a member here since, YYYY-MM-DD
        left_on      TEXT,                                   -- left here (NULL: a member now)
        left_to      TEXT,                                   -- where the membership went (转往)
        note         TEXT,                                   -- free text
        created_at   TEXT NOT NULL                           -- when the row was created
    )
    """,
    "CREATE UNIQUE INDEX party_members_current ON party_members (person_id) WHERE left_on IS NULL",
    "CREATE INDEX party_members_person ON party_members (person_id, since)",
    """
    CREATE TABLE party_meetings (
        activity_id  INTEGER PRIMARY KEY REFERENCES activities (id), -- a party_day activity
        session      TEXT NOT NULL CHECK (session IN ('theme_day', 'member_assembly',
                     'branch_committee', 'party_group', 'party_lecture')),
                                                         -- 主题党日 or one of 三会一课
        branch       TEXT                                    -- the branch that held it
    )
    """,
    """
    CREATE TABLE party_attendance (
        id           INTEGER PRIMARY KEY,                    -- row id
        activity_id  INTEGER NOT NULL REFERENCES activities (id), -- the session attended
        person_id    INTEGER NOT NULL REFERENCES people (id), -- who attended
        member_id    INTEGER NOT NULL REFERENCES party_members (id), -- as which register row
        recorded_at  TEXT NOT NULL,                          -- when it was entered
        UNIQUE (activity_id, person_id)
    )
    """,
    "CREATE INDEX party_attendance_person ON party_attendance (person_id)",
    # The people the grids already knew as Party members enter the register.
    """
    INSERT INTO party_members (person_id, branch, status, mobile, in_service, unit_id,
        reported_on, since, created_at)
    SELECT p.id,
        coalesce((
        SELECT g.branch FROM person_roles r JOIN grids g ON g.number = r.grid
        WHERE r.person_id = p.id AND r.until IS NULL AND coalesce(g.branch, '') <> ''
        ORDER BY r.role <> 'party_member', r.grid LIMIT 1
        ), '待定'),
        'formal',
        p.mobile_party_member,
        1 - p.mobile_party_member,
        CASE WHEN p.mobile_party_member = 0 THEN p.unit_id END,
        CASE WHEN p.mobile_party_member = 0 THEN (
        SELECT min(r.since) FROM person_roles r
        WHERE r.person_id = p.id AND r.role = 'party_member'
        ) END,
        coalesce(
        (SELECT min(r.since) FROM person_roles r
         WHERE r.person_id = p.id AND r.role = 'party_member'),
        (SELECT min(r.since) FROM person_roles r WHERE r.person_id = p.id),
        substr(p.created_at, 1, 10)
        ),
        p.created_at
    FROM people p
    WHERE p.removed_at IS NULL AND (p.mobile_party_member = 1 OR EXISTS (
        SELECT 1 FROM person_roles r
        WHERE r.person_id = p.id AND r.role = 'party_member' AND r.until IS NULL
    ))
    ORDER BY p.id
    """,
)
