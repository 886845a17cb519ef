"""Work orders as Open311 GeoReport v2: the service requests (`requests.json`) and the
service list (`services.json`).

See https://wiki.open311.org/GeoReport_v2/ (GET Service List, GET Service Requests). Ids and
codes are strings, times ISO 8601 with the +08:00 offset. A key whose value beiwen does not
know is left out, never null: strict clients expect a string or no key. Open311 knows two
statuses: a work order still to be handled is "open"; resolved, closed and cancelled ones
(a duplicate too) are "closed", and status_notes says how it ended.
tests/fixtures/open311/*.schema.json hold the two shapes as JSON Schemas written from the spec.
"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from typing import Any

from beiwen.i18n import label, t
from beiwen.vocab import ALIASES, ISSUE_CATEGORIES, Vocabulary, display

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
# The spec: "free form text limited to 4,000 characters", "may contain line breaks, but not
# html or code".
DESCRIPTION_LIMIT = 4000
# Where every work order is, from the most specific to the least: an order's address ends here.
DISTRICT = ("嘉陵风情步行街商圈", "北温泉街道", "重庆市北碚区")
_ADDRESS_PREFIXES = ("重庆市", "北碚区")  # what DISTRICT already says, at an address's start

# The service list's groups (Open311 `group`): the categories in the office's own areas.
SERVICE_GROUPS: Vocabulary = {
    "order": ("street order and environment", "市容秩序"),
    "safety": ("safety", "安全"),
    "market": ("markets and consumers", "市场监管"),
    "disputes": ("disputes", "纠纷调解"),
    "services": ("services", "便民服务"),
}
CATEGORY_GROUPS = {
    "property": "disputes",
    "supervision": "market",
    "safety": "safety",
    "vendor": "order",
    "fire_lane": "safety",
    "sanitation": "order",
    "consumer": "market",
    "labour": "disputes",
    "dispute": "disputes",
    "service": "services",
    "other": "services",
}


class _Text(HTMLParser):
    """The text of a piece of HTML: tags dropped (script and style with their content),
    entities decoded, <br>, <p>, <div>, <li> and <tr> as line breaks."""

    BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def plain_text(text: str) -> str:
    """`text` without markup (stdlib html.parser: tags, comments and entities); text with
    neither `<` nor `&` is returned as it is. Runs of blank lines become one line break."""
    if "<" not in text and "&" not in text:
        return text
    parser = _Text()
    parser.feed(text)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    return "\n".join(line for line in lines if line)


def _joins_previous(char: str) -> bool:
    """Whether `char` belongs to the character before it on screen: a combining mark, a
    variation selector, an emoji skin tone, a zero-width joiner or what follows one."""
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF
        or code == 0x200D
    )


def cap(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` in at most `limit` characters, ending with … when shortened; the cut never
    falls inside a character as seen on screen (a base and its marks, an emoji sequence,
    a flag's pair of regional indicators)."""
    if len(text) <= limit:
        return text
    end = limit - 1  # room for the ellipsis
    while end > 0 and (_joins_previous(text[end]) or text[end - 1] == "\u200d"):
        end -= 1
    flags = 0
    while flags < end and 0x1F1E6 <= ord(text[end - 1 - flags]) <= 0x1F1FF:
        flags += 1
    if flags % 2:  # an odd run of regional indicators: the last one's pair was cut off
        end -= 1
    return text[:end].rstrip() + "…"


def address(issue: dict[str, Any]) -> str:
    """Where the order is, most specific first: its place, the concerned unit's address (or
    its name when it has none), the grid, then DISTRICT; repeated parts once, and a unit's
    address without the 重庆市/北碚区 that DISTRICT ends with."""
    unit = issue.get("unit_address") or issue.get("unit_name")
    for prefix in _ADDRESS_PREFIXES:
        if unit and unit.startswith(prefix) and len(unit) > len(prefix):
            unit = unit[len(prefix) :]
    grid = issue.get("grid_name")
    if not grid and issue.get("grid"):
        grid = t("open311.grid", number=issue["grid"])
    parts: list[str] = []
    for part in (issue.get("place"), unit, grid, *DISTRICT):
        text = (part or "").strip()
        if text and text not in parts:
            parts.append(text)
    return label((", ", "，")).join(parts)


def service_request(issue: dict[str, Any], status_notes: str | None) -> dict[str, Any]:
    """One work order (a row of repository.issues.list_issues) as a service request.

    - status_notes: given by the service (services.issues.exchange.status_notes);
    - service_name: the category's label in the output language, service_code its key;
    - description: the title, then the details on the next line, markup removed, at most
      DESCRIPTION_LIMIT characters;
    - agency_responsible: the departments holding the order, joined with 、;
    - updated_datetime: the time of its latest event; expected_datetime: its due time;
    - address: see `address`.
    """
    parts = [plain_text(issue["title"]).strip()]
    if issue.get("description"):
        parts.append(plain_text(issue["description"]).strip())
    request = {
        "service_request_id": str(issue["id"]),
        "status": "open" if issue["status"] in OPEN_STATUSES else "closed",
        "status_notes": status_notes,
        "service_name": display(ISSUE_CATEGORIES, issue["category"]),
        "service_code": str(issue["category"]),
        "description": cap("\n".join(part for part in parts if part)),
        "agency_responsible": issue.get("departments"),
        "requested_datetime": issue["reported_at"],
        "updated_datetime": issue.get("last_event_at") or issue["updated_at"],
        "expected_datetime": issue.get("due_at"),
        "address": address(issue),
    }
    return {key: request[key] for key in FIELDS if request[key] not in (None, "")}


def service_list() -> list[dict[str, Any]]:
    """GET Service List: one service per work-order category, in vocab order. Names in the
    output language; keywords: both labels, then the Chinese aliases `issue add` accepts."""
    services: list[dict[str, Any]] = []
    for key, pair in ISSUE_CATEGORIES.items():
        words = [label(pair), *(word for word in pair if word != label(pair))]
        words += [alias for alias, target in ALIASES["ISSUE_CATEGORIES"].items() if target == key]
        services.append(
            {
                "service_code": key,
                "service_name": label(pair),
                "description": t(f"open311.service.{key}"),
                "metadata": False,
                "type": "realtime",
                "keywords": ", ".join(dict.fromkeys(words)),
                "group": label(SERVICE_GROUPS[CATEGORY_GROUPS.get(key, "services")]),
            }
        )
    return services
