"""The demo partnership: fictional agencies and people, one for every role. Safe to load again."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from chronicle.accounts.models import Agency, AgencyType, Membership, Partnership, Role, User

NORTHSHIRE = "Northshire Safeguarding Children Partnership"
SOUTHVALE = "Southvale Safeguarding Children Partnership"

AGENCIES: list[tuple[str, str, str, bool]] = [
    (NORTHSHIRE, "Northshire Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE, True),
    (NORTHSHIRE, "Northshire Police", AgencyType.POLICE, True),
    (NORTHSHIRE, "Northshire Integrated Care Board", AgencyType.ICB, True),
    (NORTHSHIRE, "Northshire Hospitals NHS Trust", AgencyType.HEALTH_TRUST, False),
    (NORTHSHIRE, "Riverside GP Practice", AgencyType.GP_PRACTICE, False),
    (NORTHSHIRE, "Meadow Lane Primary School", AgencyType.EDUCATION, False),
    (SOUTHVALE, "Southvale Children's Services", AgencyType.CHILDRENS_SOCIAL_CARE, True),
]


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    partnership: str
    role: str
    agency: str | None = None
    job_title: str = ""
    superuser: bool = False


PEOPLE: list[DemoPerson] = [
    DemoPerson(
        "manager@northshire.example",
        "Bea",
        "Manning",
        NORTHSHIRE,
        Role.BUSINESS_MANAGER,
        None,
        "Partnership business manager",
    ),
    DemoPerson(
        "police.lead@northshire.example",
        "Priya",
        "Lee",
        NORTHSHIRE,
        Role.AGENCY_LEAD,
        "Northshire Police",
        "Detective Inspector, safeguarding",
    ),
    DemoPerson(
        "csc.lead@northshire.example",
        "Sam",
        "Carter",
        NORTHSHIRE,
        Role.AGENCY_LEAD,
        "Northshire Children's Social Care",
        "Head of safeguarding",
    ),
    DemoPerson(
        "health.lead@northshire.example",
        "Hana",
        "Lowe",
        NORTHSHIRE,
        Role.AGENCY_LEAD,
        "Northshire Hospitals NHS Trust",
        "Named nurse for safeguarding",
    ),
    DemoPerson(
        "gp.lead@northshire.example",
        "Gareth",
        "Patel",
        NORTHSHIRE,
        Role.AGENCY_LEAD,
        "Riverside GP Practice",
        "Safeguarding lead GP",
    ),
    DemoPerson(
        "health.visitor@northshire.example",
        "Holly",
        "Vine",
        NORTHSHIRE,
        Role.CONTRIBUTOR,
        "Northshire Hospitals NHS Trust",
        "Health visitor",
    ),
    DemoPerson(
        "social.worker@northshire.example",
        "Sol",
        "Walker",
        NORTHSHIRE,
        Role.CONTRIBUTOR,
        "Northshire Children's Social Care",
        "Social worker",
    ),
    DemoPerson(
        "la.partner@northshire.example",
        "Lena",
        "Abbott",
        NORTHSHIRE,
        Role.STATUTORY_PARTNER,
        "Northshire Children's Social Care",
        "Director of Children's Services",
    ),
    DemoPerson(
        "icb.partner@northshire.example",
        "Ian",
        "Bright",
        NORTHSHIRE,
        Role.STATUTORY_PARTNER,
        "Northshire Integrated Care Board",
        "Chief Nursing Officer",
    ),
    DemoPerson(
        "police.partner@northshire.example",
        "Paula",
        "Parr",
        NORTHSHIRE,
        Role.STATUTORY_PARTNER,
        "Northshire Police",
        "Assistant Chief Constable",
    ),
    DemoPerson(
        "reviewer@northshire.example",
        "Rowan",
        "Reid",
        NORTHSHIRE,
        Role.REVIEWER,
        None,
        "Independent reviewer",
    ),
    DemoPerson(
        "auditor@northshire.example",
        "Audrey",
        "Tate",
        NORTHSHIRE,
        Role.AUDITOR,
        None,
        "Information governance officer",
    ),
    DemoPerson(
        "manager@southvale.example",
        "Simone",
        "Vale",
        SOUTHVALE,
        Role.BUSINESS_MANAGER,
        None,
        "Partnership business manager",
    ),
    DemoPerson(
        "admin@chronicle.example",
        "Sys",
        "Admin",
        NORTHSHIRE,
        Role.AUDITOR,
        None,
        "System administrator",
        superuser=True,
    ),
]


def demo_password() -> str:
    """One password for every demo account, made once per machine and kept under var/."""
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(f"demo-{secrets.token_urlsafe(9)}")
        path.chmod(0o600)
    return path.read_text().strip()


@transaction.atomic
def load_demo() -> list[DemoPerson]:
    password = demo_password()
    patterns = {NORTHSHIRE: "NS-{year}-{number:03}", SOUTHVALE: "SV-{year}-{number:03}"}
    partnerships = {
        name: Partnership.objects.get_or_create(
            name=name, defaults={"case_reference_pattern": patterns[name]}
        )[0]
        for name in (NORTHSHIRE, SOUTHVALE)
    }
    agencies: dict[str, Agency] = {}
    for partnership_name, name, agency_type, statutory in AGENCIES:
        agencies[name], _ = Agency.objects.get_or_create(
            partnership=partnerships[partnership_name],
            name=name,
            defaults={"agency_type": agency_type, "is_statutory_partner": statutory},
        )
    for person in PEOPLE:
        user, created = User.objects.get_or_create(
            username=person.email,
            defaults={
                "email": person.email,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "job_title": person.job_title,
                "is_staff": person.superuser,
                "is_superuser": person.superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        Membership.objects.get_or_create(
            user=user,
            partnership=partnerships[person.partnership],
            agency=agencies[person.agency] if person.agency else None,
            role=person.role,
        )
    from chronicle.incidents.demo import load as load_incidents

    load_incidents(partnerships[NORTHSHIRE])
    from chronicle.reviews.demo import load as load_journey

    load_journey(partnerships[NORTHSHIRE])
    return PEOPLE
