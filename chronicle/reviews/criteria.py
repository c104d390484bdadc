"""The criteria a rapid review must consider, as data (rule book §3: LR-01, NR-01; §2: CR-01/CR-03)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReviewCriterion:
    id: str
    question: str
    source: str
    verified: bool = True


LOCAL_REVIEW = (
    ReviewCriterion(
        "LR-01(a)",
        "Does the case highlight, or may it highlight, improvements needed to safeguard and promote the welfare of children, including improvements identified before?",
        "SI 2018/789 reg 11(a)",
    ),
    ReviewCriterion(
        "LR-01(b)",
        "Does the case highlight, or may it highlight, recurrent themes in safeguarding and promoting the welfare of children?",
        "SI 2018/789 reg 11(b)",
    ),
    ReviewCriterion(
        "LR-01(c)",
        "Does the case highlight, or may it highlight, concerns about two or more agencies working together effectively to safeguard the child?",
        "SI 2018/789 reg 11(c)",
    ),
    ReviewCriterion(
        "LR-01(d)",
        "Has the Child Safeguarding Practice Review Panel considered the case and concluded a local review may be more appropriate?",
        "SI 2018/789 reg 11(d)",
    ),
)
NATIONAL_REVIEW = (
    ReviewCriterion(
        "NR-01(a)",
        "Might the case highlight improvements needed nationally, including improvements identified before? (for the Panel)",
        "SI 2018/789 reg 3(a)",
    ),
    ReviewCriterion(
        "NR-01(b)",
        "Does the case raise, or may it raise, issues needing changes to legislation or statutory guidance?",
        "SI 2018/789 reg 3(b)",
    ),
    ReviewCriterion(
        "NR-01(c)",
        "Does the case highlight, or may it highlight, recurrent themes nationally?",
        "SI 2018/789 reg 3(c)",
    ),
    ReviewCriterion(
        "NR-01",
        "Does the case raise issues that are complex or of national importance, so that a national review may be appropriate?",
        "SI 2018/789, explanatory note; Working Together (RR-03, wording unverified)",
        verified=False,
    ),
)
SERIOUS_CASE_REVIEW = (
    ReviewCriterion(
        "CR-01(a)", "Is abuse or neglect of the child known or suspected?", "SI 2006/90 reg 5(2)(a)"
    ),
    ReviewCriterion("CR-01(b)(i)", "Has the child died?", "SI 2006/90 reg 5(2)(b)(i)"),
    ReviewCriterion(
        "CR-01(b)(ii)",
        "Has the child been seriously harmed, and is there cause for concern about how the authority, Board partners or others worked together to safeguard the child?",
        "SI 2006/90 reg 5(2)(b)(ii)",
    ),
    ReviewCriterion(
        "CR-03",
        "Unless it is clear there are no concerns about inter-agency working, the LSCB must commission an SCR (WT2013/WT2015): is it clear there are none?",
        "Working Together 2013/2015 Ch.4 (CR-03)",
    ),
)


def criteria_for(regime_id: str) -> tuple[ReviewCriterion, ...]:
    """The criteria to consider for a case screened under this regime."""
    if regime_id.startswith("LSCB2006"):
        return SERIOUS_CASE_REVIEW
    return LOCAL_REVIEW + NATIONAL_REVIEW
