"""Background tasks of the public pages (django-tasks; ``gongshi db_worker`` runs them)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django_tasks import task

#: Boards printed within this many days are rendered again ahead of need after a change.
PRERENDER_AFTER_PRINT_DAYS = 30


def _queued_key(project_id: int) -> str:
    return f"board-prerender-queued:{project_id}"


@task()
def prerender_boards(project_id: int) -> list[str]:
    """Render the boards of ``project_id`` that were printed recently, for its current content.

    The sales office's next print, or a crowd scanning for the board after a publication, then
    finds it ready instead of waiting seconds on a web worker. Returns the sizes rendered.
    """
    from gongshi.projects.models import Project
    from gongshi.public.board import board_cache_key, render_board, shared_rendering
    from gongshi.public.conditional import project_fingerprint
    from gongshi.public.models import BoardPrint
    from gongshi.public.page import cached_project_page

    cache.delete(_queued_key(project_id))  # a change from now on queues a new rendering
    code = Project.objects.filter(pk=project_id).values_list("code", flat=True).first()
    if code is None:
        return []
    since = timezone.now() - dt.timedelta(days=PRERENDER_AFTER_PRINT_DAYS)
    sizes = sorted(
        set(
            BoardPrint.objects.filter(project_id=project_id, printed_at__gte=since).values_list(
                "size", flat=True
            )
        )
    )
    with translation.override(settings.LANGUAGE_CODE):  # what the sales office prints
        fingerprint = project_fingerprint(code)
        page = cached_project_page(code, fingerprint.content_key)
        for size in sizes:
            shared_rendering(
                board_cache_key(code, size, fingerprint.board_key),
                lambda size=size: render_board(page, size),
            )
    return sizes


def queue_prerender(project_ids: list[int]) -> int:
    """After a commit that changed these projects' pages: queue their recently printed boards.

    One query; a project already queued (and not yet started) is not queued twice.
    """
    from gongshi.public.models import BoardPrint

    if not project_ids:
        return 0
    since = timezone.now() - dt.timedelta(days=PRERENDER_AFTER_PRINT_DAYS)
    printed = (
        BoardPrint.objects.filter(project_id__in=project_ids, printed_at__gte=since)
        .values_list("project_id", flat=True)
        .distinct()
    )
    queued = 0
    for project_id in printed:
        if cache.add(_queued_key(project_id), 1, 600):
            prerender_boards.enqueue(project_id)
            queued += 1
    return queued
