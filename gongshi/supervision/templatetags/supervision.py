from django import template

from gongshi.supervision.models import RegulatorRecord

register = template.Library()


@register.inclusion_tag("supervision/_project_records.html")
def project_records(project) -> dict:
    """The regulator records of a project, and its units' enterprise-level decisions (two queries)."""
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
    return {"records": records, "project": project}


@register.inclusion_tag("supervision/_project_score.html")
def project_score(project) -> dict:
    """The project's disclosure score with a link to how it was computed (one query)."""
    from gongshi.projects.models import Project
    from gongshi.supervision.score import annotate_score

    scored = annotate_score(Project.objects.filter(pk=project.pk)).values("score").first()
    return {"project": project, "score": scored["score"] if scored else None}
