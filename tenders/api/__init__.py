"""API of the tenders app, one module per domain word; ``tenders.api.urls`` routes it under /api/v1/."""
