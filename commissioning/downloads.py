"""File names of downloads: one header, readable by every browser, whatever the name holds.

A name typed by a person (a document's title, an attachment's original name) may hold "/" or
"\\" (which browsers read as a path and cut the name at), control characters, quotes, or
letters beyond ASCII (which a plain ``filename="…"`` cannot carry). Django's
``content_disposition_header`` writes RFC 6266's ``filename*=utf-8''…`` (RFC 5987) for those.
"""

from __future__ import annotations

import re
import unicodedata
from typing import cast

from django.http import HttpResponse
from django.utils.http import content_disposition_header

_PATH_SEPARATORS = re.compile(r"[/\\]+")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"<>:|?*]')


def download_name(name: str, *, fallback: str = "download") -> str:
    """``name`` made safe as a downloaded file's name: separators become " - ", no control characters."""
    name = unicodedata.normalize("NFC", name)
    name = _PATH_SEPARATORS.sub(" - ", name)
    name = _UNSAFE.sub("", name)
    name = " ".join(name.split()).strip(" .")
    return name[:200] or fallback


def as_download(response: HttpResponse, name: str) -> HttpResponse:
    """Set the response's Content-Disposition to an attachment called ``name`` (made safe)."""
    # Only an inline response without a name has no header: this one always has one.
    response["Content-Disposition"] = cast(str, content_disposition_header(True, download_name(name)))
    return response
