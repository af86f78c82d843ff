"""gunicorn's settings for the platform's web processes (production image, compose, ``make bench``).

Pass it with ``-c deploy/gunicorn.conf.py``; options given on the command line (``--bind``,
``--workers``) take precedence over these.

- Sync workers: the steadiest on small machines, one request at a time each.
- Each worker is replaced after 1,000 to 1,100 requests (the jitter keeps them from being replaced
  together), so a slow leak cannot grow a worker's memory.
- The application is loaded once, in the master process, and warmed there
  (:func:`commissioning.warm.warm`: templates compiled, URLs resolved, translations read); each
  worker is forked from it ready to serve. A replaced worker therefore costs a fork, not seconds of
  imports and first-request work while the other workers carry its share of the load.
"""

import logging

wsgi_app = "commissioning.wsgi:application"
worker_class = "sync"
max_requests = 1000
max_requests_jitter = 100
preload_app = True


def when_ready(server):  # noqa: ANN001, ANN201 (gunicorn's hook signature)
    """In the master, once the application is loaded and before any worker is forked."""
    from commissioning.warm import warm

    done = warm()
    logging.getLogger("gunicorn.error").info("Warmed the application: %s templates compiled", done["templates"])
