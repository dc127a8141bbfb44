"""Categories 1 and 2: construction procedure (§4.1) and responsible parties (§4.2)."""

from __future__ import annotations

from gongshi.catalogue.data.builtin.helpers import (
    STRUCTURE_TYPES,
    choice,
    date,
    number,
    text,
)

# --- category 1: construction procedure (§4.1) ----------------------------------------------


def permit_fields(*, duration_required: bool) -> list[dict]:
    """The eight facts §4.1 names for each permit."""
    return [
        text("project_name", "项目名称", "Project name"),
        text("address", "建设地址", "Address", max_length=300),
        text("scale", "建设规模", "Scale", help="如：总建筑面积 52,000 平方米，住宅 6 栋 480 户"),
        choice("structure_type", "结构类型", "Structure type", STRUCTURE_TYPES),
        number(
            "contract_duration_days",
            "合同工期（日历天）",
            "Contract duration (calendar days)",
            required=duration_required,
            decimals=0,
            min=1,
            max=3650,
        ),
        text("issuing_authority", "发证机关", "Issuing authority"),
        text("certificate_number", "证书编号", "Certificate number", max_length=60),
        date("issue_date", "发证日期", "Issue date"),
    ]


PERMIT_SCANS = [
    {
        "key": "certificate",
        "label": "证书原件扫描件或电子证照",
        "label_en": "Scan of the certificate",
    }
]

PROCEDURE = [
    {
        "code": "procedure.planning_permit",
        "title": "建设工程规划许可证",
        "title_en": "Construction project planning permit",
        "due_stage": "before_start",
        "fields": permit_fields(duration_required=False),
    },
    {
        "code": "procedure.construction_permit",
        "title": "建筑工程施工许可证",
        "title_en": "Construction permit",
        "due_stage": "before_start",
        "fields": permit_fields(duration_required=True),
    },
    {
        "code": "procedure.presale_permit",
        "title": "商品房预售许可证",
        "title_en": "Commercial housing pre-sale permit",
        # Issued once construction has reached the progress the pre-sale rules require.
        "due_stage": "construction",
        # Rental or allocated affordable housing is never pre-sold, so no permit exists;
        # affordable housing that is sold (配售型) discloses it, hence optional, not absent.
        "affordable_requirement": "optional",
        "description": "保障性住房不对外预售的无此证；配售型保障性住房办理预售许可的，应公示。",
        "fields": permit_fields(duration_required=False),
    },
]
for _item in PROCEDURE:
    _item.update(
        category="procedure",
        supplier="developer",
        scan_required=True,
        scans=PERMIT_SCANS,
        basis="指导意见 四(1)",
    )

# --- category 2: responsible parties (§4.2) -------------------------------------------------

UNITS = [
    ("developer", "建设单位", "Developer"),
    ("survey", "勘察单位", "Survey unit"),
    ("design", "设计单位", "Design unit"),
    ("contractor", "施工单位", "Construction contractor"),
    ("supervision", "监理单位", "Supervision unit"),
    ("drawing_review", "施工图审查机构", "Construction drawing review body"),
    ("testing", "检测机构", "Testing body"),
]

LEADER_SCANS = [
    {
        "key": "authorisation",
        "label": "法定代表人授权书",
        "label_en": "Legal representative's letter of authorisation",
    },
    {
        "key": "lifetime_commitment",
        "label": "工程质量终身责任承诺书",
        "label_en": "Lifetime quality responsibility commitment",
    },
]

PARTIES = [
    {
        "code": f"parties.{role}",
        "title": f"{zh}及项目负责人",
        "title_en": f"{en} and its project leader",
        "category": "parties",
        "due_stage": "before_start",
        "supplier": role,
        "scan_required": True,
        "scans": LEADER_SCANS,
        "basis": "指导意见 四(2)",
        "description": "须上传项目负责人的法定代表人授权书和工程质量终身责任承诺书。",
        "fields": [
            text("unit_name", "单位名称", "Unit name"),
            text(
                "credit_code",
                "统一社会信用代码",
                "Unified social credit code",
                max_length=18,
                format="uscc",
            ),
            text("qualification", "资质等级及证书编号", "Qualification grade and certificate"),
            text("leader_name", "项目负责人", "Project leader", max_length=50),
            text("leader_title", "职务/职称", "Position / title", required=False, max_length=50),
            text(
                "leader_certificate",
                "项目负责人注册执业证书编号",
                "Project leader's registration certificate",
                required=False,
                max_length=60,
            ),
            date("authorisation_date", "授权书签署日期", "Authorisation signed on"),
            date("commitment_date", "承诺书签署日期", "Commitment signed on"),
        ],
    }
    for role, zh, en in UNITS
]
