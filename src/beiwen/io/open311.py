"""Work orders as Open311 GeoReport v2 service requests (the `requests.json` array).

See https://wiki.open311.org/GeoReport_v2/#get-service-requests. Ids and codes are
strings, times ISO 8601 with the +08:00 offset, absent values JSON null. Open311 knows two
statuses: a work order still to be handled is "open"; resolved, closed and cancelled ones
are "closed" (status_notes then says how it ended).
"""

from __future__ import annotations

from typing import Any

from beiwen.vocab import ISSUE_CATEGORIES, display

FIELDS = (
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
)
OPEN_STATUSES = ("open", "dispatched", "in_progress")


def service_request(issue: dict[str, Any]) -> dict[str, Any]:
    """One work order (a row of repository.issues.list_issues) as a service request.

    - status_notes: the note of the latest step that had one (comments and helper
      assignments excluded);
    - service_name: the category's label in the output language, service_code its key;
    - description: the title, then the details on the next line;
    - agency_responsible: the departments holding the order, joined with 、;
    - updated_datetime: the time of its latest event;
    - expected_datetime: its due time;
    - address: the concerned unit's address, else the grid's name.
    """
    description = issue["title"]
    if issue.get("description"):
        description = f"{description}\n{issue['description']}"
    return {
        "service_request_id": str(issue["id"]),
        "status": "open" if issue["status"] in OPEN_STATUSES else "closed",
        "status_notes": issue.get("last_note"),
        "service_name": display(ISSUE_CATEGORIES, issue["category"]),
        "service_code": str(issue["category"]),
        "description": description,
        "agency_responsible": issue.get("departments"),
        "requested_datetime": issue["reported_at"],
        "updated_datetime": issue.get("last_event_at") or issue["updated_at"],
        "expected_datetime": issue.get("due_at"),
        "address": issue.get("unit_address") or issue.get("grid_name"),
    }
