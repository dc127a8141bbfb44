"""The built-in disclosure catalogue (公示事项目录): every item of guidance §4, plus items
other provinces' pilots disclose, offered as optional.

Plain data, loaded by :func:`gongshi.catalogue.builtin.ensure_builtin_catalogue` after every
migrate. Codes are stable identifiers (they appear in the API and in printed QR links): never
rename one; retire an item by setting ``"active": False``.

Field definitions follow :mod:`gongshi.catalogue.fields`; the small helpers below only save
repeating the same keys.
"""

from __future__ import annotations

# --- field helpers ------------------------------------------------------------------------


def text(key: str, label: str, label_en: str, *, required: bool = True, **extra) -> dict:
    return {"key": key, "label": label, "label_en": label_en, "type": "text",
            "required": required, **extra}  # fmt: skip


def textarea(key: str, label: str, label_en: str, *, required: bool = True, **extra) -> dict:
    return {"key": key, "label": label, "label_en": label_en, "type": "textarea",
            "required": required, **extra}  # fmt: skip


def date(key: str, label: str, label_en: str, *, required: bool = True) -> dict:
    return {"key": key, "label": label, "label_en": label_en, "type": "date", "required": required}


def number(key: str, label: str, label_en: str, *, required: bool = True, **extra) -> dict:
    return {"key": key, "label": label, "label_en": label_en, "type": "number",
            "required": required, **extra}  # fmt: skip


def choice(
    key: str, label: str, label_en: str, choices: list[dict], *, required: bool = True
) -> dict:
    return {"key": key, "label": label, "label_en": label_en, "type": "choice",
            "required": required, "choices": choices}  # fmt: skip


def table(key: str, label: str, label_en: str, columns: list[dict], **extra) -> dict:
    return {"key": key, "label": label, "label_en": label_en, "type": "table",
            "columns": columns, **extra}  # fmt: skip


def options(*pairs: tuple[str, str, str]) -> list[dict]:
    return [{"value": v, "label": zh, "label_en": en} for v, zh, en in pairs]


PASS_FAIL = options(("pass", "合格", "Pass"), ("fail", "不合格", "Fail"))
YES_NO = options(("yes", "有", "Yes"), ("no", "无", "None"))

# Mirrors gongshi.projects.models.StructureType (a test keeps the two in step).
STRUCTURE_TYPES = options(
    ("frame", "框架结构", "Frame"),
    ("shear_wall", "剪力墙结构", "Shear wall"),
    ("frame_shear_wall", "框架-剪力墙结构", "Frame-shear wall"),
    ("frame_core_tube", "框架-核心筒结构", "Frame-core tube"),
    ("masonry", "砖混结构", "Masonry"),
    ("steel", "钢结构", "Steel"),
    ("prefabricated_concrete", "装配式混凝土结构", "Prefabricated concrete"),
)

CONCRETE_GRADES = options(
    *((f"C{n}", f"C{n}", f"C{n}") for n in (15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 80))
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

# --- category 3: main building materials (§4.3) ---------------------------------------------


def concrete_item(code: str, part_zh: str, part_en: str) -> dict:
    return {
        "code": f"materials.{code}",
        "title": f"{part_zh}预拌混凝土强度检验评定结果",
        "title_en": f"Ready-mixed concrete strength evaluation: {part_en}",
        "fields": [
            table(
                "evaluations",
                "强度检验评定",
                "Strength evaluations",
                [
                    text("part", "部位", "Part / location", max_length=100),
                    choice("strength_grade", "强度等级", "Strength grade", CONCRETE_GRADES),
                    text("supplier", "预拌混凝土生产厂家", "Ready-mix plant"),
                    choice(
                        "method",
                        "评定方法",
                        "Evaluation method",
                        options(
                            ("statistical", "统计方法", "Statistical"),
                            ("non_statistical", "非统计方法", "Non-statistical"),
                        ),
                    ),
                    number(
                        "group_count",
                        "试件组数",
                        "Specimen groups",
                        required=False,
                        decimals=0,
                        min=1,
                    ),
                    choice("conclusion", "评定结论", "Conclusion", PASS_FAIL),
                    text("report_number", "评定报告编号", "Report number", max_length=60),
                ],
                required=True,
                min_rows=1,
            )
        ],
    }


def material_columns(*, batch: bool = True) -> list[dict]:
    columns = [
        text("name", "材料名称", "Material", max_length=100),
        text("manufacturer", "生产厂家", "Manufacturer"),
        text("specification", "规格型号", "Specification / model", max_length=100),
        choice("conclusion", "检测结论", "Test conclusion", PASS_FAIL),
        text("report_number", "检测报告编号", "Test report number", max_length=60),
    ]
    if batch:
        columns += [
            text("batch", "进场批次", "Delivery batch", required=False, max_length=60),
            text("quantity", "数量", "Quantity", required=False, max_length=60),
        ]
    return columns


def material_item(code: str, zh: str, en: str, **extra) -> dict:
    return {
        "code": f"materials.{code}",
        "title": zh,
        "title_en": en,
        "fields": [
            table(
                "materials", "材料清单", "Materials", material_columns(), required=True, min_rows=1
            )
        ],
        **extra,
    }


MATERIALS = [
    concrete_item("concrete_foundation", "地基基础", "foundation"),
    concrete_item("concrete_main_structure", "主体结构", "main structure"),
    material_item("rebar", "钢筋", "Reinforcing steel (rebar)"),
    material_item("waterproofing", "防水材料", "Waterproofing materials"),
    material_item("pipes", "给水排水管材管件", "Water supply and drainage pipes and fittings"),
    material_item("cables", "电线电缆", "Wires and cables"),
    material_item("doors_windows", "门窗", "Doors and windows"),
    material_item("insulation", "外墙保温材料", "External-wall insulation"),
    {
        "code": "materials.prefabricated",
        "title": "预制构件（装配式构件）",
        "title_en": "Prefabricated (assembled) components",
        "description": "未采用预制构件的，选择“无”即可公示。",
        "fields": [
            choice("used", "是否采用预制构件", "Prefabricated components used", YES_NO),
            table(
                "materials",
                "构件清单",
                "Components",
                material_columns(),
                required=False,
                min_rows=0,
            ),
        ],
    },
    material_item(
        "other",
        "其他涉及结构安全和重要使用功能的材料",
        "Other materials bearing on structural safety or important functions",
        requirement="optional",
    ),
    {
        "code": "materials.fitout",
        "title": "全装修主要材料、部品部件及设备",
        "title_en": "Fit-out materials, parts and equipment",
        "applies_to": "fitted",
        "basis": "指导意见 四(3)（全装修房）",
        "fields": [
            table(
                "products",
                "材料、部品部件及设备",
                "Materials, parts and equipment",
                [
                    text("name", "名称", "Name", max_length=100),
                    text("brand", "品牌", "Brand", max_length=100),
                    text("specification", "规格", "Specification", max_length=100),
                    text("model", "型号", "Model", max_length=100),
                    text("grade", "等级", "Grade", max_length=60),
                    text("origin", "产地", "Place of origin", max_length=100),
                    text("location", "使用部位", "Where used", required=False, max_length=100),
                ],
                required=True,
                min_rows=1,
            )
        ],
    },
]
for _item in MATERIALS:
    _item.setdefault("basis", "指导意见 四(3)")
    _item.update(category="materials", due_stage="construction", supplier="contractor")

# --- category 4: quality acceptance (§4.4) -------------------------------------------------


def sub_project_item(code: str, zh: str, en: str) -> dict:
    return {
        "code": f"acceptance.{code}",
        "title": f"{zh}分部工程质量验收记录",
        "title_en": f"{en} sub-project acceptance record",
        "due_stage": "construction",
        "supplier": "supervision",
        "scan_required": True,
        "fields": [
            date("acceptance_date", "验收日期", "Acceptance date"),
            choice("conclusion", "验收结论", "Conclusion", PASS_FAIL),
            text("record_number", "验收记录编号", "Record number", required=False, max_length=60),
            textarea(
                "participants", "参加验收单位", "Units taking part", required=False, max_length=1000
            ),
            textarea("notes", "主要问题及整改情况", "Problems and rectification", required=False),
        ],
    }


ACCEPTANCE = [
    sub_project_item("foundation", "地基与基础", "Foundation"),
    sub_project_item("main_structure", "主体结构", "Main structure"),
    sub_project_item("roof", "屋面", "Roof"),
    {
        "code": "acceptance.household_summary",
        "title": "分户验收汇总表",
        "title_en": "Household acceptance summary table",
        "supplier": "developer",
        "scan_required": True,
        "description": "每户一行；可下载 Excel 模板填写后上传。",
        "fields": [
            number("household_total", "总户数", "Households in total", decimals=0, min=1),
            table(
                "households",
                "分户验收结果",
                "Household results",
                [
                    text("building", "楼栋", "Building", max_length=20),
                    text("unit", "单元", "Unit", max_length=20),
                    text("room", "房号", "Room", max_length=20),
                    choice("result", "验收结论", "Result", PASS_FAIL),
                    date("acceptance_date", "验收日期", "Acceptance date"),
                    text(
                        "rectification", "整改情况", "Rectification", required=False, max_length=500
                    ),
                ],
                required=True,
                min_rows=1,
                unique=["building", "unit", "room"],
            ),
        ],
    },
    {
        "code": "acceptance.indoor_environment",
        "title": "室内环境质量检测报告",
        "title_en": "Indoor environmental quality test report",
        "supplier": "testing",
        "scan_required": True,
        "fields": [
            text("report_number", "报告编号", "Report number", max_length=60),
            text("testing_body", "检测机构", "Testing body"),
            date("test_date", "检测日期", "Test date"),
            choice("conclusion", "检测结论", "Conclusion", PASS_FAIL),
            table(
                "results",
                "污染物检测结果",
                "Pollutant results",
                [
                    choice(
                        "pollutant",
                        "检测项目",
                        "Pollutant",
                        options(
                            ("radon", "氡", "Radon"),
                            ("formaldehyde", "甲醛", "Formaldehyde"),
                            ("ammonia", "氨", "Ammonia"),
                            ("benzene", "苯", "Benzene"),
                            ("toluene", "甲苯", "Toluene"),
                            ("xylene", "二甲苯", "Xylene"),
                            ("tvoc", "TVOC", "TVOC"),
                        ),
                    ),
                    number("max_value", "最大检测值", "Highest value", decimals=3, min=0),
                    number("limit", "限量值", "Limit", decimals=3, min=0),
                    text("unit_of_measure", "单位", "Unit of measure", max_length=20),
                    choice("conclusion", "结论", "Conclusion", PASS_FAIL),
                ],
                required=False,
                min_rows=0,
                unique=["pollutant"],
            ),
        ],
    },
    {
        "code": "acceptance.unit_completion",
        "title": "单位（子单位）工程质量竣工验收记录",
        "title_en": "Unit (sub-unit) project completion acceptance record",
        "supplier": "developer",
        "scan_required": True,
        "fields": [
            table(
                "unit_projects",
                "单位（子单位）工程",
                "Unit (sub-unit) projects",
                [
                    text("name", "单位（子单位）工程名称", "Unit project", max_length=100),
                    date("acceptance_date", "验收日期", "Acceptance date"),
                    choice("conclusion", "验收结论", "Conclusion", PASS_FAIL),
                    text(
                        "record_number", "记录编号", "Record number", required=False, max_length=60
                    ),
                ],
                required=True,
                min_rows=1,
                unique=["name"],
            )
        ],
    },
    {
        "code": "acceptance.joint_acceptance",
        "title": "联合验收情况",
        "title_en": "Joint acceptance",
        "supplier": "developer",
        "scan_required": True,
        "fields": [
            date("acceptance_date", "联合验收时间", "Joint acceptance date"),
            choice(
                "conclusion",
                "验收结论",
                "Conclusion",
                options(
                    ("passed", "通过", "Passed"),
                    ("passed_with_rectification", "整改后通过", "Passed after rectification"),
                    ("failed", "不通过", "Not passed"),
                ),
            ),
            textarea("rectification", "整改情况", "Rectification", required=False),
            date("rectified_on", "整改完成日期", "Rectification completed on", required=False),
            text("document_number", "联合验收意见书编号", "Opinion number", required=False),
        ],
    },
    {
        "code": "acceptance.completion_filing",
        "title": "竣工验收备案",
        "title_en": "Completion acceptance filing",
        "supplier": "developer",
        "scan_required": True,
        "fields": [
            date("completion_date", "竣工验收合格日期", "Completion acceptance date"),
            text("filing_number", "备案编号", "Filing number", max_length=60),
            text("filing_authority", "备案机关", "Filing authority"),
            date("filing_date", "备案日期", "Filing date"),
        ],
    },
]
for _item in ACCEPTANCE:
    _item.setdefault("due_stage", "before_handover")
    _item.update(category="acceptance", basis="指导意见 四(4)")

# --- category 5: warranty (§4.5) -------------------------------------------------------------

WARRANTY = [
    {
        "code": "warranty.service",
        "title": "质量保修及投诉处理",
        "title_en": "Warranty and complaint handling",
        "fields": [
            text("department", "保修及投诉处理部门", "Warranty and complaints department"),
            text("contact_person", "联系人", "Contact person", max_length=50),
            # The company's public hotline: exempt from the personal-mobile privacy check.
            text("telephone", "联系电话", "Telephone", max_length=40, public_phone=True),
            textarea(
                "complaint_channel",
                "投诉渠道",
                "Complaint channel",
                max_length=1000,
                help="地址、网站、电子邮箱、微信公众号等",
            ),
            text("service_hours", "受理时间", "Service hours", required=False, max_length=100),
            text("address", "接待地址", "Reception address", required=False, max_length=300),
        ],
    },
    {
        "code": "warranty.liability_successor",
        "title": "建设单位不存在时的质量责任承接",
        "title_en": "Quality liability if the developer ceases to exist",
        "fields": [
            textarea("arrangement", "承接方式", "Arrangement", max_length=2000),
            text("successor_name", "承接单位", "Successor", required=False),
            text(
                "successor_credit_code",
                "承接单位统一社会信用代码",
                "Successor's credit code",
                required=False,
                max_length=18,
                format="uscc",
            ),
            text(
                "successor_telephone",
                "承接单位联系电话",
                "Successor's telephone",
                required=False,
                max_length=40,
                public_phone=True,
            ),
        ],
    },
]
for _item in WARRANTY:
    _item.update(
        category="warranty",
        due_stage="before_handover",
        supplier="developer",
        basis="指导意见 四(5)",
    )

# --- category 6: other (§4.6) ----------------------------------------------------------------

OTHER = [
    {
        "code": "other.promises",
        "title": "建设单位承诺及合同约定公示事项",
        "title_en": "Developer's promises and contract-agreed disclosures",
        "description": "没有此类事项的，选择“无”即可公示。",
        "fields": [
            choice("has_items", "是否有承诺或约定事项", "Any promises or agreed items", YES_NO),
            table(
                "items",
                "承诺及约定事项",
                "Promises and agreed items",
                [
                    text("subject", "事项", "Subject", max_length=100),
                    textarea("content", "内容", "Content", max_length=1000),
                    choice(
                        "source",
                        "来源",
                        "Source",
                        options(
                            ("promise", "建设单位承诺", "Developer's promise"),
                            ("contract", "合同约定", "Contract"),
                        ),
                    ),
                    text("fulfilment", "履行情况", "Fulfilment", required=False, max_length=500),
                ],
                required=False,
                min_rows=0,
            ),
        ],
    },
    {
        "code": "other.penalties",
        "title": "行政处罚、信用惩戒及整改情况",
        "title_en": "Administrative penalties, credit punishments and rectification",
        "description": "施工过程中因质量问题受到的行政处罚、信用惩戒；没有的，选择“无”。",
        "fields": [
            choice("has_items", "是否受到处罚或惩戒", "Any penalties or punishments", YES_NO),
            table(
                "items",
                "处罚及惩戒",
                "Penalties and punishments",
                [
                    date("decided_on", "决定日期", "Decided on"),
                    text("authority", "作出决定的机关", "Authority"),
                    choice(
                        "kind",
                        "类型",
                        "Kind",
                        options(
                            ("penalty", "行政处罚", "Administrative penalty"),
                            ("credit", "信用惩戒", "Credit punishment"),
                        ),
                    ),
                    text("unit_name", "被处罚单位", "Unit penalised"),
                    text("document_number", "决定文书编号", "Decision number", max_length=60),
                    textarea("problem", "质量问题", "Quality problem", max_length=1000),
                    textarea("rectification", "整改情况", "Rectification", max_length=1000),
                    choice(
                        "status",
                        "整改状态",
                        "Rectification status",
                        options(
                            ("done", "已整改", "Rectified"),
                            ("in_progress", "整改中", "In progress"),
                        ),
                    ),
                ],
                required=False,
                min_rows=0,
            ),
        ],
    },
]
for _item in OTHER:
    _item.update(
        category="other", due_stage="construction", supplier="developer", basis="指导意见 四(6)"
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

BUILTIN_ITEMS: list[dict] = []
for _order, _item in enumerate(PROCEDURE + PARTIES + MATERIALS + ACCEPTANCE + WARRANTY + OTHER +
                               PILOTS, start=1):  # fmt: skip
    BUILTIN_ITEMS.append(
        {
            "requirement": "required",
            "applies_to": "both",
            "scan_required": False,
            "scans": [],
            "description": "",
            "affordable_requirement": "",
            "active": True,
            **_item,
            "sort_order": _order * 10,
        }
    )
