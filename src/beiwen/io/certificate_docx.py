"""A certificate of service hours (志愿服务时长证明) as a one-page A4 Word document, in the
公文 layout of io/docx_layout.py: the title, a paragraph that certifies the person's hours
in the year, the hours month by month (twelve rows at most, so that it stays on one page),
特此证明, then the issuing body and the date it was made.

The ID number comes in as the command shows it (masked unless --show-pii, beiwen.privacy);
this module prints what it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from beiwen.i18n import label, t
from beiwen.io import docx_layout as layout
from beiwen.io.files import write_file
from beiwen.io.report_docx import date_words
from beiwen.printable import printable
from beiwen.render_report import Section
from beiwen.services.service_records import hours_text

H_MONTH = ("Month", "月份")
H_RECORDS = ("Times", "次数")
H_HOURS = ("Hours", "时长（小时）")
H_TOTAL = ("Total", "合计")


def certificate_text(data: dict[str, Any]) -> str:
    """The paragraph that certifies: who, in which year, where, how often, how many hours."""
    person = data["person"]
    who = t("service.cert.who", name=person["name"])
    if data.get("id_number"):
        who += t("service.cert.id_number", id_number=data["id_number"])
    if person.get("unit"):
        who += t("service.cert.unit", unit=person["unit"])
    return t(
        "service.cert.body",
        who=who,
        year=data["year"],
        org=data["org"],
        count=data["count"],
        days=data["days"],
        hours=hours_text(data["hours"]),
    )


def month_section(data: dict[str, Any]) -> Section:
    counts: dict[str, int] = {}
    for record in data["records"]:
        counts[record["date"][:7]] = counts.get(record["date"][:7], 0) + 1
    rows = [
        [t("service.cert.month", year=month[:4], month=int(month[5:])), str(counts[month]), hours]
        for month, hours in ((m, hours_text(h)) for m, h in data["by_month"].items())
    ]
    return Section(
        t("service.cert.by_month"),
        [label(H_MONTH), label(H_RECORDS), label(H_HOURS)],
        rows,
        [label(H_TOTAL), str(data["count"]), hours_text(data["hours"])],
    )


def write_certificate(data: dict[str, Any], path: Path) -> None:
    """`data` as `services.service_records.certificate` returns it, with `id_number` as it
    may be shown, written to `path` through the one file writer."""
    title = t("service.cert.title")
    document = layout.official_document(title, data["issuer"])
    document.add_paragraph(printable(title), style="Title")
    layout.body(document, printable(certificate_text(data)))
    layout.table(document, month_section(data))
    layout.body(document, t("service.cert.closing"))
    layout.signature(document, printable(data["issuer"]), printable(date_words(data["made_on"])))
    write_file(path, document.save)
