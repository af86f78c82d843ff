"""Council pages of the social value app: the framework, under /c/<council_slug>/social-value/framework/,
and the market shaping dashboard, under /c/<council_slug>/social-value/market/.

Any member reads the framework; council admins add, change, retire and import measures, export
the CSV and publish versions. Writes go through ``social_value.framework`` (audited, atomic).
"""

from __future__ import annotations

from fractions import Fraction

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commissioning.http import CouncilRequest
from commissioning.views.council import council_permission
from commissioning.views.forms import FormPost, confirm_remove
from social_value import charts, market, selectors
from social_value import framework as services
from social_value.forms import FrameworkImportForm, MarketYearsForm, MeasureForm, PublishForm
from social_value.framework_comment_views import comment_panel
from social_value.framework_csv import COLUMNS, CsvProblem, write_framework_csv
from social_value.models import Measure

__all__ = [
    "framework_export",
    "framework_import",
    "framework_page",
    "framework_publish",
    "market_page",
    "measure_create",
    "measure_edit",
    "measure_retire",
]


def _framework_url(council_slug: str) -> str:
    return reverse("social_value_framework", kwargs={"council_slug": council_slug})


@council_permission("social_value.view_framework")
def framework_page(request: CouncilRequest, council_slug: str) -> HttpResponse:
    tree = selectors.framework_tree(council=request.council)
    return render(
        request,
        "social_value/framework.html",
        {
            "tree": tree,
            "can_manage": request.user.has_perm("social_value.manage_framework", request.council),
            # The framework opened for comment, for admins (social_value.framework_comment_views).
            **comment_panel(request, tree),
        },
    )


def _measure_initial(measure: Measure) -> dict[str, object]:
    initial: dict[str, object] = {
        name: getattr(measure, name)
        for name in ("outcome", "code", "name", "unit", "description", "evidence", "proxy_source", "proxy_year")
    }
    initial["proxy_value"] = measure.proxy_value
    initial["contributes_to"] = list(measure.contributes_to.all())
    return initial


@council_permission("social_value.manage_framework")
def measure_create(request: CouncilRequest, council_slug: str) -> HttpResponse:
    form = MeasureForm(request.POST or None, council=request.council)
    done = FormPost(request, form).save(
        services.measure_create,
        lambda measure: f"Measure {measure.code} “{measure.name}” added. It is in use from the next published version.",
        _framework_url(council_slug),
        council=request.council,
    )
    return done or render(request, "social_value/measure_form.html", {"form": form, "title": "Add a measure"})


@council_permission("social_value.manage_framework")
def measure_edit(request: CouncilRequest, council_slug: str, measure_id: int) -> HttpResponse:
    measure = selectors.measure_get(council=request.council, measure_id=measure_id)
    if measure.is_retired:
        messages.error(request, f"The measure {measure.code} is retired: it is kept as it was, for history.")
        return redirect(_framework_url(council_slug))
    form = MeasureForm(request.POST or None, council=request.council, initial=_measure_initial(measure))
    done = FormPost(request, form).submit(
        lambda: services.measure_update(measure=measure, actor=request.user, **form.cleaned_data),
        "Measure saved. Published versions keep the definition they froze; this one is in the next version.",
        _framework_url(council_slug),
    )
    return done or render(
        request,
        "social_value/measure_form.html",
        {"form": form, "title": "Change the measure", "caption": f"{measure.code} {measure.name}", "measure": measure},
    )


@council_permission("social_value.manage_framework")
def measure_retire(request: CouncilRequest, council_slug: str, measure_id: int) -> HttpResponse:
    measure = selectors.measure_get(council=request.council, measure_id=measure_id)
    return confirm_remove(
        request,
        lambda: services.measure_retire(measure=measure, actor=request.user),
        f"Measure {measure.code} retired. It is kept, with its versions, for history.",
        _framework_url(council_slug),
        template="social_value/confirm.html",
        context={
            "caption": "Social value framework",
            "question": f"Are you sure you want to retire the measure {measure.code} “{measure.name}”?",
            "explanation": "It stays in the framework's history and in every published version that has it, so "
            "agreed targets keep their definition. It is left out of the next published version and cannot be "
            "chosen for new commitments.",
            "button": "Yes, retire the measure",
            "back_url": _framework_url(council_slug),
            "back_text": "No, keep it in use",
        },
    )


@council_permission("social_value.manage_framework")
def framework_publish(request: CouncilRequest, council_slug: str) -> HttpResponse:
    form = PublishForm(request.POST or None)
    done = FormPost(request, form).submit(
        lambda: services.framework_publish(council=request.council, actor=request.user, note=form.cleaned_data["note"]),
        lambda version: f"Version {version.number} of the framework published.",
        _framework_url(council_slug),
    )
    return done or render(
        request,
        "social_value/publish.html",
        {"form": form, "versions": selectors.framework_versions(council=request.council)[:20]},
    )


@council_permission("social_value.manage_framework")
def framework_import(request: CouncilRequest, council_slug: str) -> HttpResponse:
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems: list[CsvProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            report = services.framework_import(
                council=request.council, actor=request.user, data=form.cleaned_data["file"].read()
            )
        except services.FrameworkImportRefused as refusal:
            problems = refusal.problems
            rows = len({p.row for p in problems})
            form.add_error(
                "file",
                f"Nothing was imported: the file has {len(problems)} problem{'s' if len(problems) != 1 else ''}"
                f" in {rows} row{'s' if rows != 1 else ''}. Fix them and upload it again.",
            )
        else:
            messages.success(
                request,
                f"Framework imported: {len(report.added)} measures added, {len(report.changed)} changed, "
                f"{report.unchanged} unchanged.",
            )
            return redirect(_framework_url(council_slug))
    return render(request, "social_value/import.html", {"form": form, "problems": problems[:200], "columns": COLUMNS})


@council_permission("social_value.manage_framework")
def framework_export(request: CouncilRequest, council_slug: str) -> HttpResponse:
    text = write_framework_csv(selectors.framework_export_rows(council=request.council))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    filename = f"{council_slug}-social-value-framework-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Market shaping (issue 11): /c/<council_slug>/social-value/market/ ---------------------------


def _type_rows(shares: market.TypeShares) -> list[tuple[str, Fraction | None]]:
    return [
        ("Local providers", shares.local),
        ("VCSE organisations", shares.vcse),
        ("SMEs", shares.sme),
        ("Large providers", shares.large),
        ("Asset-locked providers", shares.asset_locked),
        ("Backed by private equity", shares.private_equity),
    ]


@council_permission("social_value.view_market")
def market_page(request: CouncilRequest, council_slug: str) -> HttpResponse:
    """Where the council's money goes: awarded value by provider type and band per year, the reserved
    bands' local share, concentration, extractive signals and who bids for what."""
    now = timezone.now()
    shown = selectors.market_years(today=timezone.localdate(now))
    form = MarketYearsForm(request.GET or None, initial={"from_year": shown[0], "to_year": shown[1]})
    asked = form.cleaned_data if form.is_bound and form.is_valid() else {}
    first, last = selectors.market_years(
        today=timezone.localdate(now), first_year=asked.get("from_year"), last_year=asked.get("to_year")
    )
    awarded_html = selectors.made_from_market_awarded(
        council=request.council, first_year=first, last_year=last, parts=MARKET_AWARDED_HTML, make=_awarded_html
    )
    bid_figures = selectors.market_bid_figures(council=request.council, first_year=first, last_year=last, now=now)
    return render(
        request,
        "social_value/market.html",
        {
            "form": form,
            "figures": {"first_year": first, "last_year": last, "bid_figures": bid_figures},
            "awarded_html": awarded_html,
        },
    )


# What the market dashboard keeps of the ledger's figures: its awarded part, rendered (the number: of its template).
MARKET_AWARDED_HTML = ("market page: awarded", 1)


def _awarded_html(figures: selectors.MarketFigures) -> str:
    """The dashboard's figures of what was awarded, rendered: the same for every reader of the council."""
    bands_chart = charts.share_bars(
        [
            (f"{b.band.label}{' (reserved for local)' if b.band.reserved_for_local else ''}", b.band.local_share)
            for b in figures.period_bands
        ]
    )
    return render_to_string(
        "social_value/_market_awarded.html",
        {
            "figures": figures,
            "types_chart": charts.share_bars(_type_rows(figures.shares)),
            "bands_chart": bands_chart,
            "reserved_local": figures.reserved_local_share,
        },
    )
