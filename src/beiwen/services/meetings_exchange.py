"""Joint meetings in and out of spreadsheets: `meeting import`, `meeting decision import`
(through the one import pipeline, services/importing.py) and the rows of their exports, in
the columns the imports read back unchanged."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from beiwen.errors import BeiwenError
from beiwen.parsing import iso, now
from beiwen.repository import Row
from beiwen.repository import meetings as repo
from beiwen.services import refs
from beiwen.services.importing import ImportSpec, ImportSummary, RowOutcome, run_import
from beiwen.services.meetings import validate_decision, validate_meeting

MEETING_COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "会议日期", "召开日期", "时间"),
    "host": ("主持单位", "轮值单位", "轮值书记单位", "承办单位", "host_unit"),
    "topic": ("议题", "会议议题", "主题", "会议主题"),
    "attendees": ("参会单位", "出席单位", "参加单位", "attend"),
    "note": ("备注", "会议纪要", "纪要"),
}
DECISION_COLUMNS: dict[str, tuple[str, ...]] = {
    "meeting": ("会议", "会议日期", "会议编号", "meeting_date", "meeting_id"),
    "text": ("议定事项", "决议事项", "决议", "事项", "内容"),
    "owner": ("责任单位", "牵头单位", "承办单位", "owner_unit"),
    "due": ("完成时限", "办结时限", "时限", "期限"),
    "done_at": ("完成时间", "办结时间", "完成日期"),
    "done_note": ("完成情况", "办理情况", "办结情况"),
}
_SEPARATORS = re.compile(r"[、;；,，\n]+")


def meeting_spec(conn: sqlite3.Connection) -> ImportSpec:
    """A meeting log: one row per meeting, matched to stored ones by date and topic."""
    stamp = iso(now())

    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        fields = {k: v for k, v in raw.items() if k != "attendees"}
        attend = _SEPARATORS.split(raw.get("attendees", ""))
        clean, reasons, _ = validate_meeting(conn, fields, attend)
        return clean, reasons

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        attendee_ids = clean.pop("attendee_ids")
        existing = repo.meeting_by_date_topic(conn, clean["date"], clean["topic"])
        if existing is None:
            meeting_id = repo.insert_meeting(conn, {**clean, "created_at": stamp})
            repo.set_attendance(conn, meeting_id, attendee_ids)
            return "inserted"
        changes = {k: v for k, v in clean.items() if existing.get(k) != v}
        same = repo.attendee_ids(conn, existing["id"]) == attendee_ids
        if not changes and same:
            return "unchanged"
        repo.update_meeting(conn, existing["id"], changes)
        if not same:
            repo.set_attendance(conn, existing["id"], attendee_ids)
        return "updated"

    return ImportSpec(
        columns=MEETING_COLUMNS,
        required=("date", "topic"),
        validate=validate,
        key=lambda clean: ("date/topic", f"{clean['date']} {clean['topic']}"),
        write=write,
    )


def decision_spec(conn: sqlite3.Connection) -> ImportSpec:
    """Decisions: one row per decision, its meeting by id or by date, matched to stored
    ones by meeting and text."""
    stamp = iso(now())

    def validate(raw: dict[str, str]) -> tuple[Row, list[str]]:
        try:
            meeting = refs.meeting(conn, raw.get("meeting", ""), "meeting")
        except BeiwenError as error:
            return {}, [error.message]
        fields = {k: v for k, v in raw.items() if k not in ("meeting", "owner")}
        fields["owner_unit_id"] = raw.get("owner", "")
        clean, reasons = validate_decision(conn, meeting, fields)
        clean["meeting_id"] = meeting["id"]
        return clean, reasons

    def write(conn: sqlite3.Connection, clean: Row) -> RowOutcome:
        existing = repo.decision_by_text(conn, clean["meeting_id"], clean["text"])
        if existing is None:
            repo.insert_decision(conn, {**clean, "created_at": stamp})
            return "inserted"
        changes = {k: v for k, v in clean.items() if existing.get(k) != v}
        if not changes:
            return "unchanged"
        repo.update_decision(conn, existing["id"], changes)
        return "updated"

    return ImportSpec(
        columns=DECISION_COLUMNS,
        required=("meeting", "text", "owner"),
        validate=validate,
        key=lambda clean: ("meeting/text", f"{clean['meeting_id']} {clean['text']}"),
        write=write,
    )


def import_meetings(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, meeting_spec(conn), **options)


def import_decisions(conn: sqlite3.Connection, path: Path, **options: Any) -> ImportSummary:
    return run_import(conn, path, decision_spec(conn), **options)


def demo_meetings(conn: sqlite3.Connection, folder: Path) -> int:
    """The demo year's joint meetings, then their decisions."""
    held = import_meetings(conn, folder / "meetings_2024.csv").inserted
    import_decisions(conn, folder / "meeting_decisions_2024.csv")
    return held


def meeting_export_rows(
    conn: sqlite3.Connection, month: str | None = None, year: str | None = None
) -> list[Row]:
    """Meetings in the columns `meeting import` reads: date, host, topic, attendees, note."""
    from beiwen.services.meetings import list_meetings

    return [
        {
            "id": row["id"],
            "date": row["date"],
            "host": row["host_unit"],
            "topic": row["topic"],
            "attendees": row["attendees"],
            "note": row["note"],
        }
        for row in list_meetings(conn, month=month, year=year)
    ]


def decision_export_rows(
    conn: sqlite3.Connection, month: str | None = None, year: str | None = None
) -> list[Row]:
    """Decisions in the columns `meeting decision import` reads, the meeting by its date."""
    from beiwen.services.meetings import list_decisions

    return [
        {
            "id": row["id"],
            "meeting": row["meeting_date"],
            "text": row["text"],
            "owner": row["owner_unit"],
            "due": row["due"],
            "done_at": row["done_at"],
            "done_note": row["done_note"],
            "issue_id": row["issue_id"],
            "need_id": row["need_id"],
        }
        for row in list_decisions(conn, month=month, year=year)
    ]
