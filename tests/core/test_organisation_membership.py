"""'Is this person a member of this organisation': the manager methods and the predicate agree."""

from __future__ import annotations

from commissioning.models import Organisation, OrganisationMember, OrganisationRole, User
from commissioning.rules import is_organisation_member, is_organisation_owner
from tests.factories import OrganisationFactory, UserFactory


def test_the_manager_and_the_predicate_say_the_same(db: None) -> None:
    mine, theirs, shared = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    person, other = UserFactory(), UserFactory()
    OrganisationMember.objects.create(organisation=mine, user=person, role=OrganisationRole.OWNER)
    OrganisationMember.objects.create(organisation=shared, user=person, role=OrganisationRole.MEMBER)
    OrganisationMember.objects.create(organisation=theirs, user=other, role=OrganisationRole.OWNER)
    OrganisationMember.objects.create(organisation=shared, user=other, role=OrganisationRole.OWNER)

    assert set(Organisation.objects.of_user(person)) == {mine, shared}
    assert Organisation.objects.of_user(person).count() == 2  # one row per organisation
    for organisation, member, owner in ((mine, True, True), (shared, True, False), (theirs, False, False)):
        assert OrganisationMember.objects.is_member(user=person, organisation=organisation) is member
        assert is_organisation_member(person, organisation) is member
        assert is_organisation_owner(person, organisation) is owner
    assert OrganisationMember.objects.of(user=person, organisation=shared).get().role == OrganisationRole.MEMBER

    # Services read now; the predicate caches for the request (a fresh user object reads again).
    OrganisationMember.objects.filter(organisation=shared, user=person).delete()
    assert not OrganisationMember.objects.is_member(user=person, organisation=shared)
    assert not is_organisation_member(User.objects.get(pk=person.pk), shared)
