from django.urls import path

from gongshi.opendata.api.views import OpenDataView

urlpatterns = [path("open-data/", OpenDataView.as_view(), name="open-data")]
