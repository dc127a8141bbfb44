"""Reads that tolerate lag go to a streaming replica; everything else stays on the primary.

Set ``DATABASE_REPLICA_URL`` (a PostgreSQL hot standby) and settings add the ``replica``
database, this router and :class:`ReplicaReadsMiddleware`. Only a GET or HEAD from an
anonymous visitor — public pages, feeds, the API's reads, the log's proofs — is marked as
lag-tolerant; inside it a read goes to the replica unless

- the request has written (read-your-writes: every later read of the request goes to the
  primary), or
- it runs inside a transaction on the primary (a read that decides a write).

Signed-in users, forms and the API's writes never read from the replica, so nobody sees
their own change missing. PostgreSQL's streaming replication carries the data; this is only
the choice of connection.
"""

from __future__ import annotations

import contextvars

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_lag_tolerant: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "gongshi_lag_tolerant", default=False
)
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("gongshi_wrote", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _lag_tolerant.get() or _wrote.get():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary's schema


class ReplicaReadsMiddleware:
    """Marks anonymous GET/HEAD requests as lag-tolerant (after authentication ran)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # An API client with a token is signed in too, though DRF only knows it in the view.
        tolerant = (
            request.method in ("GET", "HEAD")
            and "Authorization" not in request.headers
            and not request.user.is_authenticated
        )
        lag_token = _lag_tolerant.set(tolerant)
        wrote_token = _wrote.set(False)
        try:
            return self.get_response(request)
        finally:
            _lag_tolerant.reset(lag_token)
            _wrote.reset(wrote_token)
