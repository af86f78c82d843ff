"""What the social value app plugs into the core (``commissioning.extensions``), from ``SocialValueConfig.ready()``:
its permissions, audit words, demo data and URLs."""

from __future__ import annotations

from commissioning.extensions import DemoSeeder, UrlInclude, register_demo_seeder, register_url_include
from social_value import audit_labels, rules
from social_value.demo import seed_frameworks

__all__ = ["register"]

# Before the tenders' seeders (10 onwards): a tender's social value questions will name the framework.
DEMO_SEEDERS = [DemoSeeder(key="social_value.frameworks", order=5, seed=seed_frameworks)]

URL_INCLUDES = [
    UrlInclude(mount="council", urlconf="social_value.urls"),
    UrlInclude(mount="api", urlconf="social_value.api_urls"),
]


def register() -> None:
    rules.register()
    audit_labels.register()
    for seeder in DEMO_SEEDERS:
        register_demo_seeder(seeder)
    for entry in URL_INCLUDES:
        register_url_include(entry)
