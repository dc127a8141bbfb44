"""Errors that carry a machine code per field (the API's ``error.code``)."""

from django.core.exceptions import ValidationError


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError on one field whose code survives.

    ``ValidationError({"f": "msg"}, code="x")`` drops the code (Django applies ``code`` only
    to a single message); wrapping the message keeps it.
    """
    return ValidationError({field: ValidationError(message, code=code)})
