from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.paginator import InvalidPage
from django.db.models import QuerySet
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from commissioning.paginator import CountedPaginator, kept_api_page

T = TypeVar("T")


class StandardPagination(PageNumberPagination):
    """Page numbers, with a page size the client may choose up to 200.

    A page size that is not a whole number from 1 to 200 is refused with 400, rather than
    silently replaced, so a client never misreads how much it was given. A page and the count of
    the whole list are read in one query (``CountedPaginator``).
    """

    django_paginator_class = CountedPaginator

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        value = raw[-1]
        if len(raw) > 1 or not value.isdecimal() or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"Give one whole number from 1 to {self.max_page_size}."]}
            )
        return int(value)

    def get_page_number(self, request: Request, paginator: Any) -> Any:
        raw = request.query_params.getlist(self.page_query_param)
        if raw and (len(raw) > 1 or not raw[-1].isdecimal()):
            raise ValidationError({self.page_query_param: ["Give one whole page number, from 1."]})
        return super().get_page_number(request, paginator)

    def kept_page(
        self,
        request: Request,
        *,
        keep: Callable[[tuple[object, ...], Callable[[], Any]], Any],
        objects: Callable[[], QuerySet[Any]],
        make: Callable[[Sequence[Any]], T],
    ) -> T:
        """The asked page's rows as ``make`` writes them, the page and its count kept by ``keep``
        (:func:`commissioning.paginator.kept_api_page`); a page that is not one is a 404, as
        ``paginate_queryset`` answers. ``get_paginated_response`` then gives the page's links."""
        number = self.get_page_number(request, None)
        try:
            page, made = kept_api_page(number, self.get_page_size(request), keep=keep, objects=objects, make=make)
        except InvalidPage as error:
            raise NotFound(self.invalid_page_message.format(page_number=number, message=str(error))) from error
        self.page, self.request = page, request
        return made
