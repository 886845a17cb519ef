"""Regenerate examples/service_2024.csv: the fictional service ledger (志愿服务台账) of 2024.

Deterministic (seeded), so the committed file only changes when this script does.
Run: python examples/generate_service.py   (after generate_people.py: it reads people.csv
and activities_2024.csv, whose rows are the demo's activities 1, 2, 3 … in order)

Volunteers, grid workers and in-service Party members (在职党员) serve at the year's
volunteer service, festivals and Party day (the activity's own day, so the date is left
blank), grid workers patrol every month (巡查, 文明劝导), and in-service members help at
some policy briefings. Hours are in half hours, two records a person a day at most.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).parent
HEADER = ["姓名", "日期", "时长", "活动编号", "备注"]
SERVED_AT = {"志愿服务": (8, 12), "商圈活动": (10, 16), "主题党日": (8, 12)}
PATROLS = ("网格巡查", "消防通道巡查", "文明劝导", "流动摊贩劝导", "便民服务")


def read(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def hours(rng: random.Random, low: float, high: float) -> str:
    value = rng.randrange(int(low * 2), int(high * 2) + 1) / 2
    return f"{value:g}"


def main() -> None:
    rng = random.Random(19)
    people = read("people.csv")
    activities = read("activities_2024.csv")

    def having(role: str) -> list[str]:
        return [p["姓名"] for p in people if role in p["角色"]]

    volunteers, workers, in_service = having("志愿者"), having("网格员"), having("在职党员")
    rows: list[list[str]] = []
    seen: set[tuple[str, str]] = set()
    for number, activity in enumerate(activities, start=1):
        kind, day = activity["活动类型"], activity["日期"]
        pool = {
            "主题党日": in_service + having("流动党员"),
            "政策宣讲": in_service,
        }.get(kind, volunteers + workers + in_service)
        if kind in SERVED_AT:
            low, high = SERVED_AT[kind]
        elif kind == "政策宣讲" and number % 3 == 0:
            low, high = 2, 3
        else:
            continue
        pool = sorted(set(pool))  # a grid worker may be a volunteer too
        for name in sorted(rng.sample(pool, min(len(pool), rng.randint(low, high)))):
            seen.add((name, day))
            rows.append([name, "", hours(rng, 2, 4), str(number), ""])
    for month in range(1, 13):
        for name in workers:
            for _ in range(rng.randint(1, 2)):
                day = (date(2024, month, 1) + timedelta(days=rng.randrange(27))).isoformat()
                if (name, day) in seen:
                    continue
                seen.add((name, day))
                rows.append([name, day, hours(rng, 1.5, 3), "", rng.choice(PATROLS)])
    rows.sort(key=lambda row: (row[1] or activities[int(row[3]) - 1]["日期"], row[0]))
    with (HERE / "service_2024.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    print(f"service_2024.csv: {len(rows)} records")


if __name__ == "__main__":
    main()
