import os
import subprocess
import sys

from django.conf import settings

from gongshi.core.testing import make_project
from gongshi.projects.models import Project
from gongshi.projects.search_text import build_search_text, full_pinyin, initials


def test_full_pinyin_joins_syllables_and_keeps_other_characters():
    assert full_pinyin("哈尔滨市南岗区") == "haerbinshinangangqu"
    assert full_pinyin("测试路1号") == "ceshilu1hao"


def test_initials_also_read_er_as_r_so_hrb_finds_harbin():
    assert initials("哈尔滨") == ["heb", "hrb"]
    assert initials("大庆") == ["dq"]


def test_the_search_text_is_lower_case_and_keeps_fields_apart():
    text = build_search_text(
        code="AB23CD", name="松江花园", address="哈尔滨市道里区友谊路8号", developer="龙江置业",
        district="道里区", city="哈尔滨市", district_en="Daoli", city_en="Harbin",
    )  # fmt: skip
    assert "ab23cd" in text and "songjianghuayuan" in text and "sjhy" in text
    assert "harbindaoli" in text
    assert " | " in text


def test_saving_a_project_keeps_its_search_text_current(world):
    project = world.project
    assert "haerbin" in project.search_text and "nangang" in project.search_text
    project.name = "龙江家园"
    project.save(update_fields=["name"])
    project.refresh_from_db()
    assert "longjiangjiayuan" in project.search_text and "ljjy" in project.search_text


def test_saving_other_fields_does_not_recompute_it(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = Project.objects.get(pk=world.project.pk)
    with CaptureQueriesContext(connection) as queries:
        project.stage = "completed"
        project.completion_accepted_on = project.created_at.date()
        project.save(update_fields=["stage", "completion_accepted_on"])
    # (The page stamp and the regulator's kept figures follow the stage change: other queries.)
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "projects_project"')]
    assert len(updates) == 1 and "search_text" not in updates[0]
    # The search text needs the developer's and the region's names: neither was read.
    assert not [q["sql"] for q in queries if '"organisations_organisation"' in q["sql"]]


def test_bulk_created_projects_can_be_refreshed(world):
    project = make_project(world.project.developer, name="批量项目")
    Project.objects.filter(pk=project.pk).update(search_text="")
    assert Project.objects.filter(pk=project.pk).refresh_search_text() == 1
    assert "piliangxiangmu" in Project.objects.get(pk=project.pk).search_text


def test_matching_needs_every_word(world):
    assert list(Project.objects.matching("hrb 花园")) == [world.project]
    assert list(Project.objects.matching("hrb 大庆")) == []


def test_a_web_worker_loads_pinyin_only_when_it_converts_a_name(tmp_path):
    # A worker serving pages and searches must not carry pypinyin's ~56 MB of phrase
    # dictionaries (the worker memory goal of issue 15); the first conversion loads it.
    script = (
        "import sys\n"
        "from gongshi.wsgi import application\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "assert 'pypinyin' not in sys.modules, 'loaded with the app'\n"
        "from gongshi.projects.search_text import full_pinyin\n"
        "assert full_pinyin('哈尔滨') == 'haerbin'\n"
        "assert 'pypinyin' in sys.modules\n"
    )
    env = {
        **os.environ,
        "GONGSHI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "gongshi.settings",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=settings.REPO_DIR,
        env=env,
    )
    assert result.returncode == 0, result.stderr
