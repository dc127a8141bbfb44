"""``/api/v1/open-data/``: the current bulk package's metadata and its Frictionless descriptor."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongshi.opendata.package import read_current


class OpenDataResourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    path = serializers.CharField(help_text="The CSV file's path inside the zip.")
    rows = serializers.IntegerField(help_text="Data rows (the header row not counted).")


class OpenDataSerializer(serializers.Serializer):
    created = serializers.DateTimeField()
    size = serializers.IntegerField(help_text="Bytes of the zip.")
    sha256 = serializers.CharField(help_text="SHA-256 of the zip; also its ETag.")
    download_url = serializers.URLField()
    page_url = serializers.URLField()
    resources = OpenDataResourceSerializer(many=True)
    datapackage = serializers.JSONField(
        help_text="The package's datapackage.json (Frictionless tabular-data-package)."
    )


class OpenDataView(APIView):
    """Public: the bulk open-data package (a zip of CSV files and datapackage.json,
    regenerated daily). 404 until it has been generated once."""

    permission_classes = [AllowAny]

    @extend_schema(responses=OpenDataSerializer)
    def get(self, request: Request) -> Response:
        meta = read_current()
        if meta is None:
            raise NotFound(_("开放数据包尚未生成。"))
        data = {
            "created": meta["created"],
            "size": meta["size"],
            "sha256": meta["sha256"],
            "download_url": settings.SITE_URL + reverse("opendata:download"),
            "page_url": settings.SITE_URL + reverse("opendata:page"),
            "resources": meta["resources"],
            "datapackage": meta["datapackage"],
        }
        return Response(OpenDataSerializer(data).data)
