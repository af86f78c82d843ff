"""Seeds a fresh embedded-default database for the workshop concurrency test (run in the server's
own settings by ``manage.py shell``, not by pytest): one council with its published tender, and
``count`` provider organisations with one person each. Prints what the test needs, as JSON."""

from __future__ import annotations

import json

from django.urls import reverse

from commissioning.tenancy import council_scope
from tenders.models import Criterion
from tests.factories import PASSWORD, council_with_people
from tests.tenders.test_bids_helpers import bidder, published_tender


def seed(count: int) -> None:
    world = council_with_people(slug="knowsley", name="Knowsley Council", up_to="published", mfa=False)
    with council_scope(world.council):
        tender = published_tender(world)
        question = Criterion.objects.filter(tender=tender, kind="social_value").first()
        people = [bidder(name=f"Workshop Charity {n}", email=f"workshop{n}@example.org")[1] for n in range(count)]
    print(
        json.dumps(
            {
                "password": PASSWORD,
                "emails": [person.email for person in people],
                "bid_start": reverse("bid_start", kwargs={"council_slug": "knowsley", "tender_id": tender.pk}),
                "question_id": question.pk,
            }
        )
    )
