"""API endpoints of the tenders app, under /api/v1/ (included by commissioning.api.urls)."""

urlpatterns: list = []
