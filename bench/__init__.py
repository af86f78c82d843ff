"""``make bench``: the platform measured at realistic scale on one machine (see README, "Benchmark").

Never imported by the application: only by ``python -m bench`` (the runner), by the gunicorn it
starts (``bench.settings``, ``bench.urls``) and by the harness's own unit tests (``bench.stats``).
"""
