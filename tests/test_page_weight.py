"""The project page's first load on a phone: under 40 KB of compressed HTML on demo data.

Measured on the demo's richest project (YRW2QA: seven units, every category, corrected and
returned items, questions and open days), as a phone's browser asks for it (brotli and gzip
accepted, see gongshi/core/compression).
"""

import pytest

from tests.demo_world import seed_some_of_the_demo

PHONE = {
    "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
    "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Mobile Safari/537.36",
    "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9",
}
BUDGET_BYTES = 40_000


@pytest.mark.django_db
def test_the_project_page_fits_a_phone_budget_compressed(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_some_of_the_demo(("YRW2QA",))
    response = client.get("/p/YRW2QA/", **PHONE)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] in ("gzip", "br")
    compressed = len(response.content)
    raw = len(client.get("/p/YRW2QA/").content)
    print(f"project page: {raw} bytes of HTML, {compressed} bytes compressed")
    assert raw > 50_000, "the demo project should make a long page; the measure means little"
    assert compressed < BUDGET_BYTES, (
        f"项目页面压缩后 {compressed} 字节，超过手机首屏预算 {BUDGET_BYTES} 字节"
        f" / the project page is {compressed} bytes compressed, over {BUDGET_BYTES}"
    )
