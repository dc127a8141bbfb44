"""The disclosure workflow (填报、提交、审核、公示、更正、撤回), shared by the browser and the API.

A participating unit drafts the items its unit type supplies and submits them; the developer
reviews a submission — accepts it (publishes) or sends it back with a reason the unit sees —
and may also draft and publish any item directly. A published version is never edited: a
correction is a new version with a reason, a withdrawal a recorded version with a reason.

At most one version of a disclosure is open (draft, submitted or returned) at a time; it
belongs to the organisation that supplies it, and only that organisation edits it.

Concurrency: every change to an open version is a conditional UPDATE on its
``lock_version`` (optimistic locking). The form or API client sends the ``lock_version`` it
read; if someone else saved in between, nothing is written and the person is told to reload —
nobody's work is silently overwritten.

The package follows the lifecycle: ``access`` (who may do what, the version lock), ``draft``
(open, save, files, discard), ``review`` (submit, send back, approve → ``services.publish_version``)
and ``publish`` (versions that carry only a reason: withdrawal, "does not apply"). Callers use
the names below: ``workflow.submit(...)``.
"""

from gongshi.disclosures.instances import (
    add_instance,
    follow_plan,
    set_required,
    update_instance,
)
from gongshi.disclosures.workflow.access import (
    EDITABLE_STATUSES,
    MAX_FILES_PER_UPLOAD,
    OPEN_STATUSES,
    ProjectAccess,
    current_version,
    get_version,
    pending_version,
)
from gongshi.disclosures.workflow.draft import (
    add_files,
    clean_draft_values,
    create_version,
    discard,
    ensure_version,
    open_version,
    relaxed,
    remove_file,
    replace_table,
    save_draft,
)
from gongshi.disclosures.workflow.publish import declare_inapplicable, withdraw
from gongshi.disclosures.workflow.review import approve, send_back, submit

__all__ = [
    "EDITABLE_STATUSES",
    "MAX_FILES_PER_UPLOAD",
    "OPEN_STATUSES",
    "ProjectAccess",
    "add_files",
    "add_instance",
    "approve",
    "clean_draft_values",
    "create_version",
    "current_version",
    "declare_inapplicable",
    "discard",
    "ensure_version",
    "get_version",
    "open_version",
    "pending_version",
    "relaxed",
    "remove_file",
    "replace_table",
    "save_draft",
    "send_back",
    "set_required",
    "follow_plan",
    "submit",
    "update_instance",
    "withdraw",
]
