"""Council pages of the tenders app, under /c/<council_slug>/ (included by commissioning.urls).

Each view module (one per domain word) has its own ``urlpatterns``, listed here.
"""

from tenders.views import (
    award,
    bids,
    clarifications,
    codesign,
    evaluation,
    evaluation_model,
    moderation,
    opening,
    policy,
    prices,
    publication,
    results,
    specification,
    tender,
)

urlpatterns = [
    *policy.urlpatterns,
    *tender.urlpatterns,
    *evaluation_model.urlpatterns,
    *specification.urlpatterns,
    *codesign.urlpatterns,
    *publication.urlpatterns,
    *clarifications.urlpatterns,
    *bids.urlpatterns,
    *opening.urlpatterns,
    *results.urlpatterns,
    # Evaluation: evaluators, conflicts, individual scores
    *evaluation.urlpatterns,
    # Moderation and prices (evaluation)
    *moderation.urlpatterns,
    *prices.urlpatterns,
    # Award, standstill and contract
    *award.urlpatterns,
]
