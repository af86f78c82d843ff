"""Pages of publication and the public notice: the tender team and declarations, approval, publication
and published changes, documents, eligibility overrides.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls. Council pages check their
permission with ``council_permission``; the notice and its documents are public (``council_public``)
and make their own checks.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from commissioning.downloads import download_name
from commissioning.http import CouncilPublicRequest, CouncilRequest
from commissioning.links import site_base_url
from commissioning.models import Membership
from commissioning.selectors import organisations_for_user
from commissioning.tenancy import council_public
from commissioning.views.council import council_permission
from commissioning.views.forms import FormPost
from social_value import selectors as social_value_selectors
from tenders import selectors, services
from tenders.forms.publication import (
    ApprovalForm,
    ApprovalRequestForm,
    ChangeForm,
    DeclarationForm,
    DocumentForm,
    OverrideDecisionForm,
    OverrideRequestForm,
    TeamMemberForm,
)
from tenders.models import ApprovalDecision, ClarificationQuestion, Tender, TenderTeamMember
from tenders.specification import sanitise
from tenders.timetable import Status

__all__ = ["urlpatterns", "tender_panel"]


# What a published change may change, as the change form and ``tender_change_publish`` both name them.
CHANGED_FIELDS = ("reason", "description", "clarification_deadline", "submission_deadline")


def _base_url(request: HttpRequest) -> str:
    return site_base_url()


def _tender_url(council_slug: str, tender: Tender) -> str:
    return reverse("tender_detail", kwargs={"council_slug": council_slug, "tender_id": tender.pk})


def tender_panel(request: CouncilRequest, tender: Tender) -> dict[str, Any]:
    """Context for this stage's part of the council's tender page (template tenders/publication/_tender_panel.html)."""
    council = request.council
    user = request.user
    team = selectors.tender_team(tender=tender)
    readiness = selectors.publication_readiness(tender=tender) if tender.published_at is None else []
    approval = selectors.latest_approval(tender=tender)
    approval_current = bool(
        approval
        and approval.decision == ApprovalDecision.APPROVED
        and tender.published_at is None
        and approval.content_sha256 == selectors.tender_content_sha256(tender=tender)
    )
    overrides = selectors.eligibility_overrides(tender=tender)
    return {
        "tender": tender,
        "team": team,
        "my_declaration": next((row.declaration for row in team if row.user.pk == user.pk), None),
        "on_team": any(row.user.pk == user.pk for row in team),
        "readiness": readiness,
        "ready": all(check.ok for check in readiness),
        "approval": approval,
        "approval_current": approval_current,
        "asked": selectors.approval_asked(tender=tender, approval=approval) if tender.published_at is None else None,
        "revisions": selectors.tender_revisions(tender=tender),
        "override": overrides[0] if overrides else None,
        "documents": selectors.tender_documents(tender=tender),
        "questions": ClarificationQuestion.objects.filter(council=council, tender=tender).count(),
        "unanswered": ClarificationQuestion.objects.filter(
            council=council, tender=tender, published_at__isnull=True
        ).count(),
        "can_change": user.has_perm("tender.change", council),
        "can_approve": user.has_perm("tender.approve", council),
        "can_publish": user.has_perm("tender.publish", council),
    }


# --- Team and declarations ------------------------------------------------------------------------


@council_permission("tender.view")
def tender_team(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The tender's team with each person's declaration; commissioners add people."""
    council = request.council
    tender = selectors.tender_get(council=council, tender_id=tender_id)
    can_change = request.user.has_perm("tender.change", council)
    memberships = list(
        Membership.objects.filter(council=council).select_related("user").order_by("user__name", "user__email", "role")
    )
    form = TeamMemberForm(request.POST if request.method == "POST" else None, memberships=memberships)
    if request.method == "POST" and not can_change:
        raise PermissionDenied("Only a council commissioner can add people to a tender's team.")

    def add() -> TenderTeamMember:
        user, role = form.chosen()
        return services.team_member_add(tender=tender, actor=request.user, user=user, role=role)

    done = FormPost(request, form).submit(
        add,
        lambda member: f"{member.user.name or member.user.email} added to the team. They must declare their interests.",
        reverse("tender_team", kwargs={"council_slug": council_slug, "tender_id": tender.pk}),
    )
    return done or render(
        request,
        "tenders/publication/team.html",
        {"tender": tender, "team": selectors.tender_team(tender=tender), "form": form, "can_change": can_change},
    )


@council_permission("tender.view")
def tender_declaration(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Declare one's interests for the tender (team members and officers). A new one replaces the last."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    current = selectors.current_declaration(tender=tender, user=request.user)
    # An evaluator's current declaration may be renewed from their declarations against bidders:
    # the form starts from what they declared for the tender themselves.
    own = current
    if current is not None and current.from_evaluation:
        own = selectors.team_declaration(tender=tender, user=request.user)
    initial = {"has_conflict": "yes" if own.has_conflict else "no", "details": own.details} if own else {}
    form = DeclarationForm(request.POST or None, initial=initial)
    done = FormPost(request, form).save(
        services.conflict_declare, "Declaration saved.", _tender_url(council_slug, tender), tender=tender
    )
    return done or render(
        request, "tenders/publication/declaration.html", {"tender": tender, "form": form, "current": current}
    )


# --- Approval, publication and changes ------------------------------------------------------------


@council_permission("tender.approve")
def tender_approval(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The readiness checklist, then approve for publication or return with a reason (four eyes)."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    form = ApprovalForm(request.POST or None)
    done = FormPost(request, form).save(
        services.tender_approval_decide,
        lambda _: (
            "Tender approved for publication." if form.cleaned_data["decision"] == "approved" else "Tender returned."
        ),
        _tender_url(council_slug, tender),
        tender=tender,
    )
    if done:
        return done
    readiness = selectors.publication_readiness(tender=tender)
    return render(
        request,
        "tenders/publication/approval.html",
        {
            "tender": tender,
            "form": form,
            "readiness": readiness,
            "ready": all(check.ok for check in readiness),
            "is_author": not selectors.may_approve(user=request.user, tender=tender)[0],
            "declaration": selectors.current_declaration(tender=tender, user=request.user),
            "approval": selectors.latest_approval(tender=tender),
        },
    )


@council_permission("tender.change")
def tender_approval_request(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """A commissioner sends the tender for approval: the officers who may approve it are e-mailed."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    form = ApprovalRequestForm(request.POST or None)
    done = FormPost(request, form).submit(
        lambda: services.tender_approval_request(
            tender=tender, actor=request.user, note=form.cleaned_data["note"], base_url=_base_url(request)
        ),
        lambda sent: "Sent for approval. We e-mailed " + ", ".join(officer["name"] for officer in sent.asked) + ".",
        _tender_url(council_slug, tender),
    )
    if done:
        return done
    readiness = selectors.publication_readiness(tender=tender) if tender.published_at is None else []
    return render(
        request,
        "tenders/publication/approval_request.html",
        {
            "tender": tender,
            "form": form,
            "readiness": readiness,
            "ready": all(check.ok for check in readiness),
            "officers": selectors.approval_officers(tender=tender),
            "asked": selectors.approval_asked(tender=tender),
        },
    )


@council_permission("tender.publish")
def tender_publish(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Publish an approved tender (the approval must be of the content as it is now)."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.tender_publish(tender=tender, actor=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, f"“{tender.title}” is published. Providers can read the notice and bid.")
            return redirect(_tender_url(council_slug, tender))
    approval = selectors.latest_approval(tender=tender)
    current = bool(
        approval
        and approval.decision == ApprovalDecision.APPROVED
        and approval.content_sha256 == selectors.tender_content_sha256(tender=tender)
    )
    return render(
        request,
        "tenders/publication/publish.html",
        {"tender": tender, "approval": approval, "approval_current": current, "problems": problems},
        status=400 if problems else 200,
    )


@council_permission("tender.publish")
def tender_change(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Publish a change to a published tender as its next version, with a reason."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    documents = selectors.tender_documents(tender=tender)
    initial = {
        "clarification_deadline": tender.clarification_deadline,
        "submission_deadline": tender.submission_deadline,
        "description": tender.description,
    }
    form = ChangeForm(request.POST or None, request.FILES or None, initial=initial, documents=documents)
    done = FormPost(request, form).submit(
        lambda: services.tender_change_publish(
            tender=tender,
            actor=request.user,
            **{name: form.cleaned_data[name] for name in CHANGED_FIELDS},
            add_documents=form.new_documents(),
            withdraw_document_ids=form.withdrawn_ids(),
            base_url=_base_url(request),
        ),
        lambda revision: (
            f"Version {revision.number} published. Organisations that already submitted a "
            "bid are asked to confirm or resubmit it."
        ),
        _tender_url(council_slug, tender),
        when=tender.published_at is not None,
    )
    return done or render(request, "tenders/publication/change.html", {"tender": tender, "form": form})


# --- Documents ----------------------------------------------------------------------------------


@council_permission("tender.view")
def tender_documents(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The documents published with the tender; commissioners add and remove them before publication."""
    council = request.council
    tender = selectors.tender_get(council=council, tender_id=tender_id)
    can_change = request.user.has_perm("tender.change", council) and tender.published_at is None
    form = DocumentForm(
        request.POST if request.method == "POST" and "remove" not in request.POST else None, request.FILES or None
    )
    if request.method == "POST" and not request.user.has_perm("tender.change", council):
        raise PermissionDenied("Only a council commissioner can change a tender's documents.")
    if request.method == "POST" and "remove" in request.POST:
        document_id = request.POST["remove"]
        if document_id.isdecimal() and len(document_id) < 12:
            document = selectors.document_get(tender=tender, document_id=int(document_id))
            try:
                services.document_remove(document=document, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"“{document.title}” removed.")
        return redirect("tender_documents", council_slug=council_slug, tender_id=tender.pk)
    done = FormPost(request, form).submit(
        lambda: services.document_add(tender=tender, actor=request.user, document=form.document()),
        lambda document: f"“{document.title}” added.",
        reverse("tender_documents", kwargs={"council_slug": council_slug, "tender_id": tender.pk}),
    )
    return done or render(
        request,
        "tenders/publication/documents.html",
        {
            "tender": tender,
            "form": form,
            "can_change": can_change,
            "documents": selectors.tender_documents(tender=tender, include_withdrawn=True),
        },
    )


# --- Eligibility overrides ------------------------------------------------------------------------


@council_permission("tender.view")
def eligibility_override(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The tender's eligibility, every override request, and (commissioners) a new request."""
    council = request.council
    tender = selectors.tender_get(council=council, tender_id=tender_id)
    can_request = request.user.has_perm("tender.change", council) and tender.published_at is None
    form = OverrideRequestForm(request.POST or None)
    if request.method == "POST" and not request.user.has_perm("tender.change", council):
        raise PermissionDenied("Only a council commissioner can ask for an eligibility override.")
    done = FormPost(request, form).submit(
        lambda: services.eligibility_override_request(
            tender=tender,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            reserved_for_local=form.cleaned_data["reserved_for_local"],
            reserved_for_vcse="vcse" in form.cleaned_data["reserved_for"],
            reserved_for_sme="sme" in form.cleaned_data["reserved_for"],
        ),
        "Request sent. An officer who did not ask must approve it.",
        _tender_url(council_slug, tender),
    )
    return done or render(
        request,
        "tenders/publication/eligibility.html",
        {
            "tender": tender,
            "form": form,
            "can_request": can_request,
            "can_decide": request.user.has_perm("tender.approve", council),
            "overrides": selectors.eligibility_overrides(tender=tender),
            "answer": selectors.tender_eligibility(tender=tender, organisation=None),
            "band": selectors.tender_band(tender=tender, on=timezone.localdate()),
        },
    )


@council_permission("tender.approve")
def eligibility_override_decide(
    request: CouncilRequest, council_slug: str, tender_id: int, override_id: int
) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    override = selectors.eligibility_override_get(tender=tender, override_id=override_id)
    form = OverrideDecisionForm(request.POST or None)
    done = FormPost(request, form).save(
        services.eligibility_override_decide,
        "Decision saved.",
        _tender_url(council_slug, tender),
        override=override,
    )
    return done or render(
        request,
        "tenders/publication/eligibility_decide.html",
        {"tender": tender, "override": override, "form": form},
    )


# --- The public notice ----------------------------------------------------------------------------


def _criteria_rows(model: list[dict[str, Any]], depth: int = 0) -> list[dict[str, Any]]:
    rows = []
    for criterion in model:
        rows.append({**criterion, "depth": depth})
        rows.extend(_criteria_rows(criterion.get("children") or [], depth + 1))
    return rows


def asked_outcomes(council: Any, criteria_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The social value framework outcomes the published criteria ask about (once each, in order),
    each with the measures under it in the council's newest published framework. No query when
    the criteria name none; two otherwise."""
    asked: dict[int, dict[str, Any]] = {}
    for row in criteria_rows:
        for outcome in row.get("framework_outcomes") or []:
            if isinstance(outcome, dict) and isinstance(outcome.get("id"), int):
                asked.setdefault(outcome["id"], {**outcome, "measures": []})
    if not asked:
        return []
    published = social_value_selectors.published_measures(council=council, asked=set(asked))
    for group in published.groups if published else []:
        if group.outcome_id in asked:
            asked[group.outcome_id]["measures"].extend(group.versions)
    return list(asked.values())


def _bid_url(council_slug: str, tender: Tender) -> str:
    return reverse("bid_start", kwargs={"council_slug": council_slug, "tender_id": tender.pk})


@council_public
def opportunity(request: CouncilPublicRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The public notice of a published tender: everything a provider needs to decide to bid."""
    council = request.council
    notice = selectors.public_notice(council=council, tender_id=tender_id)
    tender, revisions, rule = notice.tender, notice.revisions, notice.rule
    latest = revisions[0] if revisions else None
    sections = (
        [
            {"title": s.get("title", ""), "body": sanitise(s.get("body", ""))}
            for s in latest.specification_version.sections
        ]
        if latest
        else []
    )
    # Who may bid is read once for everyone; answered here for each of the person's organisations.
    answers = []
    if request.user.is_authenticated:
        answers = [(o, rule.answer(o)) for o in organisations_for_user(user=request.user)]
    status = tender.status
    criteria_rows = _criteria_rows(latest.evaluation_model if latest else [])
    return render(
        request,
        "tenders/publication/notice.html",
        {
            "council": council,
            "tender": tender,
            "status": status,
            "latest": latest,
            "revisions": revisions,
            "criteria_rows": criteria_rows,
            "asked_outcomes": asked_outcomes(council, criteria_rows),
            "lots": latest.lots if latest else [],
            "sections": sections,
            "documents": notice.documents,
            "questions": notice.questions,
            "awarded": notice.awarded,
            "eligibility": rule.answer(None),
            "answers": answers,
            "bid_url": _bid_url(council_slug, tender) if status != Status.CLOSED else None,
            "questions_open": status == Status.OPEN_FOR_QUESTIONS,
        },
    )


@council_public
def opportunity_document(
    request: CouncilPublicRequest, council_slug: str, tender_id: int, document_id: int
) -> HttpResponseBase:
    """A document of a published tender, for anyone."""
    tender = selectors.published_tender_get(council=request.council, tender_id=tender_id)
    document = selectors.document_get(tender=tender, document_id=document_id)
    extension = os.path.splitext(document.file.name)[1]
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=download_name(document.title) + extension,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/team/", tender_team, name="tender_team"),
    path("tenders/<int:tender_id>/declaration/", tender_declaration, name="tender_declaration"),
    path("tenders/<int:tender_id>/approval/", tender_approval, name="tender_approval"),
    path("tenders/<int:tender_id>/approval/request/", tender_approval_request, name="tender_approval_request"),
    path("tenders/<int:tender_id>/publish/", tender_publish, name="tender_publish"),
    path("tenders/<int:tender_id>/changes/new/", tender_change, name="tender_change"),
    path("tenders/<int:tender_id>/documents/", tender_documents, name="tender_documents"),
    path("tenders/<int:tender_id>/eligibility/", eligibility_override, name="eligibility_override"),
    path(
        "tenders/<int:tender_id>/eligibility/<int:override_id>/",
        eligibility_override_decide,
        name="eligibility_override_decide",
    ),
    path("opportunities/<int:tender_id>/", opportunity, name="opportunity"),
    path(
        "opportunities/<int:tender_id>/documents/<int:document_id>/",
        opportunity_document,
        name="opportunity_document",
    ),
]
