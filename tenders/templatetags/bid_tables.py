"""``{% bid_table_rows rows bids_path %}``: the rows of the table of bids received, written in Python.

A page of 25 bids is about 150 cells, each with a filter or an include; Django's template engine
spent about a third of the page's time on them. The rows are made here with ``format_html``
(which escapes every value, as the template did); the table's head and caption stay in
``tenders/opening/bids.html``. The bids page calls :func:`bid_table_rows` itself and keeps the
rows so written with the table (``tenders.selectors.bid_table_page``): a reader after the first
neither reads nor writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ROW = (
    '<tr class="govuk-table__row">'
    '<th scope="row" class="govuk-table__header"><a class="govuk-link" href="{}{}/">{}</a>'
    '<br><span class="govuk-body-s">{}, {}</span></th>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    '<td class="govuk-table__cell">{}</td>'
    "</tr>"
)
# The compliance decision as a GOV.UK tag (as tenders/opening/_compliance_tag.html writes it).
TAGS = {
    "compliant": mark_safe('<strong class="govuk-tag govuk-tag--green">Compliant</strong>'),  # noqa: S308 (a constant)
    "non_compliant": mark_safe('<strong class="govuk-tag govuk-tag--red">Non-compliant</strong>'),  # noqa: S308
}
NOT_CHECKED = mark_safe('<strong class="govuk-tag govuk-tag--grey">Not checked</strong>')  # noqa: S308 (a constant)
WHEN = "j F Y, H:i"


def _submitted(submission: Any) -> SafeString | str:
    if submission is None:
        return ""
    when = date_format(timezone.localtime(submission.submitted_at), WHEN)
    if submission.number > 1:
        return format_html('{}<br><span class="govuk-body-s">version {}</span>', when, submission.number)
    return when


def _eligible(eligibility: Any) -> SafeString | str:
    if eligibility.eligible:
        return "Yes"
    return format_html('No<br><span class="govuk-body-s">{}</span>', " ".join(eligibility.reasons))


@register.simple_tag
def bid_table_rows(rows: Sequence[Any], bids_path: str) -> SafeString:
    """The ``<tr>`` of each bid: organisation (linked to the bid) with its legal form and postcode,
    the receipt's reference, when it was submitted (and which version), eligibility, compliance."""
    return format_html_join(
        "\n",
        ROW,
        (
            (
                bids_path,
                row.bid.pk,
                row.organisation.name,
                row.organisation.get_legal_form_display(),
                row.organisation.postcode,
                row.submission.reference if row.submission is not None and row.submission.reference else "None",
                _submitted(row.submission),
                _eligible(row.eligibility),
                TAGS.get(row.bid.compliance, NOT_CHECKED),
            )
            for row in rows
        ),
    )
