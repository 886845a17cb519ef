"""The three lists: needs (需求清单) and their event log, resources (资源清单), projects
(项目清单) and the needs and resources each project links."""

from __future__ import annotations

import json
import sqlite3

from beiwen.repository import Row, conditions, insert, one, rows, scalar, update, where_clause

_NEED = """
SELECT n.*, u.name AS from_unit, h.name AS holder, g.name AS grid_name,
       (SELECT group_concat(project_id, ',') FROM project_needs pn
         WHERE pn.need_id = n.id) AS projects
FROM needs n JOIN units u ON u.id = n.from_unit_id
LEFT JOIN units h ON h.id = n.holder_id
LEFT JOIN grids g ON g.number = n.grid
"""

# --- needs -------------------------------------------------------------------------------


def insert_need(conn: sqlite3.Connection, need: Row) -> int:
    return insert(conn, "needs", need)


def update_need(conn: sqlite3.Connection, need_id: int, changes: Row) -> None:
    update(conn, "needs", need_id, changes)


def get_need(conn: sqlite3.Connection, need_id: int) -> Row | None:
    return one(conn, f"{_NEED} WHERE n.id = ?", (need_id,))


def need_search_ids(conn: sqlite3.Connection, text: str) -> list[int]:
    """The needs whose title or description holds `text` (`need list --search`): the one
    place a full-text index would answer instead."""
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return [
        int(row["id"])
        for row in rows(
            conn,
            "SELECT id FROM needs WHERE title LIKE :p ESCAPE '\\' "
            "OR coalesce(description, '') LIKE :p ESCAPE '\\' ORDER BY id",
            {"p": pattern},
        )
    ]


def list_needs(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    kind: str | None = None,
    start: str | None = None,
    end: str | None = None,
    ids: list[int] | None = None,
    include_cancelled: bool = True,
) -> list[Row]:
    """Needs by the day they were raised; `start`/`end` are days, the range [start, end)."""
    params: dict[str, object] = {"status": status, "kind": kind, "start": start, "end": end}
    tests = {
        "status": "n.status = :status",
        "kind": "n.kind = :kind",
        "start": "n.day >= :start",
        "end": "n.day < :end",
    }
    where = conditions(tests, params)
    if ids is not None:
        params["ids"] = json.dumps(ids)
        where.append("n.id IN (SELECT value FROM json_each(:ids))")
    if not include_cancelled:
        where.append("n.status <> 'cancelled'")
    return rows(conn, f"{_NEED} {where_clause(where)} ORDER BY n.day, n.id", params)


def all_needs(conn: sqlite3.Connection) -> list[Row]:
    return rows(conn, f"{_NEED} ORDER BY n.id")


def need_by_title(conn: sqlite3.Connection, title: str, unit_id: int) -> Row | None:
    return one(
        conn, f"{_NEED} WHERE n.title = ? AND n.from_unit_id = ? ORDER BY n.id", (title, unit_id)
    )


def insert_need_event(conn: sqlite3.Connection, event: Row) -> int:
    return insert(conn, "need_events", event)


def need_events(conn: sqlite3.Connection, need_id: int) -> list[Row]:
    return rows(
        conn,
        """
        SELECT e.*, u.name AS unit, p.title AS project
        FROM need_events e LEFT JOIN units u ON u.id = e.unit_id
        LEFT JOIN projects p ON p.id = e.project_id
        WHERE e.need_id = ? ORDER BY e.day, e.id
        """,
        (need_id,),
    )


def last_step_day(conn: sqlite3.Connection, need_id: int) -> str | None:
    """The day of the need's latest step (corrections aside)."""
    found = scalar(
        conn,
        "SELECT max(day) FROM need_events WHERE need_id = ? AND action <> 'edit'",
        (need_id,),
    )
    return str(found) if found is not None else None


def transfer_day(conn: sqlite3.Connection, need_id: int, unit_id: int) -> str | None:
    """The latest day the need was passed to `unit_id`, or None if it never was."""
    found = scalar(
        conn,
        "SELECT max(day) FROM need_events WHERE need_id = ? AND action = 'transfer'"
        " AND unit_id = ?",
        (need_id, unit_id),
    )
    return str(found) if found is not None else None


# --- resources ---------------------------------------------------------------------------

_RESOURCE = """
SELECT r.*, u.name AS unit,
       (SELECT count(*) FROM project_resources pr JOIN projects p ON p.id = pr.project_id
         WHERE pr.resource_id = r.id AND p.status <> 'cancelled') AS used
FROM resources r JOIN units u ON u.id = r.unit_id
"""


def insert_resource(conn: sqlite3.Connection, resource: Row) -> int:
    return insert(conn, "resources", resource)


def update_resource(conn: sqlite3.Connection, resource_id: int, changes: Row) -> None:
    update(conn, "resources", resource_id, changes)


def get_resource(conn: sqlite3.Connection, resource_id: int) -> Row | None:
    return one(conn, f"{_RESOURCE} WHERE r.id = ?", (resource_id,))


def resource_by_title(conn: sqlite3.Connection, title: str, unit_id: int) -> Row | None:
    return one(
        conn,
        f"{_RESOURCE} WHERE r.title = ? AND r.unit_id = ? AND r.retired_at IS NULL ORDER BY r.id",
        (title, unit_id),
    )


def list_resources(
    conn: sqlite3.Connection,
    *,
    kind: str | None = None,
    topic: str | None = None,
    unit_id: int | None = None,
    include_retired: bool = False,
) -> list[Row]:
    params = {"kind": kind, "topic": topic, "unit_id": unit_id}
    tests = {
        "kind": "r.kind = :kind",
        "topic": "r.topic = :topic",
        "unit_id": "r.unit_id = :unit_id",
    }
    where = conditions(tests, params)
    if not include_retired:
        where.append("r.retired_at IS NULL")
    return rows(conn, f"{_RESOURCE} {where_clause(where)} ORDER BY r.id", params)


def projects_using(conn: sqlite3.Connection, resource_id: int) -> list[Row]:
    return rows(
        conn,
        "SELECT p.id, p.title, p.status FROM project_resources pr"
        " JOIN projects p ON p.id = pr.project_id WHERE pr.resource_id = ? ORDER BY p.id",
        (resource_id,),
    )


# --- projects ----------------------------------------------------------------------------

_PROJECT = """
SELECT p.*, u.name AS lead_unit,
       (SELECT group_concat(need_id, ',') FROM (SELECT need_id FROM project_needs
         WHERE project_id = p.id ORDER BY rowid)) AS needs,
       (SELECT group_concat(resource_id, ',') FROM (SELECT resource_id FROM project_resources
         WHERE project_id = p.id ORDER BY rowid)) AS resources
FROM projects p JOIN units u ON u.id = p.lead_unit_id
"""


def insert_project(conn: sqlite3.Connection, project: Row) -> int:
    return insert(conn, "projects", project)


def update_project(conn: sqlite3.Connection, project_id: int, changes: Row) -> None:
    update(conn, "projects", project_id, changes)


def get_project(conn: sqlite3.Connection, project_id: int) -> Row | None:
    return one(conn, f"{_PROJECT} WHERE p.id = ?", (project_id,))


def list_projects(
    conn: sqlite3.Connection,
    *,
    status: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> list[Row]:
    params = {"status": status, "start": start, "end": end}
    tests = {"status": "p.status = :status", "start": "p.day >= :start", "end": "p.day < :end"}
    where = conditions(tests, params)
    return rows(conn, f"{_PROJECT} {where_clause(where)} ORDER BY p.day, p.id", params)


def link_need(conn: sqlite3.Connection, project_id: int, need_id: int) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO project_needs (project_id, need_id) VALUES (?, ?)",
        (project_id, need_id),
    )


def link_resource(conn: sqlite3.Connection, project_id: int, resource_id: int) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO project_resources (project_id, resource_id) VALUES (?, ?)",
        (project_id, resource_id),
    )


def project_needs(conn: sqlite3.Connection, project_id: int) -> list[Row]:
    return rows(
        conn,
        f"{_NEED} JOIN project_needs pn ON pn.need_id = n.id WHERE pn.project_id = ?"
        " ORDER BY pn.rowid",
        (project_id,),
    )


def project_resources(conn: sqlite3.Connection, project_id: int) -> list[Row]:
    return rows(
        conn,
        f"{_RESOURCE} JOIN project_resources pr ON pr.resource_id = r.id"
        " WHERE pr.project_id = ? ORDER BY pr.rowid",
        (project_id,),
    )


def projects_of_need(conn: sqlite3.Connection, need_id: int) -> list[Row]:
    return rows(
        conn,
        "SELECT p.id, p.title, p.status FROM project_needs pn"
        " JOIN projects p ON p.id = pn.project_id WHERE pn.need_id = ? ORDER BY p.id",
        (need_id,),
    )
