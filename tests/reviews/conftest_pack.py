"""A full case for the Panel pack: incident, screening, notification, two agencies' submitted chronologies,
a rapid review with a meeting of the three partners, every criterion considered, a decision with reasons
and evidence, positions where the police disagree, decisions on the analysis, and a learning point."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import RequestFactory

from chronicle.accounts.models import Agency, AgencyType, Role
from chronicle.audit.actor import Actor
from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.models import ChronologyRequest, DraftEntry
from chronicle.composite import services as composite_services
from chronicle.composite.models import CasePeople
from chronicle.core.dates import PartialDate
from chronicle.core.screening import PANEL
from chronicle.incidents import services as incident_services
from chronicle.incidents.models import Incident
from chronicle.reviews import services
from chronicle.reviews.models import RapidReview
from tests.conftest import make_user
from tests.incidents.conftest import make_incident

MOTHER = "Jade Marsh"
PARTNER = "Kyle Brennan"
SOCIAL_WORKER = "Priya Okafor"  # a professional in the case, listed too
PEOPLE = f"{MOTHER} | Jade\n{PARTNER}\n{SOCIAL_WORKER}\n"

POLICE_ENTRIES = [
    ("2024-01-10", "referral", f"Police referral to children's social care: {MOTHER} reports {PARTNER} pushed the baby's cot over.", "Niche ref 118"),
    ("2024-02-03", "police_callout", "Police called to domestic abuse incident at the home; baby present, seen and unharmed.", "Niche ref 131"),
    ("2024-02", "", f"Neighbour reported shouting at the address on several nights; {PARTNER} named.", "Neighbour call log"),
]  # fmt: skip
SOCIAL_CARE_ENTRIES = [
    ("2024-02-03", "police_callout", "Police called to domestic abuse incident at the home; baby present, seen and unharmed.", "MASH record 77"),
    ("2024-02-20", "visit", f"Home visit by {SOCIAL_WORKER}; baby seen asleep, not seen awake.", "Case note 12"),
]  # fmt: skip

DISSENT = f"The police consider that {PARTNER}'s history of violence was known to three agencies and was never shared; a local review is needed."
RATIONALE = "The learning is already known locally and can be taken forward faster through a multi-agency learning event."
REASONS = [
    ("Practice was largely in line with procedure once the referral was made.", "Social care visit recorded on 20/02/2024"),
    (f"The missed sharing of {PARTNER}'s history is a known local theme.", "Police referral of 10/01/2024 not followed by a strategy discussion"),
]  # fmt: skip


DECISION_BLANKS = {"alternative_kind": "", "sent_to_panel_on": None, "panel_response": "", "panel_response_on": None,
                   "family_told": "", "ofsted_told": ""}  # fmt: skip


@dataclass
class FullCase:
    incident: Incident
    review: RapidReview
    icb: Agency
    partners: dict[str, Any]  # partner kind -> representative


def as_request(user: Any) -> Any:
    request = RequestFactory().post("/")
    request.user = user
    return request


def _add_entries(
    chronology_request: ChronologyRequest, user: Any, entries: list[tuple[str, str, str, str]]
) -> None:
    for date_text, event_type, description, source in entries:
        date = PartialDate.from_isoformat(date_text)
        DraftEntry.objects.create(
            request=chronology_request,
            created_by=user,
            date_text=date_text,
            date_start=date.start,
            date_end=date.end,
            event_type=event_type,
            description=description,
            source=source,
        )


def build_full_case(world: Any, *, finalise: bool = True) -> FullCase:
    manager = as_request(world.manager)
    incident = make_incident(
        world,
        reference="NS-2024-088",
        occurred_on=dt.date(2024, 3, 4),
        aware_on=dt.date(2024, 3, 5),
        born_on=dt.date(2023, 11, 1),
        description=f"Baby G, four months old, taken to A&E by {MOTHER} with a life-threatening head injury.",
    )
    CasePeople.objects.create(incident=incident, names=PEOPLE)
    answers = {
        c.id: {"answer": c.answer, "evidence": f"evidence for {c.id}"}
        for c in incident_services.propose(incident).criteria
    }
    incident_services.record_screening(
        Actor.from_request(manager),
        incident,
        answers,
        "notifiable",
        "Serious harm from suspected abuse; notifiable.",
    )
    incident_services.record_notification(
        Actor.from_request(manager),
        incident,
        {"recipient": PANEL, "sent_on": dt.date(2024, 3, 6), "reference": "SIN-4471"},
    )

    common = {
        "period_from": dt.date(2023, 11, 1),
        "period_to": dt.date(2024, 3, 4),
        "scope": "full",
        "due_on": dt.date(2024, 3, 19),
        "requested_on": dt.date(2024, 3, 6),
        "requested_by": world.manager,
    }
    police = ChronologyRequest.objects.create(incident=incident, agency=world.police, **common)
    social_care = ChronologyRequest.objects.create(incident=incident, agency=world.social_care, **common)
    _add_entries(police, world.owner, POLICE_ENTRIES)
    _add_entries(social_care, world.other_agency, SOCIAL_CARE_ENTRIES)
    chronology_services.submit(Actor.from_request(as_request(world.owner)), police, note="First return")
    chronology_services.submit(Actor.from_request(as_request(world.other_agency)), social_care)

    built = composite_services.build(incident)
    analysis = built.analysis
    if analysis.findings:
        composite_services.decide_finding(
            Actor.from_request(manager),
            built,
            analysis.findings[0],
            "changed",
            "met",
            "Strategy discussion held by phone; see minutes.",
        )
    for link in analysis.links:
        composite_services.decide_link(
            Actor.from_request(manager), incident, built.uid(link.a_index), built.uid(link.b_index), str(link.kind), "confirmed",
            "Same call-out recorded by both agencies.",
        )  # fmt: skip

    icb = Agency.objects.create(
        partnership=world.northshire,
        name="Northshire ICB",
        agency_type=AgencyType.ICB,
        is_statutory_partner=True,
    )
    partners = {
        "local_authority": make_user("la.partner@northshire.example", world.northshire, Role.STATUTORY_PARTNER, world.social_care),
        "icb": make_user("icb.partner@northshire.example", world.northshire, Role.STATUTORY_PARTNER, icb),
        "police": make_user("police.partner@northshire.example", world.northshire, Role.STATUTORY_PARTNER, world.police),
    }  # fmt: skip

    review = services.start(Actor.from_request(manager), incident)
    services.save_overview(
        Actor.from_request(manager),
        review,
        {
            "summary": f"Baby G lives with {MOTHER} and {PARTNER}. Known to police and social care.",
            "immediate_action": "Baby G and a sibling are with their grandmother; Jade agreed to the safety plan.",
            "context": "White British family; the mother has a learning disability that affected engagement.",
        },
    )
    meeting = services.add_meeting(
        Actor.from_request(manager),
        review,
        dt.date(2024, 3, 18),
        "Rapid review meeting",
        [
            {"name": "Ann Cole", "role": "Head of service", "agency": world.social_care, "partner": "local_authority"},
            {"name": "Dr Raj Patel", "role": "Designated doctor", "agency": icb, "partner": "icb"},
            {"name": "DCI Sam Hart", "role": "Detective chief inspector", "agency": world.police, "partner": "police"},
            {"name": "Lee Ward", "role": "Business manager", "agency": None, "partner": ""},
        ],
        ["Family's views"],
    )  # fmt: skip
    services.save_minutes(
        Actor.from_request(manager),
        meeting,
        {item.pk: f"Discussed: {item.title}" for item in meeting.items.all()},
    )
    for consideration in review.considerations.all():
        services.save_consideration(
            Actor.from_request(manager),
            consideration,
            "yes" if consideration.criterion_id.startswith("LR") else "no",
            f"Partners discussed {consideration.criterion_id}.",
            [("entry", "police-1", f"Evidence label for {consideration.criterion_id}")],
        )
    services.record_decision(
        Actor.from_request(manager),
        review,
        {
            **DECISION_BLANKS,
            "outcome": "no_further_review",
            "rationale": "First view before the chronologies were read: no further review.",
            "decided_on": dt.date(2024, 3, 12),
        },
        [("Single-agency issue only.", [("screening", "screening-1", "Screening record version 1")])],
    )
    decision = services.record_decision(
        Actor.from_request(manager),
        review,
        {
            **DECISION_BLANKS,
            "outcome": "alternative",
            "family_told": "By the social worker on 21/03/2024, in person",
            "ofsted_told": "By email on 21/03/2024",
            "alternative_kind": "Multi-agency learning event",
            "rationale": RATIONALE,
            "decided_on": dt.date(2024, 3, 20),
            "sent_to_panel_on": dt.date(2024, 3, 25),
        },
        [(text, [("entry", f"ref-{n}", label)]) for n, (text, label) in enumerate(REASONS, start=1)],
    )
    services.record_position(
        Actor.from_request(as_request(partners["local_authority"])), decision, "local_authority", True, ""
    )
    services.record_position(
        Actor.from_request(as_request(partners["icb"])),
        decision,
        "icb",
        True,
        "Agree: learning event is proportionate.",
    )
    services.record_position(
        Actor.from_request(as_request(partners["police"])), decision, "police", False, DISSENT
    )
    point = services.add_learning_point(
        Actor.from_request(manager),
        incident,
        {
            "kind": "reflective",
            "theme": "information_sharing",
            "text": "Police intelligence on a partner's violence must reach the health visitor.",
            "evidence": "Police referral of 10/01/2024",
            "national_significance": False,
            "agencies": [world.police, world.social_care],
        },
    )
    services.add_action(
        Actor.from_request(manager), point, {"text": "Add partner checks to the MASH checklist", "owner": "MASH manager", "due_on": dt.date(2024, 6, 30)}
    )  # fmt: skip
    if finalise:
        services.finalise(Actor.from_request(manager), review)
    review.refresh_from_db()
    return FullCase(incident, review, icb, partners)


@pytest.fixture
def full_case(world: Any) -> FullCase:
    return build_full_case(world)
