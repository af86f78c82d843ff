"""``{{ section.body|sanitised }}``: rich text people wrote, through the one sanitiser policy.

The services sanitise a specification section's HTML on every save; this filter sanitises it again
as it is shown, so a row written any other way (an import, the admin, a direct database change, an
old version) still cannot run script. Text that is not meant to hold HTML is never shown with
``|safe``: Django escapes it.
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from tenders.specification import sanitise

register = template.Library()


@register.filter
def sanitised(value: object) -> SafeString:
    return mark_safe(sanitise(str(value or "")))  # noqa: S308 - nh3's allow-list output is safe HTML
