"""Reads of the ledger: agreements, their periods and delivery returns, and the council's accounts.

Every read is given the council (or, for a provider's own list across councils, the person) and
answers in a constant number of queries whatever the number of agreements and returns: sums are
made by the database (``Sum`` grouped by measure, unit and year), lists are paged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.paginator import Page
from django.db.models import Count, F, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.http import Http404
from django.utils import timezone

from commissioning.models import Council, Organisation, User
from commissioning.paginator import CountedPaginator, kept_page
from commissioning.tenancy import platform_scope
from social_value import accounting, kept
from social_value.models import (
    Agreement,
    DeliveryReturn,
    ReturnEvent,
    ReturnEvidence,
    ReturnFigure,
    ReturnStatus,
    SocialValueKPI,
)
from social_value.periods import Period
from social_value.returns import agreement_periods
from social_value.returns_models import REPORTED

__all__ = [
    "AGREEMENTS_PAGE",
    "AgreementView",
    "PeriodRow",
    "QUEUE_PAGE",
    "STORIES_PAGE",
    "account_rows",
    "agreement_for_provider",
    "agreement_get",
    "agreement_view",
    "agreements_for_council",
    "agreements_page",
    "agreements_for_user",
    "kpi_progress_for",
    "return_detail",
    "returns_to_verify",
    "stories",
    "stories_page",
]

AGREEMENTS_PAGE = 25

T = TypeVar("T")
QUEUE_PAGE = 25
STORIES_PAGE = 10

STATUS_TAGS = {
    ReturnStatus.DRAFT: "govuk-tag--grey",
    ReturnStatus.SUBMITTED: "govuk-tag--blue",
    ReturnStatus.QUERIED: "govuk-tag--yellow",
    ReturnStatus.ACCEPTED: "govuk-tag--green",
    ReturnStatus.REJECTED: "govuk-tag--red",
}


def _kpis() -> Prefetch:
    return Prefetch(
        "kpis", queryset=SocialValueKPI.objects.select_related("measure_version").order_by("position", "pk")
    )


def _returns() -> Prefetch:
    return Prefetch("returns", queryset=DeliveryReturn.objects.order_by("period"))


# --- Periods with their returns ----------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodRow:
    """One reporting period of an agreement, with its return if one was started, and its state in words."""

    period: Period
    delivery_return: DeliveryReturn | None
    today: date

    @property
    def status(self) -> str:
        if self.delivery_return is not None and self.delivery_return.status != ReturnStatus.DRAFT:
            return self.delivery_return.get_status_display()
        if not self.period.ended_by(self.today):
            return "Not due yet" if self.delivery_return is None else "Draft"
        if self.period.due_on < self.today:
            return "Overdue"
        return "Due" if self.delivery_return is None else "Draft, due"

    @property
    def tag(self) -> str:
        if self.delivery_return is not None and self.delivery_return.status != ReturnStatus.DRAFT:
            return STATUS_TAGS[ReturnStatus(self.delivery_return.status)]
        if self.status == "Overdue":
            return "govuk-tag--red"
        return "govuk-tag--grey" if self.status in ("Not due yet", "Draft") else "govuk-tag--orange"

    @property
    def waiting_for_provider(self) -> bool:
        """Ended and not yet submitted, or queried: the provider has something to do."""
        r = self.delivery_return
        if r is not None and r.status == ReturnStatus.QUERIED:
            return True
        return self.period.ended_by(self.today) and (r is None or r.status == ReturnStatus.DRAFT)


def period_rows(agreement: Agreement, returns: list[DeliveryReturn], today: date | None = None) -> list[PeriodRow]:
    today = today or timezone.localdate()
    by_period = {r.period: r for r in returns}
    return [
        PeriodRow(period=p, delivery_return=by_period.get(p.number), today=today) for p in agreement_periods(agreement)
    ]


# --- The provider's agreements -------------------------------------------------------------------------


@dataclass
class AgreementView:
    agreement: Agreement
    kpis: list[SocialValueKPI]
    periods: list[PeriodRow]
    progress: dict[int, accounting.KPIProgress] = field(default_factory=dict)
    figures: dict[int, list[accounting.PeriodFigure]] = field(default_factory=dict)

    def delivered_by_period(self) -> list[tuple[PeriodRow, list[accounting.PeriodFigure | None]]]:
        """Each reported period with each KPI's figure (None: not reported), for the table over time."""
        figures = {kpi.pk: {f.period: f for f in self.figures.get(kpi.pk, [])} for kpi in self.kpis}
        return [
            (row, [figures[kpi.pk].get(row.period.number) for kpi in self.kpis])
            for row in self.periods
            if any(row.period.number in figures[kpi.pk] for kpi in self.kpis)
        ]

    @property
    def waiting(self) -> list[PeriodRow]:
        return [row for row in self.periods if row.waiting_for_provider]


def agreements_for_user(*, user: User, page: int | str = 1) -> tuple[Page, list[AgreementView]]:
    """The agreements of the person's organisations in every council (their own, so read across
    councils: platform scope, limited to their organisations), newest first, a page at a time, with
    their KPIs and returns: three queries."""
    with platform_scope():
        agreements = (
            Agreement.objects.filter(provider__in=Organisation.objects.of_user(user))
            .select_related("council", "provider")
            .prefetch_related(_kpis(), _returns())
            .order_by("-awarded_on", "-pk")
        )
        found = CountedPaginator(agreements, AGREEMENTS_PAGE).get_page(page)
        rows = list(found.object_list)
    today = timezone.localdate()
    return found, [AgreementView(a, list(a.kpis.all()), period_rows(a, list(a.returns.all()), today)) for a in rows]


def agreement_for_provider(*, council: Council, agreement_id: int, user: User) -> Agreement:
    """An agreement of the council whose provider the person is a member of; 404 otherwise."""
    agreement = (
        Agreement.objects.filter(council=council, pk=agreement_id, provider__in=Organisation.objects.of_user(user))
        .select_related("provider", "council")
        .first()
    )
    if agreement is None:
        raise Http404("No such agreement")
    return agreement


def agreement_get(*, council: Council, agreement_id: int) -> Agreement:
    agreement = Agreement.objects.filter(council=council, pk=agreement_id).select_related("provider", "council").first()
    if agreement is None:
        raise Http404("No such agreement")
    return agreement


def agreements_for_council(*, council: Council, page: Any = 1) -> Page:
    """A page of the council's agreements, newest first, each with how many of its returns wait
    for verification (``to_verify``): the page is read first, then the counts of its rows only, so
    the database never groups every agreement's returns to show 25 (two queries and the count)."""
    agreements = Agreement.objects.filter(council=council).select_related("provider").order_by("-awarded_on", "-pk")
    found = CountedPaginator(agreements, AGREEMENTS_PAGE).get_page(page)
    rows = list(found.object_list)
    waiting = dict(
        DeliveryReturn.objects.filter(council=council, agreement__in=rows, status=ReturnStatus.SUBMITTED)
        .values_list("agreement")
        .annotate(Count("pk"))
        .order_by()
    )
    for agreement in rows:
        agreement.to_verify = waiting.get(agreement.pk, 0)
    found.object_list = rows
    return found


def agreements_page(
    *, council: Council, number: Any, make: Callable[[list[Agreement]], T], parts: tuple[object, ...] = ()
) -> tuple[Page, T]:
    """Page ``number`` of :func:`agreements_for_council` (the nearest page that is one) and what
    ``make`` makes of its rows (the page writes them as HTML). ``parts``: what else ``make``'s
    answer depends on. Both are kept with the council's ledger (``social_value.kept``: every write
    to an agreement, a return or an organisation renews them), so a reader after the first reads
    neither the agreements nor their returns."""
    return kept_page(
        number,
        AGREEMENTS_PAGE,
        keep=lambda more, work_out: kept.kept(council.pk, ("agreements", *more, *parts), work_out),
        count=lambda: Agreement.objects.filter(council=council).count(),
        make=lambda offset, limit: make(
            list(agreements_for_council(council=council, page=offset // limit + 1).object_list)
        ),
    )


def reported_figures(*, agreement: Agreement, kpis: list[SocialValueKPI]) -> dict[int, list[accounting.PeriodFigure]]:
    """Each KPI's reported figures (submitted, queried, accepted returns), in one query."""
    figures: dict[int, list[accounting.PeriodFigure]] = {kpi.pk: [] for kpi in kpis}
    rows = ReturnFigure.objects.filter(
        council=agreement.council_id,
        delivery_return__agreement=agreement,
        delivery_return__status__in=REPORTED,
    ).values_list("kpi_id", "delivery_return__period", "delivery_return__status", "quantity")
    for kpi_id, period, status, quantity in rows:
        figures.setdefault(kpi_id, []).append(
            accounting.PeriodFigure(period=period, quantity=quantity, verified=status == ReturnStatus.ACCEPTED)
        )
    return figures


def kpi_progress_for(
    *, agreement: Agreement, kpis: list[SocialValueKPI], figures: dict[int, list[accounting.PeriodFigure]] | None = None
) -> dict[int, accounting.KPIProgress]:
    """Committed against delivered per KPI, over the periods (one query unless given the figures)."""
    if figures is None:
        figures = reported_figures(agreement=agreement, kpis=kpis)
    return {kpi.pk: accounting.kpi_progress(target=kpi.target, unit=kpi.unit, figures=figures[kpi.pk]) for kpi in kpis}


def agreement_view(*, agreement: Agreement) -> AgreementView:
    """The agreement with its KPIs, periods (with returns) and progress: three queries."""
    kpis = list(
        SocialValueKPI.objects.filter(council=agreement.council_id, agreement=agreement)
        .select_related("measure_version")
        .order_by("position", "pk")
    )
    returns = list(DeliveryReturn.objects.filter(council=agreement.council_id, agreement=agreement).order_by("period"))
    view = AgreementView(agreement, kpis, period_rows(agreement, returns))
    view.figures = reported_figures(agreement=agreement, kpis=kpis)
    view.progress = kpi_progress_for(agreement=agreement, kpis=kpis, figures=view.figures)
    for kpi in kpis:
        kpi.progress = view.progress[kpi.pk]  # type: ignore[attr-defined]
    return view


# --- One return ------------------------------------------------------------------------------------


@dataclass
class ReturnDetail:
    delivery_return: DeliveryReturn
    figures: dict[int, Decimal]
    evidence: list[ReturnEvidence]
    events: list[ReturnEvent]


def return_detail(*, delivery_return: DeliveryReturn) -> ReturnDetail:
    council = delivery_return.council_id
    figures = dict(
        ReturnFigure.objects.filter(council=council, delivery_return=delivery_return).values_list("kpi_id", "quantity")
    )
    evidence = list(
        ReturnEvidence.objects.filter(
            council=council, delivery_return=delivery_return, removed_at__isnull=True
        ).order_by("uploaded_at", "pk")
    )
    events = list(
        ReturnEvent.objects.filter(council=council, delivery_return=delivery_return)
        .select_related("actor")
        .order_by("at", "pk")
    )
    return ReturnDetail(delivery_return, figures, evidence, events)


def return_get(*, council: Council, return_id: int) -> DeliveryReturn:
    found = (
        DeliveryReturn.objects.filter(council=council, pk=return_id)
        .select_related("agreement", "agreement__provider", "council")
        .first()
    )
    if found is None:
        raise Http404("No such return")
    return found


def return_of_period(*, agreement: Agreement, period: int) -> DeliveryReturn | None:
    return DeliveryReturn.objects.filter(council=agreement.council_id, agreement=agreement, period=period).first()


def returns_to_verify(*, council: Council) -> QuerySet[DeliveryReturn]:
    """Submitted returns waiting for the council, oldest submission first."""
    return (
        DeliveryReturn.objects.filter(council=council, status=ReturnStatus.SUBMITTED)
        .select_related("agreement", "agreement__provider")
        .order_by("submitted_at", "pk")
    )


# --- The council's accounts (verified figures only) ------------------------------------------------


def account_rows(*, council: Council | int) -> list[accounting.AccountRow]:
    """Accepted figures summed by theme, outcome, measure, unit, proxy and year, in one query, kept
    between requests until the council's ledger changes (social_value.kept)."""
    council_id = council if isinstance(council, int) else council.pk
    return kept.kept(council_id, ("accounts",), lambda: _account_rows(council_id))


def _account_rows(council: int) -> list[accounting.AccountRow]:
    rows = (
        ReturnFigure.objects.filter(council=council, delivery_return__status=ReturnStatus.ACCEPTED)
        .annotate(
            theme=Coalesce(F("kpi__measure_version__theme_title"), Value(accounting.OTHER_THEME)),
            outcome=Coalesce(F("kpi__measure_version__outcome_title"), Value(accounting.OTHER_OUTCOME)),
            year=ExtractYear("delivery_return__period_ends_on"),
        )
        .values(
            "theme",
            "outcome",
            "year",
            "kpi__measure",
            "kpi__unit",
            "kpi__measure_version__proxy_value",
            "kpi__measure_version__proxy_source",
            "kpi__measure_version__proxy_year",
        )
        .annotate(quantity=Sum("quantity"))
        .order_by("theme", "outcome", "kpi__measure", "kpi__unit", "year")
    )
    return [
        accounting.AccountRow(
            theme=r["theme"],
            outcome=r["outcome"],
            measure=r["kpi__measure"],
            unit=r["kpi__unit"],
            year=int(r["year"]),
            quantity=r["quantity"],
            proxy_value=r["kpi__measure_version__proxy_value"],
            proxy_source=r["kpi__measure_version__proxy_source"] or "",
            proxy_year=r["kpi__measure_version__proxy_year"],
        )
        for r in rows
    ]


def stories(*, council: Council | int, year: int | None = None) -> QuerySet[DeliveryReturn]:
    """The narratives of accepted returns, newest period first (page them)."""
    found = DeliveryReturn.objects.filter(council=council, status=ReturnStatus.ACCEPTED)
    if year is not None:
        found = found.filter(period_ends_on__year=year)
    return (
        found.select_related("agreement", "agreement__provider")
        .only(
            "pk",
            "council_id",
            "period",
            "period_starts_on",
            "period_ends_on",
            "narrative",
            "decided_at",
            "agreement__title",
            "agreement__provider__name",
        )
        .order_by("-period_ends_on", "-pk")
    )


def stories_page(*, council: Council, year: int | None, number: Any) -> Page:
    """A page of :func:`stories`, whose count (every accepted return of the year, tens of thousands
    for a large council) is kept with the accounts until the ledger changes (social_value.kept)."""
    found = stories(council=council, year=year)
    count = kept.kept(council.pk, ("stories", year), found.count)
    return CountedPaginator(found, STORIES_PAGE, count=count).get_page(number)


def page_of(queryset: QuerySet[Any], number: Any, per_page: int) -> Page:
    return CountedPaginator(queryset, per_page).get_page(number)
