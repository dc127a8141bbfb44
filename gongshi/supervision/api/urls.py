from django.urls import path
from rest_framework.routers import SimpleRouter

from gongshi.supervision.api.views import (
    EnterpriseRankingView,
    EnterpriseViewSet,
    RegistrationDecisionView,
    RegistrationListView,
    RegulatorRecordViewSet,
    stage_correction,
)

router = SimpleRouter(trailing_slash=True)
router.register("records", RegulatorRecordViewSet, basename="records")

router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = [
    path(
        "supervision/enterprises/",
        EnterpriseRankingView.as_view(),
        name="supervision-enterprise-ranking",
    ),
    path(
        "supervision/projects/<str:code>/stage-dates/",
        stage_correction,
        name="supervision-stage-correction",
    ),
    path(
        "supervision/registrations/",
        RegistrationListView.as_view(),
        name="supervision-registrations",
    ),
    path(
        "supervision/registrations/<int:pk>/decision/",
        RegistrationDecisionView.as_view(),
        name="supervision-registration-decision",
    ),
    *router.urls,
]
