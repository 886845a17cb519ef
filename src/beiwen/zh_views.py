"""Migration m013_search: the search index (search_schema.py), the vocabulary labels and
the Chinese views.

`labels (vocabulary, key, en, zh)` holds every vocabulary of vocab.py the tables store keys
of (filled here from the code; tests/test_views_zh.py keeps it equal to vocab.py, so a new
key needs a migration that adds its label). The views `v_issues_zh`, `v_units_zh`,
`v_issue_events_zh`, `v_people_zh` and `v_activities_zh` have Chinese column names, the
Chinese label of every key (游摊占道, not `vendor`), names instead of ids, and no personal
data (phones, ID numbers): they are what `beiwen serve` publishes, and what the sqlite3
shell or a spreadsheet linked to the file can read without a lookup. Their `检索号` is the
row's document in the search index (`rowid` of search_index), for Datasette's search box.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from beiwen.search_schema import SPAN, create_index


def label_rows() -> list[tuple[str, str, str, str]]:
    """(vocabulary, key, English, Chinese) of every vocabulary the tables store keys of."""
    from beiwen import vocab
    from beiwen.services.people.fields import PERSON_ROLES

    vocabularies = {
        "unit_kind": vocab.UNIT_KINDS,
        "merchant_category": vocab.MERCHANT_CATEGORIES,
        "issue_category": vocab.ISSUE_CATEGORIES,
        "issue_source": vocab.ISSUE_SOURCES,
        "issue_status": vocab.ISSUE_STATUSES,
        "satisfaction": vocab.SATISFACTION,
        "issue_action": vocab.ISSUE_ACTIONS,
        "person_role": PERSON_ROLES,
        "activity_kind": vocab.ACTIVITY_KINDS,
        "course_category": vocab.COURSE_CATEGORIES,
        "class_status": vocab.CLASS_STATUSES,
    }
    return [
        (name, key, english, chinese)
        for name, vocabulary in vocabularies.items()
        for key, (english, chinese) in vocabulary.items()
    ]


def label(vocabulary: str, column: str) -> str:
    """SQL for the Chinese label of the key in `column` (the key itself when unknown)."""
    return (
        f"coalesce((SELECT l.zh FROM labels l WHERE l.vocabulary = '{vocabulary}' "
        f"AND l.key = {column}), {column})"
    )


# Each view column's description, written into the view's SQL as its `-- comment` (SQLite
# keeps it, so Datasette and the sqlite3 shell's `.schema` show it).
COLUMN_NOTES: dict[str, str] = {
    "工单号": "工单编号，不会重复使用",
    "标题": "简短标题",
    "类别": "类别（中文名称）",
    "来源": "问题来源：巡查、热线、来访、315 维权站等",
    "网格": "所在网格",
    "涉及单位": "涉及的单位或商户",
    "状态": "当前状态：待派单、已吹哨、办理中、已解决、已回访、已撤销",
    "上报时间": "上报时间（北京时间）",
    "上报月份": "上报月份，YYYY-MM",
    "办结时限": "应办结的时间",
    "解决时间": "最近一次解决的时间（重新办理后为空）",
    "回访时间": "回访完成的时间",
    "满意度": "回访结果：满意、基本满意、不满意",
    "标记": "作废或重复工单（不计入统计）；空表示正常",
    "详情": "问题详情",
    "检索号": "全文检索索引中的文档号（search_index 的 rowid），供搜索框使用",
    "单位编号": "单位编号（units 表的 id）",
    "名称": "单位名称",
    "地址": "经营或办公地址",
    "统一社会信用代码": "统一社会信用代码（18 位）",
    "联席会成员": "是否为共建联席会成员单位",
    "开业日期": "开业或成立日期",
    "在册": "在册或已注销",
    "记录号": "办理记录编号",
    "工单标题": "所属工单的标题",
    "时间": "发生时间",
    "环节": "办理环节：上报、吹哨派单、部门报到、转单、协商解决、回访等",
    "单位": "相关单位",
    "原单位": "转单前的承办单位",
    "人员": "相关人员（指派）",
    "说明": "办理说明",
    "人员编号": "人员编号（people 表的 id）",
    "姓名": "人员姓名",
    "角色": "在任角色：网格员、网格长、志愿者、在职党员等",
    "专业技能": "专业技能，多项用“、”分隔",
    "流动党员": "是否为流动党员",
    "活动编号": "活动编号（activities 表的 id）",
    "日期": "举办日期",
    "月份": "举办月份，YYYY-MM",
    "牵头单位": "牵头举办的单位",
    "服务企业数": "服务的企业数",
    "解决问题企业数": "解决问题的企业数",
    "参与人数": "参与活动的人数",
    "成效": "活动成效",
}


def _noted(statement: str) -> str:
    """`statement` with each column's description as the comment of the line naming it."""
    lines = []
    for line in statement.splitlines():
        name = line.strip().rstrip(",").rsplit(" AS ", 1)[-1] if " AS " in line else ""
        note = COLUMN_NOTES.get(name)
        lines.append(f"{line}  -- {note}" if note else line)
    return "\n".join(lines)


def view_statements() -> list[str]:
    """The Chinese views: labels for keys, names for ids, no phone or ID number."""
    return [_noted(statement) for statement in _views()]


def _views() -> list[str]:
    return [
        f"""
        CREATE VIEW v_issues_zh AS
        SELECT
            i.id AS 工单号,
            i.title AS 标题,
            {label("issue_category", "i.category")} AS 类别,
            {label("issue_source", "i.source")} AS 来源,
            g.name AS 网格,
            u.name AS 涉及单位,
            {label("issue_status", "i.status")} AS 状态,
            i.reported_at AS 上报时间,
            substr(i.reported_at, 1, 7) AS 上报月份,
            i.due_at AS 办结时限,
            i.resolved_at AS 解决时间,
            i.closed_at AS 回访时间,
            {label("satisfaction", "i.satisfaction")} AS 满意度,
            CASE WHEN i.voided_at IS NOT NULL THEN '作废'
                WHEN i.duplicate_of IS NOT NULL THEN '重复' ELSE '' END AS 标记,
            i.description AS 详情,
            i.id AS 检索号
        FROM issues i
        LEFT JOIN grids g ON g.number = i.grid
        LEFT JOIN units u ON u.id = i.unit_id
        """,
        f"""
        CREATE VIEW v_units_zh AS
        SELECT
            u.id AS 单位编号,
            u.name AS 名称,
            {label("unit_kind", "u.kind")} AS 类型,
            {label("merchant_category", "u.category")} AS 业态,
            g.name AS 网格,
            u.address AS 地址,
            u.code AS 统一社会信用代码,
            CASE u.council WHEN 1 THEN '是' ELSE '否' END AS 联席会成员,
            u.opened AS 开业日期,
            CASE WHEN u.retired_at IS NULL THEN '在册' ELSE '已注销' END AS 在册,
            u.id + {SPAN} AS 检索号
        FROM units u
        LEFT JOIN grids g ON g.number = u.grid
        """,
        f"""
        CREATE VIEW v_issue_events_zh AS
        SELECT
            e.id AS 记录号,
            e.issue_id AS 工单号,
            i.title AS 工单标题,
            e.at AS 时间,
            {label("issue_action", "e.action")} AS 环节,
            u.name AS 单位,
            f.name AS 原单位,
            p.name AS 人员,
            {label("satisfaction", "e.satisfaction")} AS 满意度,
            e.note AS 说明
        FROM issue_events e
        JOIN issues i ON i.id = e.issue_id
        LEFT JOIN units u ON u.id = e.unit_id
        LEFT JOIN units f ON f.id = e.from_unit_id
        LEFT JOIN people p ON p.id = e.person_id
        """,
        f"""
        CREATE VIEW v_people_zh AS
        SELECT
            p.id AS 人员编号,
            p.name AS 姓名,
            u.name AS 单位,
            (SELECT group_concat(r.role_zh, '、') FROM (
                SELECT {label("person_role", "r.role")} AS role_zh FROM person_roles r
                WHERE r.person_id = p.id AND r.until IS NULL ORDER BY r.rowid) r) AS 角色,
            (SELECT group_concat(r.grid, '、') FROM person_roles r
                WHERE r.person_id = p.id AND r.until IS NULL AND r.grid IS NOT NULL) AS 网格,
            (SELECT group_concat(s.skill, '、') FROM person_skills s
                WHERE s.person_id = p.id) AS 专业技能,
            CASE p.mobile_party_member WHEN 1 THEN '是' ELSE '否' END AS 流动党员,
            p.id + {2 * SPAN} AS 检索号
        FROM people p
        LEFT JOIN units u ON u.id = p.unit_id
        WHERE p.removed_at IS NULL
        """,
        f"""
        CREATE VIEW v_activities_zh AS
        SELECT
            a.id AS 活动编号,
            a.title AS 标题,
            {label("activity_kind", "a.kind")} AS 类型,
            a.date AS 日期,
            substr(a.date, 1, 7) AS 月份,
            u.name AS 牵头单位,
            a.enterprises_served AS 服务企业数,
            a.enterprises_helped AS 解决问题企业数,
            a.participants AS 参与人数,
            a.outcome AS 成效
        FROM activities a
        LEFT JOIN units u ON u.id = a.lead_unit_id
        WHERE a.removed_at IS NULL
        """,
    ]


def m013_search(db: Any) -> None:
    """The index of every existing row, the labels and the views."""
    conn: sqlite3.Connection = db.conn
    create_index(conn)
    conn.execute(
        """
        CREATE TABLE labels (
            vocabulary  TEXT NOT NULL,      -- the vocabulary: issue_category, unit_kind, ...
            key         TEXT NOT NULL,      -- the key the tables store (vendor)
            en          TEXT NOT NULL,      -- its English label (street vendor)
            zh          TEXT NOT NULL,      -- its Chinese label (游摊占道)
            PRIMARY KEY (vocabulary, key)
        )
        """
    )
    conn.executemany("INSERT INTO labels VALUES (?, ?, ?, ?)", label_rows())
    for statement in view_statements():
        conn.execute(statement)
