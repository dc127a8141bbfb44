"""A business-licence scan is never public: the applicant, the city's regulator and admins see it."""

from django.urls import reverse

from gongshi.core.testing import assert_matrix


def test_who_may_download_the_licence(world, application):
    url = reverse("files:download", args=[application.licence.sha256])
    expected = {
        "anonymous": 404,
        "outsider": 404,
        "unit": 404,
        "developer": 404,
        "other_regulator": 404,
        "regulator": 200,
        "admin": 200,
    }
    assert_matrix(world, "get", url, expected)
    applicant = world.client("anonymous")
    applicant.force_login(application.applicant)
    response = applicant.get(url)
    assert response.status_code == 200
    assert "filename" in response["Content-Disposition"]
    assert "%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in response["Content-Disposition"]
