import pytest
from django.urls import reverse

from gongshi.core.choices import DeliveryStandard, HousingType, OrganisationType, Stage
from gongshi.core.testing import assert_matrix, make_org, make_project
from gongshi.public.tests.conftest import publish_permit

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

ALL_OK = dict.fromkeys(
    ["anonymous", "outsider", "unit", "developer", "other_regulator", "regulator", "admin"], 200
)


def names(response) -> list[str]:
    return [r.project.name for r in response.context["results"]]


def test_everyone_may_search_without_logging_in(world):
    assert_matrix(world, "get", "/", ALL_OK)
    assert_matrix(world, "get", "/?q=hrb&stage=under_construction", ALL_OK)


def test_it_lists_recent_projects_when_nothing_is_asked(world, client):
    response = client.get("/")
    assert set(names(response)) == {"测试花园一期", "大庆测试家园"}
    assert "找到" not in response.content.decode()


def test_it_finds_a_project_by_a_one_character_chinese_query(world, client):
    assert names(client.get("/", {"q": "庆"})) == ["大庆测试家园"]


def test_it_finds_a_project_by_a_two_character_chinese_query(world, client):
    assert names(client.get("/", {"q": "花园"})) == ["测试花园一期"]


def test_it_finds_projects_by_full_pinyin_of_the_city(world, client):
    assert names(client.get("/", {"q": "haerbin"})) == ["测试花园一期"]
    assert names(client.get("/", {"q": "DaQing"})) == ["大庆测试家园"]


def test_it_finds_projects_by_pinyin_initials_including_hrb(world, client):
    assert names(client.get("/", {"q": "hrb"})) == ["测试花园一期"]
    assert names(client.get("/", {"q": "heb"})) == ["测试花园一期"]
    assert names(client.get("/", {"q": "dq"})) == ["大庆测试家园"]


def test_a_name_is_found_however_its_separator_dot_is_typed(world, client):
    world.project.name = "松北·悦澜湾一期"
    world.project.save()
    for query in [
        "松北悦澜湾",
        "松北•悦澜湾",
        "松北・悦澜湾",
        "松北 悦澜湾",
        "songbeiyuelanwan",
        "sbylw",
    ]:
        assert names(client.get("/", {"q": query})) == ["松北·悦澜湾一期"], query
    assert names(client.get("/", {"q": "ＳＢＹＬＷ"})) == ["松北·悦澜湾一期"]  # full-width


def test_it_finds_a_project_by_address_developer_and_district(world, client):
    assert names(client.get("/", {"q": "萨尔图区"})) == ["大庆测试家园"]
    assert names(client.get("/", {"q": "哈尔滨测试置业"})) == ["测试花园一期"]
    assert names(client.get("/", {"q": "南岗"})) == ["测试花园一期"]
    assert names(client.get("/", {"q": "测试路1号"})) == ["测试花园一期"]


def test_every_word_of_the_query_must_match(world, client):
    assert names(client.get("/", {"q": "测试 大庆"})) == ["大庆测试家园"]
    assert names(client.get("/", {"q": "花园 daqing"})) == []


def test_it_finds_a_project_by_its_public_code(world, client):
    assert names(client.get("/", {"q": world.project.code.lower()})) == ["测试花园一期"]


def test_it_follows_a_renamed_developer(world, client):
    developer = world.project.developer
    developer.name = "松江置业集团"
    developer.save()
    assert names(client.get("/", {"q": "songjiang"})) == ["测试花园一期"]


def test_filters_narrow_by_city_stage_housing_type_and_delivery_standard(world, client):
    developer = world.project.developer
    make_project(
        developer, "230102", name="道里保障房", housing_type=HousingType.AFFORDABLE,
        delivery_standard=DeliveryStandard.FITTED, stage=Stage.NOT_STARTED,
    )  # fmt: skip
    assert set(names(client.get("/", {"city": "230100"}))) == {"测试花园一期", "道里保障房"}
    assert names(client.get("/", {"city": "230102"})) == ["道里保障房"]
    assert names(client.get("/", {"stage": "not_started"})) == ["道里保障房"]
    assert names(client.get("/", {"housing_type": "affordable"})) == ["道里保障房"]
    assert names(client.get("/", {"delivery_standard": "fitted", "city": "230600"})) == []


def test_a_bad_filter_value_is_explained_not_ignored(world, client):
    response = client.get("/", {"stage": "demolished"})
    assert response.status_code == 200
    assert names(response) == []
    assert "demolished" in response.content.decode()  # Django's "选择一个有效的选项" names it


def test_it_sorts_by_name_and_puts_name_matches_first(world, client):
    developer = make_org(OrganisationType.DEVELOPER, name="花园置业有限公司")
    make_project(developer, name="阳光小区", address="哈尔滨市南岗区花园街2号")
    make_project(developer, name="花园新城")
    result = names(client.get("/", {"q": "花园"}))
    assert result[-1] == "阳光小区"  # matched by address and developer only
    assert names(client.get("/", {"sort": "name", "city": "230600"})) == ["大庆测试家园"]


def test_recently_published_projects_come_first_by_default(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    assert names(client.get("/"))[0] == "测试花园一期"
    other = world.other_project
    from gongshi.catalogue.tests.factories import publish

    publish(
        other, catalogue["planning"], world.users["outsider"], values={"certificate_number": "X1"}
    )
    assert names(client.get("/"))[0] == "大庆测试家园"


def test_results_show_completeness_as_a_word_and_a_percentage(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    response = client.get("/", {"q": "测试花园"})
    html = response.content.decode()
    result = response.context["results"][0]
    # Due now: both permits (before start) and the household table (during construction).
    assert result.percent == 33
    assert "缺 2 项" in html and "完整度 33%" in html


def test_the_number_of_queries_does_not_grow_with_the_results(
    world, catalogue, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as small:
        client.get("/", {"q": "测试"})
    for i in range(25):
        project = make_project(world.project.developer, name=f"测试批量项目{i}")
        publish_permit(world, catalogue["planning"]) if i == 0 else None
        del project
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        client.get("/", {"q": "测试"})
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_home_page_is_the_site_root(world):
    assert reverse("home") == "/"


def test_filters_stay_folded_for_a_plain_search_and_open_when_one_is_used(world, client):
    assert '<details class="filters" >' in client.get("/", {"q": "hrb"}).content.decode()
    html = client.get("/", {"q": "hrb", "stage": "under_construction"}).content.decode()
    assert '<details class="filters" open>' in html
    assert "不限" in html
