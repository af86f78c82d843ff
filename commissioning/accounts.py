"""django-allauth adapter and forms.

The accounts library's e-mails carry the site's own name and address (``SITE_URL``), never the
host a request happened to name ("Hello from 127.0.0.1!"), and sign-up asks for the person's name.
"""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account import forms as allauth_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django import forms
from django.conf import settings
from django.http import HttpRequest

from commissioning.links import site_url


def _on_site_url(url: str) -> str:
    """The same page at SITE_URL, whatever host the link was built from."""
    parts = urlsplit(url)
    return site_url(parts.path) + (f"?{parts.query}" if parts.query else "")


def _site() -> SimpleNamespace:
    """What allauth's e-mail templates call ``current_site``: our name and address."""
    return SimpleNamespace(name=settings.PLATFORM_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A sign-in in the last few minutes counts as a recent authentication.

        Council staff are sent to set up MFA straight after signing in; asking for the password
        they have just typed, before they may add an authenticator, only gets in the way.
        """
        request = context.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if records and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every link allauth put in the e-mail points at SITE_URL, and the site is named as ours."""
        request = globals()["context"].request
        request_root = request.build_absolute_uri("/") if request is not None else None
        links = {
            key: _on_site_url(value)
            for key, value in context.items()
            if isinstance(value, str) and request_root and value.startswith(request_root)
        }
        super().send_mail(template_prefix, email, {**context, **links, "current_site": _site(), "site_url": site_url()})

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return _on_site_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return _on_site_url(super().get_reset_password_from_key_url(key))

    def save_user(self, request: HttpRequest, user: Any, form: forms.BaseForm, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        name = form.cleaned_data.get("name")
        if name:
            user.name = name
        if commit:
            user.save()
        return user


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up, asking first for the person's name: councils and bidders see it, not an e-mail address."""

    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter your full name", "max_length": "Full name must be 200 characters or fewer"},
        help_text="As you would like councils and the organisations you work with to see it.",
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    field_order = ["name", "email", "password1", "password2"]

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    """allauth's "New Password" labels, in sentence case like every other label."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "New password"
        self.fields["password2"].label = "New password (again)"


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "remember" in self.fields:
            self.fields["remember"].label = "Remember me on this device"
