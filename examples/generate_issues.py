"""Regenerate the example work orders of 2024 (examples/issues_2024.csv).

Deterministic (seeded), so the committed file only changes when this script does.
Run: python examples/generate_issues.py

The figures the article reports hold by construction: 77 work orders reported in 2024, of
which 73 are handled (resolved or closed) by 2024-12-31 and 4 are still open or in
progress at the end of the year. August carries the street-vendor (游摊占道) campaign.
Departments are council units by name (council_units.csv); the units concerned are
merchants of merchants.csv. Written as a secretary's spreadsheet export: UTF-8 with a
BOM, Chinese headers, times as "2024-08-03 09:30".
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).parent

# Reported per month of 2024; August holds the street-vendor campaign cluster.
PER_MONTH = {1: 4, 2: 3, 3: 5, 4: 6, 5: 6, 6: 6, 7: 7, 8: 14, 9: 6, 10: 7, 11: 6, 12: 7}

MARKET = "北碚区市场监督管理局"
URBAN = "北碚区城市管理局"
COMMERCE = "北碚区商务委员会"
JUSTICE = "北碚区司法局"
HOUSING = "北碚区住房和城乡建设委员会"
CIVIL = "北碚区民政局"
UNION = "北碚区总工会"
HR = "北碚区人力资源和社会保障局"
POLICE = "重庆市公安局北碚区分局北温泉派出所"
FIRE = "北碚区消防救援支队嘉陵中队"
COMMUNITY = "云清路社区居民委员会"
PROPERTY = "嵩达广场物业管理有限公司"

# category -> ((title, how it was solved) pairs, department sets, sources, merchant trades)
Case = tuple[str, str]
CATEGORIES: dict[str, tuple[list[Case], list[list[str]], list[str], list[str]]] = {
    "物业纠纷": (
        [
            ("商铺物业费收费标准争议", "住建委约谈物业，明确收费依据并公示"),
            ("电梯故障长期未修复", "物业更换电梯主板，红色物业先锋岗跟踪"),
            ("地下车库漏水物业推诿", "组织物业与业主协商，物业完成防水维修"),
            ("商铺装修押金退还纠纷", "物业退还押金，双方签订确认书"),
            ("物业擅自提高停车费", "恢复原收费标准，调价须经业主大会表决"),
            ("楼宇公共区域照明损坏", "物业更换灯具并建立巡检台账"),
            ("物业停水未提前通知商户", "物业致歉，建立停水停电提前告知机制"),
            ("广告位使用发生争执", "组织物业与商户协商，达成广告位分配方案"),
            ("外墙瓷砖脱落存在隐患", "设置警戒区域，物业完成外墙修复"),
            ("空调外机噪音扰民", "商户加装减震垫并调整运行时段"),
            ("商铺漏水波及楼下商户", "上下商户协商，楼上商户承担维修费用"),
        ],
        [[HOUSING], [HOUSING, PROPERTY], [PROPERTY]],
        ["merchant", "visit", "hotline"],
        ["餐饮", "零售", "服装"],
    ),
    "监督管理": (
        [
            ("餐饮店后厨卫生不达标", "市场监管局现场检查，责令整改并复查合格"),
            ("超市销售临期食品", "下架临期食品，依法立案调查"),
            ("无证经营美容店", "商户已办理证照，规范经营"),
            ("商户价格标示不规范", "指导商户规范明码标价"),
            ("健身房预付卡经营不规范", "约谈经营者，预付卡纳入资金监管"),
            ("烧烤店油烟直排", "下达整改通知书，商户加装油烟净化设备"),
            ("培训机构超范围经营", "责令停止超范围经营，办理变更登记"),
        ],
        [[MARKET], [MARKET, URBAN]],
        ["patrol", "hotline", "station_315"],
        ["餐饮", "零售", "健身", "美容美发", "教育培训"],
    ),
    "安全应急": (
        [
            ("步行街广告牌松动", "现场排危，拆除并重新加固广告牌"),
            ("商场电动车违规充电", "清理违规充电，增设集中充电桩"),
            ("商铺燃气管道有异味", "燃气公司检修管道，隐患已消除"),
            ("影城周边井盖破损", "设置警示并更换井盖"),
            ("暴雨后商铺门前积水", "疏通排水沟，清理淤泥"),
            ("儿童游乐设施存在安全隐患", "设施停用检修，检测合格后恢复运营"),
        ],
        [[FIRE], [URBAN], [FIRE, POLICE]],
        ["patrol", "hotline"],
        ["儿童娱乐", "餐饮"],
    ),
    "游摊占道": (
        [
            ("流动摊贩占用步行街中心通道", "城管劝离并登记，纳入统一管理"),
            ("夜市游摊占道经营", "联合执法清理占道摊点，设置巡查点位"),
            ("游摊抢占摊位引发争执", "民警到场调解，摊位由管理方统一分配"),
            ("水果摊占用人行道", "劝导摊主退店经营"),
            ("烧烤摊夜间占道经营", "联合执法清理，引导进入夜市经营区"),
            ("商场门口游摊聚集", "城管劝离并加强巡查"),
        ],
        [[URBAN], [URBAN, POLICE]],
        ["patrol", "merchant"],
        [],
    ),
    "消防通道": (
        [
            ("消防通道被货物堵塞", "责令清理通道并复查畅通"),
            ("车辆长期占用消防通道", "施划禁停标线，安排专人巡查"),
            ("商铺杂物堵塞安全出口", "商户清理杂物，开展消防安全培训"),
            ("游摊占用消防通道", "劝离游摊，通道恢复畅通"),
        ],
        [[FIRE], [FIRE, URBAN]],
        ["patrol"],
        ["零售", "服装"],
    ),
    "环境卫生": (
        [
            ("垃圾清运不及时", "环卫加密清运频次"),
            ("餐饮店泔水乱倒", "约谈商户，签订门前三包责任书"),
            ("公厕卫生状况差", "增派保洁人员，每日巡检"),
            ("步行街地面油污", "清洗路面，督促商户规范倾倒"),
            ("下水道堵塞有异味", "疏通管道并消杀"),
            ("共享单车乱停放影响市容", "联系运营企业清运，施划停放区"),
        ],
        [[URBAN], [URBAN, COMMUNITY]],
        ["patrol", "hotline", "visit"],
        ["餐饮"],
    ),
    "消费维权": (
        [
            ("菜品缺斤少两", "315维权工作站调解，商户退还差价"),
            ("服装店拒绝退换货", "商户同意退货退款"),
            ("健身房闭店预付卡退费", "协商分期退费，市场监管局督促履行"),
            ("美发店强制推销办卡", "商户退还办卡费用并整改"),
            ("儿童乐园收费与宣传不符", "商户按宣传价格退还差价"),
            ("所购商品存在质量问题", "商户更换商品并赔偿"),
            ("培训机构退费纠纷", "双方达成退费协议"),
        ],
        [[MARKET]],
        ["station_315", "station_315", "hotline"],
        ["餐饮", "服装", "健身", "美容美发", "儿童娱乐", "教育培训"],
    ),
    "劳动纠纷": (
        [
            ("餐饮店拖欠员工工资", "人社局督促补发工资"),
            ("外卖骑手工伤赔偿争议", "工会参与调解，双方达成赔偿协议"),
            ("解除劳动合同未支付补偿", "依法支付经济补偿"),
            ("装修工人讨薪", "督促包工方结清工资"),
            ("试用期工资争议", "按合同约定补足工资差额"),
        ],
        [[HR], [HR, UNION]],
        ["visit", "hotline", "mediation"],
        ["餐饮", "服装", "零售"],
    ),
    "矛盾纠纷": (
        [
            ("相邻商铺因噪音发生纠纷", "金牌调解员调解成功，签订调解协议"),
            ("顾客与商户因停车发生口角", "现场调解，双方和解"),
            ("商铺转让费纠纷", "法律服务站提供咨询，双方和解"),
            ("油烟扰民邻里纠纷", "商户调整排烟口，邻里达成谅解"),
            ("摊位租赁合同纠纷", "调解中心调解，双方重新签订合同"),
            ("顾客与商户因排队发生冲突", "现场调解，双方和解"),
        ],
        [[JUSTICE], [JUSTICE, POLICE]],
        ["mediation", "mediation", "visit"],
        ["餐饮", "零售", "酒吧"],
    ),
    "便民服务": (
        [
            ("外卖骑手希望设置休息点", "暖驿站提供休息、充电和热水服务"),
            ("居民咨询社区食堂就餐", "社区工作人员上门解答"),
            ("商户咨询营业执照变更", "帮办代办完成"),
        ],
        [[CIVIL], [COMMUNITY], [COMMERCE]],
        ["visit", "hotline"],
        [],
    ),
}
SOURCE_LABELS = {
    "patrol": "网格巡查",
    "hotline": "热线电话",
    "visit": "来访",
    "station_315": "315维权工作站",
    "mediation": "矛盾纠纷调解中心",
    "merchant": "商户反映",
}
CAMPAIGN_NOTE = "划定经营区域，引导游摊规范入驻，由第三方管理公司统一管理"
# Reported per category (sums to 77); 8 of the vendor orders are the August campaign.
COUNTS = {
    "物业纠纷": 12,
    "监督管理": 7,
    "安全应急": 6,
    "游摊占道": 14,
    "消防通道": 5,
    "环境卫生": 9,
    "消费维权": 10,
    "劳动纠纷": 5,
    "矛盾纠纷": 6,
    "便民服务": 3,
}
AUGUST_CAMPAIGN = 8
# Small matters the district settled on the spot, without blowing the whistle.
ON_THE_SPOT = {"环境卫生", "矛盾纠纷", "便民服务"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
FOLLOW_UP = {
    "满意": ["反映人对处理结果表示满意", "商户表示问题已解决", "电话回访，群众满意"],
    "基本满意": ["反映人基本认可，希望加强日常巡查", "问题解决但用时较长"],
    "不满意": ["反映人认为赔偿偏低", "反映人希望彻底整治"],
}
HEADER = [
    "标题",
    "类别",
    "网格",
    "来源",
    "上报时间",
    "反映人",
    "联系电话",
    "涉及单位",
    "问题描述",
    "状态",
    "承办单位",
    "派单时间",
    "报到时间",
    "解决时间",
    "回访时间",
    "满意度",
    "办理情况",
    "回访情况",
]
YEAR_END = datetime(2025, 1, 1)


def merchants_by_trade() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    with (HERE / "merchants.csv").open(encoding="gb18030", newline="") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["业态"], []).append(row["商户名称"])
    return found


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def working_time(rng: random.Random, day: datetime) -> datetime:
    return day.replace(hour=rng.randint(8, 17), minute=rng.choice(range(0, 60, 5)))


def later(rng: random.Random, start: datetime, low_hours: float, high_hours: float) -> datetime:
    """A time some hours after `start`, moved into office hours (08:30-18:00)."""
    moment = start + timedelta(hours=rng.uniform(low_hours, high_hours))
    moment = moment.replace(minute=moment.minute - moment.minute % 5, second=0, microsecond=0)
    if moment.hour >= 18:
        moment = moment.replace(hour=9) + timedelta(days=1)
    elif moment.hour < 8 or (moment.hour == 8 and moment.minute < 30):
        moment = moment.replace(hour=9)
    return moment


def plan(rng: random.Random) -> list[tuple[str, datetime]]:
    """(category, report time) for all 77, the August campaign placed first."""
    pool = [c for c, n in COUNTS.items() for _ in range(n)]
    for _ in range(AUGUST_CAMPAIGN):
        pool.remove("游摊占道")
    campaign = [
        ("游摊占道", working_time(rng, datetime(2024, 8, day)))
        for day in sorted(rng.sample(range(1, 21), AUGUST_CAMPAIGN))
    ]
    rng.shuffle(pool)
    placed: list[tuple[str, datetime]] = []
    for month, count in PER_MONTH.items():
        free = count - (AUGUST_CAMPAIGN if month == 8 else 0)
        days = sorted(rng.randint(1, 28) for _ in range(free))
        for day in days:
            placed.append((pool.pop(), working_time(rng, datetime(2024, month, day))))
    return sorted(campaign + placed, key=lambda item: item[1])


def main() -> None:
    rng = random.Random(20241231)
    merchants = merchants_by_trade()
    orders = plan(rng)
    # The four still open at the end of 2024: the last three reports and one from November.
    november = [i for i, (_, at) in enumerate(orders) if at.month == 11]
    unfinished = {
        len(orders) - 1: "待派单",
        len(orders) - 2: "已吹哨",
        len(orders) - 3: "办理中",
        november[-1]: "办理中",
    }
    rows: list[list[str]] = []
    for index, (category, reported) in enumerate(orders):
        cases, department_sets, sources, trades = CATEGORIES[category]
        title, solution = rng.choice(cases)
        campaign = category == "游摊占道" and reported.month == 8
        grid = rng.choice([2, 5, 5]) if category == "游摊占道" else rng.randint(1, 6)
        source = rng.choice(sources)
        reporter = rng.choice(SURNAMES) + rng.choice(["女士", "先生"])
        phone = ""
        if rng.random() < 0.6:
            phone = rng.choice(["139", "158", "177", "186"]) + f"{rng.randint(0, 99999999):08d}"
        unit = rng.choice(merchants[rng.choice(trades)]) if trades and rng.random() < 0.7 else ""
        description = f"{reporter}反映：{title}，请尽快处理。"
        status = unfinished.get(index, "")
        on_the_spot = not status and category in ON_THE_SPOT and rng.random() < 0.5
        departments: list[str] = []
        dispatched = accepted = resolved = closed = None
        satisfaction = note = follow_up = ""
        if not on_the_spot and status != "待派单":
            departments = [URBAN, POLICE] if campaign else rng.choice(department_sets)
            dispatched = later(rng, reported, 0.5, 6)
            if status != "已吹哨":
                accepted = later(rng, dispatched, 0.5, 20)
        if not status:
            start = accepted or reported
            resolved = later(rng, start, 2, 24 * rng.choice([1, 2, 3, 5, 8, 12]))
            if resolved >= YEAR_END:
                resolved = later(rng, start, 1, 6)
            note = CAMPAIGN_NOTE if campaign else solution
            if reported.month < 12 or rng.random() < 0.3:
                closed = later(rng, resolved, 24, 24 * 5)
                satisfaction = rng.choices(["满意", "基本满意", "不满意"], [14, 4, 1])[0]
                follow_up = rng.choice(FOLLOW_UP[satisfaction])
        if status == "办理中":
            note = "部门已报到，正在协调处理"
        rows.append(
            [
                title,
                category,
                str(grid),
                SOURCE_LABELS[source],
                stamp(reported),
                reporter,
                phone,
                unit,
                description,
                status or ("已回访" if closed else "已解决"),
                "、".join(departments),
                stamp(dispatched) if dispatched else "",
                stamp(accepted) if accepted else "",
                stamp(resolved) if resolved else "",
                stamp(closed) if closed else "",
                satisfaction,
                note,
                follow_up,
            ]
        )
    with (HERE / "issues_2024.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


if __name__ == "__main__":
    main()
