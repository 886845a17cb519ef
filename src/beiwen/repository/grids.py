"""Grids (网格) and the counts that hang off them."""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, one, rows


def insert_grid(conn: sqlite3.Connection, grid: Row) -> None:
    conn.execute(
        "INSERT INTO grids (number, name, branch, area, created_at) "
        "VALUES (:number, :name, :branch, :area, :created_at)",
        grid,
    )


def update_grid(conn: sqlite3.Connection, number: int, changes: Row) -> None:
    assignments = ", ".join(f"{column} = :{column}" for column in changes)
    conn.execute(
        f"UPDATE grids SET {assignments} WHERE number = :number", {**changes, "number": number}
    )


def get_grid(conn: sqlite3.Connection, number: int) -> Row | None:
    return one(conn, "SELECT * FROM grids WHERE number = ?", (number,))


def grid_numbers(conn: sqlite3.Connection) -> list[int]:
    return [row[0] for row in conn.execute("SELECT number FROM grids ORDER BY number")]


def list_grids(conn: sqlite3.Connection) -> list[Row]:
    return rows(
        conn,
        """
        SELECT g.number, g.name, g.branch, g.area,
               (SELECT count(*) FROM units u WHERE u.grid = g.number AND u.retired_at IS NULL)
                   AS units
        FROM grids g ORDER BY g.number
        """,
    )
