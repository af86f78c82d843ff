"""CountedPaginator gives the same pages as Django's Paginator, reading a page and its count in one query."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.models import User
from commissioning.paginator import CountedPaginator, kept_api_page
from tests.factories import CouncilWorld

ASKED = [1, 2, 3, 4, 5, "1", "3", "0", "-1", "999", "1.5", 2.0, 1.5, "abc", None, "", "9" * 30]


def _people(n: int) -> None:
    User.objects.bulk_create([User(email=f"person{i}@example.org", name=f"Person {i}") for i in range(n)])


def _answer(paginator: Paginator, method: str, asked: object) -> tuple[object, ...]:
    try:
        page = getattr(paginator, method)(asked)
    except (EmptyPage, PageNotAnInteger) as error:
        return (type(error).__name__,)
    return (page.number, [u.pk for u in page.object_list], paginator.count, paginator.num_pages, page.has_next())


@pytest.mark.parametrize("method", ["page", "get_page"])
@pytest.mark.parametrize("extra", [0, 1, 7])
def test_the_same_pages_as_djangos_paginator(knowsley: CouncilWorld, method: str, extra: int) -> None:
    _people(extra)
    people = User.objects.order_by("pk")
    for asked in ASKED:
        expected = _answer(Paginator(people, 3), method, asked)
        assert _answer(CountedPaginator(people, 3), method, asked) == expected, asked


def test_a_page_with_rows_is_one_query_and_a_page_past_the_end_two(knowsley: CouncilWorld) -> None:
    _people(7)
    people = User.objects.order_by("pk")
    total = people.count()
    with CaptureQueriesContext(connection) as queries:
        page = CountedPaginator(people, 3).page(2)
        assert page.paginator.count == total and len(page.object_list) == 3
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        last = CountedPaginator(people, 3).get_page(10_000)
        assert last.number == -(-total // 3) and len(list(last.object_list)) == total - 3 * (last.number - 1)
    assert len(queries) == 3  # the empty page asked, the count, the last page


def test_an_empty_list_has_one_empty_first_page(db) -> None:
    nobody = User.objects.filter(email="").order_by("pk")
    page = CountedPaginator(nobody, 3).get_page("1")
    assert page.number == 1 and list(page.object_list) == [] and page.paginator.count == 0


@pytest.mark.parametrize("extra", [0, 1, 7])
@pytest.mark.parametrize("kept", ["nothing", "everything", "the count only"])
def test_kept_api_pages_are_djangos_pages_whatever_was_kept(knowsley: CouncilWorld, extra: int, kept: str) -> None:
    """``kept_api_page`` answers as ``Paginator.page`` does (the same rows, count and errors) when
    nothing was kept, when everything was, and when only the count was (its page ended first)."""
    _people(extra)
    people = User.objects.filter(email__startswith="person").order_by("pk")  # none when extra is 0
    shelf: dict[tuple[object, ...], object] = {}

    def keep(parts: tuple[object, ...], work_out: Any) -> Any:
        if kept == "nothing" or (kept == "the count only" and parts[0] != "api list: count"):
            return work_out()
        if parts not in shelf:
            shelf[parts] = work_out()
        return shelf[parts]

    for asked in [*ASKED, *ASKED]:  # twice: the second time from what the first kept
        expected = _answer(Paginator(people, 3), "page", asked)
        try:
            page, rows = kept_api_page(asked, 3, keep=keep, objects=lambda: people, make=lambda r: [u.pk for u in r])
        except (EmptyPage, PageNotAnInteger) as error:
            assert (type(error).__name__,) == expected, asked
            continue
        answer = (page.number, rows, page.paginator.count, page.paginator.num_pages, page.has_next())
        assert answer == expected, asked
