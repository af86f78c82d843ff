"""Council pages of the tenders app, under /c/<council_slug>/ (included by commissioning.urls)."""

urlpatterns: list = []
