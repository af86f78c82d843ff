"""A paginator that reads a page and the count of everything in one query.

Django's ``Paginator`` counts (``SELECT COUNT(*)``) and then reads the page: two round trips on
every list page. :class:`CountedPaginator` reads the page with the total as an uncorrelated scalar
subquery, which PostgreSQL runs once for the statement (an ``InitPlan``), so a page that has rows
costs one query. Only when the page asked for is empty (past the end, or an empty list) does it
count separately, to say which page is the last: the same answers as Django's paginator.

A caller that knows the count already gives it (``count=``), and the page is read alone.
:func:`kept_page` is that for a list whose count and pages are kept between requests (on a
``commissioning.kept`` shelf): a kept page is neither counted nor read. :func:`kept_api_page` is
the same for the API's lists, whose page numbers are exact (a page that is not one is a 404).

Used by the API's page-number pagination (``commissioning.api.pagination``) and the paginated pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import IntegerField, QuerySet, Subquery

__all__ = ["CountedPaginator", "kept_api_page", "kept_page"]

T = TypeVar("T")

TOTAL = "paginator_total"
# Past this offset PostgreSQL refuses the number (bigint); such a page is past the end anyway and
# is answered the counting way.
_LARGEST_OFFSET = 2**62


class _Count(Subquery):
    """``(SELECT COUNT(*) FROM (<the list's ids>))``: the whole list's length, beside each row."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS paginator_counted)"
    output_field = IntegerField()


class CountedPaginator(Paginator):
    """``Paginator`` whose pages read their rows and the count in one query (see the module).

    ``count``, when the caller already knows it (kept between requests, say), is believed: the
    page is then read alone, with no count at all."""

    def __init__(self, object_list: Any, per_page: int | str, *args: Any, count: int | None = None, **kwargs: Any):
        super().__init__(object_list, per_page, *args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property

    def _countable(self) -> bool:
        query = getattr(self.object_list, "query", None)
        return (
            isinstance(self.object_list, QuerySet)
            and query is not None
            and not query.is_sliced
            and not query.distinct
            and not query.combinator
            and not self.orphans
            and "count" not in self.__dict__
        )

    def _read_with_count(self, number: int) -> Page | None:
        """Page ``number`` with the count read beside its rows, or None when that page has no rows."""
        objects: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        ids = objects.order_by().values("pk")
        bottom = (number - 1) * self.per_page
        if bottom > _LARGEST_OFFSET:
            return None
        rows = list(objects.annotate(**{TOTAL: _Count(ids)})[bottom : bottom + self.per_page])
        if not rows:
            return None
        self.__dict__["count"] = getattr(rows[0], TOTAL)  # Paginator.count is a cached_property
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]  # Django's own factory hook

    @staticmethod
    def _whole(number: Any) -> int | None:
        """The page number as Django reads it (``"2"``, ``2``, ``2.0``), or None when it is not one."""
        try:
            if isinstance(number, float) and not number.is_integer():
                return None
            return int(number)
        except (TypeError, ValueError):
            return None

    def page(self, number: Any) -> Page:
        whole = self._whole(number)
        if whole is not None and whole >= 1 and self._countable():
            page = self._read_with_count(whole)
            if page is not None:
                return page
        return super().page(number)

    def get_page(self, number: Any) -> Page:
        """As Django's: anything that is not a number is page 1; a number past either end, the last page."""
        whole = self._whole(number)
        if whole is None:
            whole = 1
        if whole >= 1 and self._countable():
            page = self._read_with_count(whole)
            if page is not None:
                return page
        return super().get_page(number)


def kept_page(
    number: Any,
    per_page: int,
    *,
    keep: Callable[[tuple[object, ...], Callable[[], Any]], Any],
    count: Callable[[], int],
    make: Callable[[int, int], T],
) -> tuple[Page, T]:
    """Page ``number`` of a list (as ``get_page`` reads it: the nearest page that is one) and what
    ``make(offset, limit)`` makes of its rows (a page writes them as HTML), both kept:
    ``keep(parts, work_out)`` is the caller's shelf, with the scope and moments it needs. The
    count (``count()``) is kept first, so page numbers are checked against it and a hostile one
    keeps nothing new. The returned page carries the numbers only (which page, of how many,
    showing which); its rows are what ``make`` made."""
    total = keep(("list: count",), count)
    page = CountedPaginator(range(total), per_page, count=total).get_page(number)
    made = keep(("list: page", per_page, page.number), lambda: make((page.number - 1) * per_page, per_page))
    return page, made


def kept_api_page(
    number: Any,
    per_page: int,
    *,
    keep: Callable[[tuple[object, ...], Callable[[], Any]], Any],
    objects: Callable[[], QuerySet[Any]],
    make: Callable[[Sequence[Any]], T],
) -> tuple[Page, T]:
    """Page ``number`` of the list ``objects()`` and what ``make(rows)`` makes of its rows, both
    kept with ``keep(parts, work_out)`` (the caller's shelf). As ``Paginator.page`` reads it: a
    number that is no page raises ``InvalidPage`` (the API answers 404). On a miss the count
    rides on the page's own query, so a miss reads no more than an API list that keeps nothing;
    ``objects()`` is called only then (a kept page builds no query at all)."""
    read: dict[str, Page] = {}

    def count() -> int:
        read["page"] = CountedPaginator(objects(), per_page).page(number)
        return read["page"].paginator.count

    total = keep(("api list: count",), count)
    page = read.get("page") or CountedPaginator(range(total), per_page, count=total).page(number)

    def rows() -> T:
        if "page" in read:
            return make(list(read["page"].object_list))
        return make(list(objects()[page.start_index() - 1 : page.end_index()]) if total else [])

    return page, keep(("api list: page", per_page, page.number), rows)
