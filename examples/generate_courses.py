"""Regenerate the example courses, class ledger and activity log of 2024.

Deterministic (seeded), so the committed files only change when this script does.
Run: .venv/bin/python examples/generate_courses.py
(writes courses.csv, course_classes_2024.csv and activities_2024.csv here, UTF-8 with BOM
and Chinese headers, as Excel saves them).

The figures are the article's: 35 classes of ethnic dance, dubbing and basketball
(13 + 10 + 12); the senior vocal course 歌声飞扬唱响夕阳 in 2 terms of 33 classes; the fashion
and posture course 繁花云清优雅前行 in 2 terms of 65 classes; 12 new-media classes. Classes
are weekly and skip China's public holidays. Activities: 4 finance visits serving 48
enterprises, 6 trainings, 11 policy briefings, 2 forums that solved funding for 3
enterprises, 3 cooperation meetings with 30+ chamber members, salons and festivals.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, datetime, time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "src"))

from beiwen.services.holidays import holiday_on  # noqa: E402

BANK_ICBC = "中国工商银行重庆北碚支行"
BANK_RURAL = "重庆农村商业银行北碚支行"
COMMERCE = "北碚区商务委员会"
HR = "北碚区人力资源和社会保障局"
TAX = "国家税务总局重庆市北碚区税务局"
CHAMBER = "嘉陵风情步行街商会"
WOMEN = "北碚区妇女联合会"
YOUTH = "共青团北碚区委员会"
COMMUNITY = "云清路社区居民委员会"
MARKET = "北碚区市场监督管理局"
CIVIL = "北碚区民政局"
UNION = "北碚区总工会"  # the duty unit of August 2024 in the example rotation

# name, category, partner, teacher, venue, capacity
COURSES = [
    ("民族舞培训", "舞蹈", WOMEN, "杨晓燕", "红色驿站多功能厅", 30),
    ("配音课堂", "配音朗诵", "北碚区云清社会工作服务中心", "陈思远", "红色驿站红色讲坛", 20),
    ("篮球教学", "体育", YOUTH, "刘建华", "嵩达广场篮球场", 24),
    ("歌声飞扬唱响夕阳", "声乐", CIVIL, "王秀兰", "云清路社区活动室", 40),
    ("繁花云清优雅前行", "时装形体", "温泉公益慈善基金会", "李雅琴", "红色驿站多功能厅", 30),
    ("新媒体运营培训", "新媒体", COMMERCE, "赵明轩", "红色驿站助企服务站", 50),
]

# course, term, weekdays (0 = Monday), time, first day, number of classes
SCHEDULES = [
    ("民族舞培训", "", (5,), time(9, 30), date(2024, 6, 1), 13),
    ("配音课堂", "", (2,), time(19, 0), date(2024, 7, 3), 10),
    ("篮球教学", "", (6,), time(16, 0), date(2024, 7, 7), 12),
    ("歌声飞扬唱响夕阳", "第一期", (1, 3), time(14, 30), date(2024, 3, 5), 16),
    ("歌声飞扬唱响夕阳", "第二期", (1, 3), time(14, 30), date(2024, 9, 3), 17),
    ("繁花云清优雅前行", "第一期", (0, 2, 4), time(15, 0), date(2024, 3, 4), 32),
    ("繁花云清优雅前行", "第二期", (0, 2, 4), time(15, 0), date(2024, 8, 5), 33),
    ("新媒体运营培训", "", (4,), time(19, 0), date(2024, 8, 2), 12),
]

# title, kind, date, lead unit, partners, served, helped, participants, outcome
ACTIVITIES = [
    ("金融服务进企业·走进嵩达广场", "金融服务进企业", "2024-03-19", BANK_ICBC, [COMMERCE],
     12, 0, 26, "讲解普惠贷款产品，收集融资需求"),
    ("“3·15”消费维权志愿服务", "志愿服务", "2024-03-15", MARKET, [CHAMBER],
     0, 0, 45, "现场受理消费咨询 31 件"),
    ("企业沙龙：惠企政策与企业管理", "企业沙龙", "2024-03-28", COMMERCE, [TAX],
     16, 0, 38, "邀请专家学者解读惠企政策"),
    ("合作洽谈会：资源供应与需求对接", "合作洽谈会", "2024-04-18", CHAMBER, [COMMERCE],
     0, 0, 32, "商会企业发布资源供需清单"),
    ("创业就业培训（春季班）", "培训", "2024-04-24", HR, [],
     18, 0, 46, "创业政策与就业技能培训"),
    ("金融服务进企业·步行街商户专场", "金融服务进企业", "2024-05-22", BANK_RURAL, [CHAMBER],
     10, 0, 22, "为商户办理线上贷款预审"),
    ("经营管理培训：门店运营", "培训", "2024-06-12", COMMERCE, [CHAMBER],
     21, 0, 52, "门店运营与成本管理"),
    ("政银企交流座谈会（第一场）", "政银企座谈", "2024-06-25", COMMERCE, [BANK_ICBC, BANK_RURAL],
     9, 2, 24, "为 2 家企业解决流动资金难题"),
    ("合作洽谈会：专业服务", "合作洽谈会", "2024-07-16", CHAMBER, [COMMERCE],
     0, 0, 35, "法律、财税等专业服务对接"),
    ("科技型中小企业申报培训", "培训", "2024-07-23", COMMERCE, [TAX],
     15, 0, 34, "讲解科技型中小企业评价与申报"),
    ("“海宇 yeah 市”", "商圈活动", "2024-07-27", CHAMBER, [COMMERCE],
     0, 0, 3200, "夜间市集，汇聚商户 60 余家"),
    ("金融服务进企业·餐饮企业专场", "金融服务进企业", "2024-08-14", BANK_ICBC, [BANK_RURAL],
     14, 0, 31, "对接餐饮企业融资与支付服务"),
    ("“暖有滋味、味你而来”美食节", "商圈活动", "2024-08-17", CHAMBER, [COMMERCE, MARKET],
     0, 0, 5600, "巴渝特色美食展销"),
    ("主题党日：党建引领商圈治理", "主题党日", "2024-08-27", UNION, [COMMUNITY],
     0, 0, 42, "商圈党员学习交流，认领服务岗位"),
    ("创业就业培训（秋季班）", "培训", "2024-09-11", HR, [],
     20, 0, 48, "创业担保贷款政策与就业指导"),
    ("企业沙龙：数字化经营", "企业沙龙", "2024-09-24", COMMERCE, [CHAMBER],
     14, 0, 29, "分享线上引流与会员运营经验"),
    ("经营管理培训：用工与合规", "培训", "2024-10-16", HR, [CHAMBER],
     19, 0, 41, "劳动用工合规与企业管理"),
    ("嘉陵风情步行街金秋购物节", "商圈活动", "2024-10-19", COMMERCE, [CHAMBER, BANK_ICBC],
     0, 0, 8800, "商户联合让利促销"),
    ("政银企交流座谈会（第二场）", "政银企座谈", "2024-10-29", COMMERCE, [BANK_ICBC, BANK_RURAL],
     7, 1, 19, "为 1 家企业解决贷款续贷难题"),
    ("金融服务进企业·小微企业融资对接", "金融服务进企业", "2024-11-06", BANK_RURAL, [COMMERCE],
     12, 0, 27, "小微企业信用贷款对接"),
    ("合作洽谈会：商业活动策划", "合作洽谈会", "2024-11-14", CHAMBER, [COMMERCE],
     0, 0, 31, "策划年末促销与跨店联动"),
    ("科技型中小企业申报培训（第二期）", "培训", "2024-11-20", COMMERCE, [TAX],
     13, 0, 30, "申报材料辅导"),
]  # fmt: skip
# Eleven policy briefings with the human-resources and tax bureaus, February to December.
BRIEFINGS = [
    ("2024-02-27", "稳岗就业政策"),
    ("2024-03-26", "增值税小规模纳税人减免政策"),
    ("2024-04-23", "社保费优惠政策"),
    ("2024-05-28", "个体工商户税费优惠"),
    ("2024-06-18", "吸纳就业补贴政策"),
    ("2024-07-30", "研发费用加计扣除"),
    ("2024-08-20", "高校毕业生就业补贴"),
    ("2024-09-19", "“六税两费”减征政策"),
    ("2024-10-22", "职业技能提升补贴"),
    ("2024-11-26", "小微企业所得税优惠"),
    ("2024-12-17", "年度汇算清缴辅导"),
]


def weekly(weekdays: tuple[int, ...], at: time, first: date, count: int) -> list[datetime]:
    """The first `count` days on the weekdays from `first`, skipping public holidays."""
    days: list[datetime] = []
    day = first
    while len(days) < count:
        if day.weekday() in weekdays and holiday_on(day) is None:
            days.append(datetime.combine(day, at))
        day = date.fromordinal(day.toordinal() + 1)
    return days


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (HERE / name).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    rng = random.Random(2024)
    write(
        "courses.csv",
        ["课程名称", "类别", "合作单位", "授课老师", "上课地点", "容量"],
        [list(course) for course in COURSES],
    )
    capacity = {course[0]: course[5] for course in COURSES}
    ledger: list[list[object]] = []
    for course, term, weekdays, at, first, count in SCHEDULES:
        for moment in weekly(weekdays, at, first, count):
            seats = capacity[course]
            # Most classes fill 60-100% of the seats; now and then more come than fit.
            attendance = rng.randint(seats * 6 // 10, seats)
            note = ""
            if rng.random() < 0.05:
                attendance = seats + rng.randint(1, 4)
                note = "加座"
            ledger.append([course, term, moment.strftime("%Y-%m-%d %H:%M"), attendance, "", note])
    ledger.sort(key=lambda row: (str(row[2]), str(row[0])))
    write("course_classes_2024.csv", ["课程", "期次", "上课时间", "人数", "地点", "备注"], ledger)
    activities: list[list[object]] = [
        [title, kind, day, lead, "、".join(partners), served, helped, people, outcome]
        for title, kind, day, lead, partners, served, helped, people, outcome in ACTIVITIES
    ]
    for index, (day, topic) in enumerate(BRIEFINGS):
        lead, partner = (HR, TAX) if index % 2 == 0 else (TAX, HR)
        served = rng.randint(8, 20)
        activities.append(
            [f"稳企惠企政策宣讲：{topic}", "政策宣讲", day, lead, partner, served, 0,
             served + rng.randint(5, 15), "点对点宣讲政策、现场答疑"]
        )  # fmt: skip
    activities.sort(key=lambda row: (str(row[2]), str(row[0])))
    write(
        "activities_2024.csv",
        ["活动名称", "活动类型", "日期", "牵头单位", "合作单位", "服务企业数", "解决企业数",
         "参与人数", "成效"],
        activities,
    )  # fmt: skip


if __name__ == "__main__":
    main()
