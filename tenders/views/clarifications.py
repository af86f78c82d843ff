"""Pages of clarification questions: the council's list and answer pages, and the public page where a
provider asks a question (until the clarification deadline) and sees their own.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls. The council pages check their
permission with ``council_permission``; the question page is public (``council_public``) and makes
its own checks.
"""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from commissioning.http import CouncilPublicRequest, CouncilRequest
from commissioning.links import site_base_url
from commissioning.selectors import organisations_for_user
from commissioning.tenancy import council_public
from commissioning.views.council import council_permission
from commissioning.views.forms import FormPost
from tenders import selectors, services
from tenders.forms.clarifications import AnswerForm, QuestionForm
from tenders.timetable import Status

__all__ = ["urlpatterns"]


# --- Clarification questions (council side) --------------------------------------------------------


@council_permission("tender.view")
def clarification_list(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Every question on the tender, with who asked (council side only), unanswered first."""
    council = request.council
    tender = selectors.tender_get(council=council, tender_id=tender_id)
    return render(
        request,
        "tenders/publication/clarifications.html",
        {
            "tender": tender,
            "questions": selectors.council_clarifications(tender=tender),
            "can_answer": request.user.has_perm("clarifications.answer", council),
        },
    )


@council_permission("clarifications.answer")
def clarification_answer(request: CouncilRequest, council_slug: str, tender_id: int, question_id: int) -> HttpResponse:
    """Word the question for publication, answer it, and save a draft or publish it to every bidder."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    question = selectors.clarification_get(tender=tender, question_id=question_id)
    initial = {"published_question": question.published_question or question.question, "answer": question.answer}
    form = AnswerForm(request.POST or None, initial=initial)
    publish = "publish" in request.POST
    done = FormPost(request, form).save(
        services.clarification_answer,
        "Answer published to every bidder." if publish else "Draft answer saved.",
        reverse("clarifications", kwargs={"council_slug": council_slug, "tender_id": tender.pk}),
        question=question,
        publish=publish,
        base_url=site_base_url(),
    )
    return done or render(
        request, "tenders/publication/clarification_answer.html", {"tender": tender, "question": question, "form": form}
    )


@council_public
def opportunity_questions(request: CouncilPublicRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """A provider asks a clarification question (until the clarification deadline) and sees their own."""
    council = request.council
    tender = selectors.published_tender_get(council=council, tender_id=tender_id)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisations = organisations_for_user(user=request.user)
    has_organisation = organisations.exists()
    form = QuestionForm(request.POST or None, organisations=organisations)
    deadline_passed = tender.status not in (Status.OPEN_FOR_QUESTIONS,)
    done = FormPost(request, form).save(
        services.clarification_ask,
        "Question sent. The council will publish its answer on the notice.",
        reverse("opportunity_questions", kwargs={"council_slug": council_slug, "tender_id": tender.pk}),
        when=has_organisation,
        tender=tender,
    )
    return done or render(
        request,
        "tenders/publication/questions.html",
        {
            "council": council,
            "tender": tender,
            "form": form,
            "has_organisation": has_organisation,
            "deadline_passed": deadline_passed and not form.errors,
            "mine": selectors.my_clarifications(tender=tender, user=request.user),
        },
    )


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/clarifications/", clarification_list, name="clarifications"),
    path(
        "tenders/<int:tender_id>/clarifications/<int:question_id>/",
        clarification_answer,
        name="clarification_answer",
    ),
    path("opportunities/<int:tender_id>/questions/", opportunity_questions, name="opportunity_questions"),
]
