"""Provider organisations: register once, keep details up to date, manage members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from commissioning import selectors, services
from commissioning.extensions import provider_links
from commissioning.forms import OrganisationForm, OrganisationMemberForm
from commissioning.http import AuthenticatedRequest
from commissioning.models import Organisation, OrganisationMember, OwnershipType
from commissioning.views.forms import FormPost, post_action


def _organisation_for(request: AuthenticatedRequest, organisation_id: int, permission: str) -> Organisation:
    """The organisation if the person may act on it. Non-members get 404: existence stays private."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not request.user.has_perm("organisation.view", organisation):
        raise Http404("No such organisation")
    if not request.user.has_perm(permission, organisation):
        raise PermissionDenied("Only an owner of the organisation can do this.")
    return organisation


def _organisation_url(organisation: Organisation) -> str:
    return reverse("organisation_detail", kwargs={"organisation_id": organisation.pk})


def _profile(form: OrganisationForm) -> dict[str, Any]:
    return {f: form.cleaned_data[f] for f in Organisation.PROFILE_FIELDS}


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "organisations/dashboard.html",
        {
            "organisations": selectors.organisations_for_user(user=request.user),
            "provider_links": [(reverse(link.url_name), link.text) for link in provider_links()],
        },
    )


@login_required
def register(request: AuthenticatedRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    done = FormPost(request, form).submit(
        lambda: services.organisation_register(owner=request.user, **_profile(form)),
        lambda organisation: f"{organisation.name} is registered. You are its owner.",
        _organisation_url,
    )
    return done or render(request, "organisations/form.html", {"form": form, "title": "Register an organisation"})


@login_required
def detail(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id, "organisation.view")
    members = OrganisationMember.objects.filter(organisation=organisation).select_related("user")
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "ownership_words": OwnershipType(organisation.ownership_facts.ownership).label,
            "members": members,
            "can_change": request.user.has_perm("organisation.change", organisation),
        },
    )


@login_required
def edit(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id, "organisation.change")
    form = OrganisationForm(request.POST or None, instance=organisation)
    done = FormPost(request, form).submit(
        lambda: services.organisation_update(organisation=organisation, actor=request.user, **_profile(form)),
        "Organisation details saved.",
        _organisation_url(organisation),
    )
    return done or render(
        request,
        "organisations/form.html",
        {"form": form, "title": f"Change {organisation.name}", "organisation": organisation},
    )


@login_required
def member_add(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id, "organisation.manage_members")
    form = OrganisationMemberForm(request.POST or None)
    done = FormPost(request, form).save(
        services.organisation_member_add,
        lambda member: f"{member.user.email} added to {organisation.name}.",
        _organisation_url(organisation),
        organisation=organisation,
    )
    return done or render(request, "organisations/member_add.html", {"form": form, "organisation": organisation})


@login_required
def member_remove(request: AuthenticatedRequest, organisation_id: int, member_id: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id, "organisation.manage_members")
    member = get_object_or_404(
        OrganisationMember.objects.select_related("user"), pk=member_id, organisation=organisation
    )
    if request.method == "POST":
        return post_action(
            request,
            lambda: services.organisation_member_remove(member=member, actor=request.user),
            f"{member.user.email} removed from {organisation.name}.",
            _organisation_url(organisation),
        )
    return render(request, "organisations/member_remove.html", {"organisation": organisation, "member": member})
