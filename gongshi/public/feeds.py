"""Atom feeds: per project, everything a follower hears of; per city (or district), new
publications.

Every published version is an entry — first publications, corrections (with their reason)
and withdrawals — linked to its place in the item's history. A project's feed also carries
its other follow events: answers to questions, open days scheduled and reported, regulator
records (participation's ``Event`` rows, the same ones e-mail and webhook followers get).
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from gongshi.disclosures.models import DisclosureVersion, VersionStatus
from gongshi.public.page import get_project
from gongshi.regions.models import Region

FEED_LENGTH = 50


def _published():
    return (
        DisclosureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("disclosure__item", "disclosure__project", "supplied_by")
        .defer("values")
        .order_by("-published_at", "-pk")
    )


def _is_version(item) -> bool:
    return isinstance(item, DisclosureVersion)


def _names_instance(version) -> bool:
    """A repeatable item's versions say which instance (第 2 份、第二批…) they belong to."""
    disclosure = version.disclosure
    return disclosure.item.repeatable or disclosure.instance != 1


class _PublicationFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, version) -> str:
        if not _is_version(version):
            return version.title  # a follow event
        item = version.disclosure.item.display_title
        if _names_instance(version):
            item = f"{item} · {version.disclosure.instance_title}"
        return _("%(project)s：%(item)s（第 %(n)d 版，%(kind)s）") % {
            "project": version.disclosure.project.name,
            "item": item,
            "n": version.number,
            "kind": version.get_kind_display(),
        }

    def item_description(self, version) -> str:
        if not _is_version(version):
            return f"{version.get_kind_display()}：{version.title}"
        parts = [
            _("公示日期：%(date)s") % {"date": version.published_at.date().isoformat()},
            _("提供单位：%(org)s") % {"org": version.supplied_by.name},
        ]
        if version.information_date:
            parts.append(
                _("信息形成日期：%(date)s") % {"date": version.information_date.isoformat()}
            )
        if version.reason:
            parts.append(_("原因：%(reason)s") % {"reason": version.reason})
        return "；".join(parts)

    def item_link(self, version) -> str:
        if not _is_version(version):
            return version.url
        disclosure = version.disclosure
        code, item = disclosure.project.code, disclosure.item.code
        if _names_instance(version):
            url = reverse("public:instance", args=[code, item, disclosure.instance])
        else:
            url = reverse("public:item", args=[code, item])
        return f"{url}#v{version.number}"

    def item_guid(self, version) -> str:
        if not _is_version(version):
            return f"gongshi-event-{version.pk}"
        return f"gongshi-version-{version.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, version):
        return version.published_at if _is_version(version) else version.created_at

    def item_updateddate(self, version):
        return self.item_pubdate(version)

    def item_author_name(self, version) -> str:
        return version.supplied_by.name if _is_version(version) else ""


class ProjectFeed(_PublicationFeed):
    def get_object(self, request, code: str):
        return get_project(code)

    def title(self, project) -> str:
        return _("%(name)s · 新公示") % {"name": project.name}

    def link(self, project) -> str:
        return reverse("public:project", args=[project.code])

    def subtitle(self, project) -> str:
        return _(
            "%(name)s 的住宅工程质量信息公示：首次公示、更正和撤回，问题答复、工地开放日和监管记录。"
        ) % {"name": project.name}

    def items(self, project):
        from gongshi.participation.models import Event

        versions = list(_published().filter(disclosure__project=project)[:FEED_LENGTH])
        # Publications are entries of their own (with their details), not their events.
        events = list(
            Event.objects.filter(project=project).exclude(kind__startswith="disclosure.")[
                :FEED_LENGTH
            ]
        )
        entries = sorted([*versions, *events], key=self.item_pubdate, reverse=True)
        return entries[:FEED_LENGTH]


class CityFeed(_PublicationFeed):
    def get_object(self, request, region_code: str):
        return get_object_or_404(Region, code=region_code)

    def title(self, region) -> str:
        return _("%(region)s · 住宅工程质量信息新公示") % {"region": region.name}

    def link(self, region) -> str:
        return reverse("home") + f"?city={region.code}"

    def subtitle(self, region) -> str:
        return _("%(region)s 所有住宅项目的新公示。") % {"region": region.name}

    def items(self, region):
        return _published().filter(disclosure__project__region__code__startswith=region.prefix)[
            :FEED_LENGTH
        ]
