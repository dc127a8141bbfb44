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
