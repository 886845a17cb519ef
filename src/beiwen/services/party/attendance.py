"""Who attended a session of Party life: an activity of kind `party_day` that is a 主题党日
or one of 三会一课 (`party_meetings.session`). Attendees are members of the register on the
activity's day, given by name (`party attend`) or in a sign-in sheet (`party sign-in`,
through the one import pipeline). A name recorded twice counts once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from beiwen import db
from beiwen.errors import BeiwenError, ConflictError, NotFoundError
from beiwen.i18n import t
from beiwen.parsing import iso, now
from beiwen.privacy import in_message, parse_person_phone
from beiwen.repository import Row
from beiwen.repository import party as repo
from beiwen.repository import people as people_repo
from beiwen.services import refs
from beiwen.services.party.fields import parse_session, raise_first

if TYPE_CHECKING:
    from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome

SIGN_IN_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "党员姓名"),
    "phone": ("电话", "联系电话", "手机", "手机号"),
}


def party_activity(conn: sqlite3.Connection, ref: str) -> Row:
    """The activity, which must be a session of Party life (kind party_day) not removed: by
    id, else by its exact title (the latest of that title)."""
    found = repo.party_day_titled(conn, ref.strip()) if refs.number(ref) is None else None
    activity = found or refs.activity(conn, ref)
    if activity["removed_at"]:
        raise ConflictError(
            t("activities.removed", id=activity["id"], at=activity["removed_at"][:10])
        )
    if activity["kind"] != "party_day":
        raise ConflictError(t("party.not_party_day", id=activity["id"], title=activity["title"]))
    return activity


def _session(conn: sqlite3.Connection, activity: Row, session: str | None) -> str:
    """Store the session's kind when given (else 主题党日 the first time); return it."""
    stored = repo.session_of(conn, activity["id"])
    key = parse_session(session) if session is not None else None
    if key is None:
        key = stored["session"] if stored else "theme_day"
    if stored is None or stored["session"] != key:
        repo.set_session(conn, activity["id"], key)
    return key


def _member_on(conn: sqlite3.Connection, person: Row, activity: Row) -> Row:
    member = repo.member_on(conn, person["id"], activity["date"])
    if member is None:
        raise NotFoundError(
            t("party.not_member_on", name=person["name"], id=person["id"], date=activity["date"])
        )
    return member


def _record(
    conn: sqlite3.Connection, activity: Row, person_id: int, member_id: int, stamp: str
) -> bool:
    if repo.attended(conn, activity["id"], person_id):
        return False
    repo.add_attendance(
        conn,
        {
            "activity_id": activity["id"],
            "person_id": person_id,
            "member_id": member_id,
            "recorded_at": stamp,
        },
    )
    return True


def attend(
    conn: sqlite3.Connection, ref: str, names: list[str], session: str | None
) -> dict[str, Any]:
    """Record the members named as attending; every name must be a member on the day, or
    nothing is written."""
    stamp = iso(now())
    with db.write(conn):
        activity = party_activity(conn, ref)
        key = _session(conn, activity, session)
        reasons: list[str] = []
        found: list[tuple[int, int]] = []
        for name in names:
            try:
                person = refs.person(conn, name)
                found.append((person["id"], _member_on(conn, person, activity)["id"]))
            except BeiwenError as error:
                reasons.append(error.message)
        raise_first(reasons)
        added = sum(_record(conn, activity, pid, mid, stamp) for pid, mid in dict(found).items())
        total = repo.attendance_count(conn, activity["id"])
    return {"activity": activity, "session": key, "added": added, "total": total}


def sign_in_spec(conn: sqlite3.Connection, ref: str, session: str | None) -> ImportSpec:
    """A sign-in sheet (签到表) of one session: a name per row, with a phone when two members
    share the name."""
    from beiwen.services.importing import ImportSpec

    activity = party_activity(conn, ref)
    stamp = iso(now())
    chosen = parse_session(session) if session is not None else None

    def validate(raw: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
        name = raw.get("name", "").strip()
        if not name:
            return {}, [t("party.required", field="name")]
        try:
            if raw.get("phone", "").strip():
                phone = parse_person_phone(raw["phone"], "phone")
                person = people_repo.active_person_by_name_phone(conn, name, phone)
                if person is None:
                    raise NotFoundError(
                        t("people.not_found", ref=f"{name} {in_message('phone', phone)}")
                    )
            else:
                person = refs.person(conn, name)
            member = _member_on(conn, person, activity)
        except BeiwenError as error:
            return {}, [error.message]
        return {"person_id": person["id"], "member_id": member["id"], "name": name}, []

    def write(conn: sqlite3.Connection, clean: dict[str, Any]) -> RowOutcome:
        if chosen is not None or repo.session_of(conn, activity["id"]) is None:
            repo.set_session(conn, activity["id"], chosen or "theme_day")
        added = _record(conn, activity, clean["person_id"], clean["member_id"], stamp)
        return "inserted" if added else "unchanged"

    return ImportSpec(
        columns=SIGN_IN_COLUMNS,
        required=("name",),
        validate=validate,
        key=lambda clean: ("person", str(clean["person_id"])),
        write=write,
        shown_key=lambda clean: str(clean["name"]),
    )


def sign_in(
    conn: sqlite3.Connection, ref: str, path: Path, session: str | None = None, **options: Any
) -> ImportSummary:
    from beiwen.services.importing import run_import

    return run_import(conn, path, sign_in_spec(conn, ref, session), **options)
