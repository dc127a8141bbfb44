"""Signals of the disclosures app, for apps above it."""

from django.dispatch import Signal

#: Sent in the writing transaction when a project's disclosures change what its figures count
#: (arguments: ``project_id``, ``today``, ``completion_changed`` — an item became complete or
#: stopped being — and ``first_timeliness_days`` on a first publication). Apps above count
#: per-project figures from it (supervision.figures) without this app knowing them.
disclosures_changed = Signal()
