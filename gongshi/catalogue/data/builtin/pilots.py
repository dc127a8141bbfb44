"""Optional items other provinces' pilots disclose (Hubei, Shandong, …)."""

from __future__ import annotations

from gongshi.catalogue.data.builtin.helpers import (
    PASS_FAIL,
    choice,
    date,
    number,
    options,
    table,
    text,
    textarea,
)

# --- optional items from other provinces' pilots --------------------------------------------

PILOTS = [
    {
        "code": "acceptance.fire_protection",
        "title": "消防验收意见书或备案凭证",
        "title_en": "Fire-protection acceptance opinion or filing certificate",
        "category": "acceptance",
        "due_stage": "before_handover",
        "supplier": "developer",
        "scan_required": True,
        "basis": "湖北省试点",
        "fields": [
            choice(
                "document_kind",
                "文书类型",
                "Document",
                options(
                    ("opinion", "消防验收意见书", "Acceptance opinion"),
                    ("filing", "消防验收备案凭证", "Filing certificate"),
                ),
            ),
            text("document_number", "文书编号", "Document number", max_length=60),
            text("authority", "出具机关", "Issuing authority"),
            date("issued_on", "出具日期", "Issued on"),
            choice("conclusion", "结论", "Conclusion", PASS_FAIL),
        ],
    },
    {
        "code": "other.design_service_life",
        "title": "设计使用年限",
        "title_en": "Design service life",
        "category": "other",
        "due_stage": "before_start",
        "supplier": "design",
        "basis": "山东省试点",
        "fields": [
            number(
                "structure_years",
                "主体结构设计使用年限（年）",
                "Main structure (years)",
                decimals=0,
                min=5,
                max=100,
            ),  # fmt: skip
            number(
                "waterproofing_years",
                "屋面防水设计工作年限（年）",
                "Roof waterproofing (years)",
                required=False,
                decimals=0,
                min=1,
                max=100,
            ),  # fmt: skip
            textarea("notes", "说明", "Notes", required=False, max_length=1000),
        ],
    },
    {
        "code": "acceptance.structure_entity_testing",
        "title": "主体结构实体质量检测",
        "title_en": "Main-structure entity quality testing",
        "category": "acceptance",
        "due_stage": "construction",
        "supplier": "testing",
        "basis": "湖北省试点",
        "fields": [
            table(
                "tests",
                "检测结果",
                "Test results",
                [
                    text("part", "检测部位", "Part tested", max_length=100),
                    choice(
                        "item",
                        "检测项目",
                        "Test",
                        options(
                            ("concrete_strength", "混凝土强度", "Concrete strength"),
                            ("rebar_cover", "钢筋保护层厚度", "Rebar cover thickness"),
                            ("dimension", "结构位置与尺寸偏差", "Position and dimension deviation"),
                            ("floor_thickness", "楼板厚度", "Floor slab thickness"),
                            ("other", "其他", "Other"),
                        ),
                    ),
                    choice("conclusion", "检测结论", "Conclusion", PASS_FAIL),
                    text("report_number", "检测报告编号", "Report number", max_length=60),
                    date("tested_on", "检测日期", "Tested on", required=False),
                ],
                required=True,
                min_rows=1,
            )
        ],
    },
    {
        "code": "other.quality_commitment",
        "title": "建设单位质量承诺书",
        "title_en": "Developer's quality commitment letter",
        "category": "other",
        "due_stage": "before_start",
        "supplier": "developer",
        "scan_required": True,
        "basis": "其他省份试点",
        "fields": [
            date("signed_on", "签署日期", "Signed on"),
            textarea("summary", "承诺要点", "Main commitments", max_length=2000),
        ],
    },
    {
        "code": "warranty.guarantee_and_manual",
        "title": "住宅质量保证书、住宅使用说明书",
        "title_en": "Housing quality guarantee and user manual",
        "category": "warranty",
        "due_stage": "before_handover",
        "supplier": "developer",
        "scan_required": True,
        "scans": [
            {"key": "guarantee", "label": "住宅质量保证书", "label_en": "Quality guarantee"},
            {"key": "manual", "label": "住宅使用说明书", "label_en": "User manual"},
        ],
        "basis": "其他省份试点",
        "fields": [
            table(
                "warranty_periods",
                "保修范围及期限",
                "Warranty scope and periods",
                [
                    text("scope", "保修范围", "Scope", max_length=100),
                    text("period", "保修期限", "Period", max_length=60),
                ],
                required=True,
                min_rows=1,
                unique=["scope"],
            )
        ],
    },
    {
        "code": "warranty.latent_defect_insurance",
        "title": "住宅工程质量潜在缺陷保险",
        "title_en": "Latent defect insurance",
        "category": "warranty",
        # Taken out before the construction permit, as the pilots require.
        "due_stage": "before_start",
        "supplier": "developer",
        "scan_required": True,
        "basis": "其他省份试点",
        "fields": [
            text("insurer", "保险公司", "Insurer"),
            text("policy_number", "保单号", "Policy number", max_length=60),
            number(
                "insured_amount",
                "保险金额（元）",
                "Sum insured (yuan)",
                required=False,
                decimals=2,
                min=0,
            ),  # fmt: skip
            table(
                "cover",
                "保险责任及期限",
                "Cover and periods",
                [
                    text("scope", "保险责任范围", "Cover", max_length=100),
                    date("starts_on", "起始日期", "Starts on"),
                    date("ends_on", "终止日期", "Ends on"),
                ],
                required=True,
                min_rows=1,
                unique=["scope"],
            ),
        ],
    },
]
for _item in PILOTS:
    _item["requirement"] = "optional"
