from django.db import models
from django.db.models import F
from django.utils import timezone


class ParticipationStamp(models.Model):
    """A counter per project bumped by every change to its questions and open days.

    The public project page's ETag includes it (``gongshi.public.conditional``), so a cached
    copy is refreshed when an answer or a report appears.
    """

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    revision = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "participation stamp"

    def __str__(self) -> str:
        return f"{self.project_id}@{self.revision}"


def touch(project_id: int) -> None:
    """Record that something on the project's participation panel changed."""
    now = timezone.now()
    updated = ParticipationStamp.objects.filter(project_id=project_id).update(
        revision=F("revision") + 1, changed_at=now
    )
    if not updated:
        ParticipationStamp.objects.get_or_create(
            project_id=project_id, defaults={"revision": 1, "changed_at": now}
        )
