"""The tenders app's provider pages outside any council (the cross-council opportunity finder,
"your bids"), mounted at the site root by the core (``tenders.extensions``: mount ``"site"``)."""

from tenders.views import award
from tenders.views.bids import portal_urlpatterns

urlpatterns = [
    *portal_urlpatterns,
    # Award: a provider's assessment summaries
    *award.portal_urlpatterns,
]

__all__ = ["urlpatterns"]
