"""Background tasks (django-tasks; the database backend in production, ``gongshi db_worker``).

Tasks call the services; the services never import the tasks. They announce work with
signals (``follow.deliveries_created`` …, ``questions.question_answered``) and the receivers
below, connected in :meth:`ParticipationConfig.ready`, queue it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from gongshi.participation import follow, questions
from gongshi.participation.models import Delivery, DeliveryStatus


@task()
def deliver(delivery_id: int) -> str:
    """Send one event to one subscriber (email or webhook), scheduling a retry on failure."""
    return follow.attempt_delivery(delivery_id)


@task()
def send_confirmation(subscription_id: int) -> None:
    """Send the double opt-in mail of a new email subscription."""
    follow.send_confirmation_mail(subscription_id)


@task()
def challenge_webhook(subscription_id: int) -> bool:
    """Send a new webhook its challenge; it gets events only once it has echoed it."""
    return follow.challenge_webhook(subscription_id)


@task()
def tell_asker(question_id: int) -> None:
    """Tell the person who asked that the developer has answered (the answer reminder the
    ask form promises); their contact is used for nothing else."""
    questions.send_answer_notice(question_id)


def queue_due_retries(*, now: dt.datetime | None = None) -> int:
    """Queue every pending delivery whose next attempt is due (after downtime, or without a
    backend that can defer tasks)."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in due:
        deliver.enqueue(pk)
    return len(due)


# --- Receivers: the services' announcements, queued --------------------------------------


def queue_deliveries(sender, ids: list[int], **kwargs) -> None:
    transaction.on_commit(lambda: [deliver.enqueue(pk) for pk in ids])


def queue_retry(sender, delivery: Delivery, **kwargs) -> None:
    if deliver.get_backend().supports_defer:
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    # Otherwise ``gongshi retry_deliveries`` queues due retries.


def queue_confirmation(sender, subscription_id: int, **kwargs) -> None:
    transaction.on_commit(lambda: send_confirmation.enqueue(subscription_id))


def queue_challenge(sender, subscription_id: int, **kwargs) -> None:
    transaction.on_commit(lambda: challenge_webhook.enqueue(subscription_id))


def queue_answer_notice(sender, question, **kwargs) -> None:
    question_id = question.pk
    transaction.on_commit(lambda: tell_asker.enqueue(question_id))


def connect() -> None:
    follow.deliveries_created.connect(queue_deliveries, dispatch_uid="participation_deliveries")
    follow.delivery_retry_due.connect(queue_retry, dispatch_uid="participation_retry")
    follow.confirmation_requested.connect(
        queue_confirmation, dispatch_uid="participation_confirmation"
    )
    follow.challenge_requested.connect(queue_challenge, dispatch_uid="participation_challenge")
    questions.question_answered.connect(
        queue_answer_notice, dispatch_uid="participation_answer_notice"
    )
