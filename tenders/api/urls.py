"""API endpoints of the tenders app, under /api/v1/ (included by commissioning.api.urls).

Each API module (one per domain word) has its own ``urlpatterns``; the policy endpoints are listed here.
"""

from django.urls import path

from tenders.api import (
    award,
    bids,
    clarifications,
    codesign,
    evaluation,
    moderation,
    opening,
    publication,
    results,
    specification,
    tenders,
)
from tenders.api import policy as api

urlpatterns = [
    path("councils/<slug:council_slug>/spend-policy/", api.SpendPolicyView.as_view(), name="api_spend_policy"),
    path("thresholds/", api.ThresholdListView.as_view(), name="api_thresholds"),
    path("bank-holidays/", api.BankHolidayListView.as_view(), name="api_bank_holidays"),
    *codesign.urlpatterns,
    *publication.urlpatterns,
    *clarifications.urlpatterns,
    *bids.urlpatterns,
    *tenders.urlpatterns,
    *specification.urlpatterns,
    *opening.urlpatterns,
    # issue 10, stage 6: results and why this bidder won
    *results.urlpatterns,
    # Evaluation: evaluators, conflicts, individual scores
    *evaluation.urlpatterns,
    # Moderation and prices (evaluation)
    *moderation.urlpatterns,
    # Award, standstill and contract
    *award.urlpatterns,
]
