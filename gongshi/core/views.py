from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongshi.projects.models import Project


def home(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.select_related("region__parent", "developer").order_by(
        "region__code", "name"
    )
    return render(request, "core/home.html", {"projects": projects})
