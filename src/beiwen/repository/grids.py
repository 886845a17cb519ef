"""Grids (网格) and the counts that hang off them."""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, one, rows, update


def insert_grid(conn: sqlite3.Connection, grid: Row) -> None:
    conn.execute(
        "INSERT INTO grids (number, name, branch, area, created_at) "
        "VALUES (:number, :name, :branch, :area, :created_at)",
        grid,
    )


def update_grid(conn: sqlite3.Connection, number: int, changes: Row) -> None:
    update(conn, "grids", number, changes, key_column="number")


def get_grid(conn: sqlite3.Connection, number: int) -> Row | None:
    return one(conn, "SELECT * FROM grids WHERE number = ?", (number,))


def grid_numbers(conn: sqlite3.Connection) -> list[int]:
    return [row[0] for row in conn.execute("SELECT number FROM grids ORDER BY number")]


def grid_names(conn: sqlite3.Connection) -> dict[int, str]:
    """Grid number -> name, in number order: what a grid reference can mean."""
    return dict(conn.execute("SELECT number, name FROM grids ORDER BY number").fetchall())


def list_grids(conn: sqlite3.Connection) -> list[Row]:
    return rows(
        conn,
        """
        SELECT g.number, g.name, g.branch, g.area,
               (SELECT count(*) FROM units u WHERE u.grid = g.number AND u.retired_at IS NULL)
                   AS units,
               (SELECT count(DISTINCT r.person_id) FROM person_roles r
                JOIN people p ON p.id = r.person_id
                WHERE r.grid = g.number AND r.until IS NULL AND p.removed_at IS NULL
                  AND r.role IN ('grid_worker', 'grid_leader')) AS grid_workers,
               (SELECT count(DISTINCT r.person_id) FROM person_roles r
                JOIN people p ON p.id = r.person_id
                WHERE r.grid = g.number AND r.until IS NULL AND p.removed_at IS NULL) AS people
        FROM grids g ORDER BY g.number
        """,
    )


# People serving a grid now: a role row still open, held by a person not removed.
_SERVING = "r.until IS NULL AND p.removed_at IS NULL"


def grid_people(conn: sqlite3.Connection, number: int | None) -> list[Row]:
    """(role, id, name, phone) of everyone serving the grid (None: the whole district)."""
    return rows(
        conn,
        f"""
        SELECT r.role, p.id, p.name, p.phone, p.mobile_party_member
        FROM person_roles r JOIN people p ON p.id = r.person_id
        WHERE r.grid IS ? AND {_SERVING}
        ORDER BY r.role, p.id
        """,
        (number,),
    )


def unit_counts(conn: sqlite3.Connection, number: int) -> list[Row]:
    """Active units of a grid counted by kind and (for merchants) category."""
    return rows(
        conn,
        """
        SELECT kind, category, count(*) AS count FROM units
        WHERE grid = ? AND retired_at IS NULL
        GROUP BY kind, category ORDER BY kind, category
        """,
        (number,),
    )


def open_issues(conn: sqlite3.Connection, number: int) -> list[Row]:
    """The grid's work orders not yet handled or cancelled, the earliest due first."""
    return rows(
        conn,
        """
        SELECT id, title, category, status, reported_at, due_at FROM issues
        WHERE grid = ? AND status IN ('open', 'dispatched', 'in_progress')
            AND voided_at IS NULL
        ORDER BY due_at IS NULL, due_at, id
        """,
        (number,),
    )


def issue_stats(conn: sqlite3.Connection, start: str, end: str, due_before: str) -> list[Row]:
    """Per grid: work orders reported in [start, end) and not cancelled before `end`; those
    handled (resolved or closed) before `end`; and those unhandled at `end` and past due
    at `due_before`."""
    return rows(
        conn,
        """
        WITH collected AS (
            SELECT grid, due_at,
                   CASE WHEN status IN ('resolved', 'closed')
                        THEN coalesce(resolved_at, closed_at) END AS handled_at
            FROM issues
            WHERE reported_at >= :start AND reported_at < :end
              AND NOT (cancelled_at IS NOT NULL AND cancelled_at < :end)
              AND voided_at IS NULL AND duplicate_of IS NULL -- they never count
        )
        SELECT grid, count(*) AS collected,
               coalesce(sum(handled_at < :end), 0) AS handled,
               coalesce(sum(coalesce(handled_at >= :end, 1) AND due_at < :due), 0) AS overdue
        FROM collected GROUP BY grid ORDER BY grid
        """,
        {"start": start, "end": end, "due": due_before},
    )


_ACTIVE_IN_PERIOD = """
    r.since < :end_day AND (r.until IS NULL OR r.until > :start)
    AND (p.removed_at IS NULL OR p.removed_at > :start)
"""


def people_active(conn: sqlite3.Connection, start: str, end_day: str) -> list[Row]:
    """Per grid (None: the whole district), the people who served it at some time in
    (start, end_day): started before its end day, neither left nor were removed by its start."""
    return rows(
        conn,
        f"""
        SELECT r.grid, count(DISTINCT r.person_id) AS people
        FROM person_roles r JOIN people p ON p.id = r.person_id
        WHERE {_ACTIVE_IN_PERIOD}
        GROUP BY r.grid ORDER BY r.grid
        """,
        {"start": start, "end_day": end_day},
    )


def people_active_total(conn: sqlite3.Connection, start: str, end_day: str) -> int:
    found = conn.execute(
        f"""
        SELECT count(DISTINCT r.person_id)
        FROM person_roles r JOIN people p ON p.id = r.person_id
        WHERE {_ACTIVE_IN_PERIOD}
        """,
        {"start": start, "end_day": end_day},
    ).fetchone()
    return int(found[0])
