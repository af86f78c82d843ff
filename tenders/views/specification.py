"""Pages of a tender's specification (sections drafted in the browser, versions and their
comparison) and of the council's clause library.

``urlpatterns`` are included under /c/<council_slug>/ by tenders.urls.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST
from js_asset import Media as AssetMedia  # type: ignore[import-untyped]

from commissioning.forms import add_service_errors
from commissioning.http import CouncilRequest
from commissioning.views.council import council_permission
from commissioning.views.forms import FormPost, confirm_remove
from tenders import selectors, services
from tenders.forms.specification import ClauseForm, NewSectionForm, SectionForm, VersionForm
from tenders.models import Clause, SpecificationSection, Tender
from tenders.specification import diff_versions, has_changes, sanitise

__all__ = ["urlpatterns"]


# --- The specification ----------------------------------------------------------------------------


def _specification_page(
    request: CouncilRequest,
    tender: Tender,
    *,
    bound: SectionForm | None = None,
    new_section_form: NewSectionForm | None = None,
    version_form: VersionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The editor: every section as a form (the one that failed, bound with the typed text), versions."""
    council = request.council
    can_edit = request.user.has_perm("tender.change", council) and tender.published_at is None
    clauses = selectors.clause_list(council=council, active_only=True)
    sections = selectors.specification_sections(tender=tender)
    section_forms = [
        bound if bound is not None and bound.section.pk == section.pk else SectionForm(section=section, clauses=clauses)
        for section in sections
    ]
    versions = selectors.specification_versions(tender=tender)
    error_form = next(
        (f for f in (bound, new_section_form, version_form) if f is not None and f.errors),
        None,
    )
    return render(
        request,
        "tenders/specification.html",
        {
            "tender": tender,
            "can_edit": can_edit,
            "section_forms": section_forms,
            # The editor's import map is an inline script: it carries this response's CSP nonce.
            "editor_media": AssetMedia.from_media(section_forms[0].media, nonce=request.csp_nonce)
            if can_edit and section_forms
            else None,
            "sections": [(form.section, form) for form in section_forms],
            "new_section_form": new_section_form or NewSectionForm(),
            "version_form": version_form or VersionForm(),
            "versions": versions,
            "error_form": error_form,
            "has_clauses": clauses.exists(),
        },
        status=status,
    )


def _editor_url(council_slug: str, tender: Tender, section: SpecificationSection | None = None) -> str:
    url = reverse("specification", kwargs={"council_slug": council_slug, "tender_id": tender.pk})
    return f"{url}#section-{section.pk}" if section is not None else url


@council_permission("tender.view")
def specification(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """The tender's specification: sections drafted in the browser (autosaved with htmx), versions."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    return _specification_page(request, tender)


@require_POST
@council_permission("tender.change")
def specification_section_add(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    form = NewSectionForm(request.POST)
    done = FormPost(request, form).save(
        services.section_add,
        lambda section: f"Section “{section.title}” added.",
        lambda section: _editor_url(council_slug, tender, section),
        tender=tender,
    )
    return done or _specification_page(request, tender, new_section_form=form)


def _section_status(request: HttpRequest, form: SectionForm, section: SpecificationSection) -> HttpResponse:
    """The htmx answer to an autosave: the status line (saved, or the error) and, if saved, the new revision."""
    return render(request, "tenders/includes/section_status.html", {"form": form, "section": section})


@require_POST
@council_permission("tender.change")
def specification_section_save(
    request: CouncilRequest, council_slug: str, tender_id: int, section_id: int
) -> HttpResponse:
    """Save a section (autosave with htmx, or the form's buttons without JavaScript), then move it,
    insert a clause or remove it. The typed text is saved first, so a button never loses it.

    A refused save (someone saved the section since, or the tender was published) keeps the typed
    text: htmx gets the error in the status line; a plain post gets the page again with the text.
    """
    council = request.council
    tender = selectors.tender_get(council=council, tender_id=tender_id)
    section = selectors.section_get(tender=tender, section_id=section_id)
    clauses = selectors.clause_list(council=council, active_only=True)
    data = request.POST.copy()
    if "insert_clause" not in data:
        # Only the "Insert clause" button reads the clause chosen: an autosave never fails on it.
        data.pop(f"section-{section.pk}-clause", None)
    form = SectionForm(data, section=section, clauses=clauses)
    if form.is_valid():
        try:
            section = services.section_save(
                section=section,
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                expected_revision=form.cleaned_data["revision"],
            )
            if request.htmx:
                return _section_status(request, form, section)
            done = "Section saved."
            if "insert_clause" in request.POST:
                clause = form.cleaned_data.get("clause")
                if clause is None:
                    raise ValidationError({"clause": "Choose a clause to insert"})
                section = services.clause_insert(section=section, clause=clause, actor=request.user)
                done = f"Clause “{clause.title}” inserted in “{section.title}”."
            elif "remove" in request.POST:
                # The typed text is saved above; removing it asks first, on its own page.
                return redirect(
                    "specification_section_remove",
                    council_slug=council_slug,
                    tender_id=tender.pk,
                    section_id=section.pk,
                )
            elif request.POST.get("move") in {"up", "down"}:
                section = services.section_move(section=section, actor=request.user, direction=request.POST["move"])
                done = f"Section “{section.title}” moved {request.POST['move']}."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(_editor_url(council_slug, tender, section))
    if request.htmx:
        return _section_status(request, form, section)
    return _specification_page(request, tender, bound=form)


@council_permission("tender.change")
def specification_section_remove(
    request: CouncilRequest, council_slug: str, tender_id: int, section_id: int
) -> HttpResponse:
    """ "Are you sure you want to remove the section …?". Its text is kept in a saved version
    (saved first if needed), from which "Restore this section" brings it back."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    section = selectors.section_get(tender=tender, section_id=section_id)
    if tender.published_at is not None:
        messages.error(request, "The specification is locked because the tender is published")
        return redirect(_editor_url(council_slug, tender))
    return confirm_remove(
        request,
        lambda: services.section_remove(section=section, actor=request.user),
        lambda version: (
            f"Section “{section.title}” removed. Its text is kept in version {version.number}, "
            "where you can restore it."
        ),
        _editor_url(council_slug, tender),
        template="tenders/confirm_remove.html",
        context={
            "tender": tender,
            "question": f"Are you sure you want to remove the section “{section.title}”?",
            "explanation": "It is taken out of the draft specification. Its text is kept in a saved version of the "
            "specification (one is saved now if needed), and you can restore it from there until the tender "
            "is published.",
            "button": "Yes, remove the section",
            "back_url": _editor_url(council_slug, tender, section),
            "back_text": "No, keep the section",
        },
    )


@require_POST
@council_permission("tender.change")
def specification_section_restore(
    request: CouncilRequest, council_slug: str, tender_id: int, version_id: int, index: int
) -> HttpResponse:
    """Bring a section back from a saved version, at the end of the draft."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    version = selectors.version_get(tender=tender, version_id=version_id)
    try:
        section = services.section_restore(version=version, index=index, actor=request.user)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("specification_version", council_slug=council_slug, tender_id=tender.pk, version_id=version.pk)
    messages.success(request, f"Section “{section.title}” restored from version {version.number}, at the end.")
    return redirect(_editor_url(council_slug, tender, section))


@require_POST
@council_permission("tender.change")
def specification_version_save(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    form = VersionForm(request.POST)
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    done = FormPost(request, form).save(
        services.specification_save_version,
        lambda version: f"Version {version.number} saved.",
        f"{_editor_url(council_slug, tender)}#versions",
        tender=tender,
    )
    return done or _specification_page(request, tender, version_form=form)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) < 9 else None


@council_permission("tender.view")
def specification_version(request: CouncilRequest, council_slug: str, tender_id: int, version_id: int) -> HttpResponse:
    """One saved version as it was, read-only."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    version = selectors.version_get(tender=tender, version_id=version_id)
    sections = [{"title": s.get("title", ""), "body": sanitise(s.get("body", ""))} for s in version.sections]
    can_restore = request.user.has_perm("tender.change", request.council) and tender.published_at is None
    return render(
        request,
        "tenders/specification_version.html",
        {"tender": tender, "version": version, "sections": sections, "can_restore": can_restore},
    )


@council_permission("tender.view")
def specification_compare(request: CouncilRequest, council_slug: str, tender_id: int) -> HttpResponse:
    """Two versions side by side (``?from=1&to=2``; by default the two latest), section by section."""
    tender = selectors.tender_get(council=request.council, tender_id=tender_id)
    versions = selectors.specification_versions(tender=tender)
    numbers = [v.number for v in versions]
    first, second = _number(request.GET.get("from")), _number(request.GET.get("to"))
    if first is None or second is None:
        if len(numbers) < 2:
            return render(request, "tenders/specification_compare.html", {"tender": tender, "versions": versions})
        first, second = numbers[1], numbers[0]
    if first not in numbers or second not in numbers:
        raise Http404("No such version")
    old = next(v for v in versions if v.number == first)
    new = next(v for v in versions if v.number == second)
    rows = diff_versions(old.sections, new.sections)
    return render(
        request,
        "tenders/specification_compare.html",
        {
            "tender": tender,
            "versions": versions,
            "old": old,
            "new": new,
            "rows": rows,
            "has_changes": has_changes(rows),
        },
    )


# --- The clause library ---------------------------------------------------------------------------


@council_permission("clauses.manage")
def clause_list(request: CouncilRequest, council_slug: str) -> HttpResponse:
    clauses = selectors.clause_list(council=request.council)
    return render(request, "tenders/clause_list.html", {"clauses": clauses})


def _clause_initial(clause: Clause) -> dict[str, Any]:
    return {"title": clause.title, "category": clause.category, "body": clause.body, "active": clause.active}


@council_permission("clauses.manage")
def clause_create(request: CouncilRequest, council_slug: str) -> HttpResponse:
    form = ClauseForm(request.POST or None)
    done = FormPost(request, form).save(
        services.clause_create,
        lambda clause: f"Clause “{clause.title}” added to the library.",
        reverse("clauses", kwargs={"council_slug": council_slug}),
        council=request.council,
    )
    return done or render(request, "tenders/clause_form.html", {"form": form, "title": "Add a clause"})


@council_permission("clauses.manage")
def clause_edit(request: CouncilRequest, council_slug: str, clause_id: int) -> HttpResponse:
    clause = selectors.clause_get(council=request.council, clause_id=clause_id)
    form = ClauseForm(request.POST or None, initial=_clause_initial(clause))
    done = FormPost(request, form).save(
        services.clause_update,
        "Clause saved.",
        reverse("clauses", kwargs={"council_slug": council_slug}),
        clause=clause,
    )
    return done or render(
        request, "tenders/clause_form.html", {"form": form, "clause": clause, "title": "Change the clause"}
    )


urlpatterns: list[URLPattern] = [
    path("tenders/<int:tender_id>/specification/", specification, name="specification"),
    path(
        "tenders/<int:tender_id>/specification/sections/new/",
        specification_section_add,
        name="specification_section_add",
    ),
    path(
        "tenders/<int:tender_id>/specification/sections/<int:section_id>/",
        specification_section_save,
        name="specification_section_save",
    ),
    path(
        "tenders/<int:tender_id>/specification/sections/<int:section_id>/remove/",
        specification_section_remove,
        name="specification_section_remove",
    ),
    path(
        "tenders/<int:tender_id>/specification/versions/<int:version_id>/sections/<int:index>/restore/",
        specification_section_restore,
        name="specification_section_restore",
    ),
    path(
        "tenders/<int:tender_id>/specification/versions/new/",
        specification_version_save,
        name="specification_version_save",
    ),
    path(
        "tenders/<int:tender_id>/specification/versions/<int:version_id>/",
        specification_version,
        name="specification_version",
    ),
    path("tenders/<int:tender_id>/specification/compare/", specification_compare, name="specification_compare"),
    path("clauses/", clause_list, name="clauses"),
    path("clauses/new/", clause_create, name="clause_create"),
    path("clauses/<int:clause_id>/", clause_edit, name="clause_edit"),
]
