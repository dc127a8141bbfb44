"""The privacy guard: personal data must not be published (PRODUCT.md "Privacy").

Before a version is published (and before a unit submits one) every text value, table cells
included, is searched for

* resident identity card numbers (居民身份证号码, GB 11643): 18 characters whose check digit,
  birth date and birth place are valid (``stdnum.cn.ric``);
* mainland mobile numbers (手机号码): 11 digits starting 13–19, optionally written with
  ``+86`` and spaces or hyphens (138 1234 5678, 138-1234-5678).

A finding names the field and the table row, so the person publishing knows what to fix.

Not personal data, and never reported:

* a unified social credit code (统一社会信用代码) — 18 characters like an ID number, but a
  valid credit code is a company's public identifier;
* certificate, permit, report and filing numbers (施工许可证编号 …): a construction permit
  number is 18 digits (area code + issue date + serial) and one in eleven of them happens to
  carry a valid ID check digit. The ID check therefore skips fields whose label or key says
  they hold such a number, and numbers written right after such a word in free text —
  unless the text says 身份证;
* a field declared ``"public_phone": true`` (e.g. the warranty hotline) may hold a mobile
  number: a business line published on purpose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc

from gongshi.catalogue.fields import label_of

# 18 characters not glued to other letters or digits (a longer code is something else).
_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])")
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?![0-9A-Za-z])"
)
# Words that introduce an official number which is not a person's ID.
_IDENTIFIER_WORDS = (
    "编号",
    "证号",
    "许可证",
    "证书",
    "报告",
    "备案",
    "合同",
    "保单",
    "代码",
    "文号",
    "批号",
    "number",
    "code",
    "licence",
    "license",
    "permit",
    "certificate",
)
_PERSONAL_ID_WORDS = ("身份证", "证件号码", "公民身份", "identity", "id card")
_IDENTIFIER_KEY = re.compile(r"(^|_)(number|no|code|permit|certificate|licence|license)(_|$)")
_CONTEXT_CHARS = 12


@dataclass(frozen=True)
class PrivacyFinding:
    """One piece of personal data found; ``row`` is 1-based within a table, if any."""

    field: str
    label: str
    kind: str  # "resident_id" or "mobile"
    row: int | None = None
    column_label: str | None = None

    @property
    def message(self) -> str:
        what = _("居民身份证号码") if self.kind == "resident_id" else _("个人手机号码")
        if self.row is not None:
            return _(
                "「%(field)s」第 %(row)d 行的“%(column)s”含有%(what)s，个人信息不得公示，"
                "请删除或改为单位电话后再公示。"
            ) % {"field": self.label, "row": self.row, "column": self.column_label, "what": what}
        return _("「%(field)s」含有%(what)s，个人信息不得公示，请删除或改为单位电话后再公示。") % {
            "field": self.label,
            "what": what,
        }


def _is_identifier_field(definition: dict) -> bool:
    if definition.get("identifier"):
        return True
    label = (definition.get("label") or "") + " " + (definition.get("label_en") or "").lower()
    if any(word in label for word in _PERSONAL_ID_WORDS):
        return False
    return bool(_IDENTIFIER_KEY.search(definition.get("key", ""))) or any(
        word in label for word in _IDENTIFIER_WORDS
    )


def contains_resident_id(text: str, *, identifier_field: bool = False) -> bool:
    for match in _ID_CANDIDATE.finditer(text):
        number = match.group(1).upper()
        if not ric.is_valid(number) or uscc.is_valid(number):
            continue
        before = text[max(0, match.start() - _CONTEXT_CHARS) : match.start()].lower()
        if any(word in before for word in _PERSONAL_ID_WORDS):
            return True
        if identifier_field or any(word in before for word in _IDENTIFIER_WORDS):
            continue
        return True
    return False


def contains_mobile(text: str) -> bool:
    return _MOBILE.search(text) is not None


def _scan_text(text: str, definition: dict) -> list[str]:
    kinds = []
    if contains_resident_id(text, identifier_field=_is_identifier_field(definition)):
        kinds.append("resident_id")
    if not definition.get("public_phone") and contains_mobile(text):
        kinds.append("mobile")
    return kinds


def find_personal_data(definitions: list[dict], values: dict) -> list[PrivacyFinding]:
    """Every piece of personal data in ``values`` (text and textarea values, table cells)."""
    findings: list[PrivacyFinding] = []
    for definition in definitions:
        value = (values or {}).get(definition["key"])
        if definition["type"] == "table":
            columns = [
                c for c in definition.get("columns", []) if c["type"] in ("text", "textarea")
            ]
            for index, row in enumerate(value or [], start=1):
                if not isinstance(row, dict):
                    continue
                for column in columns:
                    cell = row.get(column["key"])
                    if isinstance(cell, str) and cell:
                        for kind in _scan_text(cell, column):
                            findings.append(
                                PrivacyFinding(
                                    definition["key"],
                                    label_of(definition),
                                    kind,
                                    index,
                                    label_of(column),
                                )
                            )
        elif definition["type"] in ("text", "textarea") and isinstance(value, str) and value:
            for kind in _scan_text(value, definition):
                findings.append(PrivacyFinding(definition["key"], label_of(definition), kind))
    return findings


def check_free_text(texts: dict[str, tuple[str, str]]) -> None:
    """Guard for plain forms (the disclosure plan): ``{key: (label, text)}``; raises on a finding."""
    definitions = [
        {"key": k, "label": label, "type": "textarea"} for k, (label, _t) in texts.items()
    ]
    values = {k: text for k, (_label, text) in texts.items()}
    ensure_no_personal_data(definitions, values)


def ensure_no_personal_data(definitions: list[dict], values: dict) -> None:
    """Raise a ValidationError (code ``personal_data``) naming each field and row at fault."""
    findings = find_personal_data(definitions, values)
    if findings:
        fields: dict[str, list[str]] = {}
        for finding in findings:
            fields.setdefault(finding.field, []).append(finding.message)
        raise ValidationError(
            {k: [ValidationError(m, code="personal_data") for m in v] for k, v in fields.items()}
        )
