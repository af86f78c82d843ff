"""E-mail sent once per key: the one way background tasks send e-mail.

A task may run more than once (``acks_late`` delivers it again when a worker dies mid-task, and
anyone may re-run a task), so each e-mail goes out under a key that says what was sent to whom,
for example ``bids:receipt:<submission id>`` or ``codesign:round-opened:<round id>:user:<user id>``.

How a key is kept (:func:`notify_once`), in one transaction:

1. claim: insert a :class:`~commissioning.models.Notification` row per key, unique per council
   (``ON CONFLICT DO NOTHING``), and lock the claimed rows not yet sent. A second run of the same
   task waits on the unique key until the first run's transaction ends: if the first sent, the
   second finds ``sent_at`` set and sends nothing;
2. send the e-mails whose keys were still unsent, over one connection;
3. record ``sent_at``.

If sending fails, the exception rolls the claim back with it, so a retry sends. The choice is
**at least once**: if the worker dies after the mail server took the e-mail but before the
commit, the claim is rolled back too and a retry sends the e-mail again. A receipt or an
invitation sent twice is a nuisance; one never sent is a failure nobody sees.

The rows are council-owned (django-scopes and row-level security, like every council's data), so
a key need not name the council and a task can only claim keys of the council it runs for.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from commissioning.models import Council, Notification

__all__ = ["notify_once"]


def notify_once(*, council: Council, messages: Mapping[str, EmailMessage]) -> int:
    """Send each message whose key the council has not sent yet; return how many were sent.

    ``messages`` maps a key (what is sent to whom) to its e-mail; keys are sent in the order given.
    """
    if not messages:
        return 0
    keys = list(messages)
    with transaction.atomic():
        Notification.objects.bulk_create(
            [Notification(council=council, key=key) for key in keys], ignore_conflicts=True
        )
        unsent = set(
            Notification.objects.select_for_update()
            .filter(council=council, key__in=keys, sent_at__isnull=True)
            .values_list("key", flat=True)
        )
        due = [key for key in keys if key in unsent]
        if due:
            get_connection().send_messages([messages[key] for key in due])
            Notification.objects.filter(council=council, key__in=due).update(sent_at=timezone.now())
    return len(due)
