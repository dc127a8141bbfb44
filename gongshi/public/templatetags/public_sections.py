"""``{% item_section view %}`` and ``{% instance_section view %}``: the project page's sections.

See :mod:`gongshi.public.sections`.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from gongshi.public.sections import INSTANCE_TEMPLATE, MARKER_VARIABLE

register = template.Library()


@register.simple_tag(takes_context=True)
def item_section(context, view):
    """The item's section from the page's kept sections (``sections`` in the context)."""
    return context["sections"].html(view)


@register.simple_tag(takes_context=True)
def instance_section(context, view):
    """One instance's section, as ``{% include "public/includes/instance.html" %}`` prints it.

    While an item section is rendered for the cache, its place is marked instead: instances
    are kept apart from their item.
    """
    if marker := context.get(MARKER_VARIABLE):
        return mark_safe(marker)  # noqa: S308 — a constant comment
    instance = context.template.engine.get_template(INSTANCE_TEMPLATE)
    with context.render_context.push_state(instance), context.push(view=view):
        return instance.render(context)
