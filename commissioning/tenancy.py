"""Tenancy: the walls between councils.

Three walls, one mechanism:

1. Every council-owned model inherits :class:`CouncilOwned`: a non-null ``council`` foreign key and
   a django-scopes manager, so a query on council-owned data outside a council scope raises
   ``ScopeError`` and a query inside one is filtered to that council.
2. On PostgreSQL, every council-owned table has a row-level security policy (forced for the table
   owner too) keyed on the transaction-local setting ``app.council_id``. :func:`council_scope` sets
   it inside the transaction it opens, so even raw SQL sees only the council's rows.
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

ALL_COUNCILS = "*"
RLS_SETTING = "app.council_id"

_db_council: ContextVar[str] = ContextVar("db_council", default="")

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


def _set_db_council(value: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # is_local=true: the setting dies with the transaction, so it cannot leak to the next
            # request served by a pooled connection.
            cursor.execute("SELECT set_config(%s, %s, true)", [RLS_SETTING, value])


@contextmanager
def _db_scope(value: str) -> Iterator[None]:
    with transaction.atomic():
        previous = _db_council.get()
        token = _db_council.set(value)
        _set_db_council(value)
        try:
            yield
        finally:
            _db_council.reset(token)
        # Only on success: after an error the savepoint (or transaction) rollback restores the
        # previous setting by itself, and the aborted transaction would refuse a query anyway.
        if previous != value:
            _set_db_council(previous)


@contextmanager
def council_scope(council: Council | int) -> Iterator[None]:
    """Run the block as the given council: ORM scope and database row-level security."""
    council_id = council if isinstance(council, int) else council.pk
    with _db_scope(str(council_id)), scope(council=council_id):
        yield


@contextmanager
def platform_scope() -> Iterator[None]:
    """Read across every council. For platform-level code only; each use says why."""
    with _db_scope(ALL_COUNCILS), scopes_disabled():
        yield


def current_db_council() -> str:
    return _db_council.get()


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
        with council_scope(council):
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
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
