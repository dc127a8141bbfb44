"""The public's status language: one word and one colour for each state, everywhere.

Green (``ok``) published, or declared not to apply (with the reason); amber (``warn``) published late or withdrawn; red (``bad``) due
and required but not public. A colour never appears without its word. What is still being
worked on (draft, submitted, returned) is not the public's business: it reads "未公示".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gongshi.disclosures.checklist import Checklist, ChecklistEntry, EntryState, InstanceEntry


@dataclass(frozen=True)
class Status:
    word: str
    tone: str  # "ok" | "warn" | "bad" | "none"

    @property
    def css(self) -> str:
        return f"status status-{self.tone}"


def entry_status(entry: ChecklistEntry) -> Status:
    if entry.state == EntryState.PUBLISHED:
        return Status(str(_("已公示")), "ok")
    if entry.state == EntryState.LATE:
        return Status(str(_("逾期公示")), "warn")
    if entry.state == EntryState.WITHDRAWN:
        return Status(str(_("已撤回")), "warn" if not entry.is_missing_required else "bad")
    if entry.state == EntryState.INAPPLICABLE:
        return Status(str(_("不适用")), "ok")
    if entry.exemption is not None and entry.exemption.waives_item:
        return Status(str(_("不适用")), "none")  # a local item the project was past
    if entry.is_missing_required:
        return Status(str(_("应公示未公示")), "bad")
    if not entry.due:
        return Status(str(_("尚未到期")), "none")
    return Status(str(_("未公示")), "none")


def group_status(entries: list[ChecklistEntry]) -> Status:
    """A category's (or a project's) status at a glance."""
    missing = sum(e.is_missing_required for e in entries)
    if missing:
        return Status(ngettext("缺 %(n)d 项", "缺 %(n)d 项", missing) % {"n": missing}, "bad")
    if not any(e.counts_toward_completeness for e in entries):
        if any(e.is_published for e in entries):
            return Status(str(_("已公示")), "ok")
        return Status(str(_("暂无应公示事项")), "none")
    if any(e.state == EntryState.LATE for e in entries):
        return Status(str(_("齐全（有逾期）")), "warn")
    return Status(str(_("齐全")), "ok")


def completeness_percent(checklist: Checklist, category: str | None = None) -> int:
    fraction = (
        checklist.completeness if category is None else checklist.category_completeness(category)
    )
    return round(fraction * 100)


def public_version(entry: ChecklistEntry):
    """The version the public reads for an entry: the current one unless withdrawn."""
    if entry.current is None or entry.state in (EntryState.WITHDRAWN, EntryState.INAPPLICABLE):
        return None
    return entry.current


def instance_status(instance: InstanceEntry) -> Status:
    """One instance of a repeatable item, as the public reads it."""
    if instance.state == EntryState.PUBLISHED:
        return Status(str(_("已公示")), "ok")
    if instance.state == EntryState.LATE:
        return Status(str(_("逾期公示")), "warn")
    if instance.state == EntryState.WITHDRAWN:
        return Status(str(_("已撤回")), "warn")
    if instance.state == EntryState.INAPPLICABLE:
        return Status(str(_("不适用")), "ok")
    return Status(str(_("未公示")), "none")


def instance_public_version(instance: InstanceEntry):
    """The version the public reads for one instance: the current one unless withdrawn."""
    if instance.current is None or instance.state in (
        EntryState.WITHDRAWN,
        EntryState.INAPPLICABLE,
    ):
        return None
    return instance.current


def public_versions(entry: ChecklistEntry) -> list:
    """What the public reads of every instance of an entry (one for most items)."""
    if not entry.item.repeatable:
        version = public_version(entry)
        return [version] if version is not None else []
    return [v for i in entry.instances if (v := instance_public_version(i)) is not None]
