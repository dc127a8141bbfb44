"""Background tasks of the log (django-tasks; ``gongshi db_worker`` runs them)."""

from __future__ import annotations

from django_tasks import task


@task()
def push_to_witnesses() -> int:
    """Ask every configured witness to cosign the latest checkpoint; returns how many did."""
    from gongshi.integrity import witnessing
    from gongshi.integrity.models import WitnessCosignature

    results = witnessing.push_latest()
    return sum(isinstance(r, WitnessCosignature) for r in results)


def queue_push(sender, **kwargs) -> None:
    push_to_witnesses.enqueue()


def connect() -> None:
    """Queue a push whenever the log announces a checkpoint to witness (AppConfig.ready)."""
    from gongshi.integrity import log

    log.checkpoint_to_witness.connect(queue_push, dispatch_uid="integrity_push_to_witnesses")
