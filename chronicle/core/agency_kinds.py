"""What kind of agency a name most likely belongs to, for files read without a database.

In the web app every agency has a type its business manager chose. The offline
commands only have the names in the files ("Northshire Police", "Riverside
Medical Practice"), so they guess the type from words in the name. The guess is
only used as evidence when reading events (a police "Home visit" is a police
visit): a name with none of these words has no type, and nothing depends on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# First match wins: the more specific words come first ("school nurse" is health, not education).
_KINDS: tuple[tuple[str, str], ...] = (
    ("police", r"\bpolice\b|\bconstabulary\b"),
    ("ambulance", r"\bambulance\b|\bparamedic"),
    ("health_trust", r"\bhealth visit|\bschool nurs|\bhospital|\bnhs\b|\bmidwif|\bhealth\b|\b0-19\b"),
    ("gp_practice", r"\bgp\b|\bsurgery\b|\bmedical (practice|centre|center)\b|\bgeneral practi"),
    ("icb", r"\bintegrated care board\b|\bicb\b|\bccg\b"),
    ("childrens_social_care", r"social care\b|\bsocial services\b|\bcsc\b|\bmash\b|children'?s services"),
    ("early_years", r"\bnursery\b|\bpre-?school\b|\bchildren'?s centre\b|\bchildminder\b"),
    ("education", r"\bschool\b|\bacademy\b|\bcollege\b|\beducation\b"),
    ("probation", r"\bprobation\b"),
    ("housing", r"\bhousing\b"),
)
_COMPILED = tuple((kind, re.compile(pattern)) for kind, pattern in _KINDS)


def guess_agency_type(name: str) -> str:
    """The agency type (an ``accounts.AgencyType`` value) a name suggests, or "" when none does."""
    lowered = name.casefold().replace("\u2019", "'")
    for kind, pattern in _COMPILED:
        if pattern.search(lowered):
            return kind
    return ""


def guess_agency_types(names: Iterable[str]) -> dict[str, str]:
    """``guess_agency_type`` for each distinct name."""
    return {name: guess_agency_type(name) for name in set(names)}


# Sources that are not agencies: the family's or the community's account, courts, coroners and
# inquests, the media, reviews. A chronology compiled for a review often gives them their own rows
# ("Family (context)", "Crown Court", "Coroner"). "Family" alone is context, but "Family Nurse
# Partnership" or "Family Support Service" is an agency, so family and community count only as the
# whole name or beside "context".
_CONTEXT = re.compile(
    r"\bcontext\b"
    r"|^(the )?(birth |wider |extended )?(family|community)( members?| and friends)?$"
    r"|\bcourts?\b|\bcoroner|\binquests?\b|\btrial\b"
    r"|\bmedia\b|\bpress\b|\bnewspapers?\b|\bnews\b"
    r"|\breviews?\b|\bscr\b|\bcspr\b|\bdhr\b|\bsafeguarding practice review\b"
)


def is_context_source(name: str) -> bool:
    """True when an agency column's value names context, not an agency: family, court, coroner, media…"""
    cleaned = re.sub(r"[()\[\]]", " ", name.casefold().replace("\u2019", "'"))
    return bool(_CONTEXT.search(" ".join(cleaned.split())))
