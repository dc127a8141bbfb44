"""Category 4: quality acceptance (§4.4)."""

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
