"""The public page of an enterprise (§6.3): every project it develops or takes part in, by credit code.

Each project with its disclosure score, timeliness and open questions (one annotated query,
:func:`gongshi.supervision.score.annotate_score`), the enterprise's role on it, and the
regulators' records whose subject it is — commendations, key supervision, bad-conduct
records and penalties with their rectification. The number of queries does not depend on
the number of projects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from gongshi.core.choices import UnitRole
from gongshi.organisations.models import Organisation
from gongshi.organisations.validators import normalise_credit_code
from gongshi.projects.models import Participation, Project
from gongshi.supervision.models import RegulatorRecord
from gongshi.supervision.rectification import attach_tracks
from gongshi.supervision.score import _count, annotate_score

RECORD_RELATED = ["project__region__parent", "subject", "regulator", "supersedes"]


@dataclass
class Enterprise:
    organisation: Organisation
    projects: list = field(default_factory=list)
    records: list = field(default_factory=list)

    @property
    def cities(self) -> list:
        seen: dict[str, object] = {}
        for project in self.projects:
            seen.setdefault(project.region.city.code, project.region.city)
        return list(seen.values())

    @property
    def average_score(self) -> float | None:
        scores = [p.score for p in self.projects if p.score is not None]
        return sum(scores) / len(scores) if scores else None


def enterprise_projects(organisation: Organisation) -> QuerySet:
    """The projects an organisation develops or takes part in, each annotated with its score."""
    from gongshi.participation.models import Question

    taking_part = Participation.objects.filter(organisation=organisation).values("project")
    projects = Project.objects.filter(Q(developer=organisation) | Q(pk__in=taking_part))
    return (
        annotate_score(projects.select_related("region__parent"))
        .annotate(open_questions=_count(Question.objects.visible().unanswered()))
        .order_by("region__code", "name")
    )


def enterprise_records(organisation: Organisation) -> QuerySet:
    """The regulators' records about an organisation, newest first (``is_current`` annotated)."""
    return (
        RegulatorRecord.objects.filter(subject=organisation)
        .select_related(*RECORD_RELATED)
        .prefetch_related("rectification_steps__organisation")
        .annotate_current()
        .order_by("-decided_on", "-created_at")
    )


def load_enterprise(credit_code: str) -> Enterprise:
    """The enterprise with this credit code (404 when there is none): five queries in all."""
    organisation = get_object_or_404(
        Organisation.objects.select_related("region"),
        credit_code=normalise_credit_code(credit_code),
    )
    projects = list(enterprise_projects(organisation))
    roles: dict[int, list[str]] = defaultdict(list)
    for project_id, role in Participation.objects.filter(organisation=organisation).values_list(
        "project", "role"
    ):
        roles[project_id].append(role)
    for project in projects:
        found = roles.get(project.pk, [])
        if project.developer_id == organisation.pk and UnitRole.DEVELOPER not in found:
            found.insert(0, UnitRole.DEVELOPER)
        project.enterprise_roles = [UnitRole(role).label for role in found]
    records = attach_tracks(list(enterprise_records(organisation)))
    return Enterprise(organisation, projects, records)
