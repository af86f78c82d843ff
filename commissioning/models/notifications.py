from django.db import models
from django.utils import timezone

from commissioning.tenancy import CouncilOwned


class Notification(CouncilOwned):
    """An e-mail the platform sent once, under a key that says what was sent to whom
    (``bids:receipt:42``). Written only by :func:`commissioning.notifications.notify_once`.

    The row is the claim: its unique key makes a second run of the same task wait for the first
    and then send nothing. ``sent_at`` is set once the mail server has taken the e-mail.
    """

    key = models.CharField(max_length=200)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "claimed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["council", "key"], name="notification_key_unique")]

    def __str__(self) -> str:
        return self.key
