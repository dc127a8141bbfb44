from django.urls import path
from rest_framework.routers import SimpleRouter

from gongshi.supervision.api import console
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
    path("supervision/dashboard/", console.DashboardView.as_view(), name="supervision-dashboard"),
    path(
        "supervision/projects/",
        console.ConsoleProjectListView.as_view(),
        name="supervision-projects",
    ),
    path(
        "supervision/projects/<str:code>/",
        console.ConsoleProjectView.as_view(),
        name="supervision-project",
    ),
    path(
        "supervision/projects/<str:code>/records/",
        console.ActionCreateView.as_view(),
        name="supervision-record-create",
    ),
    path(
        "supervision/enterprises/<str:credit_code>/decisions/",
        console.EnterpriseActionCreateView.as_view(),
        name="supervision-enterprise-decision",
    ),
    path(
        "supervision/records/<int:pk>/changes/",
        console.ActionChangeView.as_view(),
        name="supervision-record-change",
    ),
    path(
        "supervision/records/<int:pk>/rectification-review/",
        console.RectificationReviewView.as_view(),
        name="supervision-rectification-review",
    ),
    path("supervision/late-items/", console.LateItemListView.as_view(), name="supervision-late"),
    path(
        "supervision/overdue-questions/",
        console.OverdueQuestionListView.as_view(),
        name="supervision-overdue-questions",
    ),
    path(
        "supervision/inspections/",
        console.InspectionListView.as_view(),
        name="supervision-inspections",
    ),
    path(
        "supervision/inspections/<int:pk>/result/",
        console.InspectionResultView.as_view(),
        name="supervision-inspection-result",
    ),
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
