"""Courses (课程), their terms (期), classes (堂) and the named attendees of a class."""

from __future__ import annotations

import sqlite3

from beiwen.repository import Row, conditions, insert, one, rows, scalar, update, where_clause

# A class as every reader sees it: the head count is the roster's size when the class has a
# roster, else the number recorded by hand (NULL when nobody counted).
_CLASS_VIEW = """
SELECT base.*,
       CASE WHEN base.roster > 0 THEN base.roster ELSE base.recorded_attendance END
           AS attendance,
       CASE WHEN base.roster > 0 THEN 'roster'
            WHEN base.recorded_attendance IS NOT NULL THEN 'count' END AS attendance_source
FROM (
    SELECT c.id, c.course_id, co.name AS course, c.term_id, tm.name AS term, c.starts_at,
           c.status, coalesce(c.venue, co.venue) AS venue, c.venue AS own_venue,
           c.attendance AS recorded_attendance,
           (SELECT count(*) FROM class_attendees a WHERE a.class_id = c.id) AS roster,
           co.capacity, c.note
    FROM course_classes c
    JOIN courses co ON co.id = c.course_id
    LEFT JOIN course_terms tm ON tm.id = c.term_id
) AS base
"""

_COURSE_SELECT = """
SELECT co.*, u.name AS partner_unit,
       coalesce(u.name, co.partner_text) AS partner
FROM courses co LEFT JOIN units u ON u.id = co.partner_unit_id
"""


# Courses ---------------------------------------------------------------------------------


def insert_course(conn: sqlite3.Connection, course: Row) -> int:
    return insert(conn, "courses", course)


def update_course(conn: sqlite3.Connection, course_id: int, changes: Row) -> None:
    update(conn, "courses", course_id, changes)


def get_course(conn: sqlite3.Connection, course_id: int) -> Row | None:
    return one(conn, f"{_COURSE_SELECT} WHERE co.id = ?", (course_id,))


def course_by_name(conn: sqlite3.Connection, name: str) -> Row | None:
    return one(conn, f"{_COURSE_SELECT} WHERE co.name = ?", (name,))


def list_courses(conn: sqlite3.Connection, category: str | None = None) -> list[Row]:
    """Courses with their terms and class counts; attendance sums over held classes."""
    where = "WHERE co.category = :category" if category else ""
    return rows(
        conn,
        f"""
        SELECT co.id, co.name, co.category, coalesce(u.name, co.partner_text) AS partner,
               co.teacher, co.venue, co.capacity,
               (SELECT count(*) FROM course_terms tm WHERE tm.course_id = co.id) AS terms,
               coalesce(s.held, 0) AS held, coalesce(s.planned, 0) AS planned,
               coalesce(s.counted, 0) AS counted, coalesce(s.attendance, 0) AS attendance
        FROM courses co
        LEFT JOIN units u ON u.id = co.partner_unit_id
        LEFT JOIN (
            SELECT course_id,
                   sum(status = 'held') AS held,
                   sum(status = 'planned') AS planned,
                   sum(status = 'held' AND attendance IS NOT NULL) AS counted,
                   sum(CASE WHEN status = 'held' THEN attendance END) AS attendance
            FROM ({_CLASS_VIEW}) GROUP BY course_id
        ) s ON s.course_id = co.id
        {where}
        ORDER BY co.id
        """,
        {"category": category},
    )


def delete_course(conn: sqlite3.Connection, course_id: int) -> None:
    """The course and its terms; the caller has checked that nothing else refers to them."""
    conn.execute("DELETE FROM course_terms WHERE course_id = ?", (course_id,))
    conn.execute("DELETE FROM courses WHERE id = ?", (course_id,))


# Terms -----------------------------------------------------------------------------------


def insert_term(conn: sqlite3.Connection, term: Row) -> int:
    return insert(conn, "course_terms", term)


def update_term(conn: sqlite3.Connection, term_id: int, changes: Row) -> None:
    update(conn, "course_terms", term_id, changes)


def get_term(conn: sqlite3.Connection, term_id: int) -> Row | None:
    return one(conn, "SELECT * FROM course_terms WHERE id = ?", (term_id,))


def term_by_name(conn: sqlite3.Connection, course_id: int, name: str) -> Row | None:
    return one(
        conn, "SELECT * FROM course_terms WHERE course_id = ? AND name = ?", (course_id, name)
    )


def terms_of(conn: sqlite3.Connection, course_id: int) -> list[Row]:
    """The terms of a course with their class counts and attendance over held classes."""
    return rows(
        conn,
        f"""
        SELECT tm.id, tm.name, tm.start_date, tm.end_date,
               coalesce(sum(v.status = 'held'), 0) AS held,
               coalesce(sum(v.status = 'planned'), 0) AS planned,
               coalesce(sum(CASE WHEN v.status = 'held' THEN v.attendance END), 0) AS attendance
        FROM course_terms tm
        LEFT JOIN ({_CLASS_VIEW}) v ON v.term_id = tm.id
        WHERE tm.course_id = ?
        GROUP BY tm.id
        ORDER BY tm.start_date, tm.id
        """,
        (course_id,),
    )


def term_covering(conn: sqlite3.Connection, course_id: int, day: str) -> Row | None:
    """The term of the course whose dates include `day` (the latest-starting one)."""
    return one(
        conn,
        """
        SELECT * FROM course_terms
        WHERE course_id = :course AND start_date <= :day
              AND (end_date IS NULL OR end_date >= :day)
        ORDER BY start_date DESC, id DESC LIMIT 1
        """,
        {"course": course_id, "day": day},
    )


# Classes ---------------------------------------------------------------------------------


def insert_class(conn: sqlite3.Connection, course_class: Row) -> int:
    return insert(conn, "course_classes", course_class)


def update_class(conn: sqlite3.Connection, class_id: int, changes: Row) -> None:
    update(conn, "course_classes", class_id, changes)


def mark_held(conn: sqlite3.Connection, class_id: int) -> None:
    """A planned class becomes held (a held or cancelled one is left as it is)."""
    conn.execute(
        "UPDATE course_classes SET status = 'held' WHERE id = ? AND status = 'planned'",
        (class_id,),
    )


def get_class(conn: sqlite3.Connection, class_id: int) -> Row | None:
    return one(conn, f"SELECT * FROM ({_CLASS_VIEW}) WHERE id = ?", (class_id,))


def classes_on_day(conn: sqlite3.Connection, course_id: int, day: str) -> list[Row]:
    """The classes of a course that start on `day` (YYYY-MM-DD), any status."""
    return rows(
        conn,
        f"SELECT * FROM ({_CLASS_VIEW}) WHERE course_id = ? AND substr(starts_at, 1, 10) = ? "
        "ORDER BY starts_at, id",
        (course_id, day),
    )


def list_classes(
    conn: sqlite3.Connection,
    *,
    start: str | None = None,
    end: str | None = None,
    course_id: int | None = None,
    status: str | None = None,
) -> list[Row]:
    """Classes in time order; `start`/`end` are dates, the range is [start, end)."""
    params = {"start": start, "end": end, "course": course_id, "status": status}
    tests = {
        "start": "starts_at >= :start",
        "end": "starts_at < :end",
        "course": "course_id = :course",
        "status": "status = :status",
    }
    clause = where_clause(conditions(tests, params))
    return rows(conn, f"SELECT * FROM ({_CLASS_VIEW}) {clause} ORDER BY starts_at, id", params)


def held_by_course(conn: sqlite3.Connection, start: str, end: str) -> list[Row]:
    """Per course: held classes, the terms they belong to and their attendance in [start, end)."""
    return rows(
        conn,
        f"""
        SELECT v.course_id, co.name AS course, co.category, co.capacity,
               count(*) AS classes, count(DISTINCT v.term_id) AS terms,
               count(v.attendance) AS counted, coalesce(sum(v.attendance), 0) AS attendance
        FROM ({_CLASS_VIEW}) v JOIN courses co ON co.id = v.course_id
        WHERE v.status = 'held' AND v.starts_at >= ? AND v.starts_at < ?
        GROUP BY v.course_id
        ORDER BY v.course_id
        """,
        (start, end),
    )


# Attendees -------------------------------------------------------------------------------


def attendees_of(conn: sqlite3.Connection, class_id: int) -> list[Row]:
    return rows(
        conn,
        "SELECT id, name, phone, person_id FROM class_attendees WHERE class_id = ? ORDER BY id",
        (class_id,),
    )


def has_attendee(conn: sqlite3.Connection, class_id: int, name: str, phone: str) -> bool:
    return (
        scalar(
            conn,
            "SELECT 1 FROM class_attendees WHERE class_id = ? AND name = ? AND phone = ?",
            (class_id, name, phone),
        )
        is not None
    )


def insert_attendee(conn: sqlite3.Connection, attendee: Row) -> int:
    return insert(conn, "class_attendees", attendee)


def sync_attendance(conn: sqlite3.Connection, class_id: int) -> None:
    """Store the roster's size as the class's head count, so that any reader of the table
    (not only the class view) counts the roster once a class has one."""
    conn.execute(
        """
        UPDATE course_classes
        SET attendance = (SELECT count(*) FROM class_attendees WHERE class_id = :id)
        WHERE id = :id AND EXISTS (SELECT 1 FROM class_attendees WHERE class_id = :id)
        """,
        {"id": class_id},
    )


def person_matching(conn: sqlite3.Connection, name: str, phone: str) -> int | None:
    """The id of the one active person with this name and phone, else None."""
    found = rows(
        conn,
        "SELECT id FROM people WHERE name = ? AND phone = ? AND removed_at IS NULL LIMIT 2",
        (name, phone),
    )
    return int(found[0]["id"]) if len(found) == 1 else None
