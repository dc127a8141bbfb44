"""Background tasks (django-tasks; the database backend in production, ``gongshi db_worker``)."""

from __future__ import annotations

from django_tasks import task

from gongshi.participation import follow


@task()
def deliver(delivery_id: int) -> str:
    """Send one event to one subscriber (email or webhook), scheduling a retry on failure."""
    return follow.attempt_delivery(delivery_id)


@task()
def send_confirmation(subscription_id: int) -> None:
    """Send the double opt-in mail of a new email subscription."""
    follow.send_confirmation_mail(subscription_id)


@task()
def tell_asker(question_id: int) -> None:
    """Tell the person who asked that the developer has answered (the answer reminder the
    ask form promises); their contact is used for nothing else."""
    from gongshi.participation.questions import send_answer_notice

    send_answer_notice(question_id)
