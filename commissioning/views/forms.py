"""The shape every form page shares: bind the form, and on a valid POST call the service; a refusal
(``ValidationError``) goes onto the form, success says so and redirects.

A view builds its form, calls ``FormPost(request, form).submit`` (or ``.save``) and returns its answer
if there is one, or else renders its page (the form then carries the errors)::

    done = FormPost(request, form).submit(lambda: services.thing_update(...), "Saved.", url)
    return done or render(request, "page.html", {"form": form})

``post_action`` is a button that acts and redirects, with the refusal as an error message.
``confirm_remove`` is the "Are you sure you want to remove …?" page, removed only from its button.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from commissioning.forms import add_service_errors

__all__ = ["FormPost", "confirm_remove", "post_action"]

T = TypeVar("T")


class FormPost:
    """A form page's POST: ``FormPost(request, form).submit(act, success, then)`` binds nothing itself
    (the view built the form) but does the rest of the shape every form page shares."""

    def __init__(self, request: HttpRequest, form: forms.BaseForm) -> None:
        self.request = request
        self.form = form

    def submit(
        self,
        act: Callable[[], T],
        success: str | Callable[[T], str],
        then: str | Callable[[T], str],
        *,
        when: bool = True,
        after: Callable[[T], None] | None = None,
    ) -> HttpResponse | None:
        """On a POST (and ``when``) with a valid form, ``act()``; its ``ValidationError`` goes onto the
        form (None: render the page). Otherwise the ``success`` message (text, or made from what ``act``
        returned), ``after`` (more messages), and a redirect to ``then`` (a URL, or made from the result)."""
        request, form = self.request, self.form
        if not (when and request.method == "POST" and form.is_valid()):
            return None
        try:
            result = act()
        except ValidationError as error:
            add_service_errors(form, error)
            return None
        messages.success(request, success(result) if callable(success) else success)
        if after is not None:
            after(result)
        return redirect(then(result) if callable(then) else then)

    def save(
        self,
        service: Callable[..., T],
        success: str | Callable[[T], str],
        then: str | Callable[[T], str],
        /,
        *,
        when: bool = True,
        after: Callable[[T], None] | None = None,
        **arguments: Any,
    ) -> HttpResponse | None:
        """``submit`` for a service that takes the form's fields as they are:
        ``service(**arguments, actor=request.user, **form.cleaned_data)``."""
        return self.submit(
            lambda: service(**arguments, actor=self.request.user, **self.form.cleaned_data),
            success,
            then,
            when=when,
            after=after,
        )


def confirm_remove(
    request: HttpRequest,
    remove: Callable[[], T],
    success: str | Callable[[T], str],
    then: str,
    *,
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
) -> HttpResponse:
    """The confirmation page: a POST with ``confirm`` calls ``remove()`` and redirects to ``then`` with
    the ``success`` message (text, or made from what ``remove`` returned); its refusal is shown on the
    page as ``error``, with the ``context`` (or what it makes, called only to render)."""
    error = None
    if request.method == "POST" and "confirm" in request.POST:
        try:
            result = remove()
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(then)
    return render(request, template, {**(context() if callable(context) else context), "error": error})


def post_action(
    request: HttpRequest,
    act: Callable[[], T],
    success: str | Callable[[T], str],
    then: str,
    *,
    refusal: Callable[[ValidationError], str] = lambda error: error.messages[0],
) -> HttpResponse:
    """``act()``, then the ``success`` message or its refusal as an error message, and redirect to ``then``."""
    try:
        result = act()
    except ValidationError as error:
        messages.error(request, refusal(error))
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(then)
