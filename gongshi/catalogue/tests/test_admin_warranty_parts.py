"""The warranty periods in the admin: only administrators, lengthened but never below the law."""

from gongshi.catalogue.models import CatalogueItem, WarrantyPart
from gongshi.core.testing import assert_matrix

ONLY_ADMIN = {
    "anonymous": 302,
    "outsider": 302,
    "unit": 302,
    "developer": 302,
    "other_regulator": 302,
    "regulator": 302,
    "admin": 200,
}


def url(part: WarrantyPart) -> str:
    return f"/admin/catalogue/warrantypart/{part.pk}/change/"


def form_data(part: WarrantyPart, **changes) -> dict:
    data = {
        "title": part.title,
        "title_en": part.title_en,
        "length": part.length if part.length is not None else "",
        "items": [i.pk for i in part.items.all()],
        "basis": part.basis,
        "sort_order": part.sort_order,
    }
    data.update(changes)
    return data


def test_only_the_administrator_edits_the_warranty_periods(world):
    part = WarrantyPart.objects.get(code="waterproofing")
    assert_matrix(world, "GET", "/admin/catalogue/warrantypart/", ONLY_ADMIN)
    assert_matrix(world, "GET", url(part), ONLY_ADMIN)


def test_the_administrator_lengthens_a_period(world):
    part = WarrantyPart.objects.get(code="waterproofing")
    response = world.client("admin").post(url(part), form_data(part, length=8))
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.length == 8


def test_a_period_below_the_statutory_minimum_is_refused_with_what_to_do(world):
    part = WarrantyPart.objects.get(code="heating_cooling")
    response = world.client("admin").post(url(part), form_data(part, length=1))
    assert response.status_code == 200
    assert "不能低于法定最低保修期限 2" in response.content.decode()
    part.refresh_from_db()
    assert part.length == 2


def test_only_warranty_items_may_follow_a_period(world):
    part = WarrantyPart.objects.get(code="installation")
    other = CatalogueItem.objects.get(code="other.promises")
    response = world.client("admin").post(url(part), form_data(part, items=[other.pk]))
    assert response.status_code == 200
    assert other not in part.items.all()


def test_parts_are_neither_added_nor_deleted(world):
    part = WarrantyPart.objects.get(code="fitout")
    admin = world.client("admin")
    assert admin.get("/admin/catalogue/warrantypart/add/").status_code == 403
    assert admin.get(f"/admin/catalogue/warrantypart/{part.pk}/delete/").status_code == 403
