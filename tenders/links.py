"""Links of a list's rows, reversed once per list rather than once per row.

``reverse()`` resolves the URLconf's pattern on every call, which on a page of many rows costs
more than the rest of the row. :class:`RowUrl` reverses its URL once with placeholder values and
fills in each row's council and tender, so the link is still the URLconf's (a changed pattern
changes it) and never written by hand.
"""

from __future__ import annotations

from django.urls import reverse

__all__ = ["RowUrl"]

# Values no real council slug or tender id takes (slugs are lower-case words; ids are far smaller).
_SLUG = "COUNCILSLUG"
_ID = 987654321987654321


class RowUrl:
    """``RowUrl("opportunity").url("knowsley", 12)`` == ``reverse("opportunity", kwargs=...)``."""

    def __init__(self, name: str) -> None:
        path = reverse(name, kwargs={"council_slug": _SLUG, "tender_id": _ID})
        head, _, rest = path.partition(_SLUG)
        middle, _, tail = rest.partition(str(_ID))
        self._parts = (head, middle, tail)

    def url(self, council_slug: str, tender_id: int) -> str:
        head, middle, tail = self._parts
        return f"{head}{council_slug}{middle}{tender_id}{tail}"
