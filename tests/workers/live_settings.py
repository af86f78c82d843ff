"""Settings for the database-outage test's own gunicorn: the test settings with production's
persistent, health-checked connections (the test settings otherwise use one per request)."""

from commissioning.settings.test import *  # noqa: F403
from commissioning.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
