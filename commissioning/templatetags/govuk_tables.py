"""``{% table_head "Name" "Price" "Actions" numeric="Price" hidden="Actions" %}``: a GOV.UK table's head
row, one column header a name. Those named in ``numeric`` (separated by ``|``) are aligned right as
numbers; those named in ``hidden`` are read by screen readers only."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _names(value: str) -> set[str]:
    return set(value.split("|")) if value else set()


@register.simple_tag
def table_head(*columns: str, numeric: str = "", hidden: str = "") -> SafeString:
    numbers, unseen = _names(numeric), _names(hidden)
    cells = format_html_join(
        "\n",
        '<th scope="col" class="govuk-table__header{}">{}</th>',
        (
            (
                " govuk-table__header--numeric" if column in numbers else "",
                format_html('<span class="govuk-visually-hidden">{}</span>', column) if column in unseen else column,
            )
            for column in columns
        ),
    )
    return format_html('<thead class="govuk-table__head">\n<tr class="govuk-table__row">\n{}\n</tr>\n</thead>', cells)
