"""The grids' "N" forces (网格"N"力量): grid workers, volunteers, Party members, merchant
representatives, lawyers, mediators and social workers, who serves where, with which skills,
and who can help on a work order. One room per seam:

- `fields`: the roles and their aliases, the parsers, the one row validator
  `validate_member`, the labels commands show;
- `members`: add, edit, remove, list and show a person with their roles, grids and skills;
- `suggest`: who can help on a work order (the suggestion order, open assignments), assign;
- `exchange`: the roster import.

Every public name is importable from here (`from beiwen.services.people import add_member`).
"""

from beiwen.services.people.exchange import IMPORT_COLUMNS, import_members, import_spec
from beiwen.services.people.fields import (
    MOBILE_PARTY_MEMBER,
    MOBILE_PARTY_WORDS,
    PERSON_ROLES,
    ROLE_ALIASES,
    display_grids,
    display_role,
    display_roles,
    parse_grids,
    parse_role,
    parse_roles,
    split_values,
    validate_member,
)
from beiwen.services.people.members import (
    add_member,
    edit_member,
    list_members,
    member_detail,
    remove_member,
)
from beiwen.services.people.suggest import (
    CATEGORY_SKILLS,
    PLACES,
    assign_person,
    suggest_for_issue,
    suggest_people,
)

__all__ = [
    "CATEGORY_SKILLS",
    "IMPORT_COLUMNS",
    "MOBILE_PARTY_MEMBER",
    "MOBILE_PARTY_WORDS",
    "PERSON_ROLES",
    "PLACES",
    "ROLE_ALIASES",
    "add_member",
    "assign_person",
    "display_grids",
    "display_role",
    "display_roles",
    "edit_member",
    "import_members",
    "import_spec",
    "list_members",
    "member_detail",
    "parse_grids",
    "parse_role",
    "parse_roles",
    "remove_member",
    "split_values",
    "suggest_for_issue",
    "suggest_people",
    "validate_member",
]
