"""Council and portal pages of the tenders app, one module per domain word (policy, tender,
evaluation_model, specification, codesign, publication, clarifications, bids, opening); each has
its own ``urlpatterns``, which ``tenders.urls`` lists."""
