"""Forms of the tenders app, by stage."""
