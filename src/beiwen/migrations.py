"""Schema migrations as code, applied by sqlite-utils' `Migrations`.

m001 runs the packaged schema. A later change is a new function appended to STEPS; a
released step is never edited. Opening a database compares the applied names with STEPS
by one cheap query, so sqlite_utils is imported only when something is pending.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from beiwen.migrations_meetings import m010_meetings
from beiwen.migrations_report import m016_report_speed
from beiwen.migrations_service import m012_service
from beiwen.migrations_speed import m014_issue_speed, m015_search_pause

MIGRATION_SET = "beiwen"
MIGRATIONS_TABLE = "_sqlite_migrations"


def schema_statements() -> list[str]:
    """The packaged schema.sql split into statements (triggers keep their inner semicolons)."""
    from importlib.resources import files  # only when migrating: start-up stays light

    text = files("beiwen").joinpath("schema.sql").read_text(encoding="utf-8")
    statements: list[str] = []
    pending = ""
    for line in text.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statement = pending.strip()
            if statement and not all(
                part.strip().startswith("--") or not part.strip() for part in statement.splitlines()
            ):
                statements.append(statement)
            pending = ""
    return statements


def m001_schema(db: Any) -> None:
    for statement in schema_statements():
        db.execute(statement)


def m002_issue_corrections(db: Any) -> None:
    """Work orders can be corrected (issue 16): `issue edit` records each change as an
    `edit` event with the old and the new value; `issue void` (作废) and `issue duplicate`
    take an order out of every count; `issue add --place` names a place not yet registered.
    The event log is rebuilt (same ids and rows) because its CHECK lists the actions."""
    # (SQLite keeps no comment of an added column: each one's is here.)
    for statement in (
        # where it happened, in words, when no registered unit fits (`issue add --place`)
        "ALTER TABLE issues ADD COLUMN place TEXT",
        # when it was voided (作废: entered by mistake); it then leaves every list and count
        "ALTER TABLE issues ADD COLUMN voided_at TEXT",
        # the order this one duplicates (it is cancelled, and counts once: as that one)
        "ALTER TABLE issues ADD COLUMN duplicate_of INTEGER REFERENCES issues (id)",
        "CREATE INDEX issues_duplicate_of ON issues (duplicate_of) WHERE duplicate_of IS NOT NULL",
        """
        CREATE TABLE issue_events_new (
            id         INTEGER PRIMARY KEY,                     -- event id; append-only
            issue_id   INTEGER NOT NULL REFERENCES issues (id), -- the work order
            at         TEXT NOT NULL,                           -- when it happened (back-dated?)
            action     TEXT NOT NULL CHECK (action IN ('report', 'dispatch', 'accept',
                           'resolve', 'close', 'reopen', 'transfer', 'comment', 'cancel',
                           'assign', 'import', 'edit', 'void', 'unvoid', 'duplicate')),
                                                                -- what happened
            unit_id    INTEGER REFERENCES units (id),           -- department concerned (the
                                                                -- receiving one of a transfer,
                                                                -- the new unit of an edit)
            from_unit_id INTEGER REFERENCES units (id),         -- the one that passed it on
                                                                -- (transfer; an edit's old unit)
            person_id  INTEGER REFERENCES people (id),          -- person concerned (assign)
            satisfaction TEXT CHECK (satisfaction IN ('satisfied', 'basic', 'unsatisfied')),
                                                                -- follow-up result (close)
            note       TEXT,                                    -- what was said or done
            recorded_at TEXT NOT NULL,                          -- when it was entered
            field      TEXT,                                    -- the fact an edit changed
            old_value  TEXT,                                    -- its value before, as stored
            new_value  TEXT,                                    -- its value after, as stored
            other_issue_id INTEGER REFERENCES issues (id)       -- the order it duplicates
        )
        """,
        "INSERT INTO issue_events_new (id, issue_id, at, action, unit_id, from_unit_id,"
        " person_id, satisfaction, note, recorded_at)"
        " SELECT id, issue_id, at, action, unit_id, from_unit_id, person_id, satisfaction,"
        " note, recorded_at FROM issue_events ORDER BY id",
        "DROP TABLE issue_events",
        "ALTER TABLE issue_events_new RENAME TO issue_events",
        "CREATE INDEX issue_events_issue ON issue_events (issue_id, at)",
        """
        CREATE TRIGGER issue_events_append_only_update BEFORE UPDATE ON issue_events
        BEGIN
            SELECT RAISE(ABORT, 'issue events are append-only');
        END
        """,
        """
        CREATE TRIGGER issue_events_append_only_delete BEFORE DELETE ON issue_events
        BEGIN
            SELECT RAISE(ABORT, 'issue events are append-only');
        END
        """,
        # The report's views leave voided orders and duplicates out: counted once, as the
        # order they duplicate.
        "DROP VIEW v_monthly_issue_stats",
        "DROP VIEW v_issue_facts",
        """
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
                    THEN coalesce(i.resolved_at, i.closed_at) END AS handled_at, -- last resolution
                CASE WHEN i.status = 'cancelled' THEN i.cancelled_at END AS cancelled_at,
                CASE
                    WHEN i.first_dispatched_at IS NULL THEN i.first_accepted_at
                    WHEN i.first_accepted_at IS NULL THEN i.first_dispatched_at
                    ELSE min(i.first_dispatched_at, i.first_accepted_at)
                END AS first_response_at                         -- first whistle or report-in
            FROM issues i
            WHERE i.voided_at IS NULL AND i.duplicate_of IS NULL -- neither voided nor duplicate
        ) f
        """,
        """
        CREATE VIEW v_monthly_issue_stats AS
        SELECT
            reported_month AS month,
            sum(status <> 'cancelled') AS collected,         -- reported that month, not cancelled
            sum(handled_at IS NOT NULL
                AND handled_at < date(reported_month || '-01', '+1 month') || 'T00:00:00+08:00')
                AS handled_in_month,                         -- of those, handled within the month
            sum(handled_at IS NOT NULL) AS handled_to_date,  -- of those, handled by now
            sum(status = 'cancelled') AS cancelled
        FROM v_issue_facts
        GROUP BY reported_month
        """,
    ):
        db.execute(statement)


def m004_import_history(db: Any) -> None:
    """Every import, and the row images it changed, so that `beiwen imports undo` can put
    the database back as it was before it (services/imports.py)."""
    db.execute(
        """
        CREATE TABLE imports (
            id          INTEGER PRIMARY KEY,                     -- import id
            kind        TEXT NOT NULL,                           -- units, people, issues, ...
            file        TEXT NOT NULL,                           -- the file as it was named
            sha256      TEXT NOT NULL,                           -- SHA-256 of the file's bytes
            at          TEXT NOT NULL,                           -- when it was imported
            inserted    INTEGER NOT NULL DEFAULT 0,              -- rows inserted
            updated     INTEGER NOT NULL DEFAULT 0,              -- rows updated
            unchanged   INTEGER NOT NULL DEFAULT 0,              -- rows that matched unchanged
            rejected    INTEGER NOT NULL DEFAULT 0,              -- rows skipped (--skip-invalid)
            undone_at   TEXT                                     -- when `imports undo` took it back
        )
        """
    )
    db.execute(
        """
        CREATE TABLE import_changes (
            id          INTEGER PRIMARY KEY,                     -- order of the changes
            import_id   INTEGER NOT NULL REFERENCES imports (id), -- the import that made it
            line        INTEGER,                                 -- the file's line being imported
            table_name  TEXT NOT NULL,                           -- the table changed
            row_id      INTEGER NOT NULL,                        -- the rowid of the row changed
            action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
            before      TEXT,                                    -- the row before (JSON)
            after       TEXT                                     -- the row after (JSON)
        )
        """
    )
    db.execute("CREATE INDEX import_changes_import ON import_changes (import_id, id)")


def m003_unit_aliases(db: Any) -> None:
    """The short names the office uses for a unit (城管局 for 北碚区城市管理局): `refs.unit`
    finds a unit by one of them after its id, credit code and exact name."""
    db.execute(
        """
        CREATE TABLE unit_aliases (
            id          INTEGER PRIMARY KEY,                    -- alias id
            unit_id     INTEGER NOT NULL REFERENCES units (id), -- the unit the alias names
            alias       TEXT NOT NULL UNIQUE CHECK (alias <> ''), -- the short name (简称), as typed
            created_at  TEXT NOT NULL                           -- when the alias was added
        )
        """
    )
    db.execute("CREATE INDEX unit_aliases_unit ON unit_aliases (unit_id)")


def m008_grid_leader(db: Any) -> None:
    """网格长 becomes a role of its own (`grid_leader`), no longer folded into grid workers.

    SQLite cannot change a CHECK constraint, so `person_roles` is rebuilt with the new list
    of roles: every row is copied with its rowid, then the indexes are made again.
    """
    db.execute(
        """
        CREATE TABLE person_roles_new (
            person_id  INTEGER NOT NULL REFERENCES people (id),  -- the person
            role       TEXT NOT NULL CHECK (role IN ('grid_worker', 'grid_leader', 'volunteer',
                           'party_member', 'merchant_rep', 'lawyer', 'mediator',
                           'social_worker')),                  -- "N" force role
            grid       INTEGER REFERENCES grids (number),        -- the grid served (NULL: all)
            since      TEXT NOT NULL,                            -- first day in the role
            until      TEXT                                      -- left the role (NULL: serving)
        )
        """
    )
    db.execute(
        "INSERT INTO person_roles_new (rowid, person_id, role, grid, since, until) "
        "SELECT rowid, person_id, role, grid, since, until FROM person_roles"
    )
    db.execute("DROP TABLE person_roles")
    db.execute("ALTER TABLE person_roles_new RENAME TO person_roles")
    db.execute(
        "CREATE UNIQUE INDEX person_roles_serving ON person_roles "
        "(person_id, role, coalesce(grid, 0)) WHERE until IS NULL"
    )
    db.execute("CREATE INDEX person_roles_grid ON person_roles (grid)")


def m006_report_in_limits(db: Any) -> None:
    """The time a department has to report in (报到) on an order whistled to it, per category
    (`issue deadlines --set CATEGORY DAYS --report-in-hours H`); the report's department
    table counts a report-in within it as on time."""
    db.execute(
        "ALTER TABLE issue_deadlines ADD COLUMN report_in_hours INTEGER NOT NULL DEFAULT 24 "
        "CHECK (report_in_hours > 0)"  # hours from the whistle to the report-in
    )


def m007_settings(db: Any) -> None:
    """The office's own settings (`beiwen settings`): the committee's name and the issuing
    body (落款) of the Word report, as key and value; a key not stored has its default in
    services/settings.py."""
    db.execute(
        """
        CREATE TABLE settings (
            key         TEXT PRIMARY KEY,                       -- org.name, org.issuer, ...
            value       TEXT NOT NULL CHECK (value <> ''),      -- as typed
            updated_at  TEXT NOT NULL                           -- when it was last set
        )
        """
    )


def m005_report_as_of(db: Any) -> None:
    """The report as of the period's end (issue 17): a month's figures are what the event
    log says held at its end. The steps that decide handled-ness get an index by time, and
    v_monthly_issue_stats counts each month as it stood at its end (from m002's view)."""
    for statement in (
        # the steps that make an order handled, cancelled or open again, by time
        "CREATE INDEX issue_events_steps ON issue_events (at)"
        " WHERE action IN ('resolve', 'close', 'reopen', 'cancel', 'duplicate')",
        "DROP VIEW v_monthly_issue_stats",
        """
        CREATE VIEW v_monthly_issue_stats AS
        SELECT
            m.reported_month AS month,
            sum(m.step NOT IN ('cancel', 'duplicate')) AS collected,
                                                   -- reported that month, not cancelled at its end
            sum(m.step IN ('resolve', 'close')) AS handled_in_month,
                                                   -- of those, handled at the month's end
            sum(m.handled_at IS NOT NULL) AS handled_to_date, -- reported that month, handled now
            sum(m.step IN ('cancel', 'duplicate')) AS cancelled -- cancelled at the month's end
        FROM (
            SELECT f.reported_month, f.handled_at,
                coalesce((
                    SELECT e.action FROM issue_events e
                    WHERE e.issue_id = f.id
                        AND e.at < date(f.reported_month || '-01', '+1 month')
                            || 'T00:00:00+08:00'
                        AND e.action IN ('resolve', 'close', 'reopen', 'cancel', 'duplicate')
                    ORDER BY e.at DESC, e.id DESC LIMIT 1
                ), 'report') AS step               -- the last step before the month's end
            FROM v_issue_facts f
        ) m
        GROUP BY m.reported_month
        """,
    ):
        db.execute(statement)


def m009_lists(db: Any) -> None:
    """The three lists (issue 18): needs (需求清单) with their event log, resources (资源清单)
    and projects (项目清单) linking needs to resources. Kinds and actions are the keys of
    vocab_lists.py; dates are YYYY-MM-DD, times ISO 8601 in Beijing time."""
    need_kinds = "'funding', 'hiring', 'premises', 'legal', 'policy', 'training', 'market', 'other'"
    for statement in (
        f"""
        CREATE TABLE needs (
            id            INTEGER PRIMARY KEY,                     -- need id
            title         TEXT NOT NULL CHECK (title <> ''),       -- what is needed, in a line
            kind          TEXT NOT NULL CHECK (kind IN ({need_kinds})), -- 融资, 用工, 场地 ...
            from_unit_id  INTEGER NOT NULL REFERENCES units (id),  -- who raised it (企业)
            grid          INTEGER REFERENCES grids (number),       -- the grid it came from
            day           TEXT NOT NULL,                           -- when it was raised
            description   TEXT,                                    -- the need in full
            status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'transferred',
                              'replied', 'matched', 'closed', 'cancelled')), -- where it stands
            holder_id     INTEGER REFERENCES units (id),           -- the unit it was passed to last
            created_at    TEXT NOT NULL                            -- when the row was created
        )
        """,
        "CREATE INDEX needs_day ON needs (day)",
        """
        CREATE TABLE need_events (
            id          INTEGER PRIMARY KEY,                       -- event id; append-only
            need_id     INTEGER NOT NULL REFERENCES needs (id),    -- the need
            day         TEXT NOT NULL,                             -- the day it happened
            action      TEXT NOT NULL CHECK (action IN ('add', 'transfer', 'reply', 'match',
                            'close', 'cancel', 'edit')),           -- the step
            unit_id     INTEGER REFERENCES units (id),             -- transfer: to; reply: by
            project_id  INTEGER REFERENCES projects (id),          -- match, close: the project
            note        TEXT,                                      -- what was said or done
            field       TEXT,                                      -- edit: the field changed
            old_value   TEXT,                                      -- edit: before
            new_value   TEXT,                                      -- edit: after
            recorded_at TEXT NOT NULL                              -- when it was typed in
        )
        """,
        "CREATE INDEX need_events_need ON need_events (need_id, id)",
        "CREATE INDEX need_events_day ON need_events (day, action)",
        f"""
        CREATE TABLE resources (
            id           INTEGER PRIMARY KEY,                      -- resource id
            title        TEXT NOT NULL CHECK (title <> ''),        -- what is offered or sought
            kind         TEXT NOT NULL CHECK (kind IN ('supply', 'demand', 'service',
                             'activity')),                         -- 资源供应 资源需求 ...
            topic        TEXT CHECK (topic IN ({need_kinds})),     -- the kind of need it serves
            unit_id      INTEGER NOT NULL REFERENCES units (id),   -- the unit offering it
            capacity     INTEGER CHECK (capacity > 0),             -- projects it serves (NULL: any)
            until        TEXT,                                     -- last day it is offered
            description  TEXT,                                     -- the offer in full
            retired_at   TEXT,                                     -- withdrawn (`resource retire`)
            created_at   TEXT NOT NULL                             -- when the row was created
        )
        """,
        """
        CREATE TABLE projects (
            id            INTEGER PRIMARY KEY,                     -- project id
            title         TEXT NOT NULL CHECK (title <> ''),       -- the project
            lead_unit_id  INTEGER NOT NULL REFERENCES units (id),  -- the unit leading it
            day           TEXT NOT NULL,                           -- when it started
            due           TEXT,                                    -- when it should be done
            status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'done',
                              'cancelled')),                       -- where it stands
            done_day      TEXT,                                    -- the day it was done
            outcome       TEXT,                                    -- what came of it (成效)
            helped        INTEGER CHECK (helped >= 0),             -- enterprises helped
            cancelled_day TEXT,                                    -- the day it was cancelled
            note          TEXT,                                    -- why cancelled; remarks
            created_at    TEXT NOT NULL                            -- when the row was created
        )
        """,
        """
        CREATE TABLE project_needs (
            project_id  INTEGER NOT NULL REFERENCES projects (id), -- the project
            need_id     INTEGER NOT NULL REFERENCES needs (id),    -- a need it answers
            PRIMARY KEY (project_id, need_id)
        )
        """,
        "CREATE INDEX project_needs_need ON project_needs (need_id)",
        """
        CREATE TABLE project_resources (
            project_id   INTEGER NOT NULL REFERENCES projects (id),  -- the project
            resource_id  INTEGER NOT NULL REFERENCES resources (id), -- a resource it uses
            PRIMARY KEY (project_id, resource_id)
        )
        """,
        "CREATE INDEX project_resources_resource ON project_resources (resource_id)",
    ):
        db.execute(statement)


def m011_party(db: Any) -> None:
    """The Party member register (issue 19, 党员名册): a member is a person of `people`; each
    spell of membership here is a row (leaving sets `left_on`, coming back adds a row), so the
    members of any past month can be counted. Units' own Party branches (grids keep theirs in
    `grids.branch`); who attended a 主题党日 or 三会一课 session.

    The register owns Party membership: `people.mobile_party_member` is derived from it (1
    while the person's current row is mobile). Every active person flagged 流动党员 or serving
    the role `party_member` (在职党员) is registered here, in the branch of their grid ('待定',
    to be decided, when it has none)."""
    from beiwen.migrations_party import STATEMENTS  # the tables, each column commented

    for statement in STATEMENTS:
        db.execute(statement)


def m013_search(db: Any) -> None:
    """The full-text index (character bigrams, kept by triggers), the vocabulary labels and
    the Chinese views (v_issues_zh ...): zh_views.py, indexing every existing row."""
    from beiwen.zh_views import m013_search as build

    build(db)


# In the order a new database runs them. None depends on a later one; m005 rebuilds the
# views m002 made.
STEPS: list[Callable[[Any], None]] = [
    m001_schema,
    m002_issue_corrections,
    m003_unit_aliases,
    m004_import_history,
    m005_report_as_of,
    m006_report_in_limits,
    m007_settings,
    m008_grid_leader,
    m009_lists,
    m011_party,
    m013_search,
    m010_meetings,
    m014_issue_speed,
    m012_service,
    m015_search_pause,
    m016_report_speed,
]


def pending_names(conn: sqlite3.Connection, path: object = "the database") -> list[str]:
    """Names of STEPS not yet applied to `conn`; raises if the file (`path`) knows newer steps."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchone()
    applied: set[str] = set()
    if exists:
        applied = {
            row[0]
            for row in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", (MIGRATION_SET,)
            )
        }
    known = [step.__name__ for step in STEPS]
    unknown = applied - set(known)
    if unknown:
        from beiwen.errors import BeiwenError
        from beiwen.i18n import t

        raise BeiwenError(t("error.newer_schema", path=path, name=sorted(unknown)[0]))
    return [name for name in known if name not in applied]


def apply_pending(
    conn: sqlite3.Connection, steps: list[Callable[[Any], None]] | None = None
) -> None:
    """Apply pending steps inside the caller's BEGIN IMMEDIATE transaction.

    Each step runs in a savepoint (sqlite-utils nests `atomic()` that way), so a failing
    step leaves the database exactly as it was once the caller rolls back.
    """
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(MIGRATION_SET)
    for step in steps if steps is not None else STEPS:
        migrations(name=step.__name__)(step)
    migrations.apply(Database(conn))
