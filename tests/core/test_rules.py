"""Role × action: the predicates that pages and API share."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from commissioning.models import Role
from commissioning.rules import PERMISSIONS_TABLE
from tests.factories import CouncilWorld

# What each council role may do: the table the README publishes.
EXPECTED = {
    "council.view_dashboard": set(Role.values),
    "council.view_members": {"admin"},
    "council.manage_members": {"admin"},
    "council.change_settings": {"admin"},
    "council.view_audit": {"admin", "officer"},
    "council.change_spend_policy": {"admin"},
    "tenders.view_policy": set(Role.values),
    "commission.view": {"admin", "commissioner", "evaluator", "officer"},
    "commission.change": {"commissioner"},
    "commission.decide": {"commissioner"},
    "outcomes.manage": {"admin", "commissioner"},
    "social_value.view_framework": set(Role.values),
    "social_value.view_market": {"admin", "commissioner", "officer"},
    "social_value.manage_framework": {"admin"},
    "social_value.view_agreements": {"admin", "commissioner", "officer"},
    "social_value.verify_returns": {"commissioner", "officer"},
    "tender.view": {"admin", "commissioner", "evaluator", "officer"},
    "tender.change": {"commissioner"},
    "clauses.manage": {"admin", "commissioner"},
    "tender.comment": {"citizen"},
    "tender.approve": {"officer"},
    "tender.publish": {"officer"},
    "clarifications.answer": {"commissioner"},
    "bids.view": {"commissioner", "officer"},
    "bids.mark_compliance": {"commissioner"},
    # Evaluation: evaluators, conflicts, individual scores
    "evaluation.view": {"commissioner", "officer"},
    "evaluation.manage": {"commissioner"},
    "evaluation.change_evaluators": {"commissioner", "officer"},
    "evaluation.decide_recusal": {"officer"},
    "evaluation.score": {"evaluator"},
    # Moderation and prices (evaluation)
    "moderation.view": {"commissioner", "officer"},
    "moderation.run": {"commissioner"},
    "moderation.approve_change": {"officer"},
    "prices.view": {"commissioner", "officer"},
    "prices.open": {"commissioner"},
    "prices.decide_abnormally_low": {"commissioner"},
    # Results and why this bidder won
    "results.view": {"commissioner", "officer"},
    # Award, standstill and contract
    "award.view": {"admin", "commissioner", "officer"},
    "award.recommend": {"commissioner"},
    "award.approve": {"officer"},
    "award.suspend": {"officer"},
    "contract.enter": {"officer"},
}


@pytest.mark.parametrize("permission", sorted(EXPECTED))
def test_council_permissions_by_role(permission: str, knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    allowed = {role for role, person in knowsley.people.items() if person.has_perm(permission, knowsley.council)}
    assert allowed == EXPECTED[permission]
    # No role in one council grants anything in another.
    assert not any(p.has_perm(permission, knowsley.council) for p in southwark.people.values())


def test_organisation_permissions(knowsley: CouncilWorld, southwark: CouncilWorld) -> None:
    from commissioning.models import OrganisationMember, OrganisationRole
    from tests.factories import UserFactory

    organisation = knowsley.organisation
    member = UserFactory()
    OrganisationMember.objects.create(organisation=organisation, user=member, role=OrganisationRole.MEMBER)
    owner = knowsley.provider
    outsider = southwark.provider
    assert owner.has_perm("organisation.change", organisation)
    assert member.has_perm("organisation.view", organisation)
    assert not member.has_perm("organisation.change", organisation)
    assert not outsider.has_perm("organisation.view", organisation)


def test_the_readme_table_matches_the_rules() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for permission, (_, who, what) in PERMISSIONS_TABLE.items():
        row = re.search(rf"^\| `{re.escape(permission)}` \|(.*)$", readme, re.MULTILINE)
        assert row, f"README's role × action table has no row for {permission}"
        cells = [c.strip() for c in row.group(1).split("|")]
        assert what in cells[0]
        if permission in EXPECTED:
            marks = dict(zip(Role.values, cells[1:6], strict=True))
            assert {r for r, mark in marks.items() if mark == "✓"} == EXPECTED[permission], permission
        else:
            assert who in row.group(1)


def test_who_may_is_written_as_people_say_it() -> None:
    from commissioning.rules import who_may

    assert who_may("bids.view") == "a commissioner or an officer of the council"
    assert who_may("commission.view") == "an admin, a commissioner, an evaluator or an officer of the council"
    assert who_may("council.manage_members") == "an admin of the council"
    assert who_may("council.view_dashboard") == "a member of the council"
    assert who_may("organisation.change") == "an owner of the organisation"
    for permission in PERMISSIONS_TABLE:
        assert ", " not in who_may(permission).split(" or ")[-1]


@pytest.mark.django_db
def test_the_layout_reads_each_council_permission_when_a_template_asks(knowsley: CouncilWorld, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``council_perms`` in every council page: the same answers as the rules, each asked once and
    only when read (a page reads a handful of the table's permissions)."""
    from commissioning.context_processors import CouncilPerms

    commissioner = knowsley.people[Role.COMMISSIONER]
    asked: list[str] = []
    real = type(commissioner).has_perm

    def counting(user, perm, obj=None):  # type: ignore[no-untyped-def]
        asked.append(perm)
        return real(user, perm, obj)

    monkeypatch.setattr(type(commissioner), "has_perm", counting)
    perms = CouncilPerms(commissioner, knowsley.council)
    assert perms["commission_change"] is True and perms["view_members"] is False
    assert perms["commission_change"] is True
    assert asked == ["commission.change", "council.view_members"]
    council_names = [name for name in PERMISSIONS_TABLE if not name.startswith("organisation.")]
    assert dict(perms) == {
        name.removeprefix("council.").replace(".", "_"): real(commissioner, name, knowsley.council)
        for name in council_names
    }
    assert perms["tender_change"] is True and perms["view_audit"] is False  # as EXPECTED says
    with pytest.raises(KeyError):
        perms["no_such_permission"]
