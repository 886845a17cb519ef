"""`init --demo`: the three lists of the example district's 2024. The needs and resources
are example files loaded through the import pipeline (examples/needs_2024.csv,
resources_2024.csv); their steps and projects are taken here through the same services a
secretary's commands use, so that the report computes the article's "为3家企业解决资金难题"
from a project done with three enterprises helped.

2024 in figures: 10 needs collected (an 11th cancelled), 9 transferred, 8 replied to, 6
matched to projects; 1 project done helping 3 enterprises; 1 overdue at the year's end.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from beiwen.services.lists import needs, projects
from beiwen.services.lists.exchange import import_needs, import_resources

ICBC = "中国工商银行重庆北碚支行"
RCB = "重庆农村商业银行北碚支行"
HR = "北碚区人力资源和社会保障局"
NEED_TITLES = (
    "流动资金贷款50万元",
    "门店装修贷款30万元",
    "进货周转资金20万元",
    "招聘服务员和厨师8人",
    "招聘导购员5人",
    "店铺租赁合同纠纷咨询",
    "小微企业税费优惠政策咨询",
    "直播带货培训",
    "参加金秋购物节设摊",
    "仓储场地约200平方米",
    "门头招牌更换审批咨询",
)
RESOURCE_TITLES = (
    "小微企业信用贷款",
    "创业担保贷款",
    "春风行动招聘会",
    "法律服务进商圈",
    "税费优惠政策辅导",
    "电商直播培训课堂",
)  # the first lines of resources_2024.csv
# need (its line in needs_2024.csv), unit, transfer day and note, reply day and note
# (None: no reply yet)
STEPS: list[tuple[int, str, str, str, str | None, str | None]] = [
    (1, ICBC, "2024-03-06", "请对接小微企业信用贷款", "2024-03-15", "已上门走访，符合信用贷款条件"),
    (2, ICBC, "2024-03-11", "请对接装修贷款", "2024-03-18", "已受理贷款申请"),
    (3, RCB, "2024-03-13", "请对接创业担保贷款", "2024-03-20", "已受理，待财政贴息审批"),
    (4, HR, "2024-04-12", "请纳入春风行动招聘会", "2024-04-25", "已安排专场招聘"),
    (5, HR, "2024-04-18", "请纳入春风行动招聘会", "2024-04-25", "已安排专场招聘"),
    (6, "北碚区司法局", "2024-05-22", "请安排律师咨询", "2024-05-30", "律师已出具法律意见"),
    (
        7,
        "国家税务总局重庆市北碚区税务局",
        "2024-06-05",
        "请做政策辅导",
        "2024-06-12",
        "已一对一辅导",
    ),
    (8, "共青团北碚区委员会", "2024-07-12", "请纳入电商直播培训", None, None),
    (9, "嘉陵风情步行街商会", "2024-08-23", "请预留购物节展位", "2024-08-30", "已预留展位"),
]


def demo_needs(conn: sqlite3.Connection, folder: Path) -> int:
    return import_needs(conn, folder / "needs_2024.csv").inserted


def demo_resources(conn: sqlite3.Connection, folder: Path) -> int:
    return import_resources(conn, folder / "resources_2024.csv").inserted


def demo_projects(conn: sqlite3.Connection, folder: Path) -> int:
    """The needs' steps of 2024 and its three projects; returns the projects made. Needs
    and resources are found by their line in the example files (other demo steps may
    have made needs of their own before these)."""
    from beiwen.repository import lists as repo

    by_title = {row["title"]: str(row["id"]) for row in repo.all_needs(conn)}
    need = {line: by_title[title] for line, title in enumerate(NEED_TITLES, start=1)}
    offers = {row["title"]: str(row["id"]) for row in repo.list_resources(conn)}
    resource = {line: offers[title] for line, title in enumerate(RESOURCE_TITLES, start=1)}
    for line, unit, sent, note, replied, answer in STEPS:
        needs.transfer_need(conn, need[line], to=unit, note=note, day=sent)
        if replied and answer:
            needs.reply_need(conn, need[line], unit=unit, note=answer, day=replied)
    needs.finish_need(conn, need[6], "close", note="双方协商和解", day="2024-06-05")
    needs.finish_need(conn, need[7], "close", note="已享受减免", day="2024-06-14")
    needs.finish_need(conn, need[11], "cancel", note="企业已自行办理", day="2024-10-20")
    funding = projects.add_project(
        conn,
        {"title": "银企对接解决资金难题", "lead_unit_id": ICBC, "day": "2024-03-25",
         "due": "2024-06-30"},
        [need[1], need[2], need[3]],
        [resource[1], resource[2]],
    )  # fmt: skip
    projects.done_project(
        conn, str(funding), outcome="3家企业获得贷款共100万元", helped="3", day="2024-05-28"
    )
    projects.add_project(
        conn,
        {"title": "春风行动商圈专场招聘", "lead_unit_id": HR, "day": "2024-05-06",
         "due": "2024-12-15"},
        [need[4], need[5]],
        [resource[3]],
    )  # fmt: skip
    projects.add_project(
        conn,
        {"title": "商户电商直播培训", "lead_unit_id": "共青团北碚区委员会", "day": "2024-07-20",
         "due": "2025-03-31"},
        [need[8]],
        [resource[6]],
    )  # fmt: skip
    return 3
