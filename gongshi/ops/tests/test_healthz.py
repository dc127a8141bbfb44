import pytest

from gongshi.core.testing import ROLES, assert_matrix


def test_it_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any database access here an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_everyone_may_ask(world):
    assert_matrix(world, "GET", "/healthz", dict.fromkeys(ROLES, 200))
