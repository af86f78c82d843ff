"""Keyset page positions for lists ordered by (submission deadline, id). No Django here.

A page link carries the position of the row it continues from, not a page number: the database
seeks to it through the index instead of counting past every earlier row (``OFFSET``), and a
tender published or closed meanwhile never shifts a row onto the wrong page or shows it twice.

The position travels as an opaque, URL-safe token. Anything else in its place (edited by hand,
truncated, from another list) is :class:`InvalidCursor`, which pages turn into a message and the
API into a 400: a tampered link is never a 500. A valid token that points between rows is fine:
the list simply continues from there.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["Cursor", "InvalidCursor"]

_MAX_LENGTH = 100  # a real token is about 40 characters


class InvalidCursor(ValueError):
    """A page position that is not one this site made."""


@dataclass(frozen=True)
class Cursor:
    """A position in a list ordered by (deadline, id): the row at ``deadline``, ``tender_id``."""

    deadline: datetime
    tender_id: int

    def encode(self) -> str:
        stamp = self.deadline.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%f")
        raw = f"{stamp}~{self.tender_id}".encode("ascii")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        if not token or len(token) > _MAX_LENGTH:
            raise InvalidCursor("This page link is not valid")
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii")
            stamp, _, tender_id = raw.partition("~")
            deadline = datetime.strptime(stamp, "%Y%m%dT%H%M%S.%f").replace(tzinfo=UTC)
            number = int(tender_id)
        except (binascii.Error, UnicodeDecodeError, ValueError) as error:
            raise InvalidCursor("This page link is not valid") from error
        if not tender_id.isdecimal() or not 0 <= number < 2**63:
            raise InvalidCursor("This page link is not valid")
        return cls(deadline=deadline, tender_id=number)
