from rest_framework.routers import SimpleRouter

from gongshi.supervision.api.views import RegulatorRecordViewSet

router = SimpleRouter(trailing_slash=True)
router.register("records", RegulatorRecordViewSet, basename="records")

urlpatterns = router.urls
