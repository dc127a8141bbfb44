from rest_framework.routers import SimpleRouter

from gongshi.public.api.views import ProjectViewSet

router = SimpleRouter(trailing_slash=True)
router.register("projects", ProjectViewSet, basename="project")

urlpatterns = router.urls
