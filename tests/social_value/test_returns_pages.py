"""Pages of delivery returns: the provider's agreements and return form, the council's agreement
page, queue and verify form, and the public "Social value accounted for" with its CSV (verified
figures only, formula-safe), each in a constant number of queries."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commissioning.models import Role
from commissioning.tenancy import council_scope
from social_value import returns
from social_value.models import Agreement, DeliveryReturn, MeasureVersion, ReturnStatus
from tenders import public_cache
from tests.factories import CouncilWorld, OrganisationFactory
from tests.factories.social_value import PDF, agreement_with_kpis
from tests.helpers import cold_query_counts, query_counts, signed_in

pytestmark = pytest.mark.world("social_value_framework")


def _agreement(world: CouncilWorld, **kwargs: object) -> Agreement:
    with council_scope(world.council):
        version = MeasureVersion.objects.filter(council=world.council).first()
        assert version is not None
        version.proxy_value, version.proxy_source, version.proxy_year = Decimal("15.00"), "Council proxies", 2025
        version.save()
        return agreement_with_kpis(
            council=world.council,
            provider=kwargs.pop("provider", world.organisation),  # type: ignore[arg-type]
            kpis=[("Apprentices", "people", 4, None), ("", "", 100, version)],
            **kwargs,  # type: ignore[arg-type]
        )


def _form_url(agreement: Agreement, period: int = 1) -> str:
    return f"/c/{agreement.council.slug}/social-value/your-agreements/{agreement.pk}/returns/{period}/"


def _kpis(agreement: Agreement) -> list[int]:
    with council_scope(agreement.council):
        return list(agreement.kpis.order_by("position").values_list("pk", flat=True))


def _accepted(
    world: CouncilWorld, agreement: Agreement, period: int, narrative: str, *quantities: str
) -> DeliveryReturn:
    with council_scope(world.council):
        saved = returns.return_save(
            agreement=agreement,
            period=period,
            actor=world.provider,  # type: ignore[arg-type]
            figures=dict(zip(_kpis(agreement), quantities, strict=True)),
            narrative=narrative,
        )
        returns.return_submit(delivery_return=saved, actor=world.provider)  # type: ignore[arg-type]
        return returns.return_accept(delivery_return=saved, actor=world.people[Role.OFFICER])


def test_the_provider_saves_a_draft_with_evidence_then_submits_and_cannot_change_it(knowsley: CouncilWorld) -> None:
    agreement = _agreement(knowsley)
    client = signed_in(knowsley.provider)
    first, second = _kpis(agreement)
    listing = client.get("/social-value/agreements/").content.decode()
    assert agreement.title in listing and "Period 1" in listing
    page = client.get(_form_url(agreement))
    assert page.status_code == 200 and "Apprentices (people)" in page.content.decode()
    saved = client.post(
        _form_url(agreement),
        {
            f"kpi_{first}": "2",
            f"kpi_{second}": "",
            "narrative": "",
            "action": "save",
            "file": SimpleUploadedFile("hours.pdf", PDF),
        },
    )
    assert saved.status_code == 302
    refused = client.post(
        _form_url(agreement), {f"kpi_{first}": "2", f"kpi_{second}": "-3", "narrative": "", "action": "submit"}
    )
    text = refused.content.decode()
    assert refused.status_code == 200 and "Error:" in text
    assert f'id="id_kpi_{second}-error"' in text and "0 or more" in text and "hours.pdf" in text
    done = client.post(
        _form_url(agreement),
        {f"kpi_{first}": "2", f"kpi_{second}": "40", "narrative": "Two apprentices, forty hours.", "action": "submit"},
    )
    assert done.status_code == 302
    with council_scope(knowsley.council):
        submitted = DeliveryReturn.objects.get(agreement=agreement, period=1)
        assert submitted.status == ReturnStatus.SUBMITTED and submitted.evidence.count() == 1
    after = client.get(_form_url(agreement)).content.decode()
    assert "It can be changed only if the council queries it" in after and 'name="narrative"' not in after
    client.post(_form_url(agreement), {f"kpi_{first}": "9", "narrative": "changed", "action": "save"})
    with council_scope(knowsley.council):
        assert DeliveryReturn.objects.get(pk=submitted.pk).narrative == "Two apprentices, forty hours."


def test_someone_outside_the_provider_gets_404_and_the_council_verifies_in_its_queue(
    knowsley: CouncilWorld, southwark: CouncilWorld
) -> None:
    agreement = _agreement(knowsley)
    assert signed_in(southwark.provider).get(_form_url(agreement)).status_code == 404
    assert signed_in(knowsley.people[Role.OFFICER]).get(_form_url(agreement)).status_code == 404
    first, second = _kpis(agreement)
    with council_scope(knowsley.council):
        saved = returns.return_save(
            agreement=agreement,
            period=1,
            actor=knowsley.provider,
            figures={first: "1", second: "5"},
            narrative="Done",  # type: ignore[arg-type]
        )
        returns.return_submit(delivery_return=saved, actor=knowsley.provider)  # type: ignore[arg-type]
    officer = signed_in(knowsley.people[Role.OFFICER])
    base = f"/c/{knowsley.council.slug}/social-value/"
    queue = officer.get(f"{base}returns/").content.decode()
    assert f"{base}returns/{saved.pk}/" in queue
    assert signed_in(knowsley.people[Role.EVALUATOR]).get(f"{base}returns/").status_code == 403
    blank = officer.post(f"{base}returns/{saved.pk}/", {"decision": "reject", "text": ""})
    assert blank.status_code == 200 and "Enter the reason for rejecting the return" in blank.content.decode()
    asked = officer.post(f"{base}returns/{saved.pk}/", {"decision": "query", "text": "Which apprentices?"})
    assert asked.status_code == 302
    page = signed_in(knowsley.provider).get(_form_url(agreement)).content.decode()
    assert "Which apprentices?" in page and "Answer and resubmit" in page
    agreement_page = officer.get(f"{base}agreements/{agreement.pk}/").content.decode()
    assert "Queried" in agreement_page and "Apprentices" in agreement_page
    assert "Delivered per period" in agreement_page and "(not yet verified)" in agreement_page
    assert (
        signed_in(southwark.people[Role.OFFICER]).get(f"/c/southwark/social-value/returns/{saved.pk}/").status_code
        == 404
    )


def test_the_public_page_and_csv_show_only_accepted_figures_with_pounds_only_where_a_proxy_exists(
    knowsley: CouncilWorld,
) -> None:
    agreement = _agreement(knowsley)
    _accepted(knowsley, agreement, 1, "Two local apprentices started.", "2", "40")
    with council_scope(knowsley.council):
        waiting = returns.return_save(
            agreement=agreement,
            period=2,
            actor=knowsley.provider,  # type: ignore[arg-type]
            figures=dict(zip(_kpis(agreement), ["7", "700"], strict=True)),
            narrative="Not yet verified",
        )
        returns.return_submit(delivery_return=waiting, actor=knowsley.provider)  # type: ignore[arg-type]
    public = Client()
    page = public.get(f"/c/{knowsley.council.slug}/social-value/accounted-for/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Two local apprentices started." in text and "Not yet verified" not in text
    assert text.index("Stories") < text.index("The figures")
    assert "£600" in text and "Council proxies, 2025" in text  # 40 hours × £15
    assert "No proxy" in text  # the apprentices' measure has none
    download = public.get(f"/c/{knowsley.council.slug}/social-value/accounted-for.csv")
    lines = list(csv.reader(io.StringIO(download.content.decode())))
    assert lines[0][:6] == ["year", "theme", "outcome", "measure", "unit", "quantity"]
    assert sorted((line[3], line[5], line[6]) for line in lines[1:]) == sorted(
        [("Apprentices", "2.00", ""), ("knowsley-private-measure", "40.00", "600.00")]
    )
    portal = public.get(f"/c/{knowsley.council.slug}/").content.decode()
    # The portal links to the accounts (their figures are summed on their own page only)
    assert f'href="/c/{knowsley.council.slug}/social-value/accounted-for/"' in portal


def test_a_formula_in_a_measure_is_written_safely_in_the_csv(knowsley: CouncilWorld) -> None:
    with council_scope(knowsley.council):
        agreement = agreement_with_kpis(
            council=knowsley.council,
            provider=knowsley.organisation,  # type: ignore[arg-type]
            kpis=[('=HYPERLINK("http://x")', "people", 4, None)],
        )
    _accepted(knowsley, agreement, 1, "Story", "1")
    download = Client().get(f"/c/{knowsley.council.slug}/social-value/accounted-for.csv").content.decode()
    assert "'=HYPERLINK" in download


def test_the_accounting_and_council_pages_read_a_constant_number_of_queries(knowsley: CouncilWorld) -> None:
    officer = signed_in(knowsley.people[Role.OFFICER])
    slug = knowsley.council.slug
    first = _agreement(knowsley, title="First")
    _accepted(knowsley, first, 1, "Story one", "1", "2")
    _accepted_or_submitted(knowsley, first, 2, accept=False)  # a page of the queue (an empty page counts apart)
    pages = [
        f"/c/{slug}/social-value/accounted-for/",
        f"/c/{slug}/social-value/agreements/",
        f"/c/{slug}/social-value/agreements/{first.pk}/",
        f"/c/{slug}/social-value/returns/",
        f"/c/{slug}/",
    ]
    public_cache.bump()  # the portal's opportunities read, not kept from an earlier page
    small = cold_query_counts(officer, pages)
    provider_small = query_counts(signed_in(knowsley.provider), ["/social-value/agreements/"])
    for n in range(4):
        more = _agreement(
            knowsley, title=f"More {n}", provider=OrganisationFactory() if n % 2 else knowsley.organisation
        )
        for period in (1, 2, 3):
            _accepted_or_submitted(knowsley, more, period, accept=period < 3)
    public_cache.bump()
    assert cold_query_counts(officer, pages) == small
    assert query_counts(signed_in(knowsley.provider), ["/social-value/agreements/"]) == provider_small


def _accepted_or_submitted(world: CouncilWorld, agreement: Agreement, period: int, *, accept: bool) -> None:
    with council_scope(world.council):
        provider = agreement.provider
        member = world.provider if provider == world.organisation else None
        if member is None:
            from tests.factories import OrganisationMemberFactory

            member = OrganisationMemberFactory(organisation=provider).user
        saved = returns.return_save(
            agreement=agreement,
            period=period,
            actor=member,  # type: ignore[arg-type]
            figures=dict(zip(_kpis(agreement), ["1", "3"], strict=True)),
            narrative=f"Period {period}",
        )
        returns.return_submit(delivery_return=saved, actor=member, today=date(2030, 1, 1))  # type: ignore[arg-type]
        if accept:
            returns.return_accept(delivery_return=saved, actor=world.people[Role.OFFICER])


def test_the_accounts_are_kept_between_readers_and_renewed_by_each_verification(knowsley: CouncilWorld) -> None:
    # Given the public page with one accepted return
    agreement = _agreement(knowsley)
    _accepted(knowsley, agreement, 1, "Two local apprentices started.", "2", "40")
    url = f"/c/{knowsley.council.slug}/social-value/accounted-for/"
    public = Client()
    cold = query_counts(public, [url])[url]
    # When a second reader asks, the sums and the stories' count are read from what the first kept
    assert query_counts(Client(), [url])[url] == cold - 2
    # When the council accepts another return, every reader sees it at once
    _accepted(knowsley, agreement, 2, "Four more apprentices.", "4", "60")
    text = public.get(url).content.decode()
    assert "Four more apprentices." in text and "£1,500" in text  # (40 + 60) hours × £15
    csv_text = public.get(f"/c/{knowsley.council.slug}/social-value/accounted-for.csv").content.decode()
    assert "100.00" in csv_text and "1500.00" in csv_text
    # And a correction of a measure's proxy (in the admin) is seen too
    with council_scope(knowsley.council):
        version = MeasureVersion.objects.get(council=knowsley.council, proxy_value=Decimal("15.00"))
        version.proxy_value = Decimal("20.00")
        version.save()
    assert "£2,000" in public.get(url).content.decode()


def test_each_agreement_in_the_councils_list_links_to_its_page(knowsley: CouncilWorld) -> None:
    first, second = _agreement(knowsley, title="First"), _agreement(knowsley, title="Second")
    slug = knowsley.council.slug
    listing = signed_in(knowsley.people[Role.OFFICER]).get(f"/c/{slug}/social-value/agreements/").content.decode()
    for agreement in (first, second):
        link = f'href="/c/{slug}/social-value/agreements/{agreement.pk}/">{agreement.title}</a>'
        assert link in listing
        assert (
            signed_in(knowsley.people[Role.OFFICER])
            .get(f"/c/{slug}/social-value/agreements/{agreement.pk}/")
            .status_code
            == 200
        )


def test_the_councils_list_of_agreements_is_kept_and_shows_each_change_at_once(knowsley: CouncilWorld) -> None:
    """The table's rows are kept as HTML with the council's ledger (social_value.ledger.agreements_page):
    a second reader reads no agreement, and a new agreement, a submitted return or a provider's new
    name is seen by the next reader."""
    url = f"/c/{knowsley.council.slug}/social-value/agreements/"
    officer, commissioner = signed_in(knowsley.people[Role.OFFICER]), signed_in(knowsley.people[Role.COMMISSIONER])
    first = _agreement(knowsley, title="Meals on wheels")
    cold = cold_query_counts(officer, [url])[url]
    assert query_counts(commissioner, [url])[url] == cold - 3  # no count, no page of agreements, no returns
    second = _agreement(knowsley, title="Lunch club <b>")
    text = officer.get(url).content.decode()
    assert "Lunch club &lt;b&gt;</a>" in text and "Meals on wheels</a>" in text
    assert text.index("Lunch club") < text.index("Meals on wheels")  # newest first
    _accepted_or_submitted(knowsley, first, 1, accept=False)
    row = commissioner.get(url).content.decode().split("Meals on wheels</a>")[1].split("</tr>")[0]
    assert row.rstrip().endswith('<td class="govuk-table__cell govuk-table__cell--numeric">1</td>')
    provider = second.provider
    provider.name = "Renamed & Co-operative"
    provider.save()
    assert "Renamed &amp; Co-operative</td>" in officer.get(url).content.decode()
