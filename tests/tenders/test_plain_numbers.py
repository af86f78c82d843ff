"""Numbers people typed read as they typed them: 100 jobs and a 50% weight, never "1E+2" or "5E+1"."""

from __future__ import annotations

from django.template import Context, Template

from tenders.serializers.bids import MyBidCommitmentSerializer


def test_a_commitments_quantity_through_the_api_keeps_its_plain_form() -> None:
    serializer = MyBidCommitmentSerializer()
    assert serializer.validate_quantity("100") == "100"
    assert serializer.validate_quantity("2.50") == "2.5"
    assert serializer.validate_quantity("50.00") == "50"


def test_the_notice_weights_and_pass_marks_are_plain() -> None:
    shown = Template("{% load tender_numbers %}{{ weight|plain_number }}% {{ mark|plain_number }}").render(
        Context({"weight": "50.00", "mark": "2.50"})
    )
    assert shown == "50% 2.5"
