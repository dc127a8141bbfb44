"""The applicant's view of its organisations' registrations (token or session)."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gongshi.registrations.api.serializers import RegistrationSerializer
from gongshi.registrations.models import Registration


@extend_schema(
    tags=["registrations"],
    summary="我的单位注册申请及审核结果",
    responses=RegistrationSerializer(many=True),
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def mine(request: Request) -> Response:
    rows = (
        Registration.objects.filter(organisation__memberships__user=request.user)
        .select_related("organisation__region", "licence")
        .order_by("-submitted_at", "-pk")
    )
    return Response(RegistrationSerializer(rows, many=True).data)
