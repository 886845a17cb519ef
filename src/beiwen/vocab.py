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


def parse_choice(
    vocabulary: Vocabulary, value: str, field: str, aliases: dict[str, str] | None = None
) -> str:
    """The key for `value` (key, English or Chinese label, or alias), else InvalidInputError."""
    wanted = _normalise(value)
    for key, (english, chinese) in vocabulary.items():
        if wanted in (key, _normalise(english), _normalise(chinese)):
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
