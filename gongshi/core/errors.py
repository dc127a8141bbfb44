"""Problems with submitted values, raised by any app and answered by the API in one shape.

The catalogue's field validation (:mod:`gongshi.catalogue.fields`) collects them; the API's
error handler (:mod:`gongshi.core.api`) turns them into ``fields`` of its error body.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with submitted values; ``row`` is 1-based within the table, if any."""

    field: str
    message: str
    row: int | None = None
    column: str | None = None


class FieldValidationError(Exception):
    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(e.message for e in errors))

    def messages(self) -> list[str]:
        return [e.message for e in self.errors]
