"""Work orders (工单), one room per seam:

- `workflow`: the state machine (STATES, ACTIONS, TRANSITIONS, KEEP) and the checks that
  need no database;
- `moves`: the moves that write (add, dispatch, accept, transfer, resolve, close, reopen,
  comment, assign, cancel, deadlines), every event through the one `_record`;
- `queries`: list, show, the deadlines table;
- `exchange`: import and export, Open311 rows;
- `corrections`: edit, void, unvoid, duplicate (through `moves._record` too).

Every public name is importable from here (`from beiwen.services.issues import add_issue`).
None of the rooms imports a heavy library at module level, so `issue add` stays light.
"""

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
