"""Harm categories, outcomes and abuse-or-neglect answers used when an incident is reported.

The categories are a maintained list, not a statutory one. Where a category is
flagged ``serious_harm_indicator`` the screening engine proposes that the child
was seriously harmed; a person still confirms it. The flags follow the proposed
rule SH-RULE (rulebook section 5), which is built from the sources named on each
category but is itself unverified, so those flags carry ``verified=False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class HarmCategory:
    code: str
    label: str
    serious_harm_indicator: bool
    source: str
    tag: str  # rulebook verification tag: "P", "S" or "G"

    @property
    def verified(self) -> bool:
        return self.tag != "G"


HARM_CATEGORIES: tuple[HarmCategory, ...] = (
    HarmCategory(
        "abusive_head_trauma",
        "Abusive head trauma or shaking",
        True,
        "SH-RULE (intracranial injury, AHT/shaking), built on SH-03 (Sibert et al. 2002; AHT definition)",
        "G",
    ),
    HarmCategory(
        "fracture",
        "Skull or other fracture",
        True,
        "SH-RULE (skull fracture; any fracture in a child under 1 or not independently mobile), built on SH-03",
        "G",
    ),
    HarmCategory(
        "bruising_non_mobile",
        "Bruising in a non-mobile baby",
        False,  # routes to referral, a strategy discussion and a medical (SH-03 nim_bruise), not serious harm itself
        "SH-03 (NICE CG89 rec 1.1.2; Panel briefing 'Bruising in non-mobile infants', Sept 2022)",
        "S",
    ),
    HarmCategory(
        "burns_scalds",
        "Burns or scalds",
        True,
        "SH-RULE (burn or scald requiring admission), built on SH-03 (Sibert et al. 2002)",
        "G",
    ),
    HarmCategory(
        "internal_abdominal_injury",
        "Internal abdominal injury",
        True,
        "SH-RULE (internal abdominal injury), built on SH-03 (Sibert et al. 2002)",
        "G",
    ),
    HarmCategory(
        "suffocation_fii",
        "Suffocation or fabricated or induced illness (FII)",
        True,
        "SH-RULE (suffocation or ALTE with suspected FII), built on SH-03 (Sibert et al. 2002)",
        "G",
    ),
    HarmCategory(
        "sexual_abuse",
        "Sexual abuse",
        True,
        "CR-02 (WT2010 Ch.8: 'seriously harmed as a result of being subjected to sexual abuse')",
        "S",
    ),
    HarmCategory("neglect", "Neglect", False, "CR-01 reg 5(2)(a) (abuse or neglect); severity varies", "S"),
    HarmCategory(
        "poisoning", "Poisoning", False, "CR-12 (potentially life-threatening injury); severity varies", "S"
    ),
    HarmCategory(
        "self_harm", "Self-harm", False, "CR-23 (impairment of mental health); severity varies", "S"
    ),
    HarmCategory(
        "suspected_suicide",
        "Suspected suicide",
        True,
        "CR-11 and CR-21 (deaths 'including cases of suspected suicide')",
        "S",
    ),
    HarmCategory(
        "exploitation",
        "Criminal or sexual exploitation",
        False,
        "NR-01 (first national review: criminal exploitation of adolescents); severity varies",
        "S",
    ),
    HarmCategory(
        "domestic_abuse", "Domestic abuse", False, "CR-01 reg 5(2)(a) (abuse); severity varies", "S"
    ),
    HarmCategory("other", "Other", False, "none: describe the harm in words", "S"),
)

HARM_CATEGORIES_BY_CODE: dict[str, HarmCategory] = {category.code: category for category in HARM_CATEGORIES}


def harm_category(code: str) -> HarmCategory:
    """The category with this code; a ValueError listing the known codes otherwise."""
    try:
        return HARM_CATEGORIES_BY_CODE[code]
    except KeyError:
        known = ", ".join(HARM_CATEGORIES_BY_CODE)
        raise ValueError(f"unknown harm category {code!r}; use one of: {known}") from None


class Outcome(StrEnum):
    """What happened to the child."""

    DIED = "died"
    SERIOUSLY_HARMED = "seriously_harmed"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "died": "The child died",
            "seriously_harmed": "The child was seriously harmed",
            "other": "Other: the child neither died nor is known to have been seriously harmed",
        }[self.value]


class AbuseOrNeglect(StrEnum):
    """Whether abuse or neglect of the child is known or suspected."""

    KNOWN = "known"
    SUSPECTED = "suspected"
    NOT_SUSPECTED = "not_suspected"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {
            "known": "Abuse or neglect is known",
            "suspected": "Abuse or neglect is suspected",
            "not_suspected": "Abuse or neglect is not suspected",
            "unknown": "Not yet known",
        }[self.value]


OUTCOME_CHOICES: tuple[tuple[str, str], ...] = tuple((item.value, item.label) for item in Outcome)
ABUSE_OR_NEGLECT_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (item.value, item.label) for item in AbuseOrNeglect
)
HARM_CATEGORY_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (category.code, category.label) for category in HARM_CATEGORIES
)
