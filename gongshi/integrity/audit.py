"""The audit log: one call, :func:`record`, for every state change and private-data view.

    record(request, "question.contact_viewed", question)
    record(user, "disclosure.publish", version, leaf_index=12)

Pass the request when there is one (it gives the user and the IP address), else the user
(or ``None`` for the system). Extra keyword arguments become the event's JSON details.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest

from gongshi.core.request_context import current_request_id
from gongshi.integrity.models import AuditEvent


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is client-controlled unless a trusted proxy rewrites
    # REMOTE_ADDR, which is how the documented deployments run.
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    # Dates, Decimals and UUIDs become strings now, so the stored JSON reads back the same.
    return json.loads(json.dumps(details, cls=DjangoJSONEncoder))


def record(request_or_user: Any, action: str, obj: Any = None, **details: Any) -> AuditEvent:
    """Append an audit event; returns it."""
    ip = None
    user = request_or_user
    if isinstance(request_or_user, HttpRequest):
        ip = client_ip(request_or_user)
        user = getattr(request_or_user, "user", None)
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    if actor is not None:
        label = actor.get_username()
    else:
        label = "anonymous" if isinstance(request_or_user, HttpRequest) else "system"
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=label[:150],
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        ip_address=ip,
        details=_jsonable(details),
        request_id=current_request_id(),
    )
