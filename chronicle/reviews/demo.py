"""The demo case, end to end: incident, screening, notification, day-0 requests, three agencies'
submissions (one returned for revision and resubmitted), the composite and its findings, a rapid review
with a dissenting partner, the decision, and learning points. Loaded once; safe to run again."""

from __future__ import annotations

import datetime as dt

from chronicle.accounts.models import Agency, AgencyType, Membership, Partnership, Role, User
from chronicle.audit.actor import Actor
from chronicle.chronologies import services as chronologies
from chronicle.chronologies.events import read_request
from chronicle.chronologies.imports import store_import
from chronicle.chronologies.models import ChronologyRequest, Scope
from chronicle.composite import services as composite
from chronicle.composite.models import CasePeople
from chronicle.core.importing import import_file
from chronicle.incidents import services as incidents
from chronicle.incidents.models import Incident, ScreeningOutcomeChoice
from chronicle.reviews import evidence, services
from chronicle.reviews.models import LearningKind

REFERENCE = "NS-2026-002"

GP_CSV = """Date,Time,Event,Source,Event type,Action taken,Outcome,Significance
02/06/2026,10:15,"New patient registration for Baby L (born 12/05/2026), Parent M and Parent N.",EMIS record,GP appointment,Registered,,
17/06/2026,09:40,"6-8 week baby check by Dr Patel: feeding well, weight on the 50th centile. Mother reports low mood.",EMIS consultation,GP appointment,Referred mother to perinatal mental health,Referral sent,Maternal mood a risk factor
14/09/2026,16:20,"Mother brought Baby L (4 months) with a 1 cm bruise on the left cheek; said the baby rolled against the cot bars.",EMIS consultation,Injury observed,Advised to return if worried,No referral made,A bruise on a non-mobile baby needs a referral and a medical
28/09/2026,11:00,"Baby L seen for vaccinations. No concerns noted.",EMIS immunisation record,GP appointment,,,
"""
POLICE_CSV = """Date,Time,Event,Source,Event type,Action taken
?August 2026,,"Neighbour reported shouting and a baby crying for long periods at the address.",Control room log 2026-08-1181,Police call-out,Log only
22/08/2026,23:10,"Officers called to a domestic abuse incident at the family home; Parent N arrested for assault on Parent M; baby present and seen asleep.",Niche occurrence 26/4471,Domestic abuse incident,DASH risk assessment: medium; referral to children's social care
23/08/2026,09:00,"Referral to children's social care MASH about the domestic abuse incident of 22 August.",Niche occurrence 26/4471,Referral,Referral emailed to MASH
04/10/2026,03:20,"Ambulance and police attended: Baby L unresponsive; taken to hospital. Parent N said the baby had choked.",Niche occurrence 26/5120,Police call-out,Scene secured; strategy discussion requested
04/10/2026,14:00,"Strategy discussion with children's social care and the hospital paediatrician: Baby L has subdural haemorrhages; section 47 enquiry agreed.",Niche occurrence 26/5120,Strategy discussion,Joint investigation with children's social care
"""
CSC_CSV_V1 = """Date,Event,Source,Event type,Action taken,Outcome
22/08/2026,"Officers called to a domestic abuse incident at the family home; Parent N arrested for assault on Parent M; baby present and seen asleep.",Police notification 26/4471,Domestic abuse incident,,
23/08/2026,"MASH received the police referral about domestic abuse at the home; baby present and unharmed.",MASH record 88213,Referral,,
06/10/2026,"Strategy discussion with police and the hospital paediatrician: Baby L has subdural haemorrhages; section 47 enquiry agreed.",Strategy minutes SD-2026-311,Strategy discussion,Section 47 enquiry started; child protection medical arranged,Baby L in hospital; siblings none
"""
CSC_CSV_V2_EXTRA = """Date,Event,Source,Event type,Action taken,Outcome
28/08/2026,"MASH decision: no further action; advice letter to Parent M about domestic abuse services.",MASH decision log 88213,Referral decision,Advice letter sent,Case closed at the front door
05/10/2026,"Section 47 enquiry started; Baby L's half-sibling at the father's address visited and seen.",Case note 4471,Section 47 enquiry started,,
"""


def _actor(user: User) -> Actor:
    """The demo person, as the loader's audit records have always named them."""
    return Actor.of(user, ip_address="127.0.0.1", user_agent="chronicle demo loader", path="/demo/")


def _import(
    chronology_request: ChronologyRequest, user: User, filename: str, text: str, *, replace: bool = False
) -> None:
    content = text.encode("utf-8")
    agency = chronology_request.agency
    result = import_file(content, filename, agency=agency.name, agency_type=agency.agency_type)
    if result.errors:  # the demo files are ours: any error is a bug, said loudly
        raise ValueError(f"demo file {filename}: {[str(e) for e in result.errors]}")
    store_import(_actor(user), chronology_request, filename, content, result, replace=replace)


def load(partnership: Partnership) -> None:
    if Incident.objects.filter(partnership=partnership, reference=REFERENCE).exists():
        return
    people = {u.username: u for u in User.objects.filter(memberships__partnership=partnership).distinct()}
    manager = people["manager@northshire.example"]
    agencies = {a.name: a for a in Agency.objects.filter(partnership=partnership)}
    police, csc, gp = (
        agencies["Northshire Police"],
        agencies["Northshire Children's Social Care"],
        agencies["Riverside GP Practice"],
    )
    as_manager = _actor(manager)

    incident = incidents.report(
        _actor(people["health.lead@northshire.example"]),
        partnership,
        {
            "reference": REFERENCE,
            "occurred_on": dt.date(2026, 10, 4),
            "aware_on": dt.date(2026, 10, 5),
            "in_england": True,
            "outcome": "seriously_harmed",
            "harm_categories": ["abusive_head_trauma"],
            "description": (
                "Baby L, aged 4 months, brought to A&E unresponsive. CT showed subdural haemorrhages and the "
                "ophthalmologist found retinal haemorrhages: a life-threatening head injury. Parent N said the baby choked. "
                "A bruise on the baby's cheek had been seen by the GP three weeks earlier."
            ),
            "abuse_or_neglect": "suspected",
            "concern_about_working_together": True,
            "reporting_agency": agencies["Northshire Hospitals NHS Trust"],
            "reporter_name": "Hana Lowe, Named nurse for safeguarding",
        },
        [
            {
                "label": "Baby L",
                "born_on": dt.date(2026, 5, 12),
                "looked_after": False,
                "care_leaver": False,
                "disability": None,
            }
        ],
    )
    proposal = incidents.propose(incident, dt.date(2026, 10, 6))
    answers = {
        a.id: {"answer": a.answer, "evidence": "Hospital safeguarding referral and CT report, 5 October 2026"}
        for a in proposal.criteria
    }
    incidents.record_screening(as_manager, incident, answers, ScreeningOutcomeChoice.NOTIFIABLE, "")
    incidents.record_notification(
        as_manager,
        incident,
        {
            "recipient": "Child Safeguarding Practice Review Panel",
            "sent_on": dt.date(2026, 10, 7),
            "reference": "SIN-2026-5120",
        },
    )
    incidents.record_notification(
        as_manager,
        incident,
        {"recipient": "Ofsted", "sent_on": dt.date(2026, 10, 7), "reference": ""},
    )

    # Day 0: every involved agency asked at once.
    requests = chronologies.issue_requests(
        as_manager,
        incident,
        [gp, police, csc],
        {
            "period_from": dt.date(2026, 5, 12),
            "period_to": dt.date(2026, 10, 4),
            "scope": Scope.FULL,
            "due_on": dt.date(2026, 10, 21),
            "instructions": "Include every contact with Baby L, Parent M and Parent N since the birth.",
            "preservation_notice": "Preserve every record about Baby L and the family until the review is complete.",
        },
    )
    for chronology_request in requests:
        ChronologyRequest.objects.filter(pk=chronology_request.pk).update(requested_on=dt.date(2026, 10, 7))
    by_agency = {r.agency.name: r for r in ChronologyRequest.objects.filter(incident=incident)}
    gp_request, police_request, csc_request = by_agency[gp.name], by_agency[police.name], by_agency[csc.name]
    lead_of = {
        gp.name: people["gp.lead@northshire.example"],
        police.name: people["police.lead@northshire.example"],
        csc.name: people["csc.lead@northshire.example"],
    }

    _import(gp_request, lead_of[gp.name], "riverside-gp-chronology.csv", GP_CSV)
    chronologies.submit(_actor(lead_of[gp.name]), gp_request, "Full extract from EMIS.")
    _import(police_request, lead_of[police.name], "police-chronology.csv", POLICE_CSV)
    chronologies.submit(_actor(lead_of[police.name]), police_request, "")
    _import(csc_request, lead_of[csc.name], "csc-chronology.csv", CSC_CSV_V1)
    chronologies.submit(_actor(lead_of[csc.name]), csc_request, "Significant events.")
    # Returned: only significant events, no front-door decision (lesson III). Revised and resubmitted.
    csc_request.refresh_from_db()
    chronologies.return_for_revision(
        as_manager,
        csc_request,
        "Please add the MASH decision on the 23 August referral and the routine "
        "case management after the strategy discussion (a full contact extract was asked for).",
        dt.date(2026, 10, 28),
    )
    _import(csc_request, lead_of[csc.name], "csc-chronology-additions.csv", CSC_CSV_V2_EXTRA)
    chronologies.submit(
        _actor(lead_of[csc.name]),
        csc_request,
        "Revised: MASH decision and section 47 added.",
    )
    for chronology_request in (gp_request, police_request, csc_request):
        chronology_request.refresh_from_db()
        chronologies.accept(as_manager, chronology_request)
    chronologies.assign_reviewer(as_manager, incident, people["reviewer@northshire.example"])
    # The demo has no task worker running yet: read the entries' events now, as the task would.
    for chronology_request in (gp_request, police_request, csc_request):
        read_request(chronology_request)
    CasePeople.objects.create(incident=incident, names="Parent M | Mum\nParent N | Dad\nDr Patel = GP 1")

    built = composite.build(incident)
    for finding in built.analysis.findings:
        if finding.rule_id in {"SH-INJ-NIM", "CJ-01"} and str(finding.status) in {
            "not_met",
            "cannot_be_determined",
            "borderline",
        }:
            composite.decide_finding(as_manager, built, finding, "confirmed", str(finding.status), "")

    review = services.start(as_manager, incident)
    services.save_overview(
        as_manager,
        review,
        {
            "summary": incident.description,
            "immediate_action": "Baby L is in hospital under police protection; no other children live at the address. "
            "The GP practice has reviewed its bruising protocol with all clinicians.",
            "context": "Parent M is 19 and was a care leaver; English is her second language. No interpreter was used at GP appointments.",
        },
    )
    meeting = services.add_meeting(
        as_manager,
        review,
        dt.date(2026, 10, 20),
        "Rapid review meeting",
        [
            {
                "name": "Lena Abbott",
                "role": "Director of Children's Services",
                "agency": csc,
                "partner": "local_authority",
            },
            {
                "name": "Ian Bright",
                "role": "Chief Nursing Officer",
                "agency": agencies["Northshire Integrated Care Board"],
                "partner": "icb",
            },
            {
                "name": "Paula Parr",
                "role": "Assistant Chief Constable",
                "agency": police,
                "partner": "police",
            },
            {"name": "Dr Gareth Patel", "role": "Safeguarding lead GP", "agency": gp, "partner": ""},
            {"name": "Bea Manning", "role": "Partnership business manager", "agency": None, "partner": ""},
        ],
        ["Family's view and how they were told"],
    )
    services.save_minutes(
        as_manager,
        meeting,
        {item.pk: "Discussed; agencies agreed the facts as set out." for item in meeting.items.all()},
    )

    options = evidence.options(incident)
    findings_evidence = [(o.kind, o.reference, o.label) for o in options if o.kind == "finding"][:3]
    link_evidence = [(o.kind, o.reference, o.label) for o in options if o.label.startswith("Conflict")][:1]
    answers_for = {
        "LR-01(a)": "yes",
        "LR-01(b)": "yes",
        "LR-01(c)": "yes",
        "LR-01(d)": "no",
        "NR-01(a)": "maybe",
        "NR-01(b)": "no",
        "NR-01(c)": "maybe",
        "NR-01": "no",
    }
    for kind, reference, label in findings_evidence + link_evidence:
        services.add_to_pool(as_manager, review, kind, reference, label)
    # Each criterion cites what bears on it; a "no" needs none (the same finding under all eight is noise).
    evidence_for = {
        "LR-01(a)": findings_evidence[:1],
        "LR-01(b)": findings_evidence[1:2] or findings_evidence[:1],
        "LR-01(c)": link_evidence or findings_evidence[2:3],
        "NR-01(a)": findings_evidence[:1],
        "NR-01(c)": findings_evidence[1:2],
    }
    for consideration in review.considerations.all():
        services.save_consideration(
            as_manager,
            consideration,
            answers_for.get(consideration.criterion_id, "no"),
            "Partners discussed this criterion at the meeting of 20 October 2026.",
            evidence_for.get(consideration.criterion_id, []),
        )
    decision = services.record_decision(
        as_manager,
        review,
        {
            "outcome": "local_review",
            "alternative_kind": "",
            "rationale": (
                "A bruise on a non-mobile baby was seen and not referred, and the front door closed a domestic abuse referral "
                "without a decision the record can show. Both are recurrent themes the Panel has reported on nationally; a local "
                "child safeguarding practice review will test how agencies worked together."
            ),
            "decided_on": dt.date(2026, 10, 23),
            "sent_to_panel_on": dt.date(2026, 10, 27),
            "panel_response": "The Panel agreed with the decision to undertake a local review.",
            "panel_response_on": dt.date(2026, 11, 10),
            "family_told": "Parent M told in person by the social worker on 26 October 2026",
            "ofsted_told": "Emailed to Ofsted on 27 October 2026",
        },
        [
            (
                "A bruise on a 4-month-old baby was seen by the GP and not referred for a medical.",
                findings_evidence[:1],
            ),
            (
                "The police referral of 23 August had no recorded decision within one working day.",
                findings_evidence[1:2] or findings_evidence[:1],
            ),
            (
                "Police and children's social care recorded the strategy discussion on different dates.",
                link_evidence or findings_evidence[:1],
            ),
        ],
    )
    partners = {
        m.agency.agency_type: m.user
        for m in Membership.objects.filter(
            partnership=partnership, role=Role.STATUTORY_PARTNER, agency__isnull=False
        ).select_related("agency", "user")
        if m.agency is not None
    }
    services.record_position(
        _actor(partners[AgencyType.CHILDRENS_SOCIAL_CARE]), decision, "local_authority", True, ""
    )
    services.record_position(_actor(partners[AgencyType.ICB]), decision, "icb", True, "")
    services.record_position(
        _actor(partners[AgencyType.POLICE]),
        decision,
        "police",
        False,
        "The police response was timely; a peer-learning event on bruising in non-mobile babies would bring the learning "
        "sooner than a local review.",
    )
    services.finalise(as_manager, review)

    first = services.add_learning_point(
        as_manager,
        incident,
        {
            "kind": LearningKind.BREACH,
            "theme": "non_mobile_bruising",
            "national_significance": True,
            "text": "A bruise on a non-mobile baby was not referred, contrary to the partnership's bruising protocol.",
            "evidence": "GP entry of 14/09/2026; the finding on the bruise not referred",
            "agencies": [gp],
        },
    )
    services.add_action(
        as_manager,
        first,
        {
            "text": "Re-launch the bruising protocol with every GP practice, with a training session.",
            "owner": "Named GP for safeguarding, ICB",
            "due_on": dt.date(2027, 1, 31),
        },
    )
    second = services.add_learning_point(
        as_manager,
        incident,
        {
            "kind": LearningKind.REFLECTIVE,
            "theme": "domestic_abuse",
            "national_significance": False,
            "text": "Front-door decisions on domestic abuse referrals involving babies must be recorded with their rationale within one working day.",
            "evidence": "Police referral 23/08/2026; MASH decision 28/08/2026; the finding on the referral decision",
            "agencies": [csc, police],
        },
    )
    services.add_action(
        as_manager,
        second,
        {
            "text": "Audit 30 MASH domestic abuse decisions involving under-ones.",
            "owner": "Head of the MASH",
            "due_on": dt.date(2026, 12, 18),
        },
    )
