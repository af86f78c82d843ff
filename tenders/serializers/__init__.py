"""Serializers of the tenders API, one module per domain word (like its views in ``tenders.api``)."""
