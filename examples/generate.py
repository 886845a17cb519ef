"""Regenerate the fictional example district: grids, the 18 council units, ~1,400 merchants.

Deterministic (seeded), so the committed files only change when this script does.
Run: python examples/generate.py   (writes grids.csv, council_units.csv, merchants.csv here)

The merchant roster is written as Chinese Excel would export it: GB18030 with Chinese
headers, dates in several spellings, mobile and landline phones.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).parent
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
BEIBEI = "500109"


def credit_code(rng: random.Random, prefix: str) -> str:
    body = prefix + BEIBEI + "".join(rng.choice(ALPHABET) for _ in range(9))
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    return body + ALPHABET[(31 - total % 31) % 31]


GRIDS = [
    (1, "嵩达广场网格", "第一网格党支部", "嵩达广场、云清路北段"),
    (2, "国泽广场网格", "第二网格党支部", "国泽广场、正码头"),
    (3, "汇美城网格", "第三网格党支部", "汇美城、天生路口"),
    (4, "UME影城网格", "第四网格党支部", "UME影城及周边楼宇"),
    (5, "步行街中段网格", "第五网格党支部", "嘉陵风情步行街中段"),
    (6, "云清路社区网格", "第六网格党支部", "云清路社区居民楼院"),
]

COUNCIL = [
    ("北碚区市场监督管理局", "agency", "11"),
    ("北碚区城市管理局", "agency", "11"),
    ("北碚区商务委员会", "agency", "11"),
    ("国家税务总局重庆市北碚区税务局", "agency", "11"),
    ("北碚区司法局", "agency", "11"),
    ("北碚区住房和城乡建设委员会", "agency", "11"),
    ("北碚区民政局", "agency", "11"),
    ("北碚区总工会", "association", "81"),
    ("共青团北碚区委员会", "agency", "11"),
    ("北碚区妇女联合会", "association", "51"),
    ("北碚区人力资源和社会保障局", "agency", "11"),
    ("重庆市公安局北碚区分局北温泉派出所", "agency", "11"),
    ("北碚区消防救援支队嘉陵中队", "agency", "11"),
    ("中国工商银行重庆北碚支行", "bank", "91"),
    ("重庆农村商业银行北碚支行", "bank", "91"),
    ("云清路社区居民委员会", "community", "31"),
    ("嘉陵风情步行街商会", "association", "51"),
    ("嵩达广场物业管理有限公司", "enterprise", "91"),
]

PLACES = [
    "嘉陵",
    "北温泉",
    "缙云",
    "云清",
    "碚城",
    "温泉",
    "山城",
    "巴渝",
    "天生",
    "朝阳",
    "正码头",
    "澄江",
    "金刀峡",
    "静观",
    "蔡家",
    "歇马",
    "水土",
    "施家梁",
    "童家溪",
    "复兴",
]
GIVEN = [
    "老张",
    "小李",
    "王记",
    "陈氏",
    "刘姐",
    "阿强",
    "幸福",
    "好运",
    "红星",
    "东方",
    "四季",
    "鑫源",
    "宏达",
    "佳美",
    "金牛",
    "银杏",
    "青禾",
    "悦来",
    "万家",
    "恒丰",
    "瑞祥",
    "晨光",
    "蓝天",
    "乐活",
    "盛世",
    "锦绣",
    "小满",
    "春晓",
    "秋实",
    "明月",
]
TRADES = {
    "餐饮": [
        "火锅",
        "小面",
        "豆花饭",
        "烧烤",
        "串串香",
        "江湖菜",
        "麻辣烫",
        "饺子馆",
        "酸辣粉",
        "中餐厅",
    ],
    "零售": ["便利店", "超市", "水果店", "烟酒店", "文具店", "五金店", "药房", "茶叶店"],
    "健身": ["健身房", "瑜伽馆", "舞蹈工作室", "游泳俱乐部"],
    "咖啡": ["咖啡馆", "咖啡工坊", "茶饮店"],
    "酒吧": ["酒吧", "清吧", "精酿酒馆"],
    "服装": ["服饰", "女装店", "男装店", "童装店", "鞋店"],
    "儿童娱乐": ["儿童乐园", "亲子馆", "淘气堡"],
    "教育培训": ["教育培训中心", "艺术培训学校", "英语学校", "书法培训"],
    "美容美发": ["美发店", "美容院", "美甲店"],
    "生活服务": ["洗衣店", "家政服务部", "手机维修", "照相馆"],
}
WEIGHT = {
    "餐饮": 30,
    "零售": 20,
    "健身": 5,
    "咖啡": 6,
    "酒吧": 4,
    "服装": 12,
    "儿童娱乐": 4,
    "教育培训": 7,
    "美容美发": 7,
    "生活服务": 5,
}
STREETS = ["云清路", "嘉陵风情步行街", "正码头", "天生路", "新华路", "中山路", "碚峡路", "朝阳中路"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
    "邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN_NAMES = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅琴云莲飞鹏波辉"


def phone(rng: random.Random) -> str:
    if rng.random() < 0.75:
        return (
            rng.choice(["13", "15", "17", "18", "19"])
            + str(rng.randint(0, 9))
            + f"{rng.randint(0, 99999999):08d}"
        )
    return f"023-68{rng.randint(0, 999999):06d}"


def opened(rng: random.Random) -> str:
    year, month, day = rng.randint(2008, 2024), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(
        [f"{year}-{month:02d}-{day:02d}", f"{year}/{month}/{day}", f"{year}年{month}月{day}日"]
    )


def main() -> None:
    rng = random.Random(20240801)
    with (HERE / "grids.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["网格", "名称", "网格党支部", "范围"])
        writer.writerows(GRIDS)

    with (HERE / "council_units.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "统一社会信用代码",
                "单位名称",
                "单位类型",
                "地址",
                "网格",
                "联系人",
                "联系电话",
                "联席会成员",
            ]
        )
        for index, (name, kind, prefix) in enumerate(COUNCIL):
            contact = rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES) + rng.choice(GIVEN_NAMES)
            writer.writerow(
                [
                    credit_code(rng, prefix),
                    name,
                    kind,
                    f"北碚区{rng.choice(STREETS)}{rng.randint(1, 200)}号",
                    (index % 6) + 1,
                    contact,
                    f"023-6828{rng.randint(0, 9999):04d}",
                    "是",
                ]
            )

    names: set[str] = set()
    rows = []
    trades = list(WEIGHT)
    while len(rows) < 1420:
        trade = rng.choices(trades, weights=[WEIGHT[t] for t in trades])[0]
        name = rng.choice(PLACES) + rng.choice(GIVEN) + rng.choice(TRADES[trade])
        if name in names:
            continue
        names.add(name)
        code = credit_code(rng, rng.choice(["92", "92", "91"])) if rng.random() < 0.7 else ""
        contact = (
            rng.choice(SURNAMES)
            + rng.choice(GIVEN_NAMES)
            + (rng.choice(GIVEN_NAMES) if rng.random() < 0.6 else "")
        )
        street = rng.choice(STREETS)
        rows.append(
            [
                code,
                name,
                trade,
                f"北碚区{street}{rng.randint(1, 300)}号",
                rng.randint(1, 6),
                contact,
                phone(rng),
                opened(rng),
            ]
        )
    with (HERE / "merchants.csv").open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "统一社会信用代码",
                "商户名称",
                "业态",
                "经营地址",
                "网格",
                "负责人",
                "联系电话",
                "开业日期",
            ]
        )
        writer.writerows(rows)


if __name__ == "__main__":
    main()
