"""Partnerships, agencies and people (with their roles and two-factor devices), and the world of
personas every view test is run with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import factory
from django.test import Client, RequestFactory
from django.test.client import WSGIRequest
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from chronicle.accounts.models import Agency, AgencyType, Membership, Partnership, Role, User
from chronicle.audit.actor import Actor

PASSWORD = "correct horse battery staple"


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n} Safeguarding Children Partnership")


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    agency_type = AgencyType.POLICE
    is_statutory_partner = False


class PersonFactory(DjangoModelFactory):
    """A user who can sign in with PASSWORD; their first name is taken from their address."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@northshire.example")
    username = factory.SelfAttribute("email")
    first_name = factory.LazyAttribute(lambda person: person.email.partition("@")[0].title())
    last_name = "Tester"
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        # create_user hashes the password with the hasher the test run has set.
        return model_class.objects.create_user(*args, **kwargs)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(PersonFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    agency = None
    role = Role.CONTRIBUTOR


class TwoFactorDeviceFactory(DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(PersonFactory)
    name = "phone"
    confirmed = True


def make_user(
    email: str, partnership: Partnership, role: str, agency: Agency | None = None, **extra: Any
) -> User:
    """A person with one membership: ``role`` in ``partnership``, for ``agency`` when given."""
    user: User = PersonFactory(email=email, **extra)
    MembershipFactory(user=user, partnership=partnership, agency=agency, role=role)
    return user


def signed_in(user: User) -> Client:
    """A client signed in with the two-factor step done, as after a real sign-in."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def request_as(user: User | None) -> WSGIRequest:
    """A POST request made by ``user``, for services that record who acted from a request."""
    request = RequestFactory().post("/")
    request.user = user  # type: ignore[assignment]
    return request


def actor_for(user: User) -> Actor:
    """The actor a service sees when ``user`` posts a form."""
    return Actor.from_request(request_as(user))


@dataclass
class World:
    """Two partnerships, their agencies and one person for each persona."""

    northshire: Partnership
    southvale: Partnership
    police: Agency
    social_care: Agency
    gp: Agency
    southvale_agency: Agency
    manager: User  # business manager of Northshire
    owner: User  # agency safeguarding lead of Northshire Police: the owning agency
    other_agency: User  # contributor for Northshire Children's Social Care: another agency
    reviewer: User  # independent reviewer of Northshire
    auditor: User  # auditor of Northshire
    outsider: User  # business manager of Southvale, another partnership


PERSONAS = ("manager", "owner", "other_agency", "reviewer", "auditor", "outsider")


def make_world() -> World:
    northshire = PartnershipFactory(name="Northshire Safeguarding Children Partnership")
    southvale = PartnershipFactory(name="Southvale Safeguarding Children Partnership")
    police = AgencyFactory(
        partnership=northshire,
        name="Northshire Police",
        agency_type=AgencyType.POLICE,
        is_statutory_partner=True,
    )
    social_care = AgencyFactory(
        partnership=northshire,
        name="Northshire Children's Social Care",
        agency_type=AgencyType.CHILDRENS_SOCIAL_CARE,
        is_statutory_partner=True,
    )
    gp = AgencyFactory(
        partnership=northshire, name="Riverside GP Practice", agency_type=AgencyType.GP_PRACTICE
    )
    southvale_agency = AgencyFactory(
        partnership=southvale, name="Southvale Police", agency_type=AgencyType.POLICE
    )
    return World(
        northshire=northshire,
        southvale=southvale,
        police=police,
        social_care=social_care,
        gp=gp,
        southvale_agency=southvale_agency,
        manager=make_user("manager@northshire.example", northshire, Role.BUSINESS_MANAGER),
        owner=make_user("police.lead@northshire.example", northshire, Role.AGENCY_LEAD, police),
        other_agency=make_user("social.worker@northshire.example", northshire, Role.CONTRIBUTOR, social_care),
        reviewer=make_user("reviewer@northshire.example", northshire, Role.REVIEWER),
        auditor=make_user("auditor@northshire.example", northshire, Role.AUDITOR),
        outsider=make_user("manager@southvale.example", southvale, Role.BUSINESS_MANAGER),
    )


@dataclass
class Partners:
    """One representative for each statutory partner: the local authority, the ICB and the police."""

    icb: Agency
    people: dict[str, User]  # partner kind -> representative


def make_partners(
    world: World,
    local_authority: str = "dcs@northshire.example",
    icb: str = "nurse@northshire.example",
    police: str = "acc@northshire.example",
) -> Partners:
    """The ICB joins Northshire; each partner's representative is a statutory partner member."""
    icb_agency = AgencyFactory(
        partnership=world.northshire,
        name="Northshire ICB",
        agency_type=AgencyType.ICB,
        is_statutory_partner=True,
    )
    return Partners(
        icb_agency,
        {
            "local_authority": make_user(
                local_authority, world.northshire, Role.STATUTORY_PARTNER, world.social_care
            ),
            "icb": make_user(icb, world.northshire, Role.STATUTORY_PARTNER, icb_agency),
            "police": make_user(police, world.northshire, Role.STATUTORY_PARTNER, world.police),
        },
    )
