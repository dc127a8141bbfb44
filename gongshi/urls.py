from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from gongshi.accounts.views import set_language
from gongshi.core.views import csp_report
from gongshi.public.views.home import home as public_home

urlpatterns = [
    path("", public_home, name="home"),
    path("", include("gongshi.public.urls")),
    path("workspace/", include("gongshi.workspace.urls")),
    path("workspace/", include("gongshi.scancheck.urls")),
    path("files/", include("gongshi.files.urls")),
    path("", include("gongshi.integrity.urls")),
    path("", include("gongshi.supervision.urls")),
    path("", include("gongshi.ops.urls")),
    path("", include("gongshi.opendata.urls")),
    path("participation/", include("gongshi.participation.urls")),
    path("", include("gongshi.households.urls")),
    path("", include("gongshi.reminders.urls")),
    path("csp-report/", csp_report, name="csp_report"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("gongshi.accounts.urls")),
    path("register/", include("gongshi.registrations.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("gongshi.api_urls")),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}gongshi/favicon.svg", permanent=True),
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
