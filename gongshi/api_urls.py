"""Everything under /api/v1/. Each app contributes its routes from its own ``api/urls.py``."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("gongshi.catalogue.api.urls")),
    path("", include("gongshi.public.api.urls")),
    path("", include("gongshi.workspace.api.urls")),
    path("", include("gongshi.registrations.api.urls")),
    path("", include("gongshi.integrity.api.urls")),
    path("", include("gongshi.supervision.api.urls")),
    path("", include("gongshi.participation.api.urls")),
    path("", include("gongshi.households.api.urls")),
    path("", include("gongshi.opendata.api.urls")),
]
