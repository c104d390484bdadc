"""Reviews: a full case for the Panel pack, and a learning register.

The full case: incident, screening, notification, two agencies' submitted chronologies, a rapid review
with a meeting of the three partners, every criterion considered, a decision with reasons and evidence,
positions where the police disagree, decisions on the analysis, and a learning point. Everything is
made through the services the pages call, so its audit trail is the one a real review leaves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from chronicle.accounts.models import Agency, Role, User
from chronicle.composite import services as composite_services
from chronicle.composite.models import CasePeople
from chronicle.core.screening import PANEL
from chronicle.incidents import services as incident_services
from chronicle.incidents.models import Incident
from chronicle.reviews import services
from chronicle.reviews.models import LearningAction, LearningPoint, RapidReview
from tests.factories.cases import EntryRow, make_incident, request_both_agencies
from tests.factories.people import World, actor_for, make_partners, make_user

MOTHER = "Jade Marsh"
PARTNER = "Kyle Brennan"
SOCIAL_WORKER = "Priya Okafor"  # a professional in the case, listed too
PEOPLE = f"{MOTHER} | Jade\n{PARTNER}\n{SOCIAL_WORKER}\n"

NAMED_POLICE_ENTRIES: list[EntryRow] = [
    ("2024-01-10", "referral", f"Police referral to children's social care: {MOTHER} reports {PARTNER} pushed the baby's cot over.", "Niche ref 118"),
    ("2024-02-03", "police_callout", "Police called to domestic abuse incident at the home; baby present, seen and unharmed.", "Niche ref 131"),
    ("2024-02", "", f"Neighbour reported shouting at the address on several nights; {PARTNER} named.", "Neighbour call log"),
]  # fmt: skip
NAMED_SOCIAL_CARE_ENTRIES: list[EntryRow] = [
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
    partners: dict[str, User]  # partner kind -> representative


def build_full_case(world: World, *, finalise: bool = True) -> FullCase:
    """Case NS-2024-088 carried to a decision the police dissent from (finalised unless asked not to)."""
    manager = actor_for(world.manager)
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
        manager,
        incident,
        answers,
        "notifiable",
        "Serious harm from suspected abuse; notifiable.",
    )
    incident_services.record_notification(
        manager,
        incident,
        {"recipient": PANEL, "sent_on": dt.date(2024, 3, 6), "reference": "SIN-4471"},
    )

    request_both_agencies(
        world,
        incident,
        requested_on=dt.date(2024, 3, 6),
        police_entries=NAMED_POLICE_ENTRIES,
        social_care_entries=NAMED_SOCIAL_CARE_ENTRIES,
        police_note="First return",
    )

    built = composite_services.build(incident)
    analysis = built.analysis
    if analysis.findings:
        composite_services.decide_finding(
            manager,
            built,
            analysis.findings[0],
            "changed",
            "met",
            "Strategy discussion held by phone; see minutes.",
        )
    for link in analysis.links:
        composite_services.decide_link(
            manager, incident, built.uid(link.a_index), built.uid(link.b_index), str(link.kind), "confirmed",
            "Same call-out recorded by both agencies.",
        )  # fmt: skip

    partnership_partners = make_partners(
        world,
        "la.partner@northshire.example",
        "icb.partner@northshire.example",
        "police.partner@northshire.example",
    )
    icb, partners = partnership_partners.icb, partnership_partners.people

    review = services.start(manager, incident)
    services.save_overview(
        manager,
        review,
        {
            "summary": f"Baby G lives with {MOTHER} and {PARTNER}. Known to police and social care.",
            "immediate_action": "Baby G and a sibling are with their grandmother; Jade agreed to the safety plan.",
            "context": "White British family; the mother has a learning disability that affected engagement.",
        },
    )
    meeting = services.add_meeting(
        manager,
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
        manager,
        meeting,
        {item.pk: f"Discussed: {item.title}" for item in meeting.items.all()},
    )
    for consideration in review.considerations.all():
        services.save_consideration(
            manager,
            consideration,
            "yes" if consideration.criterion_id.startswith("LR") else "no",
            f"Partners discussed {consideration.criterion_id}.",
            [("entry", "police-1", f"Evidence label for {consideration.criterion_id}")],
        )
    services.record_decision(
        manager,
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
        manager,
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
    services.record_position(actor_for(partners["local_authority"]), decision, "local_authority", True, "")
    services.record_position(
        actor_for(partners["icb"]),
        decision,
        "icb",
        True,
        "Agree: learning event is proportionate.",
    )
    services.record_position(actor_for(partners["police"]), decision, "police", False, DISSENT)
    point = services.add_learning_point(
        manager,
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
        manager, point, {"text": "Add partner checks to the MASH checklist", "owner": "MASH manager", "due_on": dt.date(2024, 6, 30)}
    )  # fmt: skip
    if finalise:
        services.finalise(manager, review)
    review.refresh_from_db()
    return FullCase(incident, review, icb, partners)


def point_data(*agencies: Agency, **overrides: Any) -> dict[str, Any]:
    """A learning point's fields as the form hands them to the service."""
    data: dict[str, Any] = {
        "kind": "reflective",
        "theme": "information_sharing",
        "text": "The police call-out was not shared with the health visitor.",
        "agencies": list(agencies),
        "evidence": "Police, 3 Feb 2024 (Niche ref 131); finding CJ-04 not met.",
        "national_significance": False,
    }
    data.update(overrides)
    return data


@dataclass
class Register:
    case: Incident  # NS-2024-017, incident in 2024
    older_case: Incident  # NS-2023-004, incident in 2023
    police_point: LearningPoint  # names the police (the owner's agency)
    care_point: LearningPoint  # names children's social care (other_agency's agency)
    gp_point: LearningPoint  # names the GP practice only, in the older case
    shared_point: LearningPoint  # names the police and the GP, in the older case
    overdue_action: LearningAction  # on police_point, not started, past due
    done_action: LearningAction  # on police_point, done, past due
    partner: User  # statutory partner representative of children's social care


def build_register(world: World) -> Register:
    """Two cases, learning points naming different agencies, two actions past due (one done)."""
    case = make_incident(world)
    older_case = make_incident(world, reference="NS-2023-004", occurred_on=dt.date(2023, 6, 1))
    manager = actor_for(world.manager)
    police_point = services.add_learning_point(manager, case, point_data(world.police))
    care_point = services.add_learning_point(
        manager,
        case,
        point_data(world.social_care, kind="breach", theme="risk_assessment", text="No strategy discussion."),
    )
    gp_point = services.add_learning_point(
        manager,
        older_case,
        point_data(
            world.gp, theme="safe_sleep", text="Safe sleeping advice not given.", national_significance=True
        ),
    )
    shared_point = services.add_learning_point(
        manager,
        older_case,
        point_data(world.police, world.gp, text="Information about the father not shared."),
    )
    last_week = dt.date.today() - dt.timedelta(days=7)
    overdue = services.add_action(
        manager,
        police_point,
        {"text": "Joint briefing on sharing call-outs", "owner": "DI Lee", "due_on": last_week},
    )
    done = services.add_action(
        manager,
        police_point,
        {"text": "Update the referral checklist", "owner": "DS Khan", "due_on": last_week},
    )
    services.set_action_status(manager, done, "done")
    done.refresh_from_db()
    partner = make_user(
        "partner@northshire.example", world.northshire, Role.STATUTORY_PARTNER, world.social_care
    )
    return Register(
        case, older_case, police_point, care_point, gp_point, shared_point, overdue, done, partner
    )
