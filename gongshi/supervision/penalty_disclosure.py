"""Whether the developer's own disclosure of penalties (§4.6) lists what the regulators recorded.

The developer discloses the administrative penalties and credit punishments its project received
in the catalogue item ``other.penalties``; regulators enter the same decisions as
:class:`~gongshi.supervision.models.RegulatorRecord`. A decision in force that the developer's
published disclosure does not list — it answered 无, or its table lacks the decision number — is
an untruthful disclosure (不如实公示, §6.3): the developer is warned in the workspace and the
regulator's console lists the project ("处罚未如实公示").

Decision numbers are compared after normalising the ways people type them: full-width and
half-width characters, the brackets around the year (〔〕 [] 【】 （）) and spaces.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gongshi.disclosures.models import DisclosureVersion, VersionKind
from gongshi.supervision.models import ActionKind, RecordEvent, RegulatorRecord

#: The catalogue item in which the developer discloses its penalties (guidance §4.6).
PENALTIES_ITEM = "other.penalties"

#: The kinds §4.6 asks the developer to disclose: 行政处罚 and 信用惩戒. (Criticisms, interviews
#: and rectification orders are published by the regulator; the developer's table has no kind
#: for them.)
DISCLOSED_KINDS = (ActionKind.PENALTY, ActionKind.CREDIT_PUNISHMENT)

_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "[": "(", "]": ")", "【": "(", "】": ")"})


class Answer:
    """What the developer's disclosure says about a recorded decision."""

    NONE = "none"  # it answered 无, declared the item not applicable or withdrew it
    NOT_LISTED = "not_listed"  # it lists penalties, but not this decision number


ANSWER_LABELS = {
    Answer.NONE: _("建设单位公示为“无”"),
    Answer.NOT_LISTED: _("建设单位公示中未列出该决定书文号"),
}


@dataclass(frozen=True)
class Finding:
    """A regulator's decision missing from the developer's disclosure."""

    record: RegulatorRecord
    answer: str

    @property
    def answer_label(self) -> str:
        return str(ANSWER_LABELS[self.answer])

    def as_dict(self) -> dict:
        return {
            "record": self.record.pk,
            "kind": self.record.kind,
            "decision_number": self.record.decision_number,
            "decided_on": self.record.decided_on.isoformat(),
            "developer_answer": self.answer,
        }


def normalise_number(number: str) -> str:
    """A decision number as compared: 佳建罚字〔2026〕第 7 号 == 佳建罚字[2026]第7号."""
    text = unicodedata.normalize("NFKC", number or "").translate(_BRACKETS)
    return "".join(text.split()).upper()


def listed_numbers(values: dict | None) -> set[str] | None:
    """The normalised decision numbers a disclosure lists; None when it answers 无."""
    values = values or {}
    if values.get("has_items") != "yes":
        return None
    return {normalise_number(row.get("document_number") or "") for row in values.get("items") or []}


def answer_for(record: RegulatorRecord, values: dict | None) -> str | None:
    """How a disclosure with ``values`` misses ``record``; None when it lists it."""
    listed = listed_numbers(values)
    if listed is None:
        return Answer.NONE
    if not record.decision_number.strip():
        return None  # no number to look for: the developer's 有 is taken at its word
    return None if normalise_number(record.decision_number) in listed else Answer.NOT_LISTED


def recorded_penalties(records: QuerySet | None = None) -> QuerySet:
    """Penalties and credit punishments in force on projects (neither revoked nor superseded)."""
    records = RegulatorRecord.objects.all() if records is None else records
    return records.in_force().filter(kind__in=DISCLOSED_KINDS, project__isnull=False)


def published_disclosures(project_ids) -> dict[int, dict]:
    """What each project's latest published version of the penalties item says (one query).

    A withdrawal or a "does not apply" declaration says nothing: as good as 无.
    """
    latest: dict[int, dict] = {}
    versions = (
        DisclosureVersion.objects.published()
        .filter(
            disclosure__project__in=project_ids,
            disclosure__item__code=PENALTIES_ITEM,
            disclosure__instance=1,
        )
        .order_by("disclosure__project_id", "-number")
        .values_list("disclosure__project_id", "kind", "values")
    )
    for project_id, kind, values in versions:
        if project_id not in latest:
            silent = kind in (VersionKind.WITHDRAWAL, VersionKind.INAPPLICABLE)
            latest[project_id] = {} if silent else values or {}
    return latest


def findings_by_project(records: QuerySet | None = None) -> dict[int, list[Finding]]:
    """The recorded decisions each project's *published* disclosure misses (two queries).

    A project that has not published the item yet is left out: the missing-items worklist
    already shows it, and the developer may still be preparing it.
    """
    penalties = list(recorded_penalties(records).order_by("decided_on", "pk"))
    if not penalties:
        return {}
    published = published_disclosures({r.project_id for r in penalties})
    found: dict[int, list[Finding]] = {}
    for record in penalties:
        if record.project_id not in published:
            continue
        if answer := answer_for(record, published[record.project_id]):
            found.setdefault(record.project_id, []).append(Finding(record, answer))
    return found


def findings_for_values(project, values: dict | None) -> list[Finding]:
    """The recorded decisions a disclosure of ``project`` with ``values`` would miss (one query)."""
    return [
        Finding(record, answer)
        for record in recorded_penalties(RegulatorRecord.objects.filter(project=project)).order_by(
            "decided_on", "pk"
        )
        if (answer := answer_for(record, values))
    ]


def undisclosed_projects(region) -> dict[int, list[Finding]]:
    """The area's projects whose published disclosure misses a recorded decision."""
    return findings_by_project(RegulatorRecord.objects.within(region))


def attach_findings(projects, region) -> None:
    """Give each of the listed projects its ``undisclosed_penalties`` (two queries in all)."""
    found = undisclosed_projects(region)
    for project in projects:
        project.undisclosed_penalties = found.get(project.pk, [])


def attach_developer_answers(records: list[RegulatorRecord]) -> list[RegulatorRecord]:
    """Give each record ``developer_disclosure``: whether the developer's published §4.6
    disclosure lists it — listed, none (无), not_listed, not_published — or None for records
    the developer is not asked to disclose (other kinds, revoked, superseded). One query.

    ``records`` carry ``is_current`` (``annotate_current``).
    """
    asked = [
        r
        for r in records
        if r.kind in DISCLOSED_KINDS
        and r.project_id
        and r.is_current
        and r.event != RecordEvent.REVOKED
    ]
    disclosed = published_disclosures({r.project_id for r in asked}) if asked else {}
    for record in records:
        record.developer_disclosure = None
    for record in asked:
        if record.project_id not in disclosed:
            record.developer_disclosure = "not_published"
        else:
            record.developer_disclosure = (
                answer_for(record, disclosed[record.project_id]) or "listed"
            )
    return records
