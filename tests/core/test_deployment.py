"""The compose file shows the platform past one web process: two stateless replicas behind a proxy.

No Docker engine runs on the CI machines, so the file is checked for what it must say; the proxy's
configuration was checked with `nginx -t` by hand (README, "Scale beyond one machine").
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _services() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def test_two_web_replicas_answer_only_through_the_proxy() -> None:
    services = _services()
    web, proxy = services["web"], services["proxy"]
    assert web["deploy"]["replicas"] == 2
    assert "ports" not in web  # replicas publish nothing; only the proxy faces the network
    assert proxy["ports"] == ["8000:80"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.search(r"server web:8000\b", config)
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in config
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config


def test_web_workers_recycle_the_relay_runs_and_every_process_connects_as_the_application() -> None:
    services = _services()
    command = services["web"]["command"]
    assert command.startswith("gunicorn -c deploy/gunicorn.conf.py ")
    assert "--max-requests" not in command  # the settings file's, as the image and the bench use
    gunicorn = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert (gunicorn["max_requests"], gunicorn["max_requests_jitter"]) == (1000, 100)
    assert gunicorn["worker_class"] == "sync" and gunicorn["preload_app"] is True
    assert '"-c", "deploy/gunicorn.conf.py"' in (ROOT / "Dockerfile").read_text()
    assert services["relay"]["command"] == "python manage.py relay_outbox"
    for name in ("web", "worker", "relay", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://commissioning:"), name
        assert "MIGRATION_DATABASE_URL" not in environment, name
