"""Every API operation fuzzed from its OpenAPI schema: no 500s, and responses match the schema.

Runs in-process through the WSGI application, as a signed-in council admin and commissioner (token auth), against
a council that exists, so generated requests reach the code rather than stopping at a 404.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from commissioning import services
from commissioning.models import Role
from commissioning.tenancy import council_scope
from tests.factories import EVERYTHING, CouncilWorld, api_token

pytestmark = pytest.mark.world(EVERYTHING)


@pytest.fixture
def api_schema(knowsley: CouncilWorld):  # type: ignore[no-untyped-def]
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from commissioning.wsgi import application

    # As Django's test client does: a request must not close the test's database connection
    # (and with it the transaction that holds the test data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")

# Operations with rules JSON Schema cannot state, so a schema-valid body may rightly get 400:
# whole-life value >= annual value, outcome ids that must exist in this council's framework, and a
# decision reason that must say why not in-house (20 characters) unless the decision is in-house.
# Every other check still runs on them: no 500s, and responses (400s included) match the schema.
RULES_BEYOND_THE_SCHEMA = {
    "POST /api/v1/councils/{council_slug}/commissions/",
    "PATCH /api/v1/councils/{council_slug}/commissions/{commission_id}/",
    "POST /api/v1/councils/{council_slug}/commissions/{commission_id}/decision/",
    # The award: a reason unless the bid is the top-ranked one, blocked results, the standstill's
    # end, suspension, and a challenge only during standstill.
    "POST /api/v1/councils/{council_slug}/tenders/{tender_id}/award/recommendations/",
    "POST /api/v1/councils/{council_slug}/tenders/{tender_id}/award/recommendations/{recommendation_id}/decision/",
    "POST /api/v1/councils/{council_slug}/tenders/{tender_id}/award/notices/{notice_id}/suspension/",
    "POST /api/v1/councils/{council_slug}/tenders/{tender_id}/award/notices/{notice_id}/contract/",
    "POST /api/v1/me/assessment-summaries/{summary_id}/challenges/",
    # The social value framework: an outcome id of this council's framework, a unique code, a
    # proxy value only with its source and year, a measure not retired, and something to publish.
    "POST /api/v1/councils/{council_slug}/social-value/measures/",
    "PATCH /api/v1/councils/{council_slug}/social-value/measures/{measure_id}/",
    "POST /api/v1/councils/{council_slug}/social-value/measures/{measure_id}/retire/",
    "POST /api/v1/councils/{council_slug}/social-value/framework/versions/",
    # The market figures: at most ten years, the to year not before the from year.
    "GET /api/v1/councils/{council_slug}/social-value/market/",
    # Delivery returns: KPI ids of this agreement, a period that has ended, a narrative and every
    # KPI's quantity to submit, an answer to resubmit, a real document as evidence, a submitted
    # return to verify, and a question or reason to query or reject.
    "PUT /api/v1/me/agreements/{agreement_id}/returns/{period}/",
    "POST /api/v1/me/agreements/{agreement_id}/returns/{period}/submit/",
    "POST /api/v1/me/agreements/{agreement_id}/returns/{period}/evidence/",
    "POST /api/v1/councils/{council_slug}/social-value/returns/{return_id}/verify/",
}


@pytest.fixture
def admin_token(knowsley: CouncilWorld) -> str:
    """A council admin who is also its commissioner, so that every operation is reached.

    With the admin role alone, writes to commissions stop at 403 before any input is read.
    """
    admin = knowsley.people["admin"]
    with council_scope(knowsley.council):
        services.membership_add(council=knowsley.council, user=admin, role=Role.COMMISSIONER, actor=None)
    return api_token(admin)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_operations_survive_generated_input(case, admin_token: str) -> None:  # type: ignore[no-untyped-def]
    if "council_slug" in (case.path_parameters or {}):
        # The council that exists, so requests reach the code; other councils' slugs are the
        # cross-council probe's business.
        case.path_parameters["council_slug"] = "knowsley"
    excluded = [ignored_auth]
    if case.operation.label in RULES_BEYOND_THE_SCHEMA:
        excluded.append(positive_data_acceptance)
    case.call_and_validate(headers={"Authorization": f"Token {admin_token}"}, excluded_checks=excluded)
