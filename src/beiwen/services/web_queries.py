"""The canned queries and the dashboard that `beiwen serve` gives Datasette (pure data).

Every query reads the Chinese views or names the columns it shows: none selects a phone or
an ID number, and under `beiwen serve` without --show-pii SQLite's authorizer would read
them as NULL anyway (io/web.py). Times compare as text in Beijing time, as everywhere.
"""

from __future__ import annotations

from typing import Any

from beiwen.i18n import t

ACTIVE = "('open', 'dispatched', 'in_progress')"
COUNTED = "i.voided_at IS NULL AND i.duplicate_of IS NULL"
NOW = "strftime('%Y-%m-%dT%H:%M:%S+08:00', 'now', '+8 hours')"
HANDLED = "i.status IN ('resolved', 'closed')"


def fraction(part: str, whole: str) -> str:
    """SQL for `3/4 = 75.0%`, NULL when the whole is 0 (the house's way of showing a rate)."""
    return (
        f"CASE WHEN {whole} > 0 THEN printf('%d/%d = %.1f%%', {part}, {whole}, "
        f"100.0 * {part} / {whole}) END"
    )


def canned_queries() -> dict[str, dict[str, Any]]:
    """name -> Datasette's canned query (its SQL; the title and description are the
    catalogue's `serve.query.<name>` and `serve.query.<name>.description`)."""
    return {
        "this_month": {
            "sql": (
                "SELECT month AS 月份, collected AS 受理, handled_in_month AS 当月办结, "
                "handled_to_date AS 累计办结, cancelled AS 撤销, "
                f"{fraction('handled_to_date', 'collected')} AS 办结率 "
                "FROM v_monthly_issue_stats "
                "WHERE month = coalesce(nullif(:month, ''), strftime('%Y-%m', 'now', '+8 hours'))"
            ),
        },
        "overdue_now": {
            "sql": (
                "SELECT i.id AS 工单号, i.title AS 标题, l.zh AS 类别, g.name AS 网格, "
                "i.due_at AS 办理期限, "
                "round(julianday('now') - julianday(i.due_at), 1) AS 超期天数, "
                "(SELECT group_concat(u.name, '、') FROM issue_units x "
                "JOIN units u ON u.id = x.unit_id "
                "WHERE x.issue_id = i.id AND x.released_at IS NULL) AS 承办单位 "
                "FROM issues i LEFT JOIN grids g ON g.number = i.grid "
                "LEFT JOIN labels l ON l.vocabulary = 'issue_category' AND l.key = i.category "
                f"WHERE i.status IN {ACTIVE} AND {COUNTED} AND i.due_at < {NOW} "
                "ORDER BY i.due_at, i.id"
            ),
        },
        "departments": {
            "sql": (
                "SELECT u.name AS 部门, count(*) AS 派单, "
                "sum(x.accepted_at IS NOT NULL) AS 报到, "
                f"sum({HANDLED}) AS 办结, "
                f"sum(i.status IN {ACTIVE} AND i.due_at < {NOW}) AS 超期, "
                f"{fraction(f'sum({HANDLED})', 'count(*)')} AS 办结率 "
                "FROM issue_units x JOIN units u ON u.id = x.unit_id "
                f"JOIN issues i ON i.id = x.issue_id WHERE {COUNTED} "
                f"GROUP BY u.id ORDER BY 1.0 * sum({HANDLED}) / count(*) DESC, count(*) DESC, "
                "u.name"
            ),
        },
        "unit_history": {
            "sql": (
                "SELECT v.* FROM v_issues_zh v JOIN issues i ON i.id = v.工单号 "
                "WHERE :unit <> '' AND (EXISTS (SELECT 1 FROM units u WHERE u.id = i.unit_id "
                "AND instr(u.name, :unit)) OR EXISTS (SELECT 1 FROM issue_units x "
                "JOIN units w ON w.id = x.unit_id WHERE x.issue_id = i.id "
                "AND instr(w.name, :unit))) ORDER BY i.reported_at, i.id"
            ),
        },
    }


def dashboard(database: str, year: str | None) -> dict[str, Any]:
    """The datasette-dashboards configuration: one dashboard (`beiwen`) of the year's work
    orders, with the year as its filter (the latest year of the data by default)."""
    in_year = "[[ AND substr(month, 1, 4) = :year ]]"
    order_year = "[[ AND substr(上报月份, 1, 4) = :year ]]"
    counted = "标记 = ''"

    def bars(field: str, title: str) -> dict[str, Any]:
        return {
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": {"field": field, "type": "nominal", "sort": "-x", "title": title},
                "x": {"field": "工单数", "type": "quantitative", "title": "工单数"},
            },
        }

    return {
        "beiwen": {
            "title": t("serve.dashboard"),
            "description": t("serve.dashboard.description"),
            "layout": [
                ["total", "handled"],
                ["monthly", "monthly"],
                ["categories", "grids"],
                ["departments", "departments"],
            ],
            "filters": {
                "year": {"name": "年份", "type": "text", **({"default": year} if year else {})}
            },
            "charts": {
                "total": {
                    "title": "受理工单",
                    "db": database,
                    "query": f"SELECT sum(collected) AS 受理 FROM v_monthly_issue_stats "
                    f"WHERE TRUE {in_year}",
                    "library": "metric",
                    "display": {"field": "受理", "suffix": " 件"},
                },
                "handled": {
                    "title": "办结",
                    "db": database,
                    "query": f"SELECT sum(handled_to_date) AS 办结 FROM v_monthly_issue_stats "
                    f"WHERE TRUE {in_year}",
                    "library": "metric",
                    "display": {"field": "办结", "suffix": " 件"},
                },
                "monthly": {
                    "title": "各月受理工单和办结率",
                    "db": database,
                    "query": "SELECT month AS 月份, collected AS 受理, "
                    "round(100.0 * handled_to_date / nullif(collected, 0), 1) AS 办结率 "
                    f"FROM v_monthly_issue_stats WHERE TRUE {in_year} ORDER BY month",
                    "library": "vega-lite",
                    "display": {
                        "encoding": {"x": {"field": "月份", "type": "ordinal", "title": "月份"}},
                        "layer": [
                            {
                                "mark": {"type": "bar", "tooltip": True},
                                "encoding": {
                                    "y": {"field": "受理", "type": "quantitative", "title": "受理"}
                                },
                            },
                            {
                                "mark": {
                                    "type": "line",
                                    "point": True,
                                    "color": "#c0392b",
                                    "tooltip": True,
                                },
                                "encoding": {
                                    "y": {
                                        "field": "办结率",
                                        "type": "quantitative",
                                        "title": "办结率（%）",
                                    }
                                },
                            },
                        ],
                        "resolve": {"scale": {"y": "independent"}},
                    },
                },
                "categories": {
                    "title": "类别",
                    "db": database,
                    "query": f"SELECT 类别, count(*) AS 工单数 FROM v_issues_zh WHERE {counted} "
                    f"{order_year} GROUP BY 类别 ORDER BY 工单数 DESC",
                    "library": "vega-lite",
                    "display": bars("类别", "类别"),
                },
                "grids": {
                    "title": "网格",
                    "db": database,
                    "query": f"SELECT coalesce(网格, '未分网格') AS 网格, count(*) AS 工单数 "
                    f"FROM v_issues_zh WHERE {counted} {order_year} GROUP BY 1 "
                    "ORDER BY 工单数 DESC",
                    "library": "vega-lite",
                    "display": bars("网格", "网格"),
                },
                "departments": {
                    "title": "部门办结率",
                    "db": database,
                    "query": "SELECT u.name AS 部门, count(*) AS 派单, "
                    f"round(100.0 * sum({HANDLED}) / count(*), 1) AS 办结率 "
                    "FROM issue_units x JOIN units u ON u.id = x.unit_id "
                    f"JOIN issues i ON i.id = x.issue_id WHERE {COUNTED} "
                    "[[ AND substr(i.reported_at, 1, 4) = :year ]] "
                    "GROUP BY u.id ORDER BY 办结率 DESC, 派单 DESC LIMIT 20",
                    "library": "vega-lite",
                    "display": {
                        "mark": {"type": "bar", "tooltip": True},
                        "encoding": {
                            "y": {
                                "field": "部门",
                                "type": "nominal",
                                "sort": "-x",
                                "title": "部门",
                            },
                            "x": {
                                "field": "办结率",
                                "type": "quantitative",
                                "title": "办结率（%）",
                            },
                        },
                    },
                },
            },
        }
    }
