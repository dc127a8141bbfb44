"""The paper board: real Chinese text in the PDF and QR codes that decode to the right pages."""

import datetime as dt
import io

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from gongshi.core.testing import ROLES, assert_matrix
from gongshi.public.board import BOARD_PARAMETER
from gongshi.public.tests.conftest import publish_permit

# Names calendar dates: runs at the suite's fixed "now" (conftest.py `frozen_now`).
pytestmark = pytest.mark.usefixtures("frozen_now")

CATEGORY_ANCHORS = ["procedure", "parties", "materials", "acceptance", "warranty", "other"]


def board(client, world, size: str = "A4"):
    response = client.get(f"/p/{world.project.code}/board.pdf", {"size": size})
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def decoded_urls(pdf: bytes, scale: float) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=scale).to_pil()
    finally:
        document.close()
    return sorted(b.text for b in zxingcpp.read_barcodes(image))


def test_everyone_may_download_the_board(world, catalogue):
    assert_matrix(world, "get", f"/p/{world.project.code}/board.pdf", dict.fromkeys(ROLES, 200))


def test_the_a4_board_has_real_chinese_text(world, catalogue, client):
    publish_permit(world, catalogue["planning"])
    pdf = board(client, world)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in [
        "测试花园一期",
        "哈尔滨市南岗区测试路1号",
        "项目建设程序信息",
        "工程质量保修信息",
        "生成时间",
        world.project.code,
    ]:
        assert expected in text, f"{expected} missing from the PDF text"
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    cjk = [f for f in fonts if "Gongshi" in str(f["/BaseFont"])]
    assert cjk, [str(f["/BaseFont"]) for f in fonts]
    # Embedded, not merely named: the font program is inside the PDF.
    descriptor = cjk[0]["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())


def _expected_urls(world) -> list[str]:
    from gongshi.integrity.log import tree_size

    base = f"https://gongshi.hlj.example.cn/p/{world.project.code}/?board={tree_size()}"
    return sorted([base] + [f"{base}#cat-{a}" for a in CATEGORY_ANCHORS])


def test_every_qr_code_on_the_a4_board_decodes_to_the_right_url(world, catalogue, client, settings):
    settings.SITE_URL = "https://gongshi.hlj.example.cn"
    publish_permit(world, catalogue["planning"])
    pdf = board(client, world)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert decoded_urls(pdf, scale=3) == _expected_urls(world)


def test_every_qr_code_on_the_a1_board_decodes_too(world, catalogue, client, settings):
    settings.SITE_URL = "https://gongshi.hlj.example.cn"
    publish_permit(world, catalogue["planning"])
    pdf = board(client, world, "A1")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.upper_right
    assert round(float(width) / 72 * 25.4) == 594 and round(float(height) / 72 * 25.4) == 841
    assert decoded_urls(pdf, scale=1) == _expected_urls(world)


def test_the_board_carries_the_checkpoint_it_was_generated_from(world, catalogue, client):
    from gongshi.integrity.log import latest_checkpoint

    publish_permit(world, catalogue["planning"])
    text = PdfReader(io.BytesIO(board(client, world))).pages[0].extract_text()
    checkpoint = latest_checkpoint()
    if checkpoint is None:
        assert "公示日志尚无检查点" in text
    else:
        assert str(checkpoint.tree_size) in text
        assert checkpoint.root_hex[:16] in text.replace("\n", "")


def test_an_unknown_paper_size_is_refused_with_a_sentence(world, catalogue, client):
    response = client.get(f"/p/{world.project.code}/board.pdf", {"size": "A0"})
    assert response.status_code == 400
    assert "A4 或 A1" in response.content.decode()


def test_a_handed_over_project_s_board_says_until_when_each_part_is_warranted(
    world, catalogue, client
):
    project = world.project
    project.stage = "handed_over"
    project.completion_accepted_on = dt.date(2025, 8, 31)
    project.handed_over_on = dt.date(2025, 9, 30)
    project.save()
    reader = PdfReader(io.BytesIO(board(client, world)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace("\n", "")
    assert "保修至" in text and "自交付之日 2025-09-30 起计算，至 2075-09-30" in text


def test_the_same_board_is_rendered_once_and_each_print_recorded(
    world, catalogue, client, monkeypatch
):
    from gongshi.public.models import BoardPrint

    renders = _counting_renders(monkeypatch)
    publish_permit(world, catalogue["planning"])
    prints = BoardPrint.objects.filter(project=world.project).count()
    first, second = board(client, world), board(client, world)
    assert first == second and len(renders) == 1
    assert BoardPrint.objects.filter(project=world.project).count() == prints + 2
    # A publication changes what the board shows: it is rendered again, with the new item.
    publish_permit(world, catalogue["construction"])
    third = board(client, world)
    assert len(renders) == 2 and third != first


def test_a_question_asked_keeps_the_board_a_publication_does_not(
    world, catalogue, client, monkeypatch
):
    """The board shows no questions or open days: on a launch day, buyers' questions (each of
    which changes the project page) do not make the board render again."""
    from gongshi.participation import questions
    from gongshi.participation.tests.conftest import verify

    renders = _counting_renders(monkeypatch)
    publish_permit(world, catalogue["planning"])
    first = board(client, world)
    page_before = client.get(f"/p/{world.project.code}/")["ETag"]
    questions.ask_question(
        world.project, verify(), body="请问地下室防水用的是什么材料？", ip="203.0.113.7"
    )
    assert client.get(f"/p/{world.project.code}/")["ETag"] != page_before  # the page changed
    assert board(client, world) == first and len(renders) == 1
    publish_permit(world, catalogue["construction"])
    assert board(client, world) != first and len(renders) == 2


def test_a_crowd_asking_for_a_board_being_rendered_waits_for_that_one_rendering(db):
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from gongshi.public.board import shared_rendering as _shared_rendering

    renders, started = [], threading.Event()

    def slow_render() -> bytes:
        renders.append(1)
        started.set()
        time.sleep(0.5)
        return b"%PDF-board"

    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(_shared_rendering, "board-pdf:crowd-test", slow_render)
        started.wait(5)
        rest = [
            pool.submit(_shared_rendering, "board-pdf:crowd-test", slow_render) for _ in range(3)
        ]
        results = [first.result(), *(f.result() for f in rest)]
    assert results == [b"%PDF-board"] * 4
    assert len(renders) == 1


def test_a_request_for_a_board_under_way_gets_a_page_saying_to_reload_it(
    world, catalogue, client, monkeypatch
):
    """A web request waits briefly for a rendering already under way (another request's or
    the worker's), then answers a page saying to reload it in a few seconds: the crowd does
    not hold the app's threads for the seconds a rendering takes. The reload gets the PDF."""
    from django.core.cache import cache
    from django.utils import translation

    from gongshi.public import board as board_module
    from gongshi.public.conditional import project_fingerprint
    from gongshi.public.models import BoardPrint
    from gongshi.public.views import paper

    monkeypatch.setattr(paper, "BOARD_PDF_REQUEST_WAIT_SECONDS", 0.3)
    publish_permit(world, catalogue["planning"])

    def key(language: str) -> str:  # each language's board is its own rendering
        with translation.override(language):
            board_key = project_fingerprint(world.project.code).board_key
        return board_module.board_cache_key(world.project.code, "A4", board_key)

    for language in ("zh-hans", "en"):  # someone else is rendering this board
        cache.add(key(language) + ":rendering", 1, 60)
    prints = BoardPrint.objects.filter(project=world.project).count()
    url = f"/p/{world.project.code}/board.pdf"
    waiting = client.get(url, {"size": "A4"})
    assert waiting.status_code == 202
    assert waiting["Retry-After"] == "3" and waiting["Cache-Control"] == "no-store"
    page = waiting.content.decode()
    assert f"{world.project.name} 的公示牌正在生成，通常只需几秒：请 3 秒后刷新本页" in page
    assert BoardPrint.objects.filter(project=world.project).count() == prints  # none printed
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(url, {"size": "A4"}).content.decode()
    assert "The board is being made" in english
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    # The rendering under way finishes: the reload gets the PDF, and its print is recorded.
    cache.delete(key("zh-hans") + ":rendering")
    assert board(client, world).startswith(b"%PDF")
    assert BoardPrint.objects.filter(project=world.project).count() == prints + 1


def _counting_renders(monkeypatch) -> list:
    from gongshi.core import pdf as pdf_module

    renders = []
    real = pdf_module.render_pdf

    def counting(*args, **kwargs):
        renders.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdf_module, "render_pdf", counting)
    return renders


def _run_worker() -> None:
    """Run the queued board renderings as the worker would (django-tasks' ``call`` runs a task
    in this process; ``db_worker`` closes the test's PostgreSQL connection when it is done)."""
    from django_tasks_db.models import DBTaskResult

    from gongshi.public.tasks import prerender_boards

    for row in DBTaskResult.objects.filter(task_path__endswith="prerender_boards"):
        prerender_boards.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def test_after_a_publication_a_printed_board_is_rendered_ahead_by_the_worker(
    world, catalogue, client, monkeypatch, django_capture_on_commit_callbacks
):
    from gongshi.integrity.log import tree_size
    from gongshi.public.models import BoardPrint

    renders = _counting_renders(monkeypatch)
    before = board(client, world, "A1")  # the sales office printed the poster
    assert len(renders) == 1
    with django_capture_on_commit_callbacks(execute=True):
        publish_permit(world, catalogue["planning"])
    published_at = tree_size()
    _run_worker()  # the background worker renders the poster for the new content
    assert len(renders) == 2
    # The next print is served at once, with the new item, at the log size it was rendered at.
    after = board(client, world, "A1")
    assert len(renders) == 2 and after != before
    text = PdfReader(io.BytesIO(after)).pages[0].extract_text().replace("\n", "")
    assert f"日志大小 {published_at}" in text
    assert f"{BOARD_PARAMETER}={published_at}" in " ".join(decoded_urls(after, scale=0.5))
    last = BoardPrint.objects.filter(project=world.project).latest("pk")
    assert (last.size, last.tree_size) == ("A1", published_at)
    # The A4 handout was never printed: it is rendered on request, not ahead.
    board(client, world, "A4")
    assert len(renders) == 3


def test_a_board_nobody_printed_is_not_rendered_ahead(
    world, catalogue, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    renders = _counting_renders(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        publish_permit(world, catalogue["planning"])
    assert not DBTaskResult.objects.filter(task_path__endswith="prerender_boards").exists()
    _run_worker()
    assert renders == []


def test_many_changes_in_one_transaction_queue_one_rendering(
    world, catalogue, client, django_capture_on_commit_callbacks
):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from gongshi.public.stamps import touch_project

    board(client, world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(50):
            touch_project(world.project.pk)
    assert len(callbacks) == 1
    assert DBTaskResult.objects.filter(task_path__endswith="prerender_boards").count() == 1
