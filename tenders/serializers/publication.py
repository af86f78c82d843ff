"""Serializers of publication, clarifications and the public notice."""

from __future__ import annotations
