"""The vocabularies of the three lists (需求清单、资源清单、项目清单), beside `vocab.py`
(which had little room left under the 500-line limit): the kinds of needs and resources,
the steps of a need and the states of needs and projects. The keys are m009's CHECK lists;
`vocab.parse_choice` reads them with their aliases in `LIST_ALIASES`.
"""

from __future__ import annotations

from beiwen.vocab import Vocabulary

NEED_KINDS: Vocabulary = {
    "funding": ("funding", "融资"),
    "hiring": ("hiring", "用工"),
    "premises": ("premises", "场地"),
    "legal": ("legal", "法律"),
    "policy": ("policy", "政策"),
    "training": ("training", "培训"),
    "market": ("market", "市场"),
    "other": ("other", "其他"),
}

RESOURCE_KINDS: Vocabulary = {
    "supply": ("resource supply", "资源供应"),
    "demand": ("resource demand", "资源需求"),
    "service": ("professional service", "专业服务"),
    "activity": ("business activity", "商业活动"),
}

NEED_STATUSES: Vocabulary = {
    "open": ("open", "待转办"),
    "transferred": ("transferred", "已转单"),
    "replied": ("replied", "已反馈"),
    "matched": ("matched", "已对接"),
    "closed": ("closed", "已办结"),
    "cancelled": ("cancelled", "已撤销"),
}

NEED_ACTIONS: Vocabulary = {
    "add": ("raised", "收集需求"),
    "transfer": ("transferred", "转单"),
    "reply": ("replied", "反馈"),
    "match": ("matched to a project", "对接项目"),
    "close": ("closed", "办结"),
    "cancel": ("cancelled", "撤销"),
    "edit": ("corrected", "更正"),
}

PROJECT_STATUSES: Vocabulary = {
    "active": ("in progress", "推进中"),
    "done": ("done", "已完成"),
    "cancelled": ("cancelled", "已取消"),
    "overdue": ("overdue", "已超期"),
}

LIST_ALIASES: dict[str, dict[str, str]] = {
    "NEED_KINDS": {
        "资金": "funding",
        "贷款": "funding",
        "金融": "funding",
        "融资需求": "funding",
        "finance": "funding",
        "招聘": "hiring",
        "招工": "hiring",
        "用工需求": "hiring",
        "人才": "hiring",
        "jobs": "hiring",
        "办公场地": "premises",
        "场地需求": "premises",
        "厂房": "premises",
        "法律服务": "legal",
        "法务": "legal",
        "法律咨询": "legal",
        "政策咨询": "policy",
        "政策服务": "policy",
        "培训需求": "training",
        "市场拓展": "market",
        "销售": "market",
        "订单": "market",
        "其它": "other",
    },
    "RESOURCE_KINDS": {
        "供应": "supply",
        "资源": "supply",
        "需求": "demand",
        "服务": "service",
        "专业": "service",
        "活动": "activity",
        "商业": "activity",
    },
    "NEED_STATUSES": {
        "待处理": "open",
        "新收集": "open",
        "转单": "transferred",
        "已转办": "transferred",
        "已回复": "replied",
        "已匹配": "matched",
        "对接": "matched",
        "已解决": "closed",
        "已关闭": "closed",
        "已取消": "cancelled",
    },
    "PROJECT_STATUSES": {
        "进行中": "active",
        "在办": "active",
        "完成": "done",
        "已办结": "done",
        "取消": "cancelled",
        "已撤销": "cancelled",
        "超期": "overdue",
        "逾期": "overdue",
    },
}

# The report's `lists` figures (`beiwen report`, `--explain`): key, English and Chinese name.
LIST_METRICS: Vocabulary = {
    "needs_collected": ("Needs collected", "收集需求"),
    "needs_transferred": ("Needs transferred", "转办需求"),
    "needs_replied": ("Needs replied to", "已反馈需求"),
    "needs_matched": ("Needs matched to projects", "对接项目需求"),
    "projects_done": ("Projects done", "完成项目"),
    "enterprises_helped": ("Enterprises helped by projects", "项目帮扶企业"),
    "projects_overdue": ("Projects overdue at period end", "期末超期项目"),
}
LIST_ALIASES["LIST_METRICS"] = {
    "需求数": "needs_collected",
    "收集的需求": "needs_collected",
    "需求": "needs_collected",
    "转单": "needs_transferred",
    "转办": "needs_transferred",
    "反馈": "needs_replied",
    "对接": "needs_matched",
    "对接需求": "needs_matched",
    "项目": "projects_done",
    "完成的项目": "projects_done",
    "帮扶企业": "enterprises_helped",
    "解决难题企业": "enterprises_helped",
    "helped": "enterprises_helped",
    "超期项目": "projects_overdue",
    "逾期项目": "projects_overdue",
}
