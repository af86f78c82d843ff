from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """The request is valid but clashes with what already exists (the API answers 409).

    A ValidationError, so forms show it next to the field like any other.
    """
