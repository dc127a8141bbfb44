"""Webhooks: signed with HMAC-SHA256, retried with back-off by the worker, given up and shown
as failing. Deliveries go to a real HTTP server on 127.0.0.1 started by the test."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from gongshi.catalogue.tests.factories import make_item, publish
from gongshi.core.testing import ROLES, assert_matrix
from gongshi.participation import follow
from gongshi.participation.models import Delivery, WebhookSubscription

# The worker closes connections that are inside a transaction (as after a request), so these
# tests run outside the per-test transaction, against committed rows, like the real worker.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Receiver:
    """A local HTTP server answering events with the given status codes in turn, and the
    challenge with ``reply`` (by default the challenge itself, as a real receiver must)."""

    def __init__(self, statuses, reply=None):
        self.statuses = list(statuses)
        self.requests: list[tuple[dict, bytes]] = []
        self.challenges: list[tuple[dict, bytes]] = []
        self.reply = reply
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers["X-Gongshi-Event"] == "webhook.challenge":
                    receiver.challenges.append((dict(self.headers), body))
                    challenge = json.loads(body)["challenge"]
                    answer = challenge if receiver.reply is None else receiver.reply
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(answer.encode())
                    return
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.GONGSHI_WEBHOOK_ALLOW_PRIVATE = True
    made = []

    def make(*statuses, reply=None):
        made.append(Receiver(statuses, reply))
        return made[-1]

    yield make
    for r in made:
        r.close()


def run_worker() -> None:
    call_command(
        "db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0
    )


def _register(world, server):
    """Register a webhook and let the worker send its challenge (which the receiver echoes)."""
    subscription, token = follow.register_webhook(world.project, server.url)
    run_worker()
    subscription.refresh_from_db()
    assert subscription.is_confirmed, subscription.last_error
    return subscription, token


def _publish(world, captured):
    with captured(execute=True):
        return publish(world.project, make_item(title="施工许可证"), world.users["developer"])


def _make_due() -> None:
    """Move every deferred task to now, as if its back-off had passed."""
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_delivery_is_signed_and_verifiable_with_the_secret(
    world, receiver, django_capture_on_commit_callbacks
):
    server = receiver(200)
    response = APIClient().post(
        f"/api/v1/projects/{world.project.code}/webhooks/", {"url": server.url}, format="json"
    )
    assert response.status_code == 201
    secret = response.json()["secret"]
    assert response.json()["confirmed"] is False
    run_worker()  # the challenge, echoed
    _publish(world, django_capture_on_commit_callbacks)
    run_worker()
    headers, body = server.requests[0]
    expected = hmac.new(
        secret.encode(), headers["X-Gongshi-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Gongshi-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["event"] == "disclosure.published"
    assert payload["project"]["code"] == world.project.code
    assert Delivery.objects.get().status == "delivered"


def test_a_failed_delivery_is_retried_with_back_off(
    world, receiver, django_capture_on_commit_callbacks
):
    server = receiver(500, 503, 200)
    subscription, _ = _register(world, server)
    _publish(world, django_capture_on_commit_callbacks)
    run_worker()
    delivery = Delivery.objects.get()
    assert delivery.attempts == 1 and delivery.status == "pending"
    first_wait = delivery.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=20) < first_wait <= dt.timedelta(seconds=30)
    run_worker()  # nothing is due yet
    assert len(server.requests) == 1
    _make_due()
    run_worker()
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - timezone.now() > dt.timedelta(seconds=100)  # 2 minutes
    _make_due()
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and len(server.requests) == 3
    assert not WebhookSubscription.objects.get(pk=subscription.pk).is_failing


def test_it_gives_up_after_the_limit_and_shows_failing_until_a_success(
    world, receiver, django_capture_on_commit_callbacks
):
    server = receiver(*([500] * follow.MAX_ATTEMPTS))
    subscription, token = _register(world, server)
    _publish(world, django_capture_on_commit_callbacks)
    for _ in range(follow.MAX_ATTEMPTS):
        run_worker()
        _make_due()
    delivery = Delivery.objects.get()
    assert delivery.status == "gave_up" and delivery.attempts == follow.MAX_ATTEMPTS
    assert len(server.requests) == follow.MAX_ATTEMPTS
    status = APIClient().get(f"/api/v1/webhooks/{token}/").json()
    assert status["failing"] is True and "500" in status["last_error"]
    # The receiver is fixed: the next event succeeds and the subscription is healthy again.
    _publish(world, django_capture_on_commit_callbacks)
    run_worker()
    assert APIClient().get(f"/api/v1/webhooks/{token}/").json()["failing"] is False


def test_a_private_address_is_refused_by_default(world):
    response = APIClient().post(
        f"/api/v1/projects/{world.project.code}/webhooks/",
        {"url": "http://127.0.0.1:9/x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "private_url"


def test_a_webhook_is_removed_with_its_token(world, receiver):
    server = receiver()
    _subscription, token = follow.register_webhook(world.project, server.url)
    assert APIClient().delete(f"/api/v1/webhooks/{token}/").status_code == 204
    assert APIClient().get(f"/api/v1/webhooks/{token}/").status_code == 404


def test_the_webhook_endpoints_matrix(world, receiver):
    server = receiver()
    assert_matrix(
        world,
        "post",
        f"/api/v1/projects/{world.project.code}/webhooks/",
        dict.fromkeys(ROLES, 201),
        data={"url": server.url},
        content_type="application/json",
    )
    _subscription, token = follow.register_webhook(world.project, server.url)
    assert_matrix(world, "get", f"/api/v1/webhooks/{token}/", dict.fromkeys(ROLES, 200))
    assert_matrix(world, "get", "/api/v1/webhooks/forged/", dict.fromkeys(ROLES, 404))


def test_nothing_but_the_challenge_reaches_an_endpoint_that_does_not_echo_it(
    world, receiver, django_capture_on_commit_callbacks
):
    server = receiver(reply="ok")  # answers 200, but not with the challenge
    subscription, token = follow.register_webhook(world.project, server.url)
    run_worker()
    headers, body = server.challenges[0]
    payload = json.loads(body)
    assert payload["event"] == "webhook.challenge" and len(payload["challenge"]) >= 32
    assert headers["X-Gongshi-Signature"].startswith("sha256=")
    subscription.refresh_from_db()
    assert not subscription.is_confirmed
    status = APIClient().get(f"/api/v1/webhooks/{token}/").json()
    assert status["confirmed"] is False and "challenge" in status["last_error"]
    _publish(world, django_capture_on_commit_callbacks)
    run_worker()
    assert server.requests == [] and not Delivery.objects.exists()
    assert len(server.challenges) == 1


def test_a_challenge_is_sent_again_on_request_and_then_events_flow(
    world, receiver, django_capture_on_commit_callbacks
):
    server = receiver(reply="wrong")
    subscription, token = follow.register_webhook(world.project, server.url)
    run_worker()
    # Asking again at once is refused: a stranger's server is not hammered with challenges.
    again = APIClient().post(f"/api/v1/webhooks/{token}/")
    assert again.status_code == 400 and again.json()["error"]["code"] == "rate_limited"
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        challenged_at=timezone.now() - follow.CHALLENGE_RESEND_INTERVAL
    )
    server.reply = None  # the receiver is fixed to echo the challenge as JSON would too
    response = APIClient().post(f"/api/v1/webhooks/{token}/")
    assert response.status_code == 202
    run_worker()
    first, second = (json.loads(body)["challenge"] for _headers, body in server.challenges)
    assert first != second  # every request is a new challenge
    assert APIClient().get(f"/api/v1/webhooks/{token}/").json()["confirmed"] is True
    _publish(world, django_capture_on_commit_callbacks)
    run_worker()
    assert len(server.requests) == 1


def test_a_json_echo_of_the_challenge_confirms_too(world, receiver):
    server = receiver()
    subscription, _token = follow.register_webhook(world.project, server.url)
    subscription.refresh_from_db()
    server.reply = json.dumps({"challenge": subscription.challenge})
    run_worker()
    subscription.refresh_from_db()
    assert subscription.is_confirmed


def test_a_stage_date_correction_reaches_the_webhook(
    world, receiver, frozen_now, django_capture_on_commit_callbacks
):
    from gongshi.organisations.regulators import regulator_for
    from gongshi.supervision.stage_dates import correct_stage_dates

    server = receiver(200)
    _register(world, server)
    world.project.started_on = timezone.localdate() - dt.timedelta(days=60)
    world.project.save()
    with django_capture_on_commit_callbacks(execute=True):
        correct_stage_dates(
            regulator_for(world.users["regulator"]),
            world.users["regulator"],
            world.project,
            reason="核对开工报告",
            started_on=timezone.localdate() - dt.timedelta(days=75),
        )
    run_worker()
    headers, body = server.requests[-1]
    payload = json.loads(body)
    assert headers["X-Gongshi-Event"] == "project.stage_corrected"
    assert payload["data"]["reason"] == "核对开工报告"
    assert (
        payload["data"]["after"]["started_on"]
        == (timezone.localdate() - dt.timedelta(days=75)).isoformat()
    )
    assert Delivery.objects.get(event__kind="project.stage_corrected").status == "delivered"
