"""`need match`: the resources that fit a need, and the units that offer them.

A resource fits when it is not retired, not past its last day (`until`), has capacity
left, and serves the need's kind (its topic) or shares words with the need's title and
description. Chinese has no spaces, so a "word" is a pair of adjacent Chinese characters
(贷款, 款项 ...) or a run of Latin letters and digits; words every offer uses (企业, 服务
...) say nothing and are left out. Order: same kind first, then more shared words, then id.
"""

from __future__ import annotations

import re
import sqlite3

from beiwen.repository import Row
from beiwen.repository import lists as repo
from beiwen.services import refs
from beiwen.services.lists.common import today
from beiwen.services.lists.resources import with_left

_CHINESE_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_LATIN_RUN = re.compile(r"[a-z0-9]{2,}")
_SAY_NOTHING = frozenset(
    "企业 需求 服务 提供 问题 解决 帮助 需要 我们 公司 有限 资源 项目 相关 一个 对接 开展".split()
)


def words(text: str | None) -> set[str]:
    """The words of `text` as matching compares them (see the module's docstring)."""
    found: set[str] = set()
    lowered = (text or "").lower()
    for run in _CHINESE_RUN.findall(lowered):
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    found.update(_LATIN_RUN.findall(lowered))
    return found - _SAY_NOTHING


def match_need(conn: sqlite3.Connection, ref: str) -> Row:
    """The need, the resources that fit it (best first) and the units offering them."""
    need = refs.need(conn, ref)
    wanted = words(need["title"]) | words(need["description"])
    on = today()
    fitting: list[Row] = []
    for resource in repo.list_resources(conn):
        resource = with_left(resource)
        if resource["until"] and resource["until"] < on:
            continue
        if resource["left"] == 0:
            continue
        shared = sorted(wanted & (words(resource["title"]) | words(resource["description"])))
        same_kind = resource["topic"] == need["kind"]
        if same_kind or shared:
            fitting.append({**resource, "same_kind": same_kind, "shared": shared})
    fitting.sort(key=lambda r: (not r["same_kind"], -len(r["shared"]), r["id"]))
    units: dict[int, Row] = {}
    for resource in fitting:
        unit = units.setdefault(
            resource["unit_id"],
            {"id": resource["unit_id"], "name": resource["unit"], "resources": 0},
        )
        unit["resources"] += 1
    return {
        "need": {key: need[key] for key in ("id", "title", "kind", "from_unit", "status")},
        "resources": fitting,
        "units": list(units.values()),
    }
