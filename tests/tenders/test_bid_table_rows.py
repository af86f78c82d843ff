"""``{% bid_table_rows %}`` writes the table of bids' rows in Python: exactly the rows the template's
loop wrote (kept here as the reference), for compliance decisions of each kind, a second version,
an ineligible bidder with its reasons and an organisation whose name and postcode carry markup."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone

from tenders.eligibility import Eligibility

# The loop tenders/opening/bids.html had before the rows were written in Python.
REFERENCE = Template(
    "{% for row in rows %}"
    '<tr class="govuk-table__row">'
    '<th scope="row" class="govuk-table__header">'
    '<a class="govuk-link" href="{{ bids_path }}{{ row.bid.pk }}/">{{ row.organisation.name }}</a>'
    '<br><span class="govuk-body-s">{{ row.organisation.get_legal_form_display }}, '
    "{{ row.organisation.postcode }}</span>"
    "</th>"
    '<td class="govuk-table__cell">{{ row.submission.reference|default:"None" }}</td>'
    '<td class="govuk-table__cell">{% if row.submission %}{{ row.submission.submitted_at|date:"j F Y, H:i" }}'
    '{% if row.submission.number > 1 %}<br><span class="govuk-body-s">version {{ row.submission.number }}</span>'
    "{% endif %}{% endif %}</td>"
    '<td class="govuk-table__cell">{% if row.eligibility.eligible %}Yes{% else %}No<br>'
    '<span class="govuk-body-s">{{ row.eligibility.reasons|join:" " }}</span>{% endif %}</td>'
    '<td class="govuk-table__cell">{% include "tenders/opening/_compliance_tag.html" with bid=row.bid %}</td>'
    "</tr>"
    "{% endfor %}"
)
ROWS = Template("{% load bid_tables %}{% bid_table_rows rows bids_path %}")


def _row(pk: int, name: str, compliance: str, number: int | None, eligible: bool) -> SimpleNamespace:
    organisation = SimpleNamespace(
        name=name, postcode="L36 <9UJ>", get_legal_form_display=lambda: "Community interest company (CIC)"
    )
    submission = (
        None
        if number is None
        else SimpleNamespace(
            reference=f"KNO-3-{pk}-{number}", number=number, submitted_at=timezone.now().replace(month=7, day=1)
        )
    )
    reasons = () if eligible else ("Not in the local area (L26 & L36).", "Over the <band>.")
    return SimpleNamespace(
        bid=SimpleNamespace(pk=pk, compliance=compliance),
        organisation=organisation,
        submission=submission,
        eligibility=Eligibility(eligible=eligible, reasons=list(reasons)),
    )


def _normal(html: str) -> list[str]:
    return [line.strip() for line in html.replace("><", ">\n<").splitlines() if line.strip()]


@pytest.mark.parametrize("number", [None, 1, 2])
def test_the_rows_are_the_rows_the_template_wrote(number: int | None) -> None:
    rows = [
        _row(1, "Kirkby <b>Garden</b> & Co", "compliant", number, True),
        _row(2, "Innovate Volunteering CIC", "non_compliant", number, False),
        _row(3, "Merseyside 'Digital' Ltd", "unchecked", number, False),
    ]
    context = {"rows": rows, "bids_path": "/c/knowsley/tenders/3/bids/"}
    ours = ROWS.render(Context(context))
    assert _normal(ours) == _normal(REFERENCE.render(Context(context)))
    assert "Kirkby &lt;b&gt;Garden&lt;/b&gt; &amp; Co" in ours and "L36 &lt;9UJ&gt;" in ours
    assert "Over the &lt;band&gt;." in ours
