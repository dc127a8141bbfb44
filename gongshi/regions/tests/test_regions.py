"""Heilongjiang's divisions (GB/T 2260) and the area queries built on their nesting codes."""

from gongshi.core.choices import OrganisationType
from gongshi.core.testing import make_org, make_project
from gongshi.projects.models import Project
from gongshi.regions.builtin import ensure_regions
from gongshi.regions.models import Region, RegionLevel

PREFECTURES = {
    "230100": "哈尔滨市",
    "230200": "齐齐哈尔市",
    "230300": "鸡西市",
    "230400": "鹤岗市",
    "230500": "双鸭山市",
    "230600": "大庆市",
    "230700": "伊春市",
    "230800": "佳木斯市",
    "230900": "七台河市",
    "231000": "牡丹江市",
    "231100": "黑河市",
    "231200": "绥化市",
    "232700": "大兴安岭地区",
}


def test_it_has_the_province_and_its_thirteen_prefectures(db):
    province = Region.objects.get(level=RegionLevel.PROVINCE)
    assert (province.code, province.name) == ("230000", "黑龙江省")
    prefectures = Region.objects.prefectures()
    assert {r.code: r.name for r in prefectures} == PREFECTURES
    assert all(r.parent == province and r.name_en for r in prefectures)


def test_every_county_nests_in_its_prefecture_by_code(db):
    counties = Region.objects.filter(level=RegionLevel.COUNTY).select_related("parent")
    assert counties.count() > 13
    for county in counties:
        assert len(county.code) == 6 and county.code.isdigit()
        assert county.parent.level == RegionLevel.PREFECTURE
        assert county.code[:4] == county.parent.code[:4], county
        assert county.code != county.parent.code
        assert county.city == county.parent
    assert {c.parent.code for c in counties} == set(PREFECTURES)


def test_codes_are_unique_and_names_are_unique_within_a_prefecture(db):
    codes = list(Region.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    for prefecture in Region.objects.prefectures():
        names = list(prefecture.children.values_list("name", flat=True))
        assert len(names) == len(set(names)), prefecture


def test_a_region_contains_itself_and_what_lies_below_it(db):
    province = Region.objects.get(code="230000")
    harbin = Region.objects.get(code="230100")
    nangang = Region.objects.get(code="230103")
    daqing = Region.objects.get(code="230600")
    assert province.contains(harbin) and province.contains(nangang)
    assert harbin.contains(harbin) and harbin.contains(nangang)
    assert nangang.contains(nangang)
    assert not harbin.contains(daqing)
    assert not nangang.contains(harbin)
    assert not harbin.contains(province)


def test_within_returns_the_region_and_everything_below(db):
    harbin = Region.objects.get(code="230100")
    within = Region.objects.within(harbin)
    assert harbin in within
    assert all(r.code.startswith("2301") for r in within)
    assert (
        Region.objects.within(Region.objects.get(code="230000")).count() == Region.objects.count()
    )


def test_projects_within_a_region_follow_the_codes(db):
    developer = make_org(OrganisationType.DEVELOPER)
    nangang = make_project(developer, "230103", name="南岗项目")
    daoli = make_project(developer, "230102", name="道里项目")
    daqing = make_project(developer, "230602", name="大庆项目")
    by_code = lambda code: set(Project.objects.within(Region.objects.get(code=code)))  # noqa: E731
    assert by_code("230103") == {nangang}
    assert by_code("230100") == {nangang, daoli}
    assert by_code("230600") == {daqing}
    assert by_code("230000") == {nangang, daoli, daqing}
    assert by_code("230200") == set()


def test_loading_the_regions_again_changes_nothing(db, django_assert_max_num_queries):
    before = list(Region.objects.values_list("pk", "code", "name", "parent_id"))
    with django_assert_max_num_queries(1):
        ensure_regions()
    assert list(Region.objects.values_list("pk", "code", "name", "parent_id")) == before
