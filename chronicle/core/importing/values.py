"""Reading coded cells: event types and yes/no answers, as agencies write them.

Event types are matched by code ("strategy_discussion"), by the label Chronicle
shows ("Strategy discussion") or by a common way agencies write it ("Strategy
meeting", "S47", "A&E"). The common forms below are data; an agency's own code
always wins over anything inferred from free text, so a value that matches
nothing is an error for the agency to correct, not a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

from chronicle.core.event_types import EVENT_TYPES

# Common ways of writing each event type (beyond its code and label).
EVENT_TYPE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "contact": ("Contact", "Enquiry", "Telephone call", "Phone call", "Contact received", "Email"),
    "referral": ("Referral received", "Referral made", "Safeguarding referral", "MASH referral"),
    "referral_decision": ("Referral outcome", "MASH decision", "Next steps decision", "Screening decision"),
    "strategy_discussion": (
        "Strategy meeting",
        "Strategy",
        "Strategy discussion or meeting",
        "Strat meeting",
    ),
    "s47_start": (
        "S47",
        "Section 47",
        "S47 enquiry",
        "Section 47 enquiry",
        "S.47 enquiry",
        "Child protection enquiry",
    ),
    "s47_outcome": ("S47 outcome", "Section 47 outcome", "Outcome of s47"),
    "assessment_start": (
        "Assessment",
        "Single assessment",
        "Child and family assessment",
        "C&F assessment",
        "Early help assessment",
    ),
    "assessment_complete": ("Assessment complete", "Assessment completed", "Assessment outcome"),
    "icpc": (
        "Initial child protection conference",
        "Initial conference",
        "ICPC held",
        "Initial CP conference",
    ),
    "cp_plan_start": ("Child protection plan", "CP plan", "CP plan started", "Child protection plan started"),
    "cp_plan_end": ("CP plan ended", "Child protection plan ended", "CP plan ceased"),
    "rcpc": ("Review conference", "Review child protection conference", "RCPC held", "Review CP conference"),
    "core_group": ("Core group", "Core group meeting", "CGM"),
    "visit": ("Home visit", "Statutory visit", "SW visit", "Social worker visit", "CP visit", "Visit"),
    "lac_start": ("Looked after", "Became looked after", "Came into care", "Section 20", "S20", "Care order"),
    "placement_start": ("Placement", "Placement started", "Placement move", "New placement"),
    "lac_review": ("LAC review", "CLA review", "Looked after review", "Child looked after review"),
    "pf_notification": ("Private fostering", "Private fostering notification"),
    "pf_visit": ("Private fostering visit", "PF visit"),
    "medical": (
        "Medical",
        "CP medical",
        "Child protection medical",
        "Paediatric assessment",
        "Medical examination",
    ),
    "ae_attendance": (
        "A&E",
        "A and E",
        "A&E attendance",
        "ED attendance",
        "Emergency department",
        "Hospital attendance",
        "Urgent care attendance",
        "Accident and emergency",
    ),
    "gp_appointment": ("GP", "GP appointment", "GP consultation", "GP visit", "Surgery appointment"),
    "hv_contact": (
        "Health visitor",
        "HV",
        "HV contact",
        "HV visit",
        "Health visitor visit",
        "Health visitor contact",
        "New birth visit",
        "Developmental review",
    ),
    "birth": ("Birth", "Born"),
    "injury_observed": ("Injury", "Injury observed", "Bruising", "Bruise observed", "Injury seen"),
    "police_callout": (
        "Police",
        "Police call-out",
        "Police callout",
        "Police call out",
        "Police incident",
        "Police attendance",
        "999 call",
    ),
    "domestic_abuse": (
        "Domestic abuse",
        "Domestic violence",
        "DA incident",
        "DV incident",
        "Domestic incident",
        "MARAC",
    ),
    "missing_episode": (
        "Missing",
        "Missing episode",
        "Missing from home",
        "Missing from care",
        "Reported missing",
    ),
    "school_attendance": ("School attendance", "Attendance concern", "Non-attendance", "Absence"),
    "school_exclusion": (
        "Exclusion",
        "School exclusion",
        "Suspension",
        "Fixed-term exclusion",
        "Permanent exclusion",
    ),
    "death": ("Death", "Died"),
    "other": ("Other", "Misc", "Miscellaneous"),
}

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def _key(text: str) -> str:
    return _NOT_WORD.sub("", text.lower().replace("&", "and"))


def _build_event_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, label in EVENT_TYPES.items():
        for name in (code, label, *EVENT_TYPE_SYNONYMS.get(code, ())):
            key = _key(name)
            if key in lookup and lookup[key] != code:
                raise AssertionError(f"event type {name!r} is claimed by {lookup[key]} and {code}")
            lookup[key] = code
    unknown = set(EVENT_TYPE_SYNONYMS) - set(EVENT_TYPES)
    if unknown:
        raise AssertionError(f"synonyms for unknown event types: {sorted(unknown)}")
    return lookup


EVENT_TYPE_LOOKUP: dict[str, str] = _build_event_lookup()


# Wordings whose code depends on who wrote them: a police officer's "home visit" is not a social
# worker's visit. They mean their code only from the kind of agency named here; from any other
# agency (or when the agency's kind is not known, as offline) they are kept as written, uncoded.
AGENCY_DEPENDENT_EVENT_TYPES: dict[str, str] = {
    "homevisit": "childrens_social_care",
    "visit": "childrens_social_care",
}


def event_type_key(written: str) -> str:
    """The form two event-type values are compared in: "Home Visit" and "home visit" are one value."""
    return _key(written)


@lru_cache(maxsize=4096)
def event_type_code(written: str, agency_type: str = "") -> str | None:
    """The event-type code a cell means, or None if it matches no code, label or common form.

    ``agency_type``: the kind of agency that wrote it (an ``accounts.AgencyType`` value), for the
    wordings whose meaning depends on it (``AGENCY_DEPENDENT_EVENT_TYPES``).
    """
    key = _key(written)
    needs = AGENCY_DEPENDENT_EVENT_TYPES.get(key)
    if needs is not None and agency_type != needs:
        return None
    return EVENT_TYPE_LOOKUP.get(key)


YES_WORDS = frozenset({"yes", "y", "true", "1", "x", "✓", "✔", "seen", "ticked"})
NO_WORDS = frozenset({"no", "n", "false", "0", "notseen", "not"})
BLANK_WORDS = frozenset({"", "na", "notapplicable", "unknown", "notknown", "nk", "notrecorded", "dontknow"})
FIRST_HAND_WORDS = frozenset(
    {"firsthand", "first", "direct", "directlyobserved", "observed", "seen", "yes", "y"}
)
THIRD_PARTY_WORDS = frozenset(
    {"thirdparty", "third", "thirdhand", "secondhand", "reported", "hearsay", "referrer", "no", "n"}
)

YES_NO_HELP = "yes or no (or leave blank)"
FIRST_HAND_HELP = "first-hand or third-party (or leave blank)"


def read_yes_no(value: object) -> bool | None:
    """True, False or None (blank / not applicable); raises ValueError for anything else."""
    if value is True or value is False:
        return value
    if value is None:
        return None
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ValueError(f"'{value}' is not {YES_NO_HELP}")
    key = _key(str(value))
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    if key in BLANK_WORDS:
        return None
    raise ValueError(f"'{value}' is not {YES_NO_HELP}")


def read_first_hand(value: object) -> bool | None:
    """True for first-hand, False for third-party information (CQ-11), None when blank."""
    if value is True or value is False:
        return value
    key = _key(str(value)) if value is not None else ""
    if key in FIRST_HAND_WORDS:
        return True
    if key in THIRD_PARTY_WORDS:
        return False
    if key in BLANK_WORDS:
        return None
    raise ValueError(f"'{value}' is not {FIRST_HAND_HELP}")
