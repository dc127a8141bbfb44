"""Signal receivers wired in :meth:`ParticipationConfig.ready`."""

from __future__ import annotations

from django.db import transaction


def seed_calendar_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """Fill the holiday calendar for every year the package knows (and report this year and
    next when it does not), so a fresh install counts right on any date.

    Years that already have any row are left alone: the administrator's edits win.
    """
    from gongshi.participation.workdays import seed_from_package

    seed_from_package(only_empty_years=True, using=using)


def disclosure_version_saved(sender, instance, created: bool, **kwargs) -> None:
    """A version saved as published is a publication or correction: tell the followers.

    Published versions are frozen (their ``save`` refuses), so this fires once per publication.
    """
    from gongshi.disclosures.models import VersionStatus

    if instance.status != VersionStatus.PUBLISHED:
        return
    from gongshi.participation import follow

    version_id = instance.pk
    transaction.on_commit(lambda: follow.disclosure_published(version_id))


def regulator_record_saved(sender, instance, created: bool, **kwargs) -> None:
    """A regulator's public record (commendation, key supervision, bad conduct) on a project."""
    if not created:
        return
    from gongshi.participation import follow

    record_id = instance.pk
    transaction.on_commit(lambda: follow.regulator_recorded(record_id))


def stage_correction_saved(sender, instance, created: bool, **kwargs) -> None:
    """A regulator's correction of the project's stage dates (public, logged)."""
    if not created:
        return
    from gongshi.participation import follow

    correction_id = instance.pk
    transaction.on_commit(lambda: follow.stage_corrected(correction_id))


def question_answered(sender, question, **kwargs) -> None:
    """The developer answered a question: an event for the project's followers."""
    from gongshi.participation import follow

    follow.question_answered(question)
