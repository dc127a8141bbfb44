"""Small helpers that write field definitions (see gongshi.catalogue.fields)."""

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
