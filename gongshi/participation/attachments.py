"""Files attached by the public's side: photos that social supervisors take at a site open day.

They are public: the open day's public page shows every recorded finding with its photos.
:func:`register` tells the file store (``files.access``) so, at start-up.
"""

from __future__ import annotations

from gongshi.files import access
from gongshi.files.models import StoredFile
from gongshi.participation.models import FindingPhoto


def is_open_day_photo(stored: StoredFile) -> bool:
    return FindingPhoto.objects.filter(file=stored).exists()


def register() -> None:
    access.register_owner(access.FileOwner(name="participation", is_public=is_open_day_photo))
