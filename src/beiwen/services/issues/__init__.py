"""Work orders (工单), one room per seam:

- `workflow`: the state machine (STATES, ACTIONS, TRANSITIONS, KEEP) and the checks that
  need no database;
- `moves`: the moves that write (add, dispatch, accept, transfer, resolve, close, reopen,
  comment, assign, cancel, deadlines), every event through the one `_record`;
- `queries`: list, show, the deadlines table;
- `exchange`: import and export, Open311 rows;
- `corrections`: edit, void, unvoid, duplicate (through `moves._record` too).

Every public name is importable from here (`from beiwen.services.issues import add_issue`),
its room loaded when a name of it is first asked for (PEP 562): `issue add` loads `moves`
and what it needs, not the import and export or the corrections. None of the rooms imports
a heavy library at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from beiwen.services.issues.corrections import (
        EDIT_OPTIONS,
        duplicate_issue,
        edit_issue,
        unvoid_issue,
        void_issue,
    )
    from beiwen.services.issues.exchange import (
        EXPORT_COLUMNS,
        IMPORT_COLUMNS,
        export_rows,
        import_issues,
        import_spec,
        open311_rows,
        open311_services,
        validate_history,
    )
    from beiwen.services.issues.moves import (
        ADD_OPTIONS,
        accept_issue,
        add_issue,
        assign_issue,
        cancel_issue,
        close_issue,
        comment_issue,
        dispatch_issue,
        reopen_issue,
        resolve_issue,
        set_deadline,
        transfer_issue,
        validate_issue,
    )
    from beiwen.services.issues.queries import (
        deadlines,
        issue_details,
        list_issues,
        month_bounds,
        stream_issues,
    )
    from beiwen.services.issues.workflow import (
        ACTIONS,
        ACTIVE,
        BY_DEPARTMENTS,
        HANDLED,
        KEEP,
        STATES,
        TRANSITIONS,
        check_move,
        illegal_move,
        local_time,
        state_from_departments,
    )

# name -> the room that defines it
_ROOMS = {
    "ACTIONS": "workflow",
    "ACTIVE": "workflow",
    "ADD_OPTIONS": "moves",
    "BY_DEPARTMENTS": "workflow",
    "EDIT_OPTIONS": "corrections",
    "EXPORT_COLUMNS": "exchange",
    "HANDLED": "workflow",
    "IMPORT_COLUMNS": "exchange",
    "KEEP": "workflow",
    "STATES": "workflow",
    "TRANSITIONS": "workflow",
    "accept_issue": "moves",
    "add_issue": "moves",
    "assign_issue": "moves",
    "cancel_issue": "moves",
    "check_move": "workflow",
    "close_issue": "moves",
    "comment_issue": "moves",
    "deadlines": "queries",
    "dispatch_issue": "moves",
    "duplicate_issue": "corrections",
    "edit_issue": "corrections",
    "export_rows": "exchange",
    "illegal_move": "workflow",
    "import_issues": "exchange",
    "import_spec": "exchange",
    "issue_details": "queries",
    "list_issues": "queries",
    "local_time": "workflow",
    "month_bounds": "queries",
    "open311_rows": "exchange",
    "open311_services": "exchange",
    "reopen_issue": "moves",
    "resolve_issue": "moves",
    "set_deadline": "moves",
    "state_from_departments": "workflow",
    "stream_issues": "queries",
    "transfer_issue": "moves",
    "unvoid_issue": "corrections",
    "validate_history": "exchange",
    "validate_issue": "moves",
    "void_issue": "corrections",
}
__all__ = [
    "ACTIONS",
    "ACTIVE",
    "ADD_OPTIONS",
    "BY_DEPARTMENTS",
    "EDIT_OPTIONS",
    "EXPORT_COLUMNS",
    "HANDLED",
    "IMPORT_COLUMNS",
    "KEEP",
    "STATES",
    "TRANSITIONS",
    "accept_issue",
    "add_issue",
    "assign_issue",
    "cancel_issue",
    "check_move",
    "close_issue",
    "comment_issue",
    "deadlines",
    "dispatch_issue",
    "duplicate_issue",
    "edit_issue",
    "export_rows",
    "illegal_move",
    "import_issues",
    "import_spec",
    "issue_details",
    "list_issues",
    "local_time",
    "month_bounds",
    "open311_rows",
    "open311_services",
    "reopen_issue",
    "resolve_issue",
    "set_deadline",
    "state_from_departments",
    "stream_issues",
    "transfer_issue",
    "unvoid_issue",
    "validate_history",
    "validate_issue",
    "void_issue",
]


def __getattr__(name: str) -> Any:
    room = _ROOMS.get(name)
    if room is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # __import__, not importlib.import_module: the same path as an import statement, which
    # `python -X importtime` lists (tests/test_imports_light.py reads that listing)
    value = getattr(__import__(f"{__name__}.{room}", fromlist=[name]), name)
    globals()[name] = value  # asked for once
    return value
