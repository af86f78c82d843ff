"""Forms of the tenders app, one module per domain word (``shared`` holds what several use)."""
