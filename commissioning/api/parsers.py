"""The API's JSON parser, bounded: a body too large or nested too deep is a 400, never a 500.

DRF's own parser hands the body to ``json.load``, which recurses once per level: about 1,000
levels (a 2 KB body) end in a ``RecursionError`` and a 500. Here the nesting is counted first,
without recursion (brackets outside strings), and only then parsed. The size is Django's
``DATA_UPLOAD_MAX_MEMORY_SIZE``, checked when DRF reads the body; the API's exception handler
answers it in the API's error shape (commissioning.api.errors).
"""

from __future__ import annotations

import io
import re
from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

# Far deeper than any request of this API (a bid's answers are three levels down).
MAX_DEPTH = 32
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings ignored)."""
    depth = deepest = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b"", body)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing JSON nested deeper than MAX_DEPTH."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        body = stream.read() if stream is not None else b""
        if json_depth(body) > MAX_DEPTH:
            raise ParseError(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as error:  # a second guard: never a 500
            raise ParseError(f"The JSON is nested more than {MAX_DEPTH} levels deep.") from error
