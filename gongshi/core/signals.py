"""Signals lower apps send so higher ones can react without being imported.

``site_content_changed``: something every public project page shows changed by a write that
sends no model signals (``bulk_create``, ``QuerySet.update``) — e.g. the holiday calendar
seeded from the package. Sent inside the writing transaction; ``gongshi.public.stamps``
bumps the site stamp so no reader is served the old page.
"""

from django.dispatch import Signal

site_content_changed = Signal()
