"""Tenancy: the walls between councils.

Three walls, one mechanism:

1. Every council-owned model inherits :class:`CouncilOwned`: a non-null ``council`` foreign key and
   a django-scopes manager, so a query on council-owned data outside a council scope raises
   ``ScopeError`` and a query inside one is filtered to that council.
2. On PostgreSQL, every council-owned table has row-level security (forced for the table owner
   too) keyed on two transaction-local settings: ``app.council_id`` (an integer, compared with
   ``council_id`` so the planner can use indexes) and ``app.platform`` ('on' for the platform's own
   access, a separate policy). :func:`council_scope` sets them inside the transaction it opens, so
   even raw SQL sees only the council's rows. One ``set_config`` per request transaction: a nested
   scope for the same council costs nothing, and only a switch of scope writes (and restores).
3. :class:`CouncilMiddleware` resolves the council from the URL (``/c/<council_slug>/``), answers
   404 to anyone who is not a member (unless the page is public), and runs the request inside
   :func:`council_scope`. Celery tasks re-enter the scope with the council id they were given.

:func:`platform_scope` is the single, named way to read across councils (the council switcher,
platform staff in Django admin, the audit verifier, demo data). Use it sparingly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Self, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_scopes import ScopedManager, scope, scopes_disabled

if TYPE_CHECKING:
    from commissioning.models import Council

# The transaction-local settings the row-level security policies read (commissioning.database):
# the council's id as an integer, platform access ('on' or ''), and the signed-in person, who may
# read their own memberships in every council (the council switcher) without platform scope.
RLS_SETTING = "app.council_id"
PLATFORM_SETTING = "app.platform"
PLATFORM_ON = "on"
USER_SETTING = "app.user_id"
SETTINGS = (RLS_SETTING, PLATFORM_SETTING, USER_SETTING)
ALL_COUNCILS = "*"  # what current_db_council() says in platform scope

# What this context asked the database to see: (council id or None, platform access, person or None).
_DbState = tuple[int | None, bool, int | None]
_NO_SCOPE: _DbState = (None, False, None)
_db_state: ContextVar[_DbState] = ContextVar("db_scope", default=_NO_SCOPE)

_Model = TypeVar("_Model", bound=models.Model)

if TYPE_CHECKING:

    class _ScopedManager(models.Manager[_Model]):
        def with_scope(self, **scope: object) -> Self: ...
        def with_scopes_disabled(self) -> Self: ...

else:
    # django-scopes makes its manager class inside a function, so no type checker can name it: take
    # that very class, scoped on the ``council`` dimension, and give it a name below.
    _ScopedManager = type(ScopedManager(council="council"))


class CouncilManager(_ScopedManager[_Model]):
    """The manager of every council-owned model: django-scopes' own, on the ``council`` dimension.

    Outside a council scope a query raises ``ScopeError``; inside one it sees that council's rows.
    A model with its own queryset uses ``CouncilManager.from_queryset(TheQuerySet)()``.
    """


class CouncilOwned(models.Model):
    """Base for every row a council owns. Invisible outside that council's scope."""

    council = models.ForeignKey("commissioning.Council", on_delete=models.CASCADE, related_name="+")

    objects = CouncilManager()

    class Meta:
        abstract = True


def council_owned_models() -> list[type[models.Model]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, CouncilOwned)]


def _db_value(state: _DbState) -> tuple[str, str, str]:
    council_id, platform, user_id = state
    return (
        "" if council_id is None else str(council_id),
        PLATFORM_ON if platform else "",
        "" if user_id is None else str(user_id),
    )


def _apply_db_state(current: _DbState, wanted: _DbState) -> None:
    """Move the transaction's settings from ``current`` to ``wanted``, in one statement at most.

    Only the settings that change are written: a nested scope for the same council writes none.
    ``is_local=true``: the settings die with the transaction, so they cannot leak to the next
    request served by a pooled connection.
    """
    if connection.vendor != "postgresql":
        return
    pairs = [
        (name, value)
        for name, value, before in zip(SETTINGS, _db_value(wanted), _db_value(current), strict=True)
        if value != before
    ]
    if not pairs:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in pairs),
            [item for pair in pairs for item in pair],
        )


def _transaction_usable() -> bool:
    """Whether a statement may run now: not after an error awaiting its rollback.

    After an error the rollback (of the savepoint or transaction that encloses the scope, opened
    before the scope set anything) restores the settings by itself.
    """
    if connection.needs_rollback:
        return False
    if connection.vendor == "postgresql" and connection.connection is not None:
        from psycopg.pq import TransactionStatus

        return bool(connection.connection.info.transaction_status != TransactionStatus.INERROR)
    return True


@contextmanager
def _db_scope(wanted: _DbState) -> Iterator[None]:
    """Run the block with the database settings of ``wanted``, as cheaply as correctness allows.

    - Outside any transaction: open one (``atomic``) and write the settings once; they end with
      the transaction, so nothing is written on the way out.
    - Inside a transaction, the same scope as now (a nested ``council_scope`` of the same
      council): nothing at all, not even a savepoint.
    - Inside a transaction, another scope (``platform_scope`` in a council request, another
      council in a task): write what changes, and write the previous values back on leaving
      (also after a Python exception; after a database error the enclosing rollback does it).
    """
    if not connection.in_atomic_block:
        token = _db_state.set(wanted)
        try:
            with transaction.atomic():
                _apply_db_state(_NO_SCOPE, wanted)
                yield
        finally:
            _db_state.reset(token)
        return
    previous = _db_state.get()
    if previous == wanted:
        yield
        return
    token = _db_state.set(wanted)
    _apply_db_state(previous, wanted)
    try:
        yield
    finally:
        # What the database holds now: ``wanted``, or more if the block named the person since.
        current = _db_state.get()
        _db_state.reset(token)
        if _transaction_usable():
            _apply_db_state(current, previous)


@contextmanager
def council_scope(council: Council | int, *, user_id: int | None = None) -> Iterator[None]:
    """Run the block as the given council: ORM scope and database row-level security.

    Costs one ``set_config`` when it opens the transaction or switches scope, and nothing when
    the block already runs as that council. ``user_id`` (the middleware's signed-in person) lets
    the database show that person's own memberships in other councils too (see
    :func:`own_memberships_scope`); without it the current person setting is kept.
    """
    council_id = council if isinstance(council, int) else council.pk
    current_user = _db_state.get()[2]
    with _db_scope((council_id, False, current_user if user_id is None else user_id)), scope(council=council_id):
        yield


@contextmanager
def platform_scope() -> Iterator[None]:
    """Read across every council. For platform-level code only; each use says why."""
    council_id, _, user_id = _db_state.get()
    with _db_scope((council_id, True, user_id)), scopes_disabled():
        yield


def _name_person(user_id: int) -> bool:
    """In a council scope that names nobody yet: name ``user_id`` to the database, for the rest of
    that scope (one ``set_config``; the scope's end undoes it). Whether it did."""
    council_id, platform, current_user = _db_state.get()
    if council_id is None or platform or current_user is not None or not connection.in_atomic_block:
        return False
    if not _transaction_usable():
        return False
    wanted = (council_id, False, user_id)
    _apply_db_state((council_id, False, None), wanted)
    _db_state.set(wanted)  # reset by the enclosing scope, which also writes back what it found
    return True


@contextmanager
def own_memberships_scope(user_id: int) -> Iterator[None]:
    """Read one person's memberships in every council (filter the query on that person).

    In a page request the middleware already told the database who is signed in, so this costs
    nothing. In an API request (DRF authenticates inside the view, after the middleware's scope
    began) the person is named now, for the rest of the request: one ``set_config``, where a switch
    to platform scope and back would cost two. Elsewhere it is :func:`platform_scope`.
    """
    if connection.in_atomic_block and (_db_state.get()[2] == user_id or _name_person(user_id)):
        with scopes_disabled():
            yield
    else:
        with platform_scope():
            yield


def current_db_council() -> str:
    """The council the database sees: its id, ``ALL_COUNCILS`` in platform scope, or ''."""
    council_id, platform, _ = _db_state.get()
    if platform:
        return ALL_COUNCILS
    return "" if council_id is None else str(council_id)


# --- Pages and views -----------------------------------------------------------------------------


def council_public(view: Any) -> Any:
    """Mark a council page as public (the portal): no membership needed."""
    view.council_public = True
    return view


def _view_class(func: Callable[..., Any]) -> Any:
    return getattr(func, "view_class", None) or getattr(func, "cls", None)


def _is_public(func: Callable[..., Any]) -> bool:
    return bool(getattr(func, "council_public", False) or getattr(_view_class(func), "council_public", False))


def _is_api(func: Callable[..., Any]) -> bool:
    from rest_framework.views import APIView

    cls = _view_class(func)
    return isinstance(cls, type) and issubclass(cls, APIView)


class CouncilMiddleware:
    """Resolve ``council_slug`` from the URL, check membership, and scope the request to it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.council = None  # type: ignore[attr-defined]
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("council_slug")
        if slug is None:
            return self.get_response(request)

        from commissioning.models import Council
        from commissioning.rules import council_roles

        council = Council.objects.filter(slug=slug).first()
        if council is None:
            return _not_found(request, match.func)
        # The API authenticates in the view (tokens): only pages name the person to the database.
        user = None if _is_api(match.func) else request.user
        user_id = user.pk if user is not None and user.is_authenticated else None
        # The request's one set_config: the council (and who is signed in), for the whole request.
        with council_scope(council, user_id=user_id):
            request.council = council  # type: ignore[attr-defined]
            if _is_api(match.func):
                # DRF authenticates tokens inside the view, so the API's own permission class
                # makes the membership check there. Fail closed if a view forgets it.
                _require_council_permission(match.func)
                return self.get_response(request)
            if not _is_public(match.func):
                if not request.user.is_authenticated:
                    from django.contrib.auth.views import redirect_to_login

                    return redirect_to_login(request.get_full_path())
                roles = council_roles(request.user, council)
                if not roles:
                    return _not_found(request, match.func)
                if needs_mfa_setup(request.user, roles):
                    # allauth ends MFA set-up on the recovery codes page, which offers a way back.
                    request.session["after_mfa_setup"] = request.get_full_path()
                    return redirect(f"{_mfa_setup_url()}?{urlencode({'next': request.get_full_path()})}")
            return self.get_response(request)


def _require_council_permission(func: Callable[..., Any]) -> None:
    from commissioning.api.permissions import CouncilMember

    cls = _view_class(func)
    if not (getattr(cls, "council_public", False) or CouncilMember in getattr(cls, "permission_classes", [])):
        raise ImproperlyConfigured(
            f"{cls.__name__} serves council data: give it the CouncilMember permission or mark it council_public"
        )


def _not_found(request: HttpRequest, func: Callable[..., Any]) -> HttpResponse:
    if _is_api(func):
        from commissioning.api.errors import not_found_response

        return not_found_response()
    raise Http404("No such page")


def _mfa_setup_url() -> str:
    from django.urls import reverse

    return reverse("mfa_activate_totp")


def needs_mfa_setup(user: Any, roles: frozenset[str]) -> bool:
    """Council roles other than citizen must have an authenticator before any council page."""
    from commissioning.models.councils import MFA_ROLES

    if not settings.COMMISSIONING_REQUIRE_MFA or not (roles & MFA_ROLES):
        return False
    from commissioning.rules import has_totp

    return not has_totp(user)
