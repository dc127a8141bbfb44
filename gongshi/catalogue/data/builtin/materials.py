"""Category 3: main building materials (§4.3)."""

from __future__ import annotations

from gongshi.catalogue.data.builtin.helpers import (
    CONCRETE_GRADES,
    PASS_FAIL,
    YES_NO,
    choice,
    number,
    options,
    table,
    text,
)

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
