"""Council and portal pages of the tenders app, by stage; ``tenders.urls`` routes them."""
