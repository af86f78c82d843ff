"""``{% ranking_rows entry kinds %}``: the rows of a lot's ranking table, written in Python.

A ranking of 100 bids is about 1,000 cells; Django's template engine spent about a third of the
results page's time on them, so the rows are made here with ``format_html`` (which escapes every
value, as the template did) and the table's head and caption stay in ``_ranking.html``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ROW = (
    '<tr class="govuk-table__row">'
    '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
    '<th scope="row" class="govuk-table__header">{}{}</th>'
    "{}"
    '<td class="govuk-table__cell govuk-table__cell--numeric"><strong>{}</strong></td>'
    '<td class="govuk-table__cell">{}</td>'
    "</tr>"
)
CELL = '<td class="govuk-table__cell govuk-table__cell--numeric">{}</td>'
TOP_RANKED = mark_safe(' <strong class="govuk-tag govuk-tag--green">Top ranked</strong>')  # noqa: S308 (a constant)
BREAK = mark_safe("<br>")  # noqa: S308 (a constant)
TIE_BROKEN = "Equal total: placed by the tie-break"


def _notes(bid: Any) -> SafeString | str:
    if bid.reasons:
        return format_html_join(BREAK, "{}", ((reason,) for reason in bid.reasons))
    return TIE_BROKEN if getattr(bid, "tie_broken", False) else ""


@register.simple_tag
def ranking_rows(entry: dict[str, Any], kinds: Sequence[tuple[str, str]]) -> SafeString:
    """The ``<tr>`` of each ranked bid: rank (or "Not ranked"), bidder (and "Top ranked"), points per
    kind, total, and the reasons it is not ranked or how a tie was broken."""
    rows = entry["rows"]
    if not rows:
        return format_html(
            '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">No bids.</td></tr>',
            len(kinds) + 4,
        )
    return format_html_join(
        "\n",
        ROW,
        (
            (
                row["bid"].rank or "Not ranked",
                row["bid"].label,
                TOP_RANKED if row["winner"] else "",
                format_html_join("", CELL, (("None" if p is None else p,) for p in row["points"])),
                row["total"],
                _notes(row["bid"]),
            )
            for row in rows
        ),
    )
