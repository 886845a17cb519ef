"""The rotation (轮值书记): who holds which month, the log of changes, the council's order."""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, insert, one, rows, where_clause

# The rotation order: an explicit position first (beiwen rotation order), then the order the
# units joined the council. The same expression orders `units list --council`.
ORDER_BY = "coalesce(u.rotation_order, 1e9), u.council_since, u.id"


def active_council(conn: sqlite3.Connection) -> list[Row]:
    """Council units that are not retired, in rotation order."""
    return rows(
        conn,
        "SELECT u.id, u.name, u.rotation_order, u.council_since FROM units u "
        f"WHERE u.council = 1 AND u.retired_at IS NULL ORDER BY {ORDER_BY}",
    )


def assignments(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """The assigned months from `start` to `end` (inclusive), with the holder's name and status."""
    return rows(
        conn,
        "SELECT r.month, r.unit_id, u.name AS unit, r.note, r.assigned_at, "
        "u.council, u.retired_at FROM rotation r JOIN units u ON u.id = r.unit_id "
        "WHERE r.month BETWEEN ? AND ? ORDER BY r.month",
        (start, end),
    )


def assignment(conn: sqlite3.Connection, month: str) -> Row | None:
    found = assignments(conn, month, month)
    return found[0] if found else None


def last_active_holder_before(conn: sqlite3.Connection, month: str) -> int | None:
    """The unit of the latest month before `month` whose holder is still an active member."""
    row = one(
        conn,
        "SELECT r.unit_id FROM rotation r JOIN units u ON u.id = r.unit_id "
        "WHERE r.month < ? AND u.council = 1 AND u.retired_at IS NULL "
        "ORDER BY r.month DESC LIMIT 1",
        (month,),
    )
    return row["unit_id"] if row else None


def months_held_after(conn: sqlite3.Connection, unit_id: int, month: str) -> list[str]:
    return [
        row["month"]
        for row in rows(
            conn,
            "SELECT month FROM rotation WHERE unit_id = ? AND month > ? ORDER BY month",
            (unit_id, month),
        )
    ]


def put_assignment(
    conn: sqlite3.Connection, month: str, unit_id: int, note: str | None, at: str
) -> None:
    conn.execute(
        "INSERT INTO rotation (month, unit_id, note, assigned_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (month) DO UPDATE SET unit_id = excluded.unit_id, note = excluded.note, "
        "assigned_at = excluded.assigned_at",
        (month, unit_id, note, at),
    )


def delete_assignment(conn: sqlite3.Connection, month: str) -> None:
    conn.execute("DELETE FROM rotation WHERE month = ?", (month,))


def insert_history(conn: sqlite3.Connection, event: Row) -> None:
    insert(conn, "rotation_history", event)


def history(
    conn: sqlite3.Connection, month: str | None = None, unit_id: int | None = None
) -> list[Row]:
    where: list[str] = []
    params: list[object] = []
    if month is not None:
        where.append("(h.month = ? OR h.other_month = ?)")
        params += [month, month]
    if unit_id is not None:
        where.append("(h.unit_id = ? OR h.previous_unit_id = ?)")
        params += [unit_id, unit_id]
    clause = where_clause(where)
    return rows(
        conn,
        "SELECT h.id, h.at, h.action, h.month, h.unit_id, u.name AS unit, "
        "h.previous_unit_id, p.name AS previous_unit, h.other_month, h.note "
        "FROM rotation_history h LEFT JOIN units u ON u.id = h.unit_id "
        f"LEFT JOIN units p ON p.id = h.previous_unit_id {clause} ORDER BY h.id",
        tuple(params),
    )


def set_rotation_order(
    conn: sqlite3.Connection, unit_id: int, position: int | None, at: str
) -> None:
    conn.execute(
        "UPDATE units SET rotation_order = ?, updated_at = ? WHERE id = ?",
        (position, at, unit_id),
    )


def month_changes(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """The recorded changes of each month from `start` to `end` (inclusive) that has any:
    how many (a swap is one change of each of its two months), the time of the first and
    of the last, and the last one's note."""
    return rows(
        conn,
        "SELECT h.month, count(*) AS changes, min(h.at) AS first_at, max(h.at) AS last_at, "
        "(SELECT l.note FROM rotation_history l WHERE l.month = h.month "
        "ORDER BY l.at DESC, l.id DESC LIMIT 1) AS last_note "
        "FROM rotation_history h WHERE h.month BETWEEN ? AND ? GROUP BY h.month ORDER BY h.month",
        (start, end),
    )
