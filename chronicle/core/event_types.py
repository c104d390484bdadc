"""The coded event types a chronology entry can carry.

Codes drive the compliance rules (rulebook §4, CJ-*). Agencies' own codes win
over anything inferred from free text.
"""

from __future__ import annotations

EVENT_TYPES: dict[str, str] = {
    "contact": "Contact or enquiry",
    "referral": "Referral",
    "referral_decision": "Referral decision (next steps)",
    "strategy_discussion": "Strategy discussion",
    "s47_start": "Section 47 enquiry started",
    "s47_outcome": "Section 47 enquiry outcome",
    "assessment_start": "Assessment started",
    "assessment_complete": "Assessment completed",
    "icpc": "Initial child protection conference",
    "cp_plan_start": "Child protection plan started",
    "cp_plan_end": "Child protection plan ended",
    "rcpc": "Review child protection conference",
    "core_group": "Core group meeting",
    "visit": "Home visit by social worker",
    "lac_start": "Became looked after",
    "placement_start": "Placement started",
    "lac_review": "Looked-after child review",
    "pf_notification": "Private fostering notification",
    "pf_visit": "Private fostering visit",
    "medical": "Medical or child protection medical",
    "ae_attendance": "A&E attendance",
    "gp_appointment": "GP appointment",
    "hv_contact": "Health visitor contact",
    "birth": "Birth",
    "injury_observed": "Injury observed",
    "police_callout": "Police call-out or incident",
    "domestic_abuse": "Domestic abuse incident",
    "missing_episode": "Missing episode",
    "school_attendance": "School attendance concern",
    "school_exclusion": "School exclusion",
    "death": "Death",
    # Added for what real records say (docs/event-labelling.md defines each one).
    "allegation": "Allegation or disclosure of harm",
    "case_closed": "Case closed or no further action",
    "no_access": "No access or child not brought",
    "arrest": "Arrest, charge, bail or investigation of a person",
    "information_shared": "Information shared between agencies",
    "police_visit": "Visit to the home by police",
    "professional_visit": "Home visit by another professional",
    "hospital_admission": "Hospital admission or discharge",
    "legal_proceedings": "Legal planning or court proceedings",
    # Where the child is: expected contacts and chains pause while the child is outside England.
    "left_england": "Child left England (moved or taken abroad, to Scotland or Wales)",
    "returned_to_england": "Child returned to or arrived in England",
    "other": "Other",
}


def label(code: str | None) -> str:
    """A person's name for an event-type code; unknown codes are shown as they are."""
    if not code:
        return "Not coded"
    return EVENT_TYPES.get(code, code)
