"""The search page's default order (most recently published first) reads the kept column.

``Project.last_published_at`` is kept by publish_version (tests in
gongshi/disclosures/tests/test_tallies.py); the list without a word orders by it through the
index ``project_last_published``, with no sort and no read of the versions, on both databases.
"""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from gongshi.core.choices import OrganisationType
from gongshi.core.testing import make_org, make_project
from gongshi.projects.models import Project
from gongshi.public.search import ProjectFilterSet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


@pytest.fixture
def projects():
    developer = make_org(OrganisationType.DEVELOPER, "230102")
    now = timezone.now()
    made = []
    for n, (code, days_ago) in enumerate(
        [("230102", 3), ("230103", None), ("230602", 1), ("230102", None), ("230103", 7)]
    ):
        project = make_project(developer, code, name=f"项目{n}")
        if days_ago is not None:
            Project.objects.filter(pk=project.pk).update(
                last_published_at=now - dt.timedelta(days=days_ago)
            )
        made.append(project)
    return made


def listed(**filters) -> QueryDict:
    params = QueryDict(mutable=True)
    params.update(filters)
    filterset = ProjectFilterSet(params, queryset=Project.objects.all())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def test_newest_publication_first_and_nothing_published_last(projects):
    p = [x.pk for x in projects]
    assert list(listed().values_list("pk", flat=True)) == [p[2], p[0], p[4], p[3], p[1]]
    assert list(listed(city="230100").values_list("pk", flat=True)) == [p[0], p[4], p[3], p[1]]


@pytest.mark.parametrize("filters", [{}, {"city": "230100"}, {"stage": "under_construction"}])
def test_the_default_order_reads_the_index_without_sorting(projects, filters):
    queryset = listed(**filters)[:20]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        else:
            # Five rows would be sorted faster in memory; the index is what 100,000 need.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    assert "project_last_published" in plan, plan
    assert "disclosures_disclosureversion" not in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan and "Sort" not in plan, plan
