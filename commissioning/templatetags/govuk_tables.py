"""``{% table_head "Name" "Role" "Price" numeric="Price" %}``: a GOV.UK table's head row, one column
header a name (those named in ``numeric``, separated by ``|``, aligned right as numbers)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def table_head(*columns: str, numeric: str = "") -> SafeString:
    numbers = set(numeric.split("|")) if numeric else set()
    cells = format_html_join(
        "\n",
        '<th scope="col" class="govuk-table__header{}">{}</th>',
        ((" govuk-table__header--numeric" if column in numbers else "", column) for column in columns),
    )
    return format_html('<thead class="govuk-table__head">\n<tr class="govuk-table__row">\n{}\n</tr>\n</thead>', cells)
