"""The regulator's enterprise ranking (§6.3): developers of the area by their projects' scores.

    enterprise score = average of the disclosure scores of the developer's projects in the area

    complaint frequency = questions and complaints about those projects × 10,000
                          ÷ their total floor area (m²)   (Hefei's practice, per 10,000 m²)

Each row also counts the records in force about the developer in the area: penalties and
credit records, bad-conduct records, key supervision and commendations. Two queries, whatever
the number of projects or developers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from gongshi.regions.models import Region
from gongshi.supervision.dashboard import area_projects
from gongshi.supervision.models import PENALTY_KINDS, ActionKind, RegulatorRecord
from gongshi.supervision.score import developer_scores

SORTS = {
    "score": (_("平均公示评分（高→低）"), lambda r: (-r["average"], r["name"])),
    "-score": (_("平均公示评分（低→高）"), lambda r: (r["average"], r["name"])),
    "projects": (_("项目数（多→少）"), lambda r: (-r["projects"], -r["average"], r["name"])),
    "penalties": (
        _("处罚和信用记录（多→少）"),
        lambda r: (-r["penalties"], r["average"], r["name"]),
    ),
    "complaints": (
        _("咨询投诉频次（高→低）"),
        lambda r: (-(r["complaint_frequency"] or 0), r["average"], r["name"]),
    ),
    "name": (_("名称"), lambda r: (r["name"],)),
}
COLUMNS = [
    ("rank", _("名次")),
    ("name", _("建设单位")),
    ("credit_code", _("统一社会信用代码")),
    ("projects", _("辖区项目数")),
    ("average", _("平均公示评分")),
    ("complaint_frequency", _("咨询投诉频次（件/万平方米）")),
    ("penalties", _("现行处罚和信用记录")),
    ("bad_conduct", _("现行不良行为记录")),
    ("key_supervision", _("重点监管中的项目")),
    ("commendations", _("现行通报表扬")),
]


def enterprise_ranking(region: Region, sort: str = "score", today: dt.date | None = None) -> list:
    """One dict per developer of the area's projects, ranked by average score (two queries)."""
    scores = developer_scores(area_projects(region), today=today)
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for subject, kind, n in (
        RegulatorRecord.objects.within(region)
        .in_force()
        .order_by()
        .values("subject", "kind")
        .annotate(n=Count("pk"))
        .values_list("subject", "kind", "n")
    ):
        group = "penalties" if kind in PENALTY_KINDS else kind
        counts[subject][group] += n
    rows = []
    for row in scores:
        area = float(row["floor_area"] or 0)
        frequency = round((row["questions"] or 0) * 10000 / area, 2) if area > 0 else None
        found = counts.get(row["developer"], {})
        rows.append(
            {
                "name": row["developer__name"],
                "credit_code": row["developer__credit_code"],
                "projects": row["projects"],
                "average": round(row["average"] or 0.0, 1),
                "complaint_frequency": frequency,
                "penalties": found.get("penalties", 0),
                "bad_conduct": found.get(ActionKind.BAD_CONDUCT, 0),
                "key_supervision": found.get(ActionKind.KEY_SUPERVISION, 0),
                "commendations": found.get(ActionKind.COMMENDATION, 0),
            }
        )
    # The rank is by score whatever the order shown; ties share a rank.
    by_score = sorted(rows, key=SORTS["score"][1])
    previous, rank = None, 0
    for position, row in enumerate(by_score, start=1):
        if row["average"] != previous:
            rank, previous = position, row["average"]
        row["rank"] = rank
    return sorted(rows, key=SORTS.get(sort, SORTS["score"])[1])


def headers(sort: str) -> list[tuple[str, str | None, str | None]]:
    """(label, sort link or None, aria-sort or None) for each column of the table."""
    by_column = {
        "name": "name",
        "projects": "projects",
        "penalties": "penalties",
        "complaint_frequency": "complaints",
        "average": "-score" if sort == "score" else "score",
    }
    shown = {"score": "average", "-score": "average", "complaints": "complaint_frequency"}.get(
        sort, sort
    )
    found = []
    for key, label in COLUMNS:
        aria = None
        if key == shown:
            aria = "ascending" if sort in ("-score", "name") else "descending"
        link = f"?sort={by_column[key]}" if key in by_column else None
        found.append((label, link, aria))
    return found
