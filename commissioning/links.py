"""Absolute links to this site, for e-mails, API fields and anything read away from the page.

One setting, ``SITE_URL``, says where the site is served (the embedded default derives it from
``HOST`` and ``PORT``; production requires it). A request's own Host header is never used: it is
whatever the client sent, and a background task has no request at all.
"""

from __future__ import annotations

from django.conf import settings


def site_url(path: str = "/") -> str:
    """``SITE_URL`` joined with a path on this site: ``site_url("/c/knowsley/")``."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def site_base_url() -> str:
    """The site's address with a trailing slash, as the services' ``base_url`` arguments take it."""
    return site_url("/")
