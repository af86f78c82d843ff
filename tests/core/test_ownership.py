"""commissioning.ownership: the legal form fills what it can of an organisation's ownership, and
answers that do not fit are refused with words that say what to do. Pure, no database."""

from __future__ import annotations

import pytest

from commissioning import ownership
from commissioning.models import LegalForm, OwnershipType


def test_the_ownership_types_are_the_models_choices() -> None:
    assert list(ownership.OWNERSHIP_TYPES) == list(OwnershipType.choices)


@pytest.mark.parametrize(
    ("legal_form", "expected"),
    [
        ("charity", ownership.Ownership("charity", True)),
        ("cic", ownership.Ownership("cic", True)),
        ("cooperative", ownership.Ownership("cooperative", False)),
        ("community_group", ownership.Ownership("community_group", False)),
        ("sme", ownership.Ownership("private_company", False)),
        ("large_company", ownership.Ownership("private_company", False)),
        ("public_body", ownership.Ownership("public_body", False)),
        ("other", ownership.Ownership("other", False)),
    ],
)
def test_the_legal_form_fills_the_ownership_and_the_asset_lock(legal_form: str, expected: ownership.Ownership) -> None:
    assert ownership.from_legal_form(legal_form) == expected


def test_every_legal_form_has_a_mapping() -> None:
    for form in LegalForm.values:
        assert ownership.from_legal_form(form).ownership in OwnershipType.values


def test_recorded_answers_win_and_the_legal_form_fills_the_gaps() -> None:
    assert ownership.effective("sme", "private_equity", None) == ownership.Ownership("private_equity", False)
    assert ownership.effective("cooperative", "", True) == ownership.Ownership("cooperative", True)
    # A charity's assets are locked by law, whatever an old row said.
    assert ownership.effective("charity", "", False).asset_locked is True
    assert ownership.effective("sme", "private_equity", None).private_equity is True


def _problems(**answers: object) -> dict[str, str]:
    given = {"legal_form": "sme", "ownership": "", "asset_locked": None, "parent_name": "", "parent_country": ""}
    given.update(answers)
    return ownership.ownership_problems(**given)  # type: ignore[arg-type]


def test_a_subsidiary_names_its_ultimate_parent_and_country() -> None:
    assert set(_problems(ownership="subsidiary")) == {"parent_name", "parent_country"}
    assert "ultimate parent" in _problems(ownership="subsidiary")["parent_name"]
    assert _problems(ownership="subsidiary", parent_name="Big Group plc", parent_country="United States") == {}


def test_a_parent_is_refused_for_an_organisation_that_has_none() -> None:
    assert "parent_name" in _problems(ownership="cooperative", parent_name="Someone")
    assert _problems(ownership="private_equity", parent_name="Fund LP", parent_country="Cayman Islands") == {}


def test_a_charity_or_cic_is_asset_locked_and_owned_as_such() -> None:
    assert "locked in by law" in _problems(legal_form="charity", asset_locked=False)["asset_locked"]
    assert "Charity" in _problems(legal_form="charity", ownership="private_company")["ownership"]
    assert "ownership" in _problems(legal_form="cic", ownership="private_equity")
    assert _problems(legal_form="cic", ownership="cic", asset_locked=True) == {}
