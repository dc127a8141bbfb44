"""Categories 5 and 6: warranty (§4.5) and other information (§4.6)."""

from __future__ import annotations

from gongshi.catalogue.data.builtin.helpers import (
    YES_NO,
    choice,
    date,
    options,
    table,
    text,
    textarea,
)

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
        "description": (
            "施工过程中因质量问题受到的行政处罚、信用惩戒；没有的，选择“无”。"
            "选择“有”的，须上传处罚决定书（或信用惩戒决定书）的扫描件。"
        ),
        # The decision's scan, when there is a decision (§4.6); 无 needs none.
        "scans": [
            {
                "key": "decision",
                "label": "处罚决定书或信用惩戒决定书",
                "label_en": "Penalty or credit punishment decision",
            }
        ],
        "scan_required_when": {"field": "has_items", "value": "yes"},
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
