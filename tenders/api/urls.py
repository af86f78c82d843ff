"""API endpoints of the tenders app, under /api/v1/ (included by commissioning.api.urls).

Each stage's API module has its own ``urlpatterns``; the policy endpoints are listed here.
"""

from django.urls import path

from tenders.api import bids, codesign, opening, publication
from tenders.api import policy as api

urlpatterns = [
    path("councils/<slug:council_slug>/spend-policy/", api.SpendPolicyView.as_view(), name="api_spend_policy"),
    path("thresholds/", api.ThresholdListView.as_view(), name="api_thresholds"),
    path("bank-holidays/", api.BankHolidayListView.as_view(), name="api_bank_holidays"),
    *codesign.urlpatterns,
    *publication.urlpatterns,
    *bids.urlpatterns,
    *opening.urlpatterns,
]
