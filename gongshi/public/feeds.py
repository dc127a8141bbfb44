"""Atom feeds of new publications: per project and per city (or district).

Every published version is an entry — first publications, corrections (with their reason)
and withdrawals — linked to its place in the item's history.
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


class _PublicationFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, version: DisclosureVersion) -> str:
        return _("%(project)s：%(item)s（第 %(n)d 版，%(kind)s）") % {
            "project": version.disclosure.project.name,
            "item": version.disclosure.item.display_title,
            "n": version.number,
            "kind": version.get_kind_display(),
        }

    def item_description(self, version: DisclosureVersion) -> str:
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

    def item_link(self, version: DisclosureVersion) -> str:
        project = version.disclosure.project
        url = reverse("public:item", args=[project.code, version.disclosure.item.code])
        return f"{url}#v{version.number}"

    def item_guid(self, version: DisclosureVersion) -> str:
        return f"gongshi-version-{version.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, version: DisclosureVersion):
        return version.published_at

    def item_updateddate(self, version: DisclosureVersion):
        return version.published_at

    def item_author_name(self, version: DisclosureVersion) -> str:
        return version.supplied_by.name


class ProjectFeed(_PublicationFeed):
    def get_object(self, request, code: str):
        return get_project(code)

    def title(self, project) -> str:
        return _("%(name)s · 新公示") % {"name": project.name}

    def link(self, project) -> str:
        return reverse("public:project", args=[project.code])

    def subtitle(self, project) -> str:
        return _("%(name)s 的住宅工程质量信息公示：首次公示、更正和撤回。") % {"name": project.name}

    def items(self, project):
        return _published().filter(disclosure__project=project)[:FEED_LENGTH]


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
