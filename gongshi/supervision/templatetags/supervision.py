from django import template

from gongshi.supervision.models import RegulatorRecord

register = template.Library()


@register.inclusion_tag("supervision/_project_records.html")
def project_records(project) -> dict:
    """The regulator records of a project, and its units' enterprise-level decisions, each
    penalty in force with whether the developer's §4.6 disclosure lists it (three queries)."""
    from gongshi.supervision.penalty_disclosure import attach_developer_answers
    from gongshi.supervision.rectification import attach_tracks

    records = attach_tracks(
        list(
            RegulatorRecord.objects.about_project(project)
            .select_related("subject", "regulator", "supersedes")
            .prefetch_related("rectification_steps__organisation")
            .annotate_current()
            .order_by("-decided_on", "-created_at")
        )
    )
    attach_developer_answers([r for r in records if r.is_current and r.project_id == project.pk])
    return {"records": records, "project": project}


@register.inclusion_tag("supervision/_project_score.html")
def project_score(project) -> dict:
    """The project's disclosure score with a link to how it was computed (one query)."""
    from gongshi.projects.models import Project
    from gongshi.supervision.score import annotate_score

    scored = annotate_score(Project.objects.filter(pk=project.pk)).values("score").first()
    return {"project": project, "score": scored["score"] if scored else None}


@register.inclusion_tag("supervision/_item_penalty_records.html")
def item_penalty_records(project) -> dict:
    """Beside the developer's own disclosure of penalties (§4.6): what the regulators recorded.

    Each penalty or credit record of the project with its rectification state, and whether the
    developer's published disclosure lists it. Three queries whatever the number of records.
    """
    from gongshi.supervision.models import PENALTY_KINDS
    from gongshi.supervision.penalty_disclosure import attach_developer_answers
    from gongshi.supervision.rectification import attach_tracks

    chain = attach_tracks(
        list(
            RegulatorRecord.objects.filter(project=project, kind__in=PENALTY_KINDS)
            .select_related("regulator", "subject", "supersedes")
            .prefetch_related("rectification_steps__organisation")
            .annotate_current()
            .order_by("-decided_on", "-created_at")
        )
    )
    records = attach_developer_answers([r for r in chain if r.is_current])
    tracks = {r.pk: r.track for r in chain if r.track}
    origins = {r.pk: r for r in chain}
    for record in records:
        origin = record
        while origin.supersedes_id in origins:
            origin = origins[origin.supersedes_id]
        record.track = tracks.get(origin.pk)
        record.origin_record = origin
    return {"records": records, "project": project}


@register.inclusion_tag("supervision/_penalty_warning.html")
def undisclosed_penalty_warning(project, item, pending=None, current=None) -> dict:
    """For the developer editing its penalties item: recorded decisions its text does not list.

    Compares the open draft if there is one, else the published version (before either, it
    names what is to be disclosed); no query for any other item.
    """
    from gongshi.supervision.penalty_disclosure import PENALTIES_ITEM, findings_for_values

    if item.code != PENALTIES_ITEM:
        return {"findings": []}
    version = pending if pending is not None else current
    findings = findings_for_values(project, version.values if version is not None else {})
    state = "draft" if pending is not None else "published" if current is not None else "empty"
    return {"findings": findings, "state": state}
