"""Sample flats (样板间/层) and their rooms, each with a label that opens the fit-out
materials and equipment disclosed for that room, so a buyer compares what they see with what
will be delivered (guidance §5.2 encourages show flats as a disclosure means).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongshi.households.models import SampleFlat, SampleRoom, new_flat_code

DEFAULT_ROOMS = ("客厅", "餐厅", "主卧", "次卧", "厨房", "卫生间")


def _room_code(project) -> str:
    taken = set(SampleRoom.objects.filter(project=project).values_list("code", flat=True))
    while (code := new_flat_code()) in taken:
        pass
    return code


@transaction.atomic
def create_sample(
    project, *, name: str, layout: str = "", rooms: list[str] | None = None
) -> SampleFlat:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写样板间名称，例如“A户型样板间”。")}, code="name")
    rooms = [r.strip() for r in (rooms if rooms is not None else DEFAULT_ROOMS) if r.strip()]
    if len(rooms) > 30:
        raise ValidationError({"rooms": _("一个样板间最多 30 个房间。")}, code="too_many_rooms")
    sample = SampleFlat.objects.create(
        project=project,
        name=name[:60],
        layout=(layout or "").strip()[:100],
        position=SampleFlat.objects.filter(project=project).count(),
    )
    for position, room in enumerate(rooms):
        add_room(sample, name=room, position=position)
    return sample


def add_room(
    sample: SampleFlat, *, name: str, locations: str = "", position: int | None = None
) -> SampleRoom:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写房间名称，例如“厨房”。")}, code="name")
    if position is None:
        position = sample.rooms.count()
    return SampleRoom.objects.create(
        sample=sample,
        project_id=sample.project_id,
        code=_room_code(sample.project),
        name=name[:30],
        locations=(locations or "").strip()[:200],
        position=position,
    )
