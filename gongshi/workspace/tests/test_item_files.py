from pathlib import Path

from django.conf import settings
from django.urls import reverse

from gongshi.core.testing import assert_matrix
from gongshi.disclosures.models import DisclosureVersion, VersionFile
from gongshi.files.models import StoredFile
from gongshi.files.testing import make_pdf_bytes, uploaded


def _url(world, item):
    return reverse("workspace:item_files", args=[world.project.code, item.code])


def test_it_checks_access_to_upload(world, item):
    def files():
        return {"files": [uploaded("记录.pdf", make_pdf_bytes())], "lock_version": "0"}

    for role, expected in {
        "anonymous": 302,
        "outsider": 404,
        "other_regulator": 404,
        "regulator": 404,
        "admin": 404,
        "unit": 302,
    }.items():
        assert world.client(role).post(_url(world, item), files()).status_code == expected, role
    # The developer cannot add files to the unit's draft.
    assert world.client("developer").post(_url(world, item), files()).status_code == 403
    assert VersionFile.objects.count() == 1


def test_matrix_for_removing_a_file(world, item):
    world.client("unit").post(
        _url(world, item), {"files": [uploaded("记录.pdf", make_pdf_bytes())]}
    )
    attachment = VersionFile.objects.get()
    url = reverse("workspace:item_file_remove", args=[world.project.code, item.code, attachment.pk])
    assert_matrix(
        world,
        "post",
        url,
        {
            "anonymous": 302,
            "outsider": 404,
            "unit": 302,
            "developer": 403,
            "other_regulator": 404,
            "regulator": 404,
            "admin": 404,
        },
    )
    assert not VersionFile.objects.exists()


def test_a_bad_file_with_a_good_one_leaves_nothing_behind(world, item):
    response = world.client("unit").post(
        _url(world, item),
        {"files": [uploaded("好.pdf", make_pdf_bytes()), uploaded("坏.jpg", b"GIF89a...")]},
    )
    assert response.status_code == 400
    assert "文件“坏.jpg”" in response.content.decode()
    assert not VersionFile.objects.exists()
    assert not StoredFile.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    # Nor a draft opened for the upload: the item stays as it was ("未公示", not "草稿").
    assert not DisclosureVersion.objects.exists()


def test_no_file_chosen_is_explained(world, item):
    response = world.client("unit").post(_url(world, item), {})
    assert response.status_code == 400
    assert "请选择要上传的文件" in response.content.decode()
