"""The fixed vocabularies of the domain: stable English keys with English and Chinese labels.

Input accepts the key, either label or a known alias (case-insensitive); storage and JSON
always use the key. The schema's CHECK constraints list the same keys.
"""

from __future__ import annotations

from beiwen.errors import InvalidInputError
from beiwen.i18n import label, t

Vocabulary = dict[str, tuple[str, str]]  # key -> (English label, Chinese label)

UNIT_KINDS: Vocabulary = {
    "agency": ("government agency", "机关"),
    "institution": ("public institution", "事业单位"),
    "enterprise": ("enterprise", "企业"),
    "bank": ("bank", "银行"),
    "merchant": ("merchant", "商户"),
    "association": ("association", "协会商会"),
    "station": ("liaison station", "非公联络站"),
    "community": ("community", "社区"),
}

MERCHANT_CATEGORIES: Vocabulary = {
    "catering": ("catering", "餐饮"),
    "retail": ("retail", "零售"),
    "fitness": ("fitness", "健身"),
    "coffee": ("coffee", "咖啡"),
    "bar": ("bar", "酒吧"),
    "clothing": ("clothing", "服装"),
    "kids_entertainment": ("children's entertainment", "儿童娱乐"),
    "education": ("education and training", "教育培训"),
    "beauty": ("beauty and hairdressing", "美容美发"),
    "lodging": ("lodging", "住宿"),
    "leisure": ("leisure and entertainment", "休闲娱乐"),
    "services": ("everyday services", "生活服务"),
    "finance": ("finance", "金融"),
    "other": ("other", "其他"),
}

# Other spellings seen in real rosters, mapped to a key.
ALIASES: dict[str, dict[str, str]] = {
    "MERCHANT_CATEGORIES": {
        "餐饮业": "catering",
        "美食": "catering",
        "零售业": "retail",
        "超市": "retail",
        "健身房": "fitness",
        "服饰": "clothing",
        "儿童游乐": "kids_entertainment",
        "教育": "education",
        "培训": "education",
        "美容": "beauty",
        "美发": "beauty",
        "酒店": "lodging",
        "娱乐": "leisure",
        "其它": "other",
    },
    "UNIT_KINDS": {
        "政府": "agency",
        "机关单位": "agency",
        "商家": "merchant",
        "个体工商户": "merchant",
        "公司": "enterprise",
        "协会": "association",
        "商会": "association",
        "联络站": "station",
    },
}


def _normalise(value: str) -> str:
    return value.strip().lower().replace(" ", "_")


_lookups: dict[int, dict[str, str]] = {}


def _lookup(vocabulary: Vocabulary) -> dict[str, str]:
    """Normalised key and labels -> key, built once per vocabulary (imports call this per row)."""
    found = _lookups.get(id(vocabulary))
    if found is None:
        found = {}
        for key, (english, chinese) in reversed(vocabulary.items()):
            for spelling in (chinese, english, key):
                found[_normalise(spelling)] = key
        _lookups[id(vocabulary)] = found
    return found


def parse_choice(
    vocabulary: Vocabulary, value: str, field: str, aliases: dict[str, str] | None = None
) -> str:
    """The key for `value` (key, English or Chinese label, or alias), else InvalidInputError."""
    key = _lookup(vocabulary).get(_normalise(value))
    if key is not None:
        return key
    if aliases and value.strip() in aliases:
        return aliases[value.strip()]
    raise InvalidInputError(
        t("error.choice", field=field, value=value, choices=describe(vocabulary))
    )


def describe(vocabulary: Vocabulary) -> str:
    """`key (中文)` for each entry, the list an error message offers."""
    return ", ".join(f"{key} ({chinese})" for key, (_, chinese) in vocabulary.items())


def display(vocabulary: Vocabulary, key: str | None) -> str:
    """The label of `key` in the current language; unknown keys pass through."""
    if key is None:
        return ""
    pair = vocabulary.get(key)
    return label(pair) if pair else key


# Courses (课程) and activities (活动). The activity kinds are also the schema's CHECK list.
COURSE_CATEGORIES: Vocabulary = {
    "dance": ("dance", "舞蹈"),
    "music": ("vocal music", "声乐"),
    "dubbing": ("dubbing and recitation", "配音朗诵"),
    "sports": ("sports", "体育"),
    "fashion": ("fashion and posture", "时装形体"),
    "new_media": ("new media", "新媒体"),
    "skills": ("vocational skills", "职业技能"),
    "arts": ("arts and crafts", "文化艺术"),
    "health": ("health", "健康养生"),
    "other": ("other", "其他"),
}

ACTIVITY_KINDS: Vocabulary = {
    "finance_visit": ("finance-into-enterprises visit", "金融服务进企业"),
    "policy_briefing": ("policy briefing", "政策宣讲"),
    "training": ("training", "培训"),
    "forum": ("government-bank-enterprise forum", "政银企座谈"),
    "cooperation_meeting": ("cooperation meeting", "合作洽谈会"),
    "salon": ("enterprise salon", "企业沙龙"),
    "festival": ("district festival", "商圈活动"),
    "volunteer": ("volunteer service", "志愿服务"),
    "party_day": ("Party day", "主题党日"),
    "other": ("other", "其他"),
}

ALIASES["COURSE_CATEGORIES"] = {
    "舞蹈课": "dance",
    "民族舞": "dance",
    "音乐": "music",
    "合唱": "music",
    "配音": "dubbing",
    "朗诵": "dubbing",
    "篮球": "sports",
    "运动": "sports",
    "形体": "fashion",
    "时装": "fashion",
    "直播": "new_media",
    "电商": "new_media",
    "技能": "skills",
    "文艺": "arts",
    "书画": "arts",
    "养生": "health",
    "其它": "other",
}
ALIASES["ACTIVITY_KINDS"] = {
    "金融进企业": "finance_visit",
    "金融服务": "finance_visit",
    "政策宣讲会": "policy_briefing",
    "宣讲": "policy_briefing",
    "培训会": "training",
    "政银企座谈会": "forum",
    "座谈会": "forum",
    "合作洽谈": "cooperation_meeting",
    "洽谈会": "cooperation_meeting",
    "沙龙": "salon",
    "业界沙龙": "salon",
    "购物节": "festival",
    "美食节": "festival",
    "节庆活动": "festival",
    "志愿活动": "volunteer",
    "党日活动": "party_day",
    "其它": "other",
}


# Work orders (工单). The keys are also the schema's CHECK lists for the issue tables.
ISSUE_CATEGORIES: Vocabulary = {
    "property": ("property dispute", "物业纠纷"),
    "supervision": ("supervision", "监督管理"),
    "safety": ("safety and emergencies", "安全应急"),
    "vendor": ("street vendors", "游摊占道"),
    "fire_lane": ("fire lane blocked", "消防通道"),
    "sanitation": ("sanitation", "环境卫生"),
    "consumer": ("consumer rights", "消费维权"),
    "labour": ("labour dispute", "劳动纠纷"),
    "dispute": ("dispute mediation", "矛盾纠纷"),
    "service": ("everyday services", "便民服务"),
    "other": ("other", "其他"),
}

ISSUE_SOURCES: Vocabulary = {
    "patrol": ("patrol", "网格巡查"),
    "hotline": ("hotline", "热线电话"),
    "visit": ("visit", "来访"),
    "station_315": ("315 consumer-rights station", "315维权工作站"),
    "mediation": ("mediation centre", "矛盾纠纷调解中心"),
    "merchant": ("merchant", "商户反映"),
    "other": ("other", "其他"),
}

ISSUE_STATUSES: Vocabulary = {
    "open": ("open", "待派单"),
    "dispatched": ("dispatched", "已吹哨"),
    "in_progress": ("in progress", "办理中"),
    "resolved": ("resolved", "已解决"),
    "closed": ("closed", "已回访"),
    "cancelled": ("cancelled", "已撤销"),
}

SATISFACTION: Vocabulary = {
    "satisfied": ("satisfied", "满意"),
    "basic": ("basically satisfied", "基本满意"),
    "unsatisfied": ("unsatisfied", "不满意"),
}

ISSUE_ACTIONS: Vocabulary = {
    "report": ("reported", "上报"),
    "import": ("imported", "导入"),
    "dispatch": ("dispatched", "吹哨派单"),
    "accept": ("reported in", "部门报到"),
    "transfer": ("transferred", "转单"),
    "resolve": ("resolved", "协商解决"),
    "close": ("followed up", "回访"),
    "reopen": ("reopened", "重新办理"),
    "comment": ("comment", "备注"),
    "cancel": ("cancelled", "撤销"),
    "assign": ("assigned", "指派"),
    "edit": ("corrected", "更正"),
    "void": ("voided", "作废"),
    "unvoid": ("voiding taken back", "恢复作废工单"),
    "duplicate": ("closed as duplicate", "按重复工单撤销"),
}

# How `issue list --all` marks the orders that left the counts (beside ISSUE_STATUSES).
ISSUE_MARKS: Vocabulary = {
    "voided": ("voided", "已作废"),
    "duplicate": ("duplicate", "重复工单"),
}

ALIASES["ISSUE_CATEGORIES"] = {
    "物业": "property",
    "物业管理": "property",
    "监管": "supervision",
    "市场监管": "supervision",
    "安全": "safety",
    "应急": "safety",
    "安全隐患": "safety",
    "游摊": "vendor",
    "流动摊贩": "vendor",
    "占道经营": "vendor",
    "游摊占道经营": "vendor",
    "占用消防通道": "fire_lane",
    "消防": "fire_lane",
    "卫生": "sanitation",
    "环卫": "sanitation",
    "消费": "consumer",
    "维权": "consumer",
    "消费纠纷": "consumer",
    "劳动": "labour",
    "劳资纠纷": "labour",
    "欠薪": "labour",
    "labor": "labour",
    "纠纷": "dispute",
    "调解": "dispute",
    "纠纷调解": "dispute",
    "便民": "service",
    "其它": "other",
}
ALIASES["ISSUE_SOURCES"] = {
    "巡查": "patrol",
    "跑工单": "patrol",
    "网格员": "patrol",
    "热线": "hotline",
    "电话": "hotline",
    "12345": "hotline",
    "上门": "visit",
    "来访登记": "visit",
    "315": "station_315",
    "315维权站": "station_315",
    "维权工作站": "station_315",
    "调解中心": "mediation",
    "商户": "merchant",
    "商家": "merchant",
    "其它": "other",
}
ALIASES["ISSUE_STATUSES"] = {
    "待处理": "open",
    "未派单": "open",
    "已派单": "dispatched",
    "处理中": "in_progress",
    "已报到": "in_progress",
    "已办结": "resolved",
    "已处理": "resolved",
    "已关闭": "closed",
    "已结案": "closed",
    "已取消": "cancelled",
}
ALIASES["SATISFACTION"] = {
    "非常满意": "satisfied",
    "很满意": "satisfied",
    "十分满意": "satisfied",
    "比较满意": "basic",
    "较满意": "basic",
    "还算满意": "basic",
    "一般": "basic",
    "不太满意": "unsatisfied",
    "很不满意": "unsatisfied",
    "非常不满意": "unsatisfied",
}

CLASS_STATUSES: Vocabulary = {
    "planned": ("planned", "计划"),
    "held": ("held", "已开课"),
    "cancelled": ("cancelled", "已取消"),
}


# The figures of the report's `meetings` section (联席会, services/report_meetings.py) that
# `report --explain` lists the meetings or decisions of; the names and aliases it accepts.
MEETING_METRICS: Vocabulary = {
    "held": ("Joint meetings held", "召开联席会"),
    "decisions": ("Decisions taken", "议定事项"),
    "decisions_done": ("Decisions done", "议定事项已办结"),
}
ALIASES["MEETING_METRICS"] = {
    "meetings": "held",
    "meetings.held": "held",
    "联席会": "held",
    "会议": "held",
    "召开次数": "held",
    "meetings.decisions": "decisions",
    "决议": "decisions",
    "议定事项数": "decisions",
    "meetings.decisions_done": "decisions_done",
    "done": "decisions_done",
    "决议办结": "decisions_done",
    "已办结事项": "decisions_done",
}


# The report's figures (`beiwen report`, `--explain`): key, English and Chinese name as the
# report prints them; `--explain` accepts any of them or an alias below.
REPORT_METRICS: Vocabulary = {
    "collected": ("Collected", "收集问题"),
    "handled": ("Handled", "已处理"),
    "handling_rate": ("Handling rate", "问题处理率"),
    "open": ("Still open at period end", "期末未办结"),
    "overdue": ("Overdue at period end", "期末超期"),
    "on_time_rate": ("On-time rate", "按时办结率"),
    "handled_on_time_rate": ("On-time rate of the handled", "已办结按时率"),
    "median_response_hours": ("Median hours to first response", "首次响应时长中位数（小时）"),
    "median_resolution_hours": ("Median hours to resolution", "办结时长中位数（小时）"),
    "satisfaction_rate": ("Satisfaction rate", "回访满意率"),
}
ALIASES["REPORT_METRICS"] = {
    "收集": "collected",
    "收集数": "collected",
    "问题数": "collected",
    "工单数": "collected",
    "受理": "collected",
    "处理": "handled",
    "处理数": "handled",
    "办结": "handled",
    "已办结": "handled",
    "办结数": "handled",
    "resolved": "handled",
    "处理率": "handling_rate",
    "办结率": "handling_rate",
    "handling": "handling_rate",
    "未办结": "open",
    "未结": "open",
    "在办": "open",
    "积压": "open",
    "still_open": "open",
    "backlog": "open",
    "逾期": "overdue",
    "超期": "overdue",
    "逾期数": "overdue",
    "超期数": "overdue",
    "期末逾期": "overdue",
    "late": "overdue",
    "按时率": "on_time_rate",
    "及时率": "on_time_rate",
    "按期办结率": "on_time_rate",
    "办结及时率": "on_time_rate",
    "on_time": "on_time_rate",
    "已办按时率": "handled_on_time_rate",
    "handled_on_time": "handled_on_time_rate",
    "满意率": "satisfaction_rate",
    "满意度": "satisfaction_rate",
    "回访满意度": "satisfaction_rate",
    "satisfaction": "satisfaction_rate",
    "响应时长": "median_response_hours",
    "首次响应": "median_response_hours",
    "首次响应时长": "median_response_hours",
    "响应时间": "median_response_hours",
    "response": "median_response_hours",
    "response_hours": "median_response_hours",
    "办结时长": "median_resolution_hours",
    "处理时长": "median_resolution_hours",
    "解决时长": "median_resolution_hours",
    "resolution": "median_resolution_hours",
    "resolution_hours": "median_resolution_hours",
}

# The report's `service` figures `--explain` takes (services/report_service.py), and aliases.
SERVICE_METRICS: Vocabulary = {
    "service_hours": ("Service hours", "志愿服务时长"),
    "service_people": ("People who served", "服务人数"),
}
ALIASES["SERVICE_METRICS"] = {"服务时长": "service_hours", "志愿服务": "service_hours"}
ALIASES["SERVICE_METRICS"] |= {"hours": "service_hours", "people": "service_people"}

# Every table of data/schema.sql, as `db check`, `db restore` and doctor name it: in English by
# its own name (what sqlite3 shows), in Chinese by what it holds. Internal tables (`_…`) are
# not listed: they are never shown.
TABLES: Vocabulary = {
    "grids": ("grids", "网格"),
    "units": ("units", "单位"),
    "rotation": ("rotation", "轮值安排"),
    "rotation_history": ("rotation_history", "轮值变更记录"),
    "meetings": ("meetings", "联席会"),
    "meeting_attendance": ("meeting_attendance", "联席会出席单位"),
    "meeting_decisions": ("meeting_decisions", "联席会议定事项"),
    "people": ("people", "人员"),
    "person_roles": ("person_roles", "人员角色"),
    "person_skills": ("person_skills", "人员技能"),
    "issue_deadlines": ("issue_deadlines", "工单办理时限"),
    "issues": ("issues", "工单"),
    "issue_units": ("issue_units", "工单承办单位"),
    "issue_events": ("issue_events", "工单办理记录"),
    "courses": ("courses", "课程"),
    "course_terms": ("course_terms", "课程期次"),
    "course_classes": ("course_classes", "课堂"),
    "class_attendees": ("class_attendees", "课堂学员"),
    "activities": ("activities", "活动"),
    "activity_partners": ("activity_partners", "活动合作单位"),
    "unit_aliases": ("unit_aliases", "单位简称"),
    "imports": ("imports", "导入记录"),
    "import_changes": ("import_changes", "导入变更明细"),
    "party_branches": ("party_branches", "单位党支部"),
    "party_members": ("party_members", "党员名册"),
    "party_meetings": ("party_meetings", "党组织生活"),
    "party_attendance": ("party_attendance", "党组织生活出席"),
    "settings": ("settings", "设置"),
    "service_records": ("service_records", "志愿服务记录"),
    "needs": ("needs", "需求清单"),
    "need_events": ("need_events", "需求办理记录"),
    "resources": ("resources", "资源清单"),
    "projects": ("projects", "项目清单"),
    "project_needs": ("project_needs", "项目对接需求"),
    "project_resources": ("project_resources", "项目使用资源"),
    # m013: the search index (FTS5 and the tables SQLite keeps it in), its numbers, labels
    "search_index": ("search_index", "全文检索索引"),
    "search_index_data": ("search_index_data", "全文检索索引数据"),
    "search_index_idx": ("search_index_idx", "全文检索索引目录"),
    "search_index_content": ("search_index_content", "全文检索索引文本"),
    "search_index_docsize": ("search_index_docsize", "全文检索文档长度"),
    "search_index_config": ("search_index_config", "全文检索索引配置"),
    "search_numbers": ("search_numbers", "检索序号"),
    "search_paused": ("search_paused", "检索暂停"),
    "labels": ("labels", "词表标签"),
}

# The parts `init --demo` loads, as its summary names them (services/demo.py DEMO_STEPS names
# them in English, `council units`; the key is that name with `_` for spaces).
DEMO_PARTS: Vocabulary = {
    "grids": ("grids", "网格"),
    "council_units": ("council units", "联席会成员单位"),
    "merchants": ("merchants", "商户"),
    "rotation_months": ("rotation months", "轮值月份"),
    "work_orders": ("work orders", "工单"),
    "people": ("people", "人员"),
    "courses": ("courses", "课程"),
    "course_classes": ("course classes", "课堂"),
    "party_members": ("party members", "党员"),
    "needs": ("needs", "需求"),
    "resources": ("resources", "资源"),
    "projects": ("projects", "项目"),
    "activities": ("activities", "活动"),
    "joint_meetings": ("joint meetings", "联席会"),
    "service_records": ("service records", "志愿服务记录"),
}
