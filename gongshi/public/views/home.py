"""The home page: search every project by name, address, developer, place, pinyin or initials."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gongshi.projects.models import Project
from gongshi.public.cards import Card, cards_for
from gongshi.public.search import ProjectFilterSet, region_choices
from gongshi.public.status import Status
from gongshi.regions.models import Region

RESULTS_PER_PAGE = 20


@dataclass
class ProjectResult:
    project: Project
    card: Card

    @property
    def status(self) -> Status:
        return self.card.status

    @property
    def percent(self) -> int:
        return self.card.percent

    @property
    def last_published_at(self):
        return self.card.last_published_at


def search_page(
    request: HttpRequest, per_page: int = RESULTS_PER_PAGE
) -> tuple[ProjectFilterSet, Page, list[ProjectResult]]:
    """Filter, sort and page projects from the query string; cards for the page only."""
    filterset = ProjectFilterSet(request.GET or None, queryset=Project.objects.all())
    valid = not filterset.is_bound or filterset.is_valid()
    results = filterset.results() if valid else Project.objects.none()
    page = Paginator(results, per_page).get_page(request.GET.get("page"))
    projects = list(page.object_list)
    cards = cards_for(projects)
    return filterset, page, [ProjectResult(p, cards[p.pk]) for p in projects]


def _city_feed(code: str) -> str:
    code = code.strip()
    if len(code) == 6 and code.isdigit() and Region.objects.filter(code=code).exists():
        return reverse("public:city_feed", args=[code])
    return ""


def home(request: HttpRequest) -> HttpResponse:
    filterset, page, results = search_page(request)
    query = request.GET.copy()
    query.pop("page", None)
    searching = any(v for k, v in request.GET.items() if k not in ("page", "sort"))
    # On a phone the open filters would push the results below the fold: they open only
    # when one is in use.
    filtering = any(v for k, v in request.GET.items() if k not in ("page", "sort", "q"))
    return render(
        request,
        "public/home.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "page": page,
            "results": results,
            "regions": region_choices(),
            "searching": searching,
            "filtering": filtering,
            "query_string": query.urlencode(),
            # A chosen city or district has its own feed of new publications.
            "city_feed": _city_feed(request.GET.get("city", "")),
        },
    )
