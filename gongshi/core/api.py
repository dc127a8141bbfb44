"""One error shape for the whole API.

Every error answers ``{"error": {"code": "...", "message": "...", "fields": {...}}}``:
``code`` is for machines, ``message`` is a sentence in the user's language that says what
to do, ``fields`` (when present) maps field names to their messages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from gongshi.core.errors import FieldValidationError
from gongshi.core.refusals import RateLimited, Refused


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "；".join(_flatten(v) for v in detail.values())
    if isinstance(detail, list):
        return "；".join(_flatten(v) for v in detail)
    return str(detail)


def error_response(
    code: str, message: str, http_status: int, fields: dict | None = None
) -> Response:
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status)


def exception_handler(exc, context):
    if isinstance(exc, FieldValidationError):
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(error.field or "non_field_errors", []).append(error.message)
        return error_response(
            "invalid_values", "；".join(exc.messages()), status.HTTP_400_BAD_REQUEST, fields
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
            code = (
                next((e.code for v in exc.error_dict.values() for e in v if e.code), None)
                or "invalid"
            )
        else:
            fields = None
            code = next((e.code for e in exc.error_list if e.code), None) or "invalid"
        return error_response(code, "；".join(exc.messages), status.HTTP_400_BAD_REQUEST, fields)
    if isinstance(exc, Refused):
        return error_response(exc.code, exc.message, status.HTTP_403_FORBIDDEN)
    if isinstance(exc, RateLimited):
        response = error_response(exc.code, exc.message, status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = {
            k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()
        }
        message = _("提交的内容有误：") + _flatten(exc.detail)
        response.data = {"error": {"code": "invalid", "message": message, "fields": fields}}
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        response.data = {
            "error": {"code": code, "message": _flatten(getattr(exc, "detail", str(exc)))}
        }
    return response


def paginated(serializer_class: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of a page of ``serializer_class`` as PageNumberPagination answers it.

    For function views, where drf-spectacular cannot see the paginator.
    """
    name = serializer_class.__name__.removesuffix("Serializer")
    return type(
        f"Paginated{name}List",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )
