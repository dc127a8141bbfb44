"""Stamps that tell every process when a project's public pages changed.

A public page is answered from the stamps alone (one indexed query, see
``gongshi.public.conditional``): the project's :class:`PageStamp` counts every change to what
its pages show, :class:`SiteStamp` every change that shows on all projects' pages (the
catalogue, local requirements, score weights, timeliness settings, region names). Both are
bumped in the writing transaction (``gongshi.public.stamps``), so the new fingerprint becomes
visible to every process exactly when the change does.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PageStamp(models.Model):
    """A counter per project bumped by every change to what its public pages show."""

    # No database constraint: a unit or record deleted with its project bumps the stamp
    # on its way out, after the project's own stamp row was collected for deletion.
    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    revision = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "public page stamp"

    def __str__(self) -> str:
        return f"{self.project_id}@{self.revision}"


class SiteStamp(models.Model):
    """One row (pk 1): bumped by changes that show on every project's page."""

    revision = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "public site stamp"

    def __str__(self) -> str:
        return f"site@{self.revision}"
