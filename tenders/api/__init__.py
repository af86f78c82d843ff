"""API of the tenders app, by stage; ``tenders.api.urls`` routes it under /api/v1/."""
