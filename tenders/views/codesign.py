"""Pages of co-design: comment rounds on draft specifications, comments and replies.

Council side (commissioner opens, replies and closes; every tender viewer reads) under
/c/<slug>/tenders/<id>/comments/; commenter side (residents of the council and members of invited
organisations, who need not be council members) under /c/<slug>/consultations/<round_id>/, a public
page that makes its own checks: sign-in required, and 404 for anyone not invited. The list of
consultations (/c/<slug>/consultations/) is the core's, fed by every app (tenders.extensions).

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from commissioning.forms import add_service_errors
from commissioning.http import CouncilPublicRequest, CouncilRequest
from commissioning.links import site_base_url
from commissioning.tenancy import council_public
from commissioning.views.council import council_permission
from tenders import selectors, services
from tenders.forms.codesign import CloseRoundForm, CommentForm, CommentRoundForm, ReplyForm
from tenders.models import CommentRound, SectionComment, Tender
from tenders.selectors.codesign import round_closed_reason, round_is_open

__all__ = [
    "tender_panel",
    "comment_rounds",
    "comment_round_open",
    "comment_round",
    "comment_round_close",
    "comment_reply",
    "consultation",
]


def tender_panel(request: CouncilRequest, tender: Tender) -> dict[str, Any]:
    """Context for this stage's part of the council's tender page (template tenders/codesign/_tender_panel.html).

    One query: the latest round with its counts.
    """
    latest = selectors.comment_round_latest(council=request.council, tender=tender)
    is_open = latest is not None and round_is_open(latest)
    return {
        "round": latest,
        "is_open": is_open,
        "closed_reason": round_closed_reason(latest) if latest is not None else "",
        "can_open": request.user.has_perm("tender.change", request.council)
        and tender.published_at is None
        and not is_open,
        "tender": tender,
    }


def _round_url(council_slug: str, comment_round: CommentRound) -> str:
    return reverse(
        "comment_round",
        kwargs={"council_slug": council_slug, "tender_id": comment_round.tender_id, "round_id": comment_round.pk},
    )


@council_permission("tender.view")
def comment_rounds(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Every round of comments on the tender's specification, newest first."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    rounds = selectors.comment_rounds(council=request.council, tender=tender)
    rows = [(r, round_is_open(r), round_closed_reason(r)) for r in rounds]
    return render(
        request,
        "tenders/codesign/round_list.html",
        {
            "tender": tender,
            "rows": rows,
            "can_open": request.user.has_perm("tender.change", request.council)
            and tender.published_at is None
            and not any(is_open for _, is_open, _ in rows),
        },
    )


@council_permission("tender.change")
def comment_round_open(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Open the draft for comment: to residents, to chosen organisations, or both."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    form = CommentRoundForm(request.POST or None, organisations=selectors.organisations_to_invite())
    if request.method == "POST" and form.is_valid():
        try:
            comment_round = services.comment_round_open(
                tender=tender,
                actor=request.user,
                open_to_citizens=form.cleaned_data["open_to_citizens"],
                organisations=form.cleaned_data["organisations"],
                message=form.cleaned_data["message"],
                closes_at=form.closes_at(),
                base_url=site_base_url(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "closes_at" in error.error_dict:
                error = ValidationError(
                    {("closes_on" if k == "closes_at" else k): v for k, v in error.error_dict.items()}
                )
            add_service_errors(form, error)
        else:
            messages.success(
                request, "The draft specification is open for comment. Everyone invited has been e-mailed."
            )
            return redirect(_round_url(council_slug, comment_round))
    return render(request, "tenders/codesign/round_form.html", {"tender": tender, "form": form})


def _round_page(
    request: CouncilRequest,
    tender: Tender,
    comment_round: CommentRound,
    *,
    bound: ReplyForm | None = None,
    close_form: CloseRoundForm | None = None,
) -> HttpResponse:
    can_reply = request.user.has_perm("tender.change", request.council)
    groups = selectors.comments_by_section(comment_round=comment_round)
    for group in groups:
        for comment in group.comments:
            # For the template: each comment shown with its reply form.
            comment.reply_form = (  # type: ignore[attr-defined]
                bound if bound is not None and bound.comment.pk == comment.pk else ReplyForm(comment=comment)
            )
    is_open = round_is_open(comment_round)
    return render(
        request,
        "tenders/codesign/round.html",
        {
            "tender": tender,
            "round": comment_round,
            "is_open": is_open,
            "closed_reason": round_closed_reason(comment_round),
            "groups": groups,
            "can_reply": can_reply,
            "close_form": close_form or CloseRoundForm(),
            "error_form": next((f for f in (bound, close_form) if f is not None and f.errors), None),
        },
    )


@council_permission("tender.view")
def comment_round(request: CouncilRequest, council_slug: str, tender_id: int, round_id: int) -> HttpResponse:
    """The round's comments grouped by section, each with its reply (or a form to reply)."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    comment_round = selectors.comment_round_get(council=request.council, tender=tender, round_id=round_id)
    return _round_page(request, tender, comment_round)


@require_POST
@council_permission("tender.change")
def comment_reply(
    request: CouncilRequest, council_slug: str, tender_id: int, round_id: int, comment_id: int
) -> HttpResponse:
    """Resolve a comment with a reply; on an error the page comes back with the typed reply."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    comment_round = selectors.comment_round_get(council=request.council, tender=tender, round_id=round_id)
    comment = get_object_or_404(SectionComment, council=request.council, round=comment_round, pk=comment_id)
    form = ReplyForm(request.POST, comment=comment)
    if form.is_valid():
        try:
            services.comment_resolve(
                comment=comment,
                actor=request.user,
                reply=form.cleaned_data["reply"],
                base_url=site_base_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Reply sent to the comment on “{comment.section_title}”. It is resolved.")
            return redirect(f"{_round_url(council_slug, comment_round)}#comment-{comment.pk}")
    return _round_page(request, tender, comment_round, bound=form)


@require_POST
@council_permission("tender.change")
def comment_round_close(request: CouncilRequest, council_slug: str, tender_id: int, round_id: int) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    comment_round = selectors.comment_round_get(council=request.council, tender=tender, round_id=round_id)
    form = CloseRoundForm(request.POST)
    if form.is_valid():
        try:
            services.comment_round_close(round=comment_round, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The round of comments is closed. You can still reply to its comments.")
            return redirect(_round_url(council_slug, comment_round))
    return _round_page(request, tender, comment_round, close_form=form)


# --- The commenters' side --------------------------------------------------------------------------


@council_public
def consultation(request: CouncilPublicRequest, council_slug: str, round_id: int) -> HttpResponse:
    """The draft specification, section by section, each with a comment form and my comments with replies."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = selectors.consultation_get(council=request.council, user=request.user, round_id=round_id)
    comment_round = found.round
    sections = selectors.specification_sections(tender=comment_round.tender)
    bound: CommentForm | None = None
    if request.method == "POST":
        section = next((s for s in sections if str(s.pk) == request.POST.get("section")), None)
        if section is None:
            messages.error(request, "Choose a section of this specification to comment on.")
            return redirect(request.path)
        bound = CommentForm(request.POST, section=section, capacities=found.capacities)
        if bound.is_valid():
            try:
                services.comment_add(
                    round=comment_round,
                    section=section,
                    author=request.user,
                    organisation=bound.organisation(),
                    body=bound.cleaned_data["body"],
                )
            except PermissionDenied as error:
                bound.add_error(None, str(error))
            except ValidationError as error:
                add_service_errors(bound, error)
            else:
                messages.success(request, f"Thank you. Your comment on “{section.title}” has been sent to the council.")
                return redirect(f"{request.path}#section-{section.pk}")
    groups = selectors.comments_by_section(comment_round=comment_round, author=request.user, include_empty=False)
    mine = {group.section.pk: group.comments for group in groups if group.section is not None}
    removed = [group for group in groups if group.section is None]
    rows = [
        (
            section,
            bound
            if bound is not None and bound.section.pk == section.pk
            else CommentForm(section=section, capacities=found.capacities),
            mine.get(section.pk, []),
        )
        for section in sections
    ]
    return render(
        request,
        "tenders/codesign/consultation.html",
        {
            "round": comment_round,
            "tender": comment_round.tender,
            "is_open": found.is_open,
            "closed_reason": round_closed_reason(comment_round),
            "rows": rows,
            "removed": removed,
            "error_form": bound if bound is not None and bound.errors else None,
        },
    )


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/comments/", comment_rounds, name="comment_rounds"),
    path("tenders/<int:tender_id>/comments/new/", comment_round_open, name="comment_round_open"),
    path("tenders/<int:tender_id>/comments/<int:round_id>/", comment_round, name="comment_round"),
    path("tenders/<int:tender_id>/comments/<int:round_id>/close/", comment_round_close, name="comment_round_close"),
    path(
        "tenders/<int:tender_id>/comments/<int:round_id>/comments/<int:comment_id>/reply/",
        comment_reply,
        name="comment_reply",
    ),
    path("consultations/<int:round_id>/", consultation, name="consultation"),
]
