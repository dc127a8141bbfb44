"""Structured field definitions of catalogue items, and validation of submitted values.

A catalogue item's ``fields`` is a list of definitions::

    {"key": "certificate_number", "label": "证书编号", "label_en": "Certificate number",
     "type": "text", "required": true}

Types: ``text`` (one line, ``max_length``), ``textarea``, ``date`` (ISO ``YYYY-MM-DD``),
``number`` (``min``, ``max``, ``decimals``; stored as a canonical decimal *string*, so the
published JSON never holds a float), ``choice`` (``choices``: ``[{"value", "label",
"label_en"}]``), ``table`` (``columns``: definitions of the above types, ``min_rows``,
``unique``: column keys that must be unique together across rows).

A text field may carry ``"format": "uscc"`` (a unified social credit code, checked with its
check character). A text field with ``"public_phone": true`` is meant for a public business number (e.g. the
warranty hotline) and is exempt from the personal-mobile privacy check.

Values are validated into a *cleaned* dict; errors are collected, never stopping at the
first, so a 5,000-row upload reports every bad row at once.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from gongshi.core.errors import FieldError, FieldValidationError

FIELD_TYPES = {"text", "textarea", "date", "number", "choice", "table"}
SCALAR_TYPES = FIELD_TYPES - {"table"}
DEFAULT_MAX_LENGTH = {"text": 200, "textarea": 5000}
TEXT_FORMATS = {"uscc"}
# Keys a definition may carry; anything else is a typo the catalogue editor should hear about.
DEFINITION_KEYS = {
    "key",
    "label",
    "label_en",
    "type",
    "required",
    "help",
    "help_en",
    "max_length",
    "format",
    "public_phone",
    "min",
    "max",
    "decimals",
    "choices",
    "columns",
    "min_rows",
    "unique",
}
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# 2025-03-18, 2025/3/18, 2025.3.18, 2025年3月18日 (how dates are typed and pasted from Excel).
DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
# Beyond this many integer digits a number is a typing accident, not a quantity.
MAX_INTEGER_DIGITS = 15


def label_of(definition: dict, language: str | None = None) -> str:
    """The label of a field or choice in ``language`` (Chinese when no language is given)."""
    if language and language.startswith("en") and definition.get("label_en"):
        return definition["label_en"]
    return definition.get("label") or definition.get("key") or definition.get("value", "")


def _label(definition: dict) -> str:
    """The label in the active language, for messages to the user in front of us."""
    return label_of(definition, get_language())


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean_scalar(definition: dict, value: Any) -> str | None:
    """Clean one scalar value; returns the stored form or raises ValueError with a message."""
    kind = definition["type"]
    if _is_blank(value):
        return None
    if isinstance(value, dict | list | tuple | set):
        raise ValueError(_("格式不正确，应填写单个值"))
    if isinstance(value, float) and value.is_integer() and kind != "number":
        value = int(value)  # a spreadsheet cell holding 101 arrives as 101.0
    if kind in ("text", "textarea"):
        text = str(value).strip()
        limit = definition.get("max_length", DEFAULT_MAX_LENGTH[kind])
        if len(text) > limit:
            raise ValueError(
                _("不能超过 %(limit)d 个字（现有 %(n)d 个）") % {"limit": limit, "n": len(text)}
            )
        if definition.get("format") == "uscc":
            return _clean_credit_code(text)
        return text
    if kind == "date":
        return _clean_date(value)
    if kind == "number":
        if isinstance(value, bool):
            raise ValueError(_("应为数字"))
        if isinstance(value, float):
            value = repr(value)
        try:
            number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError(_("应为数字")) from None
        if not number.is_finite() or number.adjusted() >= MAX_INTEGER_DIGITS:
            raise ValueError(_("应为数字"))
        decimals = definition.get("decimals", 2)
        if number.normalize().as_tuple().exponent < -decimals:
            if decimals:
                raise ValueError(_("最多保留 %(d)d 位小数") % {"d": decimals})
            raise ValueError(_("应为整数"))
        if "min" in definition and number < Decimal(str(definition["min"])):
            raise ValueError(_("不能小于 %(min)s") % {"min": definition["min"]})
        if "max" in definition and number > Decimal(str(definition["max"])):
            raise ValueError(_("不能大于 %(max)s") % {"max": definition["max"]})
        return format(number.normalize(), "f")
    if kind == "choice":
        text = str(value).strip()
        for choice in definition["choices"]:
            if text in (choice["value"], choice["label"], choice.get("label_en")):
                return choice["value"]
        allowed = _("、").join(_label(c) for c in definition["choices"])
        raise ValueError(_("只能选择：%(allowed)s") % {"allowed": allowed})
    raise ValueError(f"unknown field type {kind}")


def _clean_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if match := DATE_PATTERN.match(str(value).strip()):
        try:
            return dt.date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            pass
    raise ValueError(_("不是有效日期，请按“2025-03-18”的格式填写"))


def _clean_credit_code(text: str) -> str:
    from django.core.exceptions import ValidationError

    from gongshi.organisations.validators import normalise_credit_code, validate_credit_code

    code = normalise_credit_code(text).upper()
    try:
        validate_credit_code(code)
    except ValidationError as exc:
        if exc.code == "length":
            raise ValueError(_("应为 18 位（现有 %(n)d 位）") % {"n": len(code)}) from None
        if exc.code == "format":
            raise ValueError(
                _("含有不允许的字符（统一社会信用代码不使用 I、O、Z、S、V）")
            ) from None
        if exc.code == "checksum":
            raise ValueError(_("校验位不正确，请核对最后一位")) from None
        raise ValueError(_("不是有效的统一社会信用代码")) from None
    return code


def _clean_table(definition: dict, rows: Any, errors: list[FieldError]) -> list[dict] | None:
    key, label = definition["key"], _label(definition)
    if rows is None:
        rows = []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        errors.append(FieldError(key, _("「%(field)s」应为若干行的表格") % {"field": label}))
        return None
    min_rows = definition.get("min_rows", 1 if definition.get("required") else 0)
    if len(rows) < min_rows:
        errors.append(
            FieldError(key, _("「%(field)s」至少需要 %(n)d 行") % {"field": label, "n": min_rows})
        )
    columns = definition["columns"]
    column_labels = {c["key"]: _label(c) for c in columns}  # once, not per cell
    known = {c["key"] for c in columns}
    cleaned_rows: list[dict] = []
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows, start=1):
        cleaned_row: dict[str, Any] = {}
        for unknown in sorted(set(row) - known):
            errors.append(
                FieldError(
                    key,
                    _("第 %(row)d 行：没有名为“%(col)s”的列") % {"row": index, "col": unknown},
                    index,
                    unknown,
                )
            )
        for column in columns:
            col_label = column_labels[column["key"]]
            try:
                value = clean_scalar(column, row.get(column["key"]))
            except ValueError as exc:
                errors.append(
                    FieldError(
                        key,
                        _("第 %(row)d 行：%(col)s%(problem)s")
                        % {"row": index, "col": col_label, "problem": exc},
                        index,
                        column["key"],
                    )
                )
                continue
            if value is None and column.get("required"):
                errors.append(
                    FieldError(
                        key,
                        _("第 %(row)d 行：%(col)s不能为空") % {"row": index, "col": col_label},
                        index,
                        column["key"],
                    )
                )
            cleaned_row[column["key"]] = value
        if unique := definition.get("unique"):
            identity = tuple(cleaned_row.get(k) for k in unique)
            if all(v is not None for v in identity):
                if identity in seen:
                    names = _("、").join(_label(c) for c in columns if c["key"] in unique)
                    errors.append(
                        FieldError(
                            key,
                            _("第 %(row)d 行：%(cols)s与第 %(first)d 行重复")
                            % {"row": index, "cols": names, "first": seen[identity]},
                            index,
                        )
                    )
                else:
                    seen[identity] = index
        cleaned_rows.append(cleaned_row)
    return cleaned_rows


def clean_values(definitions: list[dict], values: dict | None) -> dict:
    """Validate ``values`` against an item's definitions; return the cleaned dict or raise."""
    values = values or {}
    errors: list[FieldError] = []
    if not isinstance(values, dict):
        raise FieldValidationError([FieldError("", _("字段内容格式不正确"))])
    known = {d["key"] for d in definitions}
    for unknown in sorted(set(values) - known):
        errors.append(FieldError(unknown, _("没有名为“%(key)s”的字段") % {"key": unknown}))
    cleaned: dict[str, Any] = {}
    for definition in definitions:
        key = definition["key"]
        if definition["type"] == "table":
            cleaned[key] = _clean_table(definition, values.get(key), errors)
            continue
        try:
            value = clean_scalar(definition, values.get(key))
        except ValueError as exc:
            errors.append(
                FieldError(
                    key,
                    _("「%(field)s」%(problem)s") % {"field": _label(definition), "problem": exc},
                )
            )
            continue
        if value is None and definition.get("required"):
            errors.append(
                FieldError(key, _("「%(field)s」不能为空") % {"field": _label(definition)})
            )
        cleaned[key] = value
    if errors:
        raise FieldValidationError(errors)
    return cleaned


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_definition(definition: Any, allowed: set[str], where: str, problems: list[str]) -> None:
    """Append every problem with one definition (a field, or a column of a table)."""
    if not isinstance(definition, dict) or not definition.get("key") or not definition.get("label"):
        problems.append(_("%(where)s：每个字段须有 key 和 label") % {"where": where})
        return
    key = definition["key"]
    say = {"where": where, "key": key}
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        problems.append(
            _("%(where)s：字段名“%(key)s”只能用小写字母、数字和下划线，并以字母开头") % say
        )
    for unknown in sorted(set(definition) - DEFINITION_KEYS, key=str):
        problems.append(
            _("%(where)s：字段“%(key)s”有未知的设置“%(name)s”") % {**say, "name": unknown}
        )
    kind = definition.get("type")
    if kind not in allowed:
        problems.append(_("%(where)s：字段“%(key)s”的类型“%(type)s”无效") % {**say, "type": kind})
        return
    if "max_length" in definition and not (
        _is_count(definition["max_length"]) and definition["max_length"] > 0
    ):
        problems.append(_("%(where)s：字段“%(key)s”的 max_length 应为正整数") % say)
    if definition.get("format") is not None and definition.get("format") not in TEXT_FORMATS:
        problems.append(
            _("%(where)s：字段“%(key)s”的格式“%(format)s”无效")
            % {**say, "format": definition["format"]}
        )
    if kind == "number":
        for bound in ("min", "max"):
            if bound in definition and not _is_number(definition[bound]):
                problems.append(
                    _("%(where)s：数字字段“%(key)s”的 %(bound)s 应为数字") % {**say, "bound": bound}
                )
        if "decimals" in definition and not _is_count(definition["decimals"]):
            problems.append(_("%(where)s：数字字段“%(key)s”的 decimals 应为非负整数") % say)
        low, high = definition.get("min"), definition.get("max")
        if _is_number(low) and _is_number(high) and low > high:
            problems.append(_("%(where)s：数字字段“%(key)s”的 min 大于 max") % say)
    if kind == "choice":
        choices = definition.get("choices")
        if not isinstance(choices, list) or not choices:
            problems.append(_("%(where)s：选择字段“%(key)s”须列出选项") % say)
        elif not all(
            isinstance(c, dict)
            and isinstance(c.get("value"), str)
            and c.get("value")
            and c.get("label")
            for c in choices
        ):
            problems.append(_("%(where)s：选择字段“%(key)s”的每个选项须有 value 和 label") % say)
        elif len({c["value"] for c in choices}) != len(choices):
            problems.append(_("%(where)s：选择字段“%(key)s”的选项值重复") % say)
    if kind == "table":
        _check_table(definition, problems)


def _check_table(definition: dict, problems: list[str]) -> None:
    key = definition["key"]
    if "min_rows" in definition and not _is_count(definition["min_rows"]):
        problems.append(_("表格“%(key)s”的 min_rows 应为非负整数") % {"key": key})
    columns = definition.get("columns")
    if not isinstance(columns, list) or not columns:
        problems.append(
            _("%(where)s：表格“%(key)s”须定义列") % {"where": _("字段定义"), "key": key}
        )
        return
    column_keys: set[str] = set()
    for column in columns:
        _check_definition(column, SCALAR_TYPES, _("表格“%(key)s”") % {"key": key}, problems)
        if isinstance(column, dict) and isinstance(column.get("key"), str):
            if column["key"] in column_keys:
                problems.append(_("表格“%(t)s”的列“%(k)s”重复") % {"t": key, "k": column["key"]})
            column_keys.add(column["key"])
    unique = definition.get("unique", [])
    if not isinstance(unique, list):
        problems.append(_("表格“%(key)s”的 unique 应为列名的列表") % {"key": key})
        return
    for column_key in unique:
        if column_key not in column_keys:
            problems.append(_("表格“%(t)s”的唯一列“%(k)s”不存在") % {"t": key, "k": column_key})


def validate_definitions(definitions: Any) -> list[str]:
    """Problems with a list of field definitions (for the catalogue editor); empty when sound."""
    if not isinstance(definitions, list):
        return [_("字段定义应为列表")]
    problems: list[str] = []
    keys: set[str] = set()
    for definition in definitions:
        _check_definition(definition, FIELD_TYPES, _("字段定义"), problems)
        if isinstance(definition, dict) and isinstance(definition.get("key"), str):
            if definition["key"] in keys:
                problems.append(_("字段“%(key)s”重复") % {"key": definition["key"]})
            keys.add(definition["key"])
    return problems


def validate_scans(scans: Any) -> list[str]:
    """Problems with an item's list of expected scans; empty when sound."""
    if not isinstance(scans, list) or not all(
        isinstance(s, dict) and s.get("key") and s.get("label") for s in scans
    ):
        return [_("扫描件清单应为列表，每项须有 key 和 label")]
    if len({s["key"] for s in scans}) != len(scans):
        return [_("扫描件清单中有重复的 key")]
    return []


def validate_scan_condition(item) -> list[str]:
    """Problems with an item's ``scan_required_when``; empty when sound (or not set)."""
    when = item.scan_required_when
    if when in (None, {}):
        return []
    if not isinstance(when, dict) or set(when) != {"field", "value"}:
        return [_('条件应为 {"field": 字段编码, "value": 选项值}')]
    field = next((f for f in item.fields if f.get("key") == when["field"]), None)
    if field is None or field.get("type") != "choice":
        return [_("条件中的字段应为本事项的选择字段")]
    if when["value"] not in [c["value"] for c in field.get("choices", [])]:
        return [_("条件中的值不是该字段的选项")]
    return []


# The household acceptance summary table (分户验收汇总表) is any table field with these columns.
HOUSEHOLD_KEYS = ("building", "unit", "room")


def household_table(definitions: list[dict]) -> dict | None:
    """The definition of an item's household table (one row per household), or None."""
    for definition in definitions:
        if definition["type"] == "table":
            keys = {c["key"] for c in definition["columns"]}
            if set(HOUSEHOLD_KEYS) <= keys:
                return definition
    return None
