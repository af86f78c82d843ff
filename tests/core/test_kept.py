"""commissioning.kept: an answer is kept until a write renews its scope's version, until the time
the app gives, or max_age at most; when the cache is away the answer is worked out every time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from commissioning.kept import Shelf, shelves
from commissioning.models import Council


@pytest.fixture
def shelf() -> Iterator[Shelf]:
    made = Shelf("tests:kept", max_age=60)
    made.forget()
    yield made
    from commissioning import kept

    del kept._SHELVES["tests:kept"]
    uid = "kept_tests:kept_commissioning.council"
    post_save.disconnect(sender=Council, dispatch_uid=f"{uid}_save")
    post_delete.disconnect(sender=Council, dispatch_uid=f"{uid}_delete")


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"answer {self.calls}"


def test_a_second_asking_reads_the_kept_answer(shelf: Shelf) -> None:
    now, work = timezone.now(), Counter()
    assert shelf.kept(("q",), now, work) == "answer 1"
    assert shelf.kept(("q",), now + timedelta(seconds=30), work) == "answer 1"
    assert shelf.kept(("other",), now, work) == "answer 2"  # another question is another answer
    assert work.calls == 2


def test_renewing_a_scope_ends_its_answers_only(shelf: Shelf) -> None:
    now, work = timezone.now(), Counter()
    assert shelf.kept(("q",), now, work, scope=1) == "answer 1"
    assert shelf.kept(("q",), now, work, scope=2) == "answer 2"
    shelf.renew(1)
    assert shelf.kept(("q",), now, work, scope=1) == "answer 3"
    assert shelf.kept(("q",), now, work, scope=2) == "answer 2"


def test_renewing_the_whole_shelf_ends_every_scope(shelf: Shelf) -> None:
    now, work = timezone.now(), Counter()
    shelf.kept(("q",), now, work, scope=1)
    shelf.kept(("q",), now, work, scope=2)
    shelf.renew()
    assert shelf.kept(("q",), now, work, scope=1) == "answer 3"
    assert shelf.kept(("q",), now, work, scope=2) == "answer 4"


def test_an_answer_ends_at_the_apps_moment_its_own_or_max_age(shelf: Shelf) -> None:
    now, work = timezone.now(), Counter()
    shelf.kept(("q",), now, work, ends=lambda: now + timedelta(seconds=10))
    assert shelf.kept(("q",), now + timedelta(seconds=9), work) == "answer 1"
    assert shelf.kept(("q",), now + timedelta(seconds=10), work) == "answer 2"
    later = now + timedelta(seconds=10)
    shelf.kept(("r",), later, work, until=lambda answer: later + timedelta(seconds=5))
    assert shelf.kept(("r",), later + timedelta(seconds=5), work) == "answer 4"
    last = later + timedelta(seconds=5)
    shelf.kept(("s",), last, work, ends=lambda: last + timedelta(days=1))
    assert shelf.kept(("s",), last + timedelta(seconds=59), work) == "answer 5"
    assert shelf.kept(("s",), last + timedelta(seconds=60), work) == "answer 6"
    # An answer asked about a time before it was worked out is not believed either.
    assert shelf.kept(("s",), last, work) == "answer 7"


@pytest.mark.django_db(transaction=True)
def test_a_watched_write_renews_at_once_and_again_at_commit(shelf: Shelf) -> None:
    shelf.watch(Council, scope_of=lambda council: council.pk)
    council = Council.objects.create(slug="kept-test", name="Kept test council")
    now, work = timezone.now(), Counter()
    shelf.kept(("q",), now, work, scope=council.pk)
    with transaction.atomic():
        council.name = "Renamed"
        council.save()
        # A request in between, reading the rows as they were before the commit, keeps its answer...
        assert shelf.kept(("q",), now, work, scope=council.pk) == "answer 2"
    # ...which is not believed once the write has committed.
    assert shelf.kept(("q",), now, work, scope=council.pk) == "answer 3"


def test_when_the_cache_is_away_the_answer_is_worked_out(shelf: Shelf, monkeypatch: pytest.MonkeyPatch) -> None:
    def away(*args: object, **kwargs: object) -> None:
        raise ConnectionError("cache unreachable")

    for name in ("get", "get_many", "set", "add"):
        monkeypatch.setattr(cache, name, away)
    now, work = timezone.now(), Counter()
    assert shelf.kept(("q",), now, work) == "answer 1"
    assert shelf.kept(("q",), now, work) == "answer 2"
    shelf.renew()  # logged, not raised


def test_every_app_shelf_is_listed_and_names_are_unique(shelf: Shelf) -> None:
    names = [s.name for s in shelves()]
    assert {"tenders:public", "social_value:ledger", "tests:kept"} <= set(names)
    with pytest.raises(ValueError):
        Shelf("tests:kept")
