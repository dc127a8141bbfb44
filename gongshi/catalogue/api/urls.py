from rest_framework.routers import SimpleRouter

from gongshi.catalogue.api.views import CatalogueItemViewSet

router = SimpleRouter(trailing_slash=True)
router.register("catalog", CatalogueItemViewSet, basename="catalog")

urlpatterns = router.urls
