"""Counts the SQL queries of a request that sends ``X-Bench-Queries: 1`` (bench settings only).

The count goes back in the ``X-Bench-Queries`` response header. Requests without the header (all
the load) pass straight through, so the measured throughput is the production code's. A counted
request first renews every shelf of kept answers (``commissioning.kept``), so the count is of a page
worked out in full: the cost of a miss, the most a page can cost, not of an answer kept earlier.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if HEADER not in request.headers:
            return self.get_response(request)
        from commissioning.kept import shelves

        for shelf in shelves():
            shelf.renew()
        count = 0

        def counting(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response[HEADER] = str(count)
        return response
