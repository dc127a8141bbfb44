"""Which generated files each disclosure carries (see :mod:`gongshi.demo.documents`).

Every item that requires a scan gets one file per scan its catalogue entry lists (or one
for the item): the construction permit and the developer's lifetime quality commitment as
text PDFs with the project's real values, acceptance records with a site photo, everything
else as a JPEG or PNG scan of the paper original.
"""

from __future__ import annotations

import datetime as dt

from gongshi.catalogue.models import CatalogueItem
from gongshi.core.choices import UnitRole
from gongshi.demo.documents import letter_pdf, permit_pdf, scan_image, site_photo
from gongshi.demo.values import ProjectContext

GeneratedFile = tuple[str, str, bytes]  # (file name, label, content)

STRUCTURE_NAMES = {
    "frame": "框架结构",
    "shear_wall": "剪力墙结构",
    "frame_shear_wall": "框架-剪力墙结构",
    "frame_core_tube": "框架-核心筒结构",
    "masonry": "砖混结构",
    "steel": "钢结构",
    "prefabricated_concrete": "装配式混凝土结构",
}
SITE_PHOTO_ITEMS = {"acceptance.foundation", "acceptance.main_structure", "acceptance.roof",
                    "acceptance.joint_acceptance"}  # fmt: skip


# The demo's one typing slip the scan cross-check catches (gongshi.scancheck): on this
# project the construction permit's typed number has two digits swapped against the scan.
SWAPPED_PERMIT_PROJECT = "YRW2QA"


def swap_two_digits(number: str) -> str:
    """Swap the last two different adjacent digits."""
    for i in range(len(number) - 2, -1, -1):
        if number[i] != number[i + 1]:
            return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    return number


def _construction_permit(ctx: ProjectContext, values: dict) -> bytes:
    facts = [
        ("建设单位", ctx.developer.name),
        ("工程名称", values["project_name"]),
        ("建设地址", values["address"]),
        ("建设规模", values["scale"]),
        ("结构类型", STRUCTURE_NAMES.get(values["structure_type"], values["structure_type"])),
        ("合同工期", f"{values['contract_duration_days']} 日历天"),
    ]
    for role, label in [(UnitRole.SURVEY, "勘察单位"), (UnitRole.DESIGN, "设计单位"),
                        (UnitRole.CONTRACTOR, "施工单位"), (UnitRole.SUPERVISION, "监理单位")]:  # fmt: skip
        facts.append((label, ctx.units[role].name))
        facts.append((f"{label[:2]}项目负责人", ctx.leaders[role].name))
    number = values["certificate_number"]
    if ctx.spec.code == SWAPPED_PERMIT_PROJECT:
        number = swap_two_digits(number)  # the typed number has two digits the wrong way round
    return permit_pdf(
        "建筑工程施工许可证",
        number,
        facts,
        values["issuing_authority"],
        dt.date.fromisoformat(values["issue_date"]),
        "根据《中华人民共和国建筑法》第八条规定，经审查，本建筑工程符合施工条件，准予施工。",
    )


def _commitment(ctx: ProjectContext, role: str, values: dict, signed_on: dt.date) -> bytes:
    company = ctx.units[role]
    leader = ctx.leaders[role]
    paragraphs = [
        f"本人受{company.name}法定代表人授权，担任{ctx.spec.name}项目的"
        f"{UnitRole(role).label}项目负责人，对该工程的质量承担终身责任。",
        "本人承诺：严格执行工程建设法律法规和强制性标准；按照经审查合格的施工图设计文件组织实施；"
        "不降低工程质量标准；如实公示工程质量信息并接受社会监督。",
        "工程在设计使用年限内出现质量问题的，本人依法承担相应责任。",
    ]
    facts = [
        ("工程名称", ctx.spec.name),
        ("工程地址", ctx.spec.address),
        ("单位名称", company.name),
        ("统一社会信用代码", values.get("credit_code") or ""),
        ("项目负责人", f"{leader.name}（{leader.title}）"),
        ("注册执业证书编号", leader.certificate),
    ]
    return letter_pdf(
        "工程质量终身责任承诺书", paragraphs, facts, f"承诺人：{leader.name}", signed_on
    )


def _fact_lines(item: CatalogueItem, values: dict, limit: int = 9) -> list[str]:
    lines = []
    for definition in item.fields:
        value = values.get(definition["key"])
        if definition["type"] == "table":
            rows = value or []
            if rows:
                lines.append(f"{definition['label']}：共 {len(rows)} 行（明细见附表）")
            continue
        if value in (None, ""):
            continue
        if definition["type"] == "choice":
            value = next((c["label"] for c in definition["choices"] if c["value"] == value), value)
        lines.append(f"{definition['label']}：{value}")
    return lines[:limit]


def files_for(
    ctx: ProjectContext, item: CatalogueItem, values: dict, on: dt.date | None
) -> list[GeneratedFile]:
    """The files to attach to a version of ``item``; none if it needs no scan."""
    if not item.requires_scan(values):
        return []
    on = on or ctx.today
    scans = item.scans or [{"key": "scan", "label": item.title}]
    supplier = ctx.units[item.supplier]
    issuer = values.get("issuing_authority") or supplier.name
    header = [f"工程名称：{ctx.spec.name}", f"工程地址：{ctx.spec.address}"]
    files: list[GeneratedFile] = []
    for index, scan in enumerate(scans):
        label = scan["label"]
        if item.code == "procedure.construction_permit":
            files.append(("建筑工程施工许可证.pdf", label, _construction_permit(ctx, values)))
            continue
        if item.code == "parties.developer" and scan["key"] == "lifetime_commitment":
            content = _commitment(ctx, UnitRole.DEVELOPER, values, on)
            files.append((f"{label}.pdf", label, content))
            continue
        if item.code.startswith("parties."):
            leader = ctx.leaders[item.supplier]
            name = values.get("leader_name") or leader.name  # a correction may name another
            lines = [*header, f"单位名称：{supplier.name}",
                     f"项目负责人：{name}（{leader.title}）",
                     f"注册执业证书编号：{leader.certificate}",
                     f"签署日期：{on:%Y 年 %m 月 %d 日}"]  # fmt: skip
            if scan["key"] == "authorisation":
                lines.insert(0, f"兹授权{name}同志担任{ctx.spec.name}项目负责人，"
                                "代表本单位履行质量责任，授权期限至工程保修期满。")  # fmt: skip
            else:
                lines.insert(0, f"本人承诺对{ctx.spec.name}项目的工程质量承担终身责任。")
            files.append((f"{label}.jpg", label, scan_image(label, lines, supplier.name)))
            continue
        lines = [*header, *_fact_lines(item, values)]
        fmt = "PNG" if item.code.startswith("procedure.") or index % 2 else "JPEG"
        extension = "png" if fmt == "PNG" else "jpg"
        title = label if item.scans else item.title
        files.append((f"{title}.{extension}", label, scan_image(title, lines, issuer, fmt=fmt)))
    if item.code in SITE_PHOTO_ITEMS:
        caption = f"{ctx.spec.name} {item.title.removesuffix('分部工程质量验收记录')} {on:%Y-%m-%d}"
        photo = site_photo(caption, seed=f"{ctx.spec.code}:{item.code}")
        files.append(("验收现场照片.jpg", "验收现场照片", photo))
    return files
