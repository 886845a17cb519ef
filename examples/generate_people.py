"""Regenerate examples/people.csv: the fictional "N" forces of the six grids.

Deterministic (seeded), so the committed file only changes when this script does.
Run: python examples/generate_people.py   (after generate.py: it reads merchants.csv)

Written as Chinese Excel exports it (UTF-8 with BOM, Chinese headers). Roles and grids are
sometimes several to a cell, separated by 、 as people type them. Every ID number is
fictional but valid: Beibei's region code, a real birth date and a GB 11643 check digit.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent
BEIBEI = "500109"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
    "邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅琴云莲飞鹏波辉晓婷雪琳"

HEADER = [
    "姓名",
    "角色",
    "网格",
    "技能",
    "电话",
    "身份证号",
    "工作单位",
    "流动党员",
    "加入日期",
    "备注",
]

GRID_WORKER_SKILLS = ["巡查", "调解", "便民服务", "环境卫生", "消防", "安全应急", "物业协调"]
VOLUNTEER_SKILLS = ["志愿服务", "便民服务", "文艺", "摄影", "心理疏导", "应急救护", "助老服务"]
# (unit in council_units.csv, grid, skills) for in-service Party members (在职党员).
PARTY_MEMBERS = [
    ("北碚区市场监督管理局", 1, "市场监管、消费维权"),
    ("北碚区城市管理局", 2, "城管、巡查"),
    ("北碚区商务委员会", 3, "政策咨询"),
    ("国家税务总局重庆市北碚区税务局", 4, "税务政策"),
    ("北碚区司法局", 5, "法律、调解"),
    ("北碚区住房和城乡建设委员会", 6, "物业、安全"),
    ("北碚区人力资源和社会保障局", 5, "劳动、就业政策"),
    ("重庆市公安局北碚区分局北温泉派出所", 6, "安全应急、调解"),
    ("北碚区消防救援支队嘉陵中队", 1, "消防、安全应急"),
    ("中国工商银行重庆北碚支行", 2, "金融服务"),
]
LAWYERS = ["法律、劳动", "法律、消费维权", "法律、合同、物业纠纷"]
MEDIATORS = ["调解、物业纠纷", "调解、邻里纠纷、劳动"]
SOCIAL_WORKERS = ["心理疏导、便民服务", "社区活动、助老服务", "心理疏导、青少年服务"]


def id_number(rng: random.Random) -> str:
    born = date(1962, 1, 1) + timedelta(days=rng.randint(0, 38 * 365))
    body = f"{BEIBEI}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    total = sum(int(digit) * weight for digit, weight in zip(body, WEIGHTS, strict=True))
    return body + CHECK[total % 11]


def since(rng: random.Random, first_year: int) -> str:
    day = date(first_year, 1, 1) + timedelta(
        days=rng.randint(0, (date(2024, 3, 31) - date(first_year, 1, 1)).days)
    )
    return day.isoformat()


def main() -> None:
    rng = random.Random(20240915)
    used: set[str] = set()

    def name() -> str:
        while True:
            candidate = (
                rng.choice(SURNAMES)
                + rng.choice(GIVEN)
                + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
            )
            if candidate not in used:
                used.add(candidate)
                return candidate

    def phone() -> str:
        return (
            rng.choice(["138", "139", "151", "177", "186", "199"])
            + f"{rng.randint(0, 99999999):08d}"
        )

    def maybe_id(share: float) -> str:
        return id_number(rng) if rng.random() < share else ""

    with (HERE / "merchants.csv").open(encoding="gb18030", newline="") as handle:
        merchants = list(csv.reader(handle))[1:]

    rows: list[list[str]] = []
    for grid in range(1, 7):
        for index in range(3 if grid in (1, 5, 6) else 2):
            skills = "、".join(rng.sample(GRID_WORKER_SKILLS, 2))
            role = "网格员" if index else "网格员、志愿者"
            rows.append(
                [
                    name(),
                    role,
                    str(grid),
                    skills,
                    phone(),
                    maybe_id(0.6),
                    "云清路社区居民委员会",
                    "",
                    since(rng, 2021),
                    "",
                ]
            )
    for _ in range(12):
        grids = "、".join(str(g) for g in sorted(rng.sample(range(1, 7), rng.choice([1, 1, 2]))))
        skills = "、".join(rng.sample(VOLUNTEER_SKILLS, 2))
        rows.append(
            [name(), "志愿者", grids, skills, phone(), maybe_id(0.3), "", "", since(rng, 2023), ""]
        )
    for unit, grid, skills in PARTY_MEMBERS:
        rows.append(
            [
                name(),
                "在职党员",
                str(grid),
                skills,
                phone(),
                maybe_id(0.5),
                unit,
                "",
                since(rng, 2022),
                "到社区报到",
            ]
        )
    for grid in range(1, 7):
        merchant = next(row for row in merchants if row[4] == str(grid) and row[0])
        rows.append(
            [
                name(),
                "商家代表",
                str(grid),
                "便民服务、商户协调",
                phone(),
                "",
                merchant[1],
                "",
                since(rng, 2023),
                "",
            ]
        )
    for skills in LAWYERS:
        rows.append(
            [
                name(),
                "律师",
                "",
                skills,
                phone(),
                maybe_id(1.0),
                "北碚区司法局",
                "",
                since(rng, 2022),
                "法律服务进商圈",
            ]
        )
    for grid, skills in zip((2, 5), MEDIATORS, strict=True):
        rows.append(
            [
                name(),
                "金牌调解员",
                str(grid),
                skills,
                phone(),
                maybe_id(1.0),
                "",
                "",
                since(rng, 2021),
                "矛盾纠纷调解中心",
            ]
        )
    for grids, skills in zip(("1、2", "3、4", "5、6"), SOCIAL_WORKERS, strict=True):
        rows.append(
            [name(), "社工", grids, skills, phone(), "", "", "", since(rng, 2023), "云清益家"]
        )
    for grid, role in (
        (1, "流动党员"),
        (3, "流动党员、志愿者"),
        (4, "流动党员"),
        (6, "流动党员、志愿者"),
    ):
        skills = "、".join(rng.sample(VOLUNTEER_SKILLS, 1))
        rows.append(
            [
                name(),
                role,
                str(grid),
                skills,
                phone(),
                maybe_id(0.5),
                "",
                "是",
                since(rng, 2024),
                "纳入商圈党建联盟",
            ]
        )

    with (HERE / "people.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


if __name__ == "__main__":
    main()
