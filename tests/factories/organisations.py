"""Provider organisations (global, not per council) and their members."""

from __future__ import annotations

import factory

from commissioning.models import LegalForm, Organisation, OrganisationMember, OrganisationRole, SizeBand
from tests.factories.people import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Organisation {n}")
    legal_form = LegalForm.CHARITY
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    address_line_1 = "1 High Street"
    town = "Huyton"
    postcode = "L36 9UJ"
    size_band = SizeBand.SMALL


class OrganisationMemberFactory(factory.django.DjangoModelFactory[OrganisationMember]):
    class Meta:
        model = OrganisationMember

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = OrganisationRole.OWNER
