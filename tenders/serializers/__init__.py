"""Serializers of the tenders API, by stage."""
