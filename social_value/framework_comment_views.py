"""Pages of the social value framework opened for comment.

Council side, for admins, under /c/<slug>/social-value/framework/comments/: open a round, read its
comments (a page at a time, or those on one theme, outcome or measure), reply to each, close the
round. Commenter side (residents of the council and members of invited voluntary groups, who need
not be council members) at /c/<slug>/consultations/framework/<round_id>/: a public page that makes
its own checks (sign-in required, 404 for anyone not invited), listed with the council's other
consultations (``commissioning.extensions``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from commissioning.forms import add_service_errors
from commissioning.forms_codesign import CloseRoundForm, CommentForm, CommentRoundForm, ReplyForm
from commissioning.http import CouncilPublicRequest, CouncilRequest
from commissioning.tenancy import council_public
from commissioning.views.council import council_permission
from social_value import framework_comment_selectors as comments
from social_value import selectors
from social_value.framework_comments import (
    framework_comment_add,
    framework_comment_resolve,
    framework_comment_round_close,
    framework_comment_round_open,
)
from social_value.models import FrameworkComment, FrameworkCommentRound, Measure

__all__ = [
    "comment_panel",
    "comment_reply",
    "comment_round",
    "comment_round_close",
    "comment_round_open",
    "framework_consultation",
]

MANAGE = "social_value.manage_framework"
EARLIER_ROUNDS = 5


def _round_url(council_slug: str, comment_round: FrameworkCommentRound) -> str:
    return reverse("social_value_comment_round", kwargs={"council_slug": council_slug, "round_id": comment_round.pk})


def _tree_items(tree: selectors.FrameworkTree) -> Iterator[tuple[str, Any]]:
    """Every theme, outcome and measure of the tree, with its kind."""
    for branch in tree:
        yield "theme", branch.theme
        for leaf in branch.outcomes:
            yield "outcome", leaf.outcome
            for measure in leaf.measures:
                yield "measure", measure


def comment_panel(request: CouncilRequest, tree: selectors.FrameworkTree) -> dict[str, Any]:
    """The framework page's part about comments (for admins): the latest round with its counts, the
    comments on each theme, outcome and measure of the tree (``comments_total`` and
    ``comments_unresolved`` on each), earlier rounds, and whether a round may be opened. Two queries."""
    if not request.user.has_perm(MANAGE, request.council):
        return {}
    rounds = list(comments.comment_rounds(council=request.council)[: EARLIER_ROUNDS + 1])
    latest = rounds[0] if rounds else None
    is_open = latest is not None and latest.is_open()
    counts = comments.comment_counts_by_section(comment_round=latest) if latest else {}
    for kind, item in _tree_items(tree):
        item.comments_total, item.comments_unresolved = counts.get(f"{kind}:{item.pk}", (0, 0))
    return {
        "comment_round": latest,
        "comment_round_open": is_open,
        "comment_round_closed_reason": comments.round_closed_reason(latest) if latest else "",
        "earlier_rounds": rounds[1:],
        "can_open_round": tree.framework is not None and not is_open,
    }


@council_permission(MANAGE)
def comment_round_open(request: CouncilRequest, council_slug: str) -> HttpResponse:
    """Open the framework for comment: to residents, to chosen local voluntary groups, or both."""
    form = CommentRoundForm(
        request.POST or None, organisations=comments.voluntary_groups_to_invite(council=request.council)
    )
    form.fields["organisations"].label = "Voluntary groups invited to comment"
    form.fields["organisations"].help_text = (
        "Charities, community interest companies, co-operatives and community groups registered or "
        "operating in the council's area. Every member is e-mailed a link and may comment for them."
    )
    form.fields[
        "message"
    ].help_text = "Shown at the top of the framework, for example: Do these measures count what matters locally?"
    if request.method == "POST" and form.is_valid():
        try:
            comment_round = framework_comment_round_open(
                council=request.council,
                actor=request.user,
                open_to_citizens=form.cleaned_data["open_to_citizens"],
                organisations=form.cleaned_data["organisations"],
                message=form.cleaned_data["message"],
                closes_at=form.closes_at(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "closes_at" in error.error_dict:
                error = ValidationError(
                    {("closes_on" if k == "closes_at" else k): v for k, v in error.error_dict.items()}
                )
            add_service_errors(form, error)
        else:
            messages.success(request, "The framework is open for comment.")
            return redirect(_round_url(council_slug, comment_round))
    return render(request, "social_value/comments/round_form.html", {"form": form})


def _round_page(
    request: CouncilRequest,
    comment_round: FrameworkCommentRound,
    *,
    bound: ReplyForm | None = None,
    close_form: CloseRoundForm | None = None,
) -> HttpResponse:
    on = request.GET.get("on", "")
    if on and not comments.SECTION_KEY_PATTERN.match(on):
        on = ""
    page = comments.comments_page(comment_round=comment_round, page=request.GET.get("page"), section_key=on)
    for comment in page.object_list:
        # For the template: each comment with its reply form and where it posts.
        comment.reply_form = (
            bound if bound is not None and bound.comment.pk == comment.pk else ReplyForm(comment=comment)
        )
        comment.reply_url = reverse(
            "social_value_comment_reply",
            kwargs={"council_slug": request.council.slug, "round_id": comment_round.pk, "comment_id": comment.pk},
        )
    return render(
        request,
        "social_value/comments/round.html",
        {
            "round": comment_round,
            "is_open": comment_round.is_open(),
            "closed_reason": comments.round_closed_reason(comment_round),
            "page": page,
            "on": on,
            "on_title": page.object_list[0].section_title if on and page.object_list else on,
            "can_reply": True,
            "close_form": close_form or CloseRoundForm(),
            "error_form": next((f for f in (bound, close_form) if f is not None and f.errors), None),
        },
    )


@council_permission(MANAGE)
def comment_round(request: CouncilRequest, council_slug: str, round_id: int) -> HttpResponse:
    """The round's comments a page at a time (or those on one part: ``?on=measure:12``), each with its reply."""
    return _round_page(request, comments.comment_round_get(council=request.council, round_id=round_id))


@require_POST
@council_permission(MANAGE)
def comment_reply(request: CouncilRequest, council_slug: str, round_id: int, comment_id: int) -> HttpResponse:
    """Resolve a comment with a reply; on an error the page comes back with the typed reply."""
    comment_round = comments.comment_round_get(council=request.council, round_id=round_id)
    comment = get_object_or_404(FrameworkComment, council=request.council, round=comment_round, pk=comment_id)
    form = ReplyForm(request.POST, comment=comment)
    if form.is_valid():
        try:
            framework_comment_resolve(comment=comment, actor=request.user, reply=form.cleaned_data["reply"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Reply saved to the comment on “{comment.section_title}”. It is resolved.")
            return redirect(f"{_round_url(council_slug, comment_round)}#comment-{comment.pk}")
    return _round_page(request, comment_round, bound=form)


@require_POST
@council_permission(MANAGE)
def comment_round_close(request: CouncilRequest, council_slug: str, round_id: int) -> HttpResponse:
    comment_round = comments.comment_round_get(council=request.council, round_id=round_id)
    form = CloseRoundForm(request.POST)
    if form.is_valid():
        try:
            framework_comment_round_close(round=comment_round, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The framework is closed for comment. You can still reply to its comments.")
            return redirect(_round_url(council_slug, comment_round))
    return _round_page(request, comment_round, close_form=form)


# --- The commenters' side --------------------------------------------------------------------------


@dataclass
class Part:
    """A theme, outcome or measure as the commenter's page shows it: its form and their comments."""

    key: str
    title: str
    measure: Measure | None = None
    form: CommentForm | None = None
    mine: list[FrameworkComment] = field(default_factory=list)
    children: list[Part] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return self.key.replace(":", "-")


def _parts(tree: selectors.FrameworkTree) -> list[Part]:
    """The framework's themes → outcomes → measures in use, as parts one may comment on."""
    return [
        Part(
            key=f"theme:{branch.theme.pk}",
            title=branch.theme.title,
            children=[
                Part(
                    key=f"outcome:{leaf.outcome.pk}",
                    title=leaf.outcome.title,
                    children=[
                        Part(key=f"measure:{m.pk}", title=f"{m.code} {m.name}", measure=m)
                        for m in leaf.measures
                        if not m.is_retired
                    ],
                )
                for leaf in branch.outcomes
            ],
        )
        for branch in tree
    ]


def _every(parts: list[Part]) -> Iterator[Part]:
    for part in parts:
        yield part
        yield from _every(part.children)


@council_public
def framework_consultation(request: CouncilPublicRequest, council_slug: str, round_id: int) -> HttpResponse:
    """The framework, theme by theme, with a comment form for each theme, outcome and measure, and
    the person's own comments with the council's replies."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = comments.framework_consultation_get(council=request.council, user=request.user, round_id=round_id)
    comment_round = found.round
    themes = _parts(selectors.framework_tree(council=request.council))
    parts = {part.key: part for part in _every(themes)}
    bound: CommentForm | None = None
    if request.method == "POST":
        key = request.POST.get("section", "")
        if key not in parts:
            messages.error(request, "Choose a theme, outcome or measure of the framework to comment on.")
            return redirect(request.path)
        part = parts[key]
        bound = CommentForm(request.POST, prefix=part.anchor, title=part.title, capacities=found.capacities)
        if bound.is_valid():
            try:
                framework_comment_add(
                    round=comment_round,
                    section_key=key,
                    author=request.user,
                    organisation=bound.organisation(),
                    body=bound.cleaned_data["body"],
                )
            except PermissionDenied as error:
                bound.add_error(None, str(error))
            except ValidationError as error:
                add_service_errors(bound, error)
            else:
                messages.success(request, f"Thank you. Your comment on “{part.title}” has been sent to the council.")
                return redirect(f"{request.path}#{part.anchor}")
    mine = comments.my_comments(comment_round=comment_round, author=request.user)
    for part in parts.values():
        part.mine = mine.get(part.key, [])
        if found.is_open:
            part.form = (
                bound
                if bound is not None and bound.prefix == part.anchor
                else CommentForm(prefix=part.anchor, title=part.title, capacities=found.capacities)
            )
    return render(
        request,
        "social_value/comments/consultation.html",
        {
            "round": comment_round,
            "framework": comment_round.framework,
            "themes": themes,
            "is_open": found.is_open,
            "closed_reason": comments.round_closed_reason(comment_round),
            "removed": [comment for key, listed in mine.items() if key not in parts for comment in listed],
            "error_form": bound if bound is not None and bound.errors else None,
        },
    )
