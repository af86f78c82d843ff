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

from commissioning import kept
from commissioning.kept import Shelf, shelves
from commissioning.models import Council


@pytest.fixture
def shelf() -> Iterator[Shelf]:
    made = Shelf("tests:kept", max_age=60)
    made.forget()
    yield made
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


def test_an_old_answer_is_renewed_by_one_request_and_served_to_the_others_meanwhile(shelf: Shelf) -> None:
    now = timezone.now()
    shelf.kept(("q",), now, lambda: "first")
    old = now + timedelta(seconds=shelf.max_age)
    meanwhile: list[str] = []

    def renewing() -> str:
        # Another request asks while this one works the answer out: it is served the old one.
        meanwhile.append(shelf.kept(("q",), old, lambda: "worked out twice"))
        return "renewed"

    assert shelf.kept(("q",), old, renewing) == "renewed"
    assert meanwhile == ["first"]
    work = Counter()
    assert shelf.kept(("q",), old + timedelta(seconds=1), work) == "renewed"
    assert work.calls == 0


def _asked_while_renewing(shelf: Shelf, at: object, **kwargs: object) -> list[str]:
    """What a second request is served at ``at`` while a first one works the answer out."""
    meanwhile: list[str] = []

    def renewing() -> str:
        meanwhile.append(shelf.kept(("q",), at, lambda: "worked out by the second", **kwargs))  # type: ignore[arg-type]
        return "worked out by the first"

    shelf.kept(("q",), at, renewing, **kwargs)  # type: ignore[arg-type]
    return meanwhile


def test_an_old_answer_is_never_served_past_the_apps_moment_a_write_or_its_last_stale_second(shelf: Shelf) -> None:
    now = timezone.now()
    # The app's moment (a deadline) is when the answer stops being true: nobody is served it after.
    deadline = now + timedelta(seconds=shelf.max_age + 10)
    shelf.kept(("q",), now, lambda: "open", ends=lambda: deadline)
    assert _asked_while_renewing(shelf, deadline) == ["worked out by the second"]
    # A write renews the version: the old answer is not found.
    shelf.forget()
    shelf.kept(("q",), now, lambda: "before the write")
    shelf.renew()
    assert _asked_while_renewing(shelf, now + timedelta(seconds=shelf.max_age)) == ["worked out by the second"]
    # And an answer left unread past max_age and stale_for is not served either.
    shelf.forget()
    shelf.kept(("q",), now, lambda: "long ago")
    gone = now + timedelta(seconds=shelf.max_age + shelf.stale_for)
    assert _asked_while_renewing(shelf, gone) == ["worked out by the second"]


def test_a_renewal_that_fails_lets_the_next_request_renew(shelf: Shelf) -> None:
    now = timezone.now()
    shelf.kept(("q",), now, lambda: "first")
    old = now + timedelta(seconds=shelf.max_age)

    def failing() -> str:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        shelf.kept(("q",), old, failing)
    assert shelf.kept(("q",), old, lambda: "renewed") == "renewed"


def test_answers_kept_in_another_releases_shape_are_not_read(shelf: Shelf) -> None:
    """Two releases serve side by side during a deploy: each reads only the answers it kept."""
    now = timezone.now()
    shelf.kept(("q",), now, lambda: "kept by this release")
    key = f"{shelf._prefix('')}:{shelf._versions('')}:"
    redis = cache._cache.get_client()  # type: ignore[attr-defined]
    (stored,) = redis.keys(cache.make_key(key) + "*")
    assert f":{kept.ENTRY_SHAPE}:".encode() in stored
    assert shelf.kept(("q",), now, lambda: "worked out") == "kept by this release"


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
