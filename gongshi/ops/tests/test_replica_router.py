"""The replica router's rules (gongshi/ops/replica.py), one by one, without a second server.

Reads that tolerate lag (an anonymous GET or HEAD) go to the replica; writes, reads after a
write in the same request, reads inside a transaction, signed-in users, token clients and
forms stay on the primary; migrations run on the primary only. The stack test
(deploy/tests) runs the same router against a real second PostgreSQL database.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory

from gongshi.ops.replica import REPLICA, ReplicaReadsMiddleware, ReplicaRouter
from gongshi.projects.models import Project

router = ReplicaRouter()
factory = RequestFactory()
SIGNED_IN = SimpleNamespace(is_authenticated=True)


def route_in_request(request, user=None, steps=("read",)):
    """Run a request through the middleware; return the database each step used."""
    request.user = user or AnonymousUser()
    used = []

    def view(request):
        for step in steps:
            if step == "read":
                used.append(router.db_for_read(Project))
            else:
                used.append(router.db_for_write(Project))
        return "response"

    assert ReplicaReadsMiddleware(view)(request) == "response"
    return used


def test_an_anonymous_get_or_head_reads_from_the_replica():
    assert route_in_request(factory.get("/p/ABC234/")) == [REPLICA]
    assert route_in_request(factory.head("/p/ABC234/")) == [REPLICA]


def test_after_a_write_the_same_request_reads_from_the_primary():
    used = route_in_request(factory.get("/"), steps=("read", "write", "read", "read"))
    assert used == [REPLICA, "default", "default", "default"]


def test_signed_in_users_token_clients_and_forms_read_from_the_primary():
    assert route_in_request(factory.get("/"), user=SIGNED_IN) == ["default"]
    assert route_in_request(factory.get("/", HTTP_AUTHORIZATION="Token abc")) == ["default"]
    assert route_in_request(factory.post("/q/", {"text": "?"})) == ["default"]


def test_outside_a_request_everything_uses_the_primary():
    assert router.db_for_read(Project) == "default"
    route_in_request(factory.get("/"))
    # The request's marks do not leak into whatever runs after it (commands, the worker).
    assert router.db_for_read(Project) == "default"
    assert router.db_for_write(Project) == "default"


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_uses_the_primary():
    def view(request):
        outside = router.db_for_read(Project)
        with transaction.atomic():
            inside = router.db_for_read(Project)
        return outside, inside

    request = factory.get("/")
    request.user = AnonymousUser()
    assert ReplicaReadsMiddleware(view)(request) == (REPLICA, "default")


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "projects", "project") is True
    assert router.allow_migrate(REPLICA, "projects", "project") is False
    assert router.allow_relation(Project(), Project()) is True
