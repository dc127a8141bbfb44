"""Stamps that tell every process when a project's public pages changed.

A public page is answered from the stamps alone (one indexed query, see
``gongshi.public.conditional``): the project's :class:`PageStamp` counts every change to what
its pages show, :class:`SiteStamp` every change that shows on all projects' pages (the
catalogue, local requirements, score weights, timeliness settings, region names). Both are
bumped in the writing transaction (``gongshi.public.stamps``), so the new fingerprint becomes
visible to every process exactly when the change does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class BoardSize(models.TextChoices):
    A4 = "A4", "A4"
    A1 = "A1", "A1"


class BoardPrint(models.Model):
    """One generation of a project's paper board (公示牌 PDF): when, what size, at what log size.

    Every QR code on the board carries ``tree_size`` (``?board=N``), so a phone scanning the
    board later is told what was published since (``gongshi.public.board.board_age``).
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="board_prints"
    )
    size = models.CharField(_("尺寸"), max_length=2, choices=BoardSize.choices)
    tree_size = models.PositiveBigIntegerField(_("打印时的日志大小"))
    printed_at = models.DateTimeField(_("打印时间"), default=timezone.now)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: printed by a signed-in member of the project's developer: the boards that count for
    #: the regulator's worklist (anyone may print a copy from the public page).
    by_developer = models.BooleanField(_("建设单位打印"), default=False)

    class Meta:
        verbose_name = _("公示牌打印记录")
        verbose_name_plural = _("公示牌打印记录")
        indexes = [
            # The regulator's worklist: a project's latest board printed by its developer.
            models.Index(
                fields=["project", "by_developer", "-printed_at"], name="board_print_latest"
            ),
            # The banner: the first print at a given log size.
            models.Index(fields=["project", "tree_size"], name="board_print_tree_size"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.size} @{self.tree_size}"
