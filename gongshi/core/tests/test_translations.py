"""English is complete: no django.po has an untranslated or fuzzy entry, and the compiled
catalogues are what Django actually serves."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

REPO = Path(settings.REPO_DIR)
SKIPPED_DIRS = {".venv", "var", "node_modules", ".git", "build", "dist"}


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    fields: dict[str, str] = field(default_factory=dict)
    obsolete: bool = False

    @property
    def msgid(self) -> str:
        return self.fields.get("msgid", "")

    @property
    def translations(self) -> list[str]:
        return [value for key, value in self.fields.items() if key.startswith("msgstr")]


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: enough to see flags, msgids and every msgstr (plural forms too)."""
    entries: list[Entry] = []
    entry, key = None, None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, key = None, None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif match := re.match(
            r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line
        ):
            key = match.group(1)
            entry.fields[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry.fields[key] += ast.literal_eval(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot read this line: {raw!r}")
    return entries


def catalogues() -> list[Path]:
    found = []
    for path in sorted(REPO.rglob("django.po")):
        if SKIPPED_DIRS.isdisjoint(path.relative_to(REPO).parts):
            found.append(path)
    return found


def test_there_are_english_catalogues_for_core_accounts_and_the_project_templates():
    names = {str(path.relative_to(REPO)) for path in catalogues()}
    assert {
        "gongshi/locale/en/LC_MESSAGES/django.po",
        "gongshi/core/locale/en/LC_MESSAGES/django.po",
        "gongshi/accounts/locale/en/LC_MESSAGES/django.po",
    } <= names


@pytest.mark.parametrize("po", catalogues(), ids=lambda path: str(path.relative_to(REPO)))
def test_every_entry_is_translated_and_none_is_fuzzy(po):
    problems = []
    for entry in parse_po(po):
        if entry.obsolete or entry.msgid == "":  # obsolete entries and the header
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{po.name}:{entry.line} fuzzy: {entry.msgid!r}")
        if not entry.translations or any(value == "" for value in entry.translations):
            problems.append(f"{po.name}:{entry.line} untranslated: {entry.msgid!r}")
    assert not problems, (
        f"{po.relative_to(REPO)} 有未翻译或模糊（fuzzy）的条目，请补全英文译文并删除 fuzzy 标记：\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize("po", catalogues(), ids=lambda path: str(path.relative_to(REPO)))
def test_every_catalogue_is_compiled_and_loaded(po):
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, (
        f"{mo.relative_to(REPO)} 缺失或比 .po 旧：请运行 `make compilemessages`。"
    )
    simple = [
        entry
        for entry in parse_po(po)
        if entry.msgid and not entry.obsolete and set(entry.fields) == {"msgid", "msgstr"}
    ]
    if not simple:
        return
    with translation.override("en"):
        served = [
            entry for entry in simple if translation.gettext(entry.msgid) == entry.fields["msgstr"]
        ]
    # Another catalogue may translate a shared msgid differently; at least one entry of each
    # catalogue must come from it, or Django is not loading it at all.
    assert served, (
        f"Django 没有使用 {mo.relative_to(REPO)}：该应用是否在 INSTALLED_APPS 或 LOCALE_PATHS 中？"
    )


def test_a_page_asked_for_in_english_is_in_english(client, db):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in page
    assert "Skip to content" in page  # gongshi/locale (base.html)
    assert "Username" in page  # gongshi/accounts
    assert "用户名" not in page


def test_a_page_is_in_chinese_by_default(client, db):
    response = client.get("/accounts/login/")
    page = response.content.decode()
    assert response.headers["Content-Language"] == "zh-hans"
    assert "用户名" in page
    assert "Username" not in page


def test_the_language_switcher_sets_english(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert "Skip to content" in client.get("/accounts/login/").content.decode()
