"""Typed requests: what the middleware and the log-in check guarantee a view, told to the type checker.

Annotate a view's ``request`` with the narrowest one that holds for every request it can receive:

- :class:`AuthenticatedRequest`: a signed-in person (a view behind ``login_required``).
- :class:`CouncilRequest`: a member's council page (``/c/<council_slug>/...``, not marked
  ``council_public``). :class:`commissioning.tenancy.CouncilMiddleware` has resolved ``council``
  from the URL, refused anyone who is not a member of it, and scoped the request to it.
- :class:`CouncilPublicRequest`: a council's public portal page: ``council`` is resolved, the
  visitor may be anyone.
- :class:`CouncilPublicSignedInRequest`: a public council page that lets in only a signed-in person
  and checks the rest itself (a provider's bid): ``council`` is resolved, the person need not be
  a member of it.

Every request has ``htmx`` (:class:`django_htmx.middleware.HtmxMiddleware`, for all pages): true
when htmx sent it, so a view can answer with a fragment, and ``csp_nonce``
(django-csp's ``CSPMiddleware``): this response's Content-Security-Policy nonce, for the few
inline elements that need one (an import map, the council's colour).

These are annotations only: Django still passes its own ``HttpRequest``, and nothing here checks
anything at run time (the middleware and decorators do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_htmx.middleware import HtmxDetails

    from commissioning.models import Council, User

__all__ = ["AuthenticatedRequest", "CouncilPublicRequest", "CouncilPublicSignedInRequest", "CouncilRequest"]


class AuthenticatedRequest(HttpRequest):
    """A request from a signed-in person."""

    user: User
    htmx: HtmxDetails
    csp_nonce: str


class CouncilRequest(AuthenticatedRequest):
    """A member's request to a council page: the council from the URL, membership already checked."""

    council: Council


class CouncilPublicRequest(HttpRequest):
    """A request to a council's public portal: the council from the URL, the visitor anyone."""

    council: Council
    user: User | AnonymousUser
    htmx: HtmxDetails


class CouncilPublicSignedInRequest(AuthenticatedRequest):
    """A signed-in person's request to a council's public page: the council from the URL, no membership."""

    council: Council
