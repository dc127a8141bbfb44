"""``{% field_widget field %}``: a form field's input tied to its help text and errors.

Screen readers announce what ``aria-describedby`` points at when the input gets focus, so a
reader who lands on a field after a failed submit hears what to fix; ``aria-invalid`` marks
it. The ids are the ones the field templates give the help text and the error list:
``<id>_helptext`` and ``<id>_error``.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def field_widget(field):
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def labelled_widget(field, label):
    """A field's input named by ``aria-label``, where no ``<label>`` can stand next to it.

    A tabular inline of the admin puts the field's name once, in the column header, and the
    inputs of every row below it; a screen reader landing on a row's input hears this name.
    """
    return field.as_widget(attrs={"aria-label": str(label)})
