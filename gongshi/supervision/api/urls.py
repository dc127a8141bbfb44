from rest_framework.routers import SimpleRouter

from gongshi.supervision.api.views import EnterpriseViewSet, RegulatorRecordViewSet

router = SimpleRouter(trailing_slash=True)
router.register("records", RegulatorRecordViewSet, basename="records")

router.register("enterprises", EnterpriseViewSet, basename="enterprise")

urlpatterns = router.urls
