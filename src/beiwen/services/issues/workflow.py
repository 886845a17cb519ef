"""The work-order state machine and the checks that need no database.

The workflow of the article: the district finds a problem (商圈发现, `add`), the
sub-district blows the whistle (街道吹哨, `dispatch` to one or more departments), the
departments report in (部门报到, `accept`), it is solved by consultation (协商解决,
`resolve`) and a follow-up call records satisfaction (回访, `close`). A need can be passed
on to the competent department (转单, `transfer`).

TRANSITIONS below is the whole state machine: for each state, the actions it allows and
the state each leads to. Anything not in it is an illegal move and a clear error. Two
rules worth knowing:

- `resolve` is allowed from `open` (the district solved it on the spot, no whistle) and
  from `in_progress`, but not from `dispatched`: once a department has been whistled, it
  reports in before the order can be resolved.
- `reopen` (from resolved, closed or cancelled) goes back to `in_progress` when a
  department holding the order has reported in, else to `dispatched` when one holds it,
  else to `open`: for a cancelled order, the state it had before. It clears resolved_at,
  closed_at, satisfaction, cancelled_at and duplicate_of, so handled-ness always follows
  the latest state; the events keep the whole history.
- Corrections: `edit` (the facts) is allowed in every state; `duplicate` closes an order
  still to be handled as a duplicate of another (cancelled, with duplicate_of). `void`
  (作废, entered by mistake) is a flag beside the state, not a state: a voided order is in
  the pseudo-state VOIDED, which allows only `unvoid` (back to the state it keeps) and
  comments; `state_of` tells which row of TRANSITIONS applies.

Nothing here reads or writes SQLite: the moves (moves.py), the reads (queries.py) and the
import (exchange.py) call these rules with rows they have already fetched.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from beiwen.errors import ConflictError, InvalidInputError
from beiwen.i18n import t
from beiwen.parsing import iso, parse_datetime
from beiwen.vocab import ISSUE_STATUSES, display

# --- the state machine --------------------------------------------------------------------

STATES = tuple(ISSUE_STATUSES)  # open, dispatched, in_progress, resolved, closed, cancelled
ACTIONS = (
    "dispatch",
    "accept",
    "transfer",
    "resolve",
    "close",
    "reopen",
    "comment",
    "assign",
    "cancel",
    "edit",
    "void",
    "unvoid",
    "duplicate",
)
HANDLED = ("resolved", "closed")
# Still to be handled: open, dispatched, in_progress (the SQL side's
# repository.issues.ACTIVE_STATUSES names the same three, HANDLED_STATUSES the handled;
# the lists' overdue and handled flags are worked out there).
ACTIVE = tuple(state for state in STATES if state not in (*HANDLED, "cancelled"))

KEEP = "="  # the state does not change
BY_DEPARTMENTS = "*"  # in_progress if a holding department reported in, else dispatched, else open
VOIDED = "voided"  # the pseudo-state of an order entered by mistake (voided_at set)
# What every real state allows besides its own moves: correcting the facts, voiding.
_CORRECTIONS = {"edit": KEEP, "void": KEEP}

TRANSITIONS: dict[str, dict[str, str]] = {
    "open": {
        "dispatch": "dispatched",
        "transfer": "dispatched",
        "resolve": "resolved",
        "comment": KEEP,
        "assign": KEEP,
        "cancel": "cancelled",
        "duplicate": "cancelled",
        **_CORRECTIONS,
    },
    "dispatched": {
        "dispatch": KEEP,
        "accept": "in_progress",
        "transfer": BY_DEPARTMENTS,
        "comment": KEEP,
        "assign": KEEP,
        "cancel": "cancelled",
        "duplicate": "cancelled",
        **_CORRECTIONS,
    },
    "in_progress": {
        "dispatch": KEEP,
        "accept": KEEP,
        "transfer": BY_DEPARTMENTS,
        "resolve": "resolved",
        "comment": KEEP,
        "assign": KEEP,
        "cancel": "cancelled",
        "duplicate": "cancelled",
        **_CORRECTIONS,
    },
    "resolved": {"close": "closed", "reopen": BY_DEPARTMENTS, "comment": KEEP, **_CORRECTIONS},
    "closed": {"reopen": BY_DEPARTMENTS, "comment": KEEP, **_CORRECTIONS},
    "cancelled": {"reopen": BY_DEPARTMENTS, "comment": KEEP, **_CORRECTIONS},
    VOIDED: {"unvoid": KEEP, "comment": KEEP},
}


def state_of(issue: dict[str, Any]) -> str:
    """The row of TRANSITIONS that applies: VOIDED for a voided order, else its status."""
    return VOIDED if issue.get("voided_at") else str(issue["status"])


def illegal_move(issue_id: int, status: str, action: str) -> str:
    """The message for an action the state machine does not allow from `status`."""
    shown = display(ISSUE_STATUSES, status)
    if status == VOIDED:
        key = "issues.illegal.already_voided" if action == "void" else "issues.illegal.voided"
    elif action == "unvoid":
        key = "issues.illegal.not_voided"
    elif status == "cancelled":
        key = "issues.illegal.cancelled"
    elif action == "assign":
        key = "issues.illegal.assign"
    elif action == "reopen":
        key = "issues.illegal.not_handled"
    elif status in HANDLED:
        key = "issues.illegal.handled"
    elif action == "close":
        key = "issues.illegal.close"
    elif action == "accept":
        key = "issues.illegal.accept_open"
    else:
        assert (status, action) == ("dispatched", "resolve"), (status, action)
        key = "issues.illegal.resolve_dispatched"
    return t(key, id=issue_id, status=shown)


def check_move(issue: dict[str, Any], action: str) -> str:
    """The target of `action` from the issue's state (maybe KEEP or BY_DEPARTMENTS)."""
    state = state_of(issue)
    target = TRANSITIONS[state].get(action)
    if target is None:
        raise ConflictError(illegal_move(issue["id"], state, action))
    return target


def state_from_departments(holders: list[dict[str, Any]]) -> str:
    if any(holder["accepted_at"] for holder in holders):
        return "in_progress"
    return "dispatched" if holders else "open"


# --- checks that need no database ---------------------------------------------------------


def local_time(value: str | None) -> str:
    """`2024-08-03T09:30:00+08:00` -> `2024-08-03 09:30`, the form messages show."""
    return value[:16].replace("T", " ") if value else ""


def _moment(value: str | None, field: str, current: datetime) -> str:
    """An optional user-given time (default: now), never in the future, as stored text."""
    if value is None or not value.strip():
        return iso(current)
    moment = parse_datetime(value, field)
    if moment > current:
        raise InvalidInputError(
            t("issues.future", field=field, value=value, now=local_time(iso(current)))
        )
    return iso(moment)


def _note(value: str | None, field: str = "--note", required: bool = False) -> str | None:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInputError(t("issues.note_required", field=field))
    return text or None
