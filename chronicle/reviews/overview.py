"""The rapid review at a glance: one status per part of the record, each linking to its own page, so
the review's main page stays short however long the criteria, evidence and meetings grow."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from chronicle.reviews.models import STATUTORY_PARTNERS, RapidReview

DONE = "done"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
CANNOT_START = "cannot_start"

STATE_WORDS = {
    DONE: "Completed",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not yet started",
    CANNOT_START: "Cannot start yet",
}
SHOWN_LEFT_TO_DO = 3  # the rest are on the check page, so the overview stays short


@dataclass(frozen=True)
class Part:
    key: str
    name: str
    state: str
    status: str
    hint: str = ""
    url: str = ""


def _part(key: str, name: str, state: str, status: str = "", hint: str = "", url: str = "") -> Part:
    return Part(key, name, state, status or STATE_WORDS[state], hint, url)


def _plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def review_parts(review: RapidReview, *, manages: bool) -> list[Part]:
    """The review's task list: case summary, meetings, evidence, criteria, decision, sign-offs, finalise."""
    code = review.code
    parts: list[Part] = []

    written = bool(review.summary.strip())
    parts.append(
        _part(
            "summary",
            "Case summary",
            DONE if written else NOT_STARTED,
            url=reverse("review-summary", args=[code]),
        )
    )

    meetings = review.meetings.count()
    parts.append(
        _part(
            "meetings",
            "Meetings and minutes",
            DONE if meetings else NOT_STARTED,
            _plural(meetings, "meeting") + " recorded" if meetings else "",
            url=reverse("review-meetings", args=[code]),
        )
    )

    pool = review.pool.count()
    parts.append(
        _part(
            "evidence",
            "Evidence chosen",
            DONE if pool else NOT_STARTED,
            _plural(pool, "piece") + " chosen" if pool else "",
            hint="Findings, links and entries the criteria and reasons cite",
            url=reverse("review-chosen", args=[code]),
        )
    )

    considerations = list(review.considerations.values_list("answer", flat=True))
    answered = sum(1 for answer in considerations if answer)
    total = len(considerations)
    criteria_state = DONE if total and answered == total else IN_PROGRESS if answered else NOT_STARTED
    parts.append(
        _part(
            "criteria",
            "Criteria considered",
            criteria_state,
            f"{answered} of {total} considered" if criteria_state == IN_PROGRESS else "",
            url=reverse("review-criteria", args=[code]),
        )
    )

    decision = review.current_decision()
    parts.append(
        _part(
            "decision",
            "Decision and reasons",
            DONE if decision else NOT_STARTED,
            hint=f"Version {decision.version}: {decision.get_outcome_display()}" if decision else "",
            url=reverse("review-decisions", args=[code]),
        )
    )

    if decision is None:
        parts.append(_part("sign-offs", "Statutory partners' sign-off", CANNOT_START))
    else:
        signed = decision.positions.filter(partner__in=STATUTORY_PARTNERS).count()
        parts.append(
            _part(
                "sign-offs",
                "Statutory partners' sign-off",
                DONE if signed == len(STATUTORY_PARTNERS) else IN_PROGRESS if signed else NOT_STARTED,
                f"{signed} of {len(STATUTORY_PARTNERS)} signed off"
                if 0 < signed < len(STATUTORY_PARTNERS)
                else "",
                hint=f"On decision version {decision.version}",
                url=reverse("review-sign-offs", args=[code]),
            )
        )

    if review.is_final:
        parts.append(_part("finalised", "Finalise the record", DONE))
    else:
        parts.append(
            _part(
                "finalised",
                "Finalise the record",
                NOT_STARTED,
                url=reverse("review-finalise", args=[code]) if manages else "",
            )
        )
    return parts
