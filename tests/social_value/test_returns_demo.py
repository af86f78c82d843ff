"""The demo: Knowsley's awarded community navigation contract has a year of returns from
Innovate Volunteering CIC, three accepted and the fourth queried and answered; seeding again
changes nothing."""

from __future__ import annotations

from commissioning.models import Council
from commissioning.tenancy import council_scope
from social_value.models import Agreement, DeliveryReturn, ReturnEvent, ReturnStatus
from tenders.demo.evaluation import AWARDED_TITLE, WINNER


def test_the_awarded_contract_has_a_year_of_returns_seeded_once(db: None) -> None:
    from commissioning.demo import seed

    seed()
    council = Council.objects.get(slug="knowsley")
    with council_scope(council):
        agreement = Agreement.objects.select_related("provider").get(council=council, title=AWARDED_TITLE)
        found = list(DeliveryReturn.objects.filter(agreement=agreement).order_by("period"))
        kinds = list(
            ReturnEvent.objects.filter(delivery_return=found[-1]).order_by("at").values_list("kind", flat=True)
        )
        figures = found[0].figures.count()
        kpis = agreement.kpis.count()
    assert agreement.provider.name == WINNER
    assert [(r.period, r.status) for r in found] == [
        (1, ReturnStatus.ACCEPTED),
        (2, ReturnStatus.ACCEPTED),
        (3, ReturnStatus.ACCEPTED),
        (4, ReturnStatus.SUBMITTED),
    ]
    assert kinds == ["submitted", "queried", "answered"] and found[-1].revision == 2
    assert figures == kpis > 0
    seed()
    with council_scope(council):
        assert DeliveryReturn.objects.filter(agreement=agreement).count() == 4
