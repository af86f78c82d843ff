"""Forms of co-design: comment rounds on draft specifications, comments and replies.

The forms are the core's (``commissioning.forms_codesign``), shared with every app's co-design; a
comment here is on a section of the specification.
"""

from __future__ import annotations

from typing import Any

from commissioning.codesign import Capacities
from commissioning.forms_codesign import AS_RESIDENT, CloseRoundForm, CommentRoundForm, ReplyForm
from commissioning.forms_codesign import CommentForm as _CommentForm

__all__ = ["CommentRoundForm", "CloseRoundForm", "ReplyForm", "CommentForm", "AS_RESIDENT"]


class CommentForm(_CommentForm):
    """A comment on one section, prefixed by the section's id."""

    def __init__(self, *args: Any, section: Any, capacities: Capacities, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"section-{section.pk}")
        super().__init__(*args, title=section.title, capacities=capacities, **kwargs)
        self.section = section
