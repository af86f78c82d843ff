"""Invitations: by e-mail, with expiry, accepted by signing up or logging in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commissioning import services
from commissioning.models import AuditEvent, Invitation, Membership, Role
from commissioning.tenancy import council_scope
from tests.factories import CouncilWorld, UserFactory


def test_an_admin_invites_by_email_and_the_email_is_sent_after_commit(
    client, knowsley: CouncilWorld, django_capture_on_commit_callbacks, settings
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from commissioning.celery import app

    app.conf.task_always_eager = True
    try:
        client.force_login(knowsley.people["admin"])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/c/knowsley/members/invite/", {"email": "New.Person@Example.org", "role": "evaluator"}
            )
    finally:
        app.conf.task_always_eager = False
    assert response.status_code == 302
    with council_scope(knowsley.council):
        invitation = Invitation.objects.get(email="new.person@example.org")
        assert AuditEvent.objects.filter(action="invitation.created", object_id=str(invitation.pk)).exists()
        assert invitation.emailed_at is not None
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    assert "Knowsley Council" in mail.outbox[0].subject


def test_the_invite_form_shows_errors_next_to_the_field(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["admin"])
    response = client.post("/c/knowsley/members/invite/", {"email": "not-an-email", "role": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "govuk-error-message" in page


def test_only_admins_may_invite(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["commissioner"])
    assert client.post("/c/knowsley/members/invite/", {"email": "x@example.org", "role": "citizen"}).status_code == 403


def test_accepting_an_invitation_creates_the_membership(client, knowsley: CouncilWorld) -> None:
    invitee = UserFactory(email="invited@knowsley.example.org")
    client.force_login(invitee)
    token = knowsley.invitation.token
    assert client.get(f"/invitations/{token}/").status_code == 200
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 302
    with council_scope(knowsley.council):
        assert Membership.objects.filter(user=invitee, role=Role.EVALUATOR).exists()
        assert Invitation.objects.get(pk=knowsley.invitation.pk).status == "accepted"


def test_an_expired_invitation_cannot_be_accepted(client, knowsley: CouncilWorld) -> None:
    invitee = UserFactory(email="invited@knowsley.example.org")
    with council_scope(knowsley.council):
        Invitation.objects.filter(pk=knowsley.invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(invitee)
    response = client.post(f"/invitations/{knowsley.invitation.token}/")
    assert response.status_code == 400
    assert "expired" in response.content.decode()
    with council_scope(knowsley.council):
        assert not Membership.objects.filter(user=invitee).exists()


def test_invitations_expire_after_the_configured_days(knowsley: CouncilWorld, settings) -> None:
    settings.COMMISSIONING_INVITATION_DAYS = 3
    with council_scope(knowsley.council):
        invitation = Invitation.objects.create(
            council=knowsley.council, email="x@example.org", role=Role.CITIZEN, invited_by=knowsley.people["admin"]
        )
    remaining = invitation.expires_at - timezone.now()
    assert timedelta(days=2, hours=23) < remaining <= timedelta(days=3)
    assert invitation.status == "pending"


def test_an_invitation_for_another_address_is_refused(knowsley: CouncilWorld) -> None:
    someone_else = UserFactory(email="someone.else@example.org")
    with council_scope(knowsley.council), pytest.raises(PermissionDenied, match="invited@knowsley"):
        services.invitation_accept(invitation=knowsley.invitation, user=someone_else)


def test_an_invitation_is_accepted_at_sign_up(client, knowsley: CouncilWorld, settings) -> None:
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    token = knowsley.invitation.token
    client.get(f"/invitations/{token}/")  # remembers the token in the session
    password = "a-fine-long-password"
    response = client.post(
        "/accounts/signup/",
        {
            "name": "Invited Person",
            "email": "invited@knowsley.example.org",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 302
    with council_scope(knowsley.council):
        assert Membership.objects.filter(user__email="invited@knowsley.example.org", role=Role.EVALUATOR).exists()


def test_a_revoked_invitation_is_closed(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        services.invitation_revoke(invitation=knowsley.invitation, actor=knowsley.people["admin"])
        with pytest.raises(ValidationError, match="revoked"):
            services.invitation_accept(
                invitation=knowsley.invitation, user=UserFactory(email="invited@knowsley.example.org")
            )


def test_the_last_admin_cannot_be_removed(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        admin = Membership.objects.get(role=Role.ADMIN)
        with pytest.raises(ValidationError, match="at least one admin"):
            services.membership_remove(membership=admin, actor=knowsley.people["admin"])
