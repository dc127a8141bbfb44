import pytest
from django.db import connection

from gongshi.regions.models import Region


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flush():
    print("\nA", hasattr(connection, "_test_serialized_contents"), Region.objects.count())


def test_c_page(make_page):
    print("\nC", hasattr(connection, "_test_serialized_contents"), Region.objects.count())


def test_d_page(make_page):
    print("\nD", hasattr(connection, "_test_serialized_contents"), Region.objects.count())
