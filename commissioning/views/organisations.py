"""Provider organisations: register once, keep details up to date, manage members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from commissioning import selectors, services
from commissioning.forms import OrganisationForm, OrganisationMemberForm, add_service_errors
from commissioning.http import AuthenticatedRequest
from commissioning.models import Organisation, OrganisationMember


def _organisation_for(request: AuthenticatedRequest, organisation_id: int, permission: str) -> Organisation:
    """The organisation if the person may act on it. Non-members get 404: existence stays private."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not request.user.has_perm("organisation.view", organisation):
        raise Http404("No such organisation")
    if not request.user.has_perm(permission, organisation):
        raise PermissionDenied("Only an owner of the organisation can do this.")
    return organisation


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "organisations/dashboard.html", {"organisations": selectors.organisations_for_user(user=request.user)}
    )


@login_required
def register(request: AuthenticatedRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields: dict[str, Any] = {f: form.cleaned_data[f] for f in Organisation.PROFILE_FIELDS}
        try:
            organisation = services.organisation_register(owner=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{organisation.name} is registered. You are its owner.")
            return redirect("organisation_detail", organisation_id=organisation.pk)
    return render(request, "organisations/form.html", {"form": form, "title": "Register an organisation"})


@login_required
def detail(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id, "organisation.view")
    members = OrganisationMember.objects.filter(organisation=organisation).select_related("user")
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "members": members,
            "can_change": request.user.has_perm("organisation.change", organisation),
        },
    )


@login_required
def edit(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id, "organisation.change")
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in Organisation.PROFILE_FIELDS}
        try:
            services.organisation_update(organisation=organisation, actor=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Organisation details saved.")
            return redirect("organisation_detail", organisation_id=organisation.pk)
    return render(
        request,
        "organisations/form.html",
        {"form": form, "title": f"Change {organisation.name}", "organisation": organisation},
    )


@login_required
def member_add(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id, "organisation.manage_members")
    form = OrganisationMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.organisation_member_add(
                organisation=organisation,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{member.user.email} added to {organisation.name}.")
            return redirect("organisation_detail", organisation_id=organisation.pk)
    return render(request, "organisations/member_add.html", {"form": form, "organisation": organisation})


@login_required
def member_remove(request: AuthenticatedRequest, organisation_id: int, member_id: int) -> HttpResponse:
    organisation = _organisation_for(request, organisation_id, "organisation.manage_members")
    member = get_object_or_404(
        OrganisationMember.objects.select_related("user"), pk=member_id, organisation=organisation
    )
    if request.method == "POST":
        try:
            services.organisation_member_remove(member=member, actor=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{member.user.email} removed from {organisation.name}.")
        return redirect("organisation_detail", organisation_id=organisation.pk)
    return render(request, "organisations/member_remove.html", {"organisation": organisation, "member": member})
