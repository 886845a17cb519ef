"""The Party member register (党员名册, `beiwen party`): one room per seam.

- `fields`: statuses, the sessions of Party life, the branches, the row validator;
- `register`: add (linking the person the grids know), edit, leave, list, show; branches;
- `attendance`: who attended a 主题党日 or 三会一课 session (by name or a sign-in sheet);
- `exchange`: the register import.
"""

from beiwen.services.party.attendance import attend, sign_in
from beiwen.services.party.exchange import IMPORT_COLUMNS, import_members
from beiwen.services.party.fields import PARTY_SESSIONS, PARTY_STATUSES, known_branches
from beiwen.services.party.register import (
    Added,
    add_branch,
    add_member,
    edit_member,
    leave,
    list_branches,
    list_members,
    member_detail,
)

__all__ = [
    "IMPORT_COLUMNS",
    "PARTY_SESSIONS",
    "PARTY_STATUSES",
    "Added",
    "add_branch",
    "add_member",
    "attend",
    "edit_member",
    "import_members",
    "known_branches",
    "leave",
    "list_branches",
    "list_members",
    "member_detail",
    "sign_in",
]
