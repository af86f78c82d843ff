"""Pages run a constant number of SQL queries, however much data there is."""

from __future__ import annotations

from commissioning.audit import audit_record
from commissioning.models import Role
from commissioning.tenancy import council_scope
from tests.factories import CouncilWorld, InvitationFactory, MembershipFactory
from tests.helpers import query_counts

PAGES = [
    "/c/knowsley/dashboard/",
    "/c/knowsley/members/",
    "/c/knowsley/audit/",
    "/organisations/",
    "/councils/",
    "/api/v1/councils/knowsley/members/",
    "/api/v1/councils/knowsley/invitations/",
]


def _grow(world: CouncilWorld, n: int) -> None:
    with council_scope(world.council):
        for _ in range(n):
            membership = MembershipFactory(council=world.council, role=Role.CITIZEN)
            InvitationFactory(council=world.council, invited_by=world.people["admin"])
            audit_record(council=world.council, actor=world.people["admin"], action="test.grow", target=membership)


def test_query_counts_do_not_grow_with_the_data(client, knowsley: CouncilWorld) -> None:
    client.force_login(knowsley.people["admin"])
    _grow(knowsley, 3)
    small = query_counts(client, PAGES)
    _grow(knowsley, 30)
    large = query_counts(client, PAGES)
    assert large == small
