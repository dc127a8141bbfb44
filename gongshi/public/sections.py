"""The project page's item and instance sections, each kept in the shared cache (issue 15).

A 500-item page spends most of an uncached render in the templates of its ~511 sections. Each
section's HTML is kept under a key made of everything it shows: the catalogue item's texts
and field definitions, the section's status (derived at read time, so a due date passing
changes it), its requirement texts, its versions (ids, numbers, kinds, dates, log indexes,
reasons, supplier and approver names, files), the instance's buildings, the project's code
(links), the language and :data:`SECTION_REVISION`. A publication changes the key of its own
section only; a render fetches every key with one ``get_many``, renders the missing sections
and stores them with one ``set_many``.

A repeatable item's section is kept as its parts around its instances (split at a marker
the instance tag emits when it renders for the cache), so one instance's new version
re-renders that instance, not the item's other instances. Nothing reader-specific is in a
section (no CSRF token, nonce or user): they are rendered with ``view`` and ``project`` only.
"""

from __future__ import annotations

import hashlib
import json
import secrets

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

#: Bump when includes/item.html, instance.html or item_body.html change what they print.
SECTION_REVISION = "1"
SECTION_SECONDS = 7 * 86400
ITEM_TEMPLATE = "public/includes/item.html"
INSTANCE_TEMPLATE = "public/includes/instance.html"
#: Context variable: when set, ``{% instance_section %}`` prints it instead of the instance.
MARKER_VARIABLE = "section_marker"
#: Where an instance goes in a kept item section: a comment no escaped text can contain.
MARKER = f"<!--gongshi-instance-{secrets.token_hex(8)}-->"


def _brief(version) -> tuple | None:
    """What the history list and the withdrawal / "does not apply" notes print of a version."""
    if version is None:
        return None
    return (
        version.pk,
        version.number,
        version.kind,
        version.status,
        version.published_at,
        version.leaf_index,
        version.reason,
    )


def _content(view) -> tuple:
    """A disclosure's content as the section shows it (an item's, or one instance's)."""
    version = view.version
    shown = None
    if version is not None:
        shown = (
            _brief(version),
            version.information_date,
            version.supplied_by.name if version.supplied_by_id else None,
            version.approved_by.display_name if version.approved_by_id else None,
            tuple(
                (
                    a.pk,
                    a.name,
                    a.file.sha256,
                    a.file.content_type,
                    a.file.page_count,
                    a.file.size,
                )
                for a in view.files
            ),
        )
    return (shown, _brief(view._current()), tuple(_brief(v) for v in view.history))


def _item_facts(item) -> tuple:
    """The catalogue item's texts and field definitions (edited in the admin, not versioned)."""
    return (
        item.pk,
        item.code,
        item.display_title,
        str(item.get_due_stage_display()),
        str(item.get_supplier_display()),
        item.repeatable,
        json.dumps(item.fields, sort_keys=True, ensure_ascii=False, default=str),
    )


def _status(status) -> tuple:
    return (status.css, str(status.word)) if status is not None else (None, None)


def _digest(kind: str, prefix: str, facts: tuple) -> str:
    return f"{prefix}:{kind}:" + hashlib.blake2b(repr(facts).encode(), digest_size=16).hexdigest()


def _prefix(code: str) -> str:
    return f"public:section:{SECTION_REVISION}:{get_language() or ''}:{code}"


def _text(value) -> str:
    return str(value) if value else ""


def item_key(prefix: str, view, item_facts: tuple) -> str:
    entry = view.entry
    facts = (
        item_facts,
        *_status(view.status),
        _text(entry.requirement.label),
        _text(entry.not_required_reason),
        view.retained_until,
    )
    if view.item.repeatable:
        facts += (
            view.public_count,
            entry.required_instances,
            _text(entry.required_reason),
            tuple(i.instance.disclosure.pk for i in view.instances),
        )
    else:
        facts += (_content(view),)
    return _digest("item", prefix, facts)


def instance_key(prefix: str, view, item_facts: tuple) -> str:
    facts = (
        item_facts,
        view.number,
        _text(view.title),
        *_status(view.status),
        tuple(view.building_names),
        _content(view),
    )
    return _digest("instance", prefix, facts)


class PageSections:
    """The HTML of every item section of one page, built on the first ask (one ``get_many``)."""

    def __init__(self, page):
        self.page = page
        self._html: dict[int, SafeString] | None = None

    def keys(self) -> tuple[dict, dict]:
        """({item view id: key}, {instance view id: key}) for the active language."""
        prefix = _prefix(self.page.project.code)
        items, instances = {}, {}
        for view in self.page.items:
            facts = _item_facts(view.item)
            items[id(view)] = item_key(prefix, view, facts)
            for instance in view.instances:
                instances[id(instance)] = instance_key(prefix, instance, facts)
        return items, instances

    def html(self, view) -> SafeString:
        if self._html is None:
            self._html = self._build()
        return self._html[id(view)]

    def _build(self) -> dict[int, SafeString]:
        item_keys, instance_keys = self.keys()
        found = cache.get_many([*item_keys.values(), *instance_keys.values()])
        project = self.page.project
        missing = {}
        for view in self.page.items:
            parts = found.get(item_keys[id(view)])
            if parts is None or len(parts) != len(view.instances) + 1:
                context = {"view": view, "project": project, MARKER_VARIABLE: MARKER}
                parts = get_template(ITEM_TEMPLATE).render(context).split(MARKER)
                missing[item_keys[id(view)]] = parts
                found[item_keys[id(view)]] = parts
            for instance in view.instances:
                key = instance_keys[id(instance)]
                if key not in found:
                    context = {"view": instance, "project": project}
                    found[key] = missing[key] = get_template(INSTANCE_TEMPLATE).render(context)
        if missing:
            cache.set_many(missing, SECTION_SECONDS)
        result = {}
        for view in self.page.items:
            parts = found[item_keys[id(view)]]
            html = [parts[0]]
            for instance, after in zip(view.instances, parts[1:], strict=True):
                html += [found[instance_keys[id(instance)]], after]
            result[id(view)] = mark_safe("".join(html))  # noqa: S308 — rendered templates
        return result
