"""The rapid review record: its clock, meetings and agenda, criteria, decision versions with reasons and
evidence, statutory partners' positions and sign-off, the completeness guard, and learning points."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from chronicle.accounts.models import AgencyType, Membership, Role, User
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as
from chronicle.core import screening as engine
from chronicle.incidents.models import Incident
from chronicle.incidents.services import calendar_for, first_panel_notification
from chronicle.reviews.agenda import ProposedItem, agenda_analysis, proposed_agenda, proposed_from
from chronicle.reviews.criteria import criteria_for
from chronicle.reviews.models import (
    DECISION_FIELDS,
    STATUTORY_PARTNERS,
    AgendaItem,
    Attendance,
    Consideration,
    Decision,
    Evidence,
    LearningAction,
    LearningPoint,
    Meeting,
    PartnerKind,
    PartnerPosition,
    PoolItem,
    RapidReview,
    Reason,
)
from chronicle.ui.concurrency import claim, claim_number

RAPID_REVIEW_WORKING_DAYS = 15  # RR-01

AGENCY_PARTNER: dict[str, str] = {
    AgencyType.CHILDRENS_SOCIAL_CARE.value: PartnerKind.LOCAL_AUTHORITY.value,
    AgencyType.ICB.value: PartnerKind.ICB.value,
    AgencyType.POLICE.value: PartnerKind.POLICE.value,
}


class NotReady(Exception):
    """The record cannot be finalised yet; ``missing`` says exactly what is missing."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__("; ".join(missing))
        self.missing = missing


class Finalised(Exception):
    """A finalised rapid review is not changed; record a new decision version before finalising again."""


def regime_of(incident: Incident) -> str:
    screening = incident.latest_screening()
    return screening.regime if screening else engine.regime_for(incident.occurred_on).id


def clock_start(incident: Incident) -> dt.date:
    """Day 0: the notification to the Panel, or awareness, as the partnership has chosen (RR-01)."""
    if incident.partnership.rapid_review_clock_start == "notification":
        return first_panel_notification(incident) or incident.aware_on
    return incident.aware_on


@transaction.atomic
def start(actor: Actor, incident: Incident) -> RapidReview:
    # The case locked: two quick "start" posts find the one review rather than racing to make two.
    Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk").get()
    existing = RapidReview.objects.filter(incident=incident).first()
    if existing:
        return existing
    started = clock_start(incident)
    review = RapidReview.objects.create(
        incident=incident,
        regime=regime_of(incident),
        started_on=started,
        due_on=calendar_for(incident.partnership).add_working_days(started, RAPID_REVIEW_WORKING_DAYS),
        summary=incident.description,
        created_by=actor.user,
    )
    for criterion in criteria_for(review.regime):
        Consideration.objects.create(
            review=review,
            criterion_id=criterion.id,
            question=criterion.question,
            source=criterion.source,
            verified=criterion.verified,
        )
    record_as(actor, Action.CREATE, obj=review, partnership=incident.partnership)
    return review


def _lock(review: RapidReview) -> None:
    """Inside a transaction: hold the review's row, so numbers and sign-offs are taken one at a time."""
    locked = RapidReview.objects.select_for_update().only("finalised_at").get(pk=review.pk)
    review.finalised_at = locked.finalised_at


def _author(decision: Decision | None) -> str:
    user = decision.created_by if decision else None
    return (user.get_full_name() or user.email) if user else ""


def _check_open(review: RapidReview) -> None:
    if review.is_final:
        raise Finalised("this rapid review has been finalised")


@transaction.atomic
def save_overview(
    actor: Actor, review: RapidReview, data: dict[str, str], read_version: int | None = None
) -> None:
    _check_open(review)
    claim(review, read_version, noun="case summary")
    for name in ("summary", "immediate_action", "context"):
        setattr(review, name, data.get(name, ""))
    review.save()
    record_as(actor, Action.UPDATE, obj=review, detail="case summary, immediate action and context")


# --- Meetings and the agenda ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaChanges:
    """How the analysis now differs from a meeting's agenda (new chronologies, changed findings)."""

    added: list[ProposedItem]
    withdrawn: list[AgendaItem]
    changed: list[tuple[AgendaItem, ProposedItem]]
    restored: list[AgendaItem]

    def __bool__(self) -> bool:
        return bool(self.added or self.withdrawn or self.changed or self.restored)

    def words(self) -> str:
        parts = [
            (len(self.added), "new"),
            (len(self.changed), "changed"),
            (len(self.withdrawn), "no longer in the analysis"),
            (len(self.restored), "back in the analysis"),
        ]
        said = [f"{n} {'item' if n == 1 else 'items'} {what}" for n, what in parts if n]
        return "; ".join(said) if said else "no change"


def agenda_changes(meeting: Meeting) -> AgendaChanges:
    analysis = agenda_analysis(meeting.review.incident)
    if analysis is None:  # the case's first analysis is still being made: nothing to compare with
        return AgendaChanges([], [], [], [])
    proposed = {item.reference[:200]: item for item in proposed_from(analysis)}
    existing = [item for item in meeting.items.all() if item.kind != "free"]
    held = {item.reference: item for item in existing}
    return AgendaChanges(
        added=[item for reference, item in proposed.items() if reference not in held],
        withdrawn=[item for item in existing if item.reference not in proposed and not item.withdrawn],
        changed=[
            (item, proposed[item.reference])
            for item in existing
            if item.reference in proposed
            and (item.title, item.detail)
            != (proposed[item.reference].title[:300], proposed[item.reference].detail)
        ],
        restored=[item for item in existing if item.reference in proposed and item.withdrawn],
    )


@transaction.atomic
def refresh_agenda(actor: Actor, meeting: Meeting) -> AgendaChanges:
    """Bring the agenda up to date with the analysis; items and minutes already there are kept.

    Posting twice is harmless: the second finds nothing to change.
    """
    _lock(meeting.review)
    _check_open(meeting.review)
    changes = agenda_changes(meeting)
    if not changes:
        return changes
    position = max((item.position for item in meeting.items.all()), default=0)
    for proposed in changes.added:
        position += 1
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=proposed.kind,
            title=proposed.title[:300],
            detail=proposed.detail,
            reference=proposed.reference[:200],
        )
    for item in changes.withdrawn:
        item.withdrawn = True
        item.save(update_fields=["withdrawn"])
    for item in changes.restored:
        item.withdrawn = False
        item.save(update_fields=["withdrawn"])
    for item, proposed in changes.changed:
        item.title, item.detail = proposed.title[:300], proposed.detail
        item.save(update_fields=["title", "detail"])
    record_as(
        actor,
        Action.UPDATE,
        obj=meeting,
        partnership=meeting.review.incident.partnership,
        detail=f"agenda brought up to date: {changes.words()}",
    )
    return changes


@transaction.atomic
def add_meeting(
    actor: Actor,
    review: RapidReview,
    held_on: dt.date,
    title: str,
    attendees: list[dict[str, Any]],
    free_items: list[str],
) -> Meeting:
    _check_open(review)
    meeting = Meeting.objects.create(review=review, held_on=held_on, title=title or "Rapid review meeting")
    for person in attendees:
        Attendance.objects.create(meeting=meeting, **person)
    position = 0
    for item in proposed_agenda(review.incident):
        position += 1
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            kind=item.kind,
            title=item.title[:300],
            detail=item.detail,
            reference=item.reference[:200],
        )
    for text in free_items:
        position += 1
        AgendaItem.objects.create(meeting=meeting, position=position, kind="free", title=text[:300])
    record_as(
        actor,
        Action.CREATE,
        obj=meeting,
        partnership=review.incident.partnership,
        detail=f"{len(attendees)} attending, {position} agenda items",
    )
    return meeting


@transaction.atomic
def save_minutes(
    actor: Actor, meeting: Meeting, minutes: dict[int, str], read_version: int | None = None
) -> None:
    _check_open(meeting.review)
    claim(meeting, read_version, noun="meeting's minutes")
    meeting.save(update_fields=["lock_version"])  # recorded in the meeting's history: who changed the minutes
    for item in meeting.items.all():
        if item.pk in minutes and minutes[item.pk] != item.minutes:
            item.minutes = minutes[item.pk]
            item.save(update_fields=["minutes"])
    record_as(
        actor, Action.UPDATE, obj=meeting, partnership=meeting.review.incident.partnership, detail="minutes"
    )


def missing_partners(meeting: Meeting) -> list[str]:
    present = {a.partner for a in meeting.attendance.all()}
    return [PartnerKind(p).label for p in STATUTORY_PARTNERS if p not in present]


# --- The evidence pool, criteria and reasons ------------------------------------------------------


@transaction.atomic
def add_to_pool(actor: Actor, review: RapidReview, kind: str, reference: str, label: str) -> PoolItem:
    """Choose a piece of evidence for the review; choosing it again finds the one already there."""
    _lock(review)
    _check_open(review)
    item, made = PoolItem.objects.get_or_create(
        review=review, kind=kind, reference=reference, defaults={"label": label, "added_by": actor.user}
    )
    if made:
        record_as(
            actor,
            Action.CREATE,
            obj=item,
            partnership=review.incident.partnership,
            object_label=f"evidence: {label[:80]}",
        )
    return item


@transaction.atomic
def remove_from_pool(actor: Actor, review: RapidReview, code: Any) -> bool:
    """Take a piece of evidence out of the pool (what reasons already cite keeps its words)."""
    _lock(review)
    _check_open(review)
    item = PoolItem.objects.filter(review=review, code=code).first()
    if item is None:
        return False  # removed already: a second post changes nothing
    item.delete()
    record_as(
        actor,
        Action.DELETE,
        object_type="pool_item",
        object_id=str(code),
        partnership=review.incident.partnership,
        object_label=f"evidence: {item.label[:80]}",
    )
    return True


def citable(review: RapidReview, cited: list[Evidence] | None = None) -> dict[str, tuple[str, str, str]]:
    """What a reason or criterion can cite: the pool, and anything it cites already (kept if removed)."""
    found = {e.key: (e.kind, e.reference, e.label) for e in review.pool.all()}
    for e in cited or []:
        found.setdefault(f"{e.kind}|{e.reference}", (e.kind, e.reference, e.label))
    return found


def pool_numbers(review: RapidReview) -> dict[tuple[str, str], int]:
    """Each pool item's number (E1, E2, ...), so the record prints a piece of evidence once."""
    return {(item.kind, item.reference): n for n, item in enumerate(review.pool.all(), start=1)}


@transaction.atomic
def save_consideration(
    actor: Actor,
    consideration: Consideration,
    answer: str,
    discussion: str,
    evidence: list[tuple[str, str, str]],
    read_version: int | None = None,
) -> None:
    _check_open(consideration.review)
    claim(consideration, read_version, noun="criterion")
    consideration.answer = answer
    consideration.discussion = discussion
    consideration.save()
    consideration.evidence.all().delete()
    for kind, reference, label in evidence:
        Evidence.objects.create(consideration=consideration, kind=kind, reference=reference, label=label)
    record_as(
        actor,
        Action.UPDATE,
        obj=consideration,
        partnership=consideration.review.incident.partnership,
        object_label=consideration.question[:300],
        detail=f"{answer}; {len(evidence)} pieces of evidence",
    )


@transaction.atomic
def record_decision(
    actor: Actor,
    review: RapidReview,
    data: dict[str, Any],
    reasons: list[tuple[str, list[tuple[str, str, str]]]],
    read_version: int | None = None,
) -> Decision:
    """A new version of the decision; partners sign off each version afresh.

    ``read_version``: the decision version the form was read at (0: none yet). The number is
    taken with the review locked, so managers saving at once get one version each in turn, and
    a save over a version the person has not seen is refused with EditConflict.
    """
    _lock(review)
    _check_open(review)
    current = review.current_decision()
    claim_number(current.version if current else 0, read_version, noun="decision", by=_author(current))
    version = (current.version if current else 0) + 1
    decision = Decision.objects.create(
        review=review,
        version=version,
        created_by=actor.user,
        **{name: data.get(name) for name in DECISION_FIELDS},
    )
    for position, (text, evidence) in enumerate(reasons, start=1):
        reason = Reason.objects.create(decision=decision, position=position, text=text)
        for kind, reference, label in evidence:
            Evidence.objects.create(reason=reason, kind=kind, reference=reference, label=label)
    record_as(
        actor,
        Action.CREATE,
        obj=decision,
        partnership=review.incident.partnership,
        detail=f"decision version {version}: {decision.get_outcome_display()}",
    )
    if decision.sent_to_panel_on and review.incident.rapid_review_sent_on is None:
        # The incident's rapid-review clock stops when the review goes to the Panel.
        review.incident.rapid_review_sent_on = decision.sent_to_panel_on
        review.incident.save(update_fields=["rapid_review_sent_on"])
    return decision


def partners_of(user: User, incident: Incident) -> list[str]:
    """The statutory partners this person represents in the incident's partnership."""
    memberships = Membership.objects.filter(
        user=user, partnership=incident.partnership, role=Role.STATUTORY_PARTNER, agency__isnull=False
    ).select_related("agency")
    return sorted(
        {
            AGENCY_PARTNER[m.agency.agency_type]
            for m in memberships
            if m.agency and m.agency.agency_type in AGENCY_PARTNER
        }
    )


@transaction.atomic
def record_position(
    actor: Actor,
    decision: Decision,
    partner: str,
    agrees: bool,
    reasons: str,
    read_version: int | None = None,
) -> PartnerPosition:
    """A partner's position on the decision version they read (``read_version``), never a newer one."""
    _lock(decision.review)
    _check_open(decision.review)
    current = decision.review.current_decision()
    claim_number(current.version if current else 0, read_version, noun="decision", by=_author(current))
    position, _ = PartnerPosition.objects.update_or_create(
        decision=decision,
        partner=partner,
        defaults={"representative": actor.user, "agrees": agrees, "reasons": reasons},
    )
    record_as(
        actor,
        Action.CREATE,
        obj=position,
        partnership=decision.review.incident.partnership,
        detail=f"{PartnerKind(partner).label} {'agrees' if agrees else 'disagrees'} with decision version {decision.version}",
    )
    return position


@dataclass(frozen=True)
class Readiness:
    """What stands between the record and finalising it.

    ``missing``: must be done first, with no way round. ``outstanding``: chronologies not yet
    submitted, a meeting or decision dated in the future, sign-offs not given; the business manager
    may finalise despite these, with written reasons that the Panel pack shows.
    """

    missing: list[str]
    outstanding: list[str]

    @property
    def everything(self) -> list[str]:
        return [*self.missing, *self.outstanding]

    def fingerprint(self, review: RapidReview) -> str:
        """The state a person read on the check page: a save over a different state is refused."""
        decision = review.current_decision()
        signed = sorted(decision.positions.values_list("partner", "agrees")) if decision else []
        state = repr((decision.version if decision else 0, signed, self.missing, self.outstanding))
        return hashlib.sha256(state.encode()).hexdigest()[:32]


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def readiness(review: RapidReview, today: dt.date | None = None) -> Readiness:
    """Everything that stops the record being finalised, in words a business manager can act on."""
    from chronicle.chronologies.models import OPEN_STATUSES, ChronologyRequest

    today = today or timezone.localdate()
    missing: list[str] = []
    outstanding: list[str] = []
    for request in (
        ChronologyRequest.objects.filter(incident=review.incident, status__in=OPEN_STATUSES)
        .select_related("agency")
        .order_by("agency__name", "round")
    ):
        outstanding.append(
            f"The chronology from {request.agency.name} has not been submitted ({request.get_status_display().lower()})"
        )
    for consideration in review.considerations.all():
        if not consideration.answer:
            missing.append(f"Criterion {consideration.criterion_id} has no answer")
        if not consideration.discussion.strip():
            missing.append(f"Criterion {consideration.criterion_id} has no record of the discussion")
    meetings = list(review.meetings.all())
    if not meetings:
        missing.append("No rapid review meeting has been recorded")
    for meeting in meetings:
        if meeting.held_on > today:
            outstanding.append(
                f"The meeting “{meeting.title}” is dated {_day(meeting.held_on)}, in the future"
            )
    decision = review.current_decision()
    if decision is None:
        missing.append("No decision has been recorded")
        return Readiness(missing, outstanding)
    if decision.decided_on > today:
        outstanding.append(f"The decision is dated {_day(decision.decided_on)}, in the future")
    if not decision.rationale.strip():
        missing.append("The decision has no rationale")
    reasons = list(decision.reasons.all())
    if not reasons:
        missing.append("The decision gives no reasons")
    for reason in reasons:
        if not reason.evidence.exists():
            missing.append(f"Reason {reason.position} (“{reason.text[:60]}”) is not linked to any evidence")
    signed = {p.partner for p in decision.positions.all()}
    for partner in STATUTORY_PARTNERS:
        if partner not in signed:
            outstanding.append(
                f"The {PartnerKind(partner).label.lower()} has not recorded a position and signed off decision version {decision.version}"
            )
    return Readiness(missing, outstanding)


def completeness(review: RapidReview) -> list[str]:
    """Everything that stops the record being finalised without an override."""
    return readiness(review).everything


def refuse_finalising(actor: Actor, review: RapidReview, ready: Readiness) -> None:
    """The refusal is recorded too: who tried, and what was missing."""
    record_as(
        actor,
        Action.UPDATE,
        obj=review,
        outcome="failure",
        detail="finalise refused: " + "; ".join(ready.everything),
    )


class Changed(Exception):
    """The record changed after the check page was read: it is shown again as it is now."""


def finalise(
    actor: Actor,
    review: RapidReview,
    *,
    override_reasons: str = "",
    read_version: int | None = None,
    seen: str | None = None,
) -> None:
    """Finalise the record; with things outstanding, only with the business manager's written reasons.

    ``read_version`` and ``seen`` are the review's version and the state read on the check page:
    a change since (a new decision version, a sign-off, a chronology) is refused with ``Changed``.
    """
    _check_open(review)
    ready = readiness(review)
    override_reasons = override_reasons.strip()
    refused = ready.missing or (ready.outstanding and not override_reasons)
    if refused:
        refuse_finalising(actor, review, ready)
        raise NotReady(ready.everything)
    with transaction.atomic():
        _lock(review)
        _check_open(review)
        if read_version is not None:
            claim(review, read_version, noun="rapid review")
        now = readiness(review)
        if now != ready or (seen is not None and seen != now.fingerprint(review)):
            raise Changed("the record changed after the check page was read")
        review.finalised_at = timezone.now()
        review.finalised_by = actor.user
        review.finalised_despite = ready.outstanding
        review.override_reasons = override_reasons if ready.outstanding else ""
        review.save(update_fields=["finalised_at", "finalised_by", "finalised_despite", "override_reasons"])
        detail = "finalised"
        if ready.outstanding:
            detail += f" despite: {'; '.join(ready.outstanding)}. Reasons: {override_reasons}"
        record_as(actor, Action.UPDATE, obj=review, detail=detail)


@transaction.atomic
def reopen(actor: Actor, review: RapidReview, reason: str) -> None:
    """A finalised record can be reopened (for a new decision version, e.g. after the Panel responds)."""
    review.finalised_at = None
    review.finalised_by = None
    review.finalised_despite = []
    review.override_reasons = ""
    review.save(update_fields=["finalised_at", "finalised_by", "finalised_despite", "override_reasons"])
    record_as(actor, Action.UPDATE, obj=review, detail=f"reopened: {reason}")


# --- Learning points -----------------------------------------------------------------------------


@transaction.atomic
def add_learning_point(actor: Actor, incident: Incident, data: dict[str, Any]) -> LearningPoint:
    point = LearningPoint.objects.create(
        partnership=incident.partnership,
        incident=incident,
        created_by=actor.user,
        **{name: data[name] for name in ("kind", "theme", "text", "evidence", "national_significance")},
    )
    point.agencies.set(data["agencies"])
    record_as(actor, Action.CREATE, obj=point, partnership=incident.partnership)
    return point


@transaction.atomic
def add_action(actor: Actor, point: LearningPoint, data: dict[str, Any]) -> LearningAction:
    action = LearningAction.objects.create(
        learning_point=point, **{k: data[k] for k in ("text", "owner", "due_on")}
    )
    record_as(actor, Action.CREATE, obj=action, partnership=point.partnership)
    return action


@transaction.atomic
def set_action_status(
    actor: Actor, action: LearningAction, status: str, read_version: int | None = None
) -> None:
    claim(action, read_version, noun="action")
    action.status = status
    action.save(update_fields=["status"])
    record_as(
        actor,
        Action.UPDATE,
        obj=action,
        partnership=action.learning_point.partnership,
        detail=f"status {status}",
    )
