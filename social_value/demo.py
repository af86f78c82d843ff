"""The social value app's part of ``manage.py seed_demo``: Knowsley's framework from the Social Value Model."""

from __future__ import annotations

from collections.abc import Mapping

from commissioning.models import Council, User
from commissioning.tenancy import council_scope
from social_value.framework import framework_seed_social_value_model

__all__ = ["DEMO_FRAMEWORK_COUNCILS", "seed_frameworks"]

DEMO_FRAMEWORK_COUNCILS = ("knowsley",)


def seed_frameworks(councils: Mapping[str, Council]) -> None:
    for slug in DEMO_FRAMEWORK_COUNCILS:
        council = councils.get(slug)
        if council is None:
            continue
        with council_scope(council):
            admin = User.objects.filter(email=f"admin@{slug}.example.org").first()
            framework_seed_social_value_model(council=council, actor=admin)
