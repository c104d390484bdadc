"""The threshold audit (lesson I): serious harm that was never screened, or screened out against the evidence.

Both halves in one place: incidents never screened or screened out, and chronology entries that
describe serious harm no incident accounts for. For entries, the serious-harm words are found in each
entry's description; the events stored with the entry (read once, never here) then leave out an entry
whose harm is about someone other than the child, or did not happen: "mother attended with a fractured
wrist", "no head injury found".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from chronicle.accounts.models import Partnership
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as
from chronicle.chronologies.models import ChronologyVersion, VersionEntry
from chronicle.core import screening as engine
from chronicle.core.calendar import WorkingCalendar
from chronicle.core.events import asserted_types, events_from_json
from chronicle.core.harm import HARM_CATEGORIES_BY_CODE, Outcome
from chronicle.core.indicators import IndicatorMatch, match_indicators, serious_harm_matches
from chronicle.incidents.models import Incident, ScreeningOutcomeChoice, ThresholdDismissal
from chronicle.incidents.services import calendar_for

UNSCREENED = "unscreened"  # never screened: the working days to notify have passed with no decision
IN_TIME = "in_time"  # not yet screened, still inside the notification window
SCREENED_OUT = "screened_out"
ENTRY = "entry"
KIND_OF_SUBJECT = {UNSCREENED: "incident", IN_TIME: "incident", SCREENED_OUT: "incident", ENTRY: "entry"}
# An incident within this many days of an entry's date is taken to be the same event.
SAME_EVENT_DAYS = 30
# The event types that record harm to a person.
HARM_TYPES = frozenset({"injury_observed", "death"})


@dataclass
class Match:
    kind: str  # UNSCREENED, SCREENED_OUT or ENTRY
    subject_code: UUID
    reference: str
    on: dt.date | None
    text: str
    reasons: list[str] = field(default_factory=list)
    indicators: list[IndicatorMatch] = field(default_factory=list)
    incident_code: UUID | None = None  # for entries: the case the entry belongs to, if any
    screen_by: dt.date | None = None  # for incidents not yet screened: the last day to notify

    @property
    def subject_kind(self) -> str:
        return KIND_OF_SUBJECT[self.kind]


@dataclass
class Report:
    unscreened: list[Match]  # never screened
    screened_out: list[Match]
    entries: list[Match]
    dismissed: list[ThresholdDismissal]
    in_time: list[Match] = field(default_factory=list)  # not yet screened, still in time

    def to_json(self) -> dict[str, Any]:
        def item(match: Match) -> dict[str, Any]:
            return {
                "kind": match.kind,
                "id": str(match.subject_code),
                "reference": match.reference,
                "date": match.on.isoformat() if match.on else None,
                "screen_by": match.screen_by.isoformat() if match.screen_by else None,
                "reasons": match.reasons,
                "indicators": [
                    {
                        "id": m.indicator_id,
                        "label": m.label,
                        "words": list(m.words),
                        "source": m.source,
                        "verified": m.verified,
                    }
                    for m in match.indicators
                ],
            }

        return {
            "unscreened_incidents": [item(m) for m in self.unscreened],
            "not_yet_screened_still_in_time": [item(m) for m in self.in_time],
            "screened_not_notifiable_with_serious_harm": [item(m) for m in self.screened_out],
            "chronology_entries_without_incident": [item(m) for m in self.entries],
            "dismissed": len(self.dismissed),
        }


def _infant(incident: Incident) -> bool | None:
    youngest = incident.youngest_child
    if youngest is None or youngest.born_on is None:
        return None
    return (incident.occurred_on - youngest.born_on).days < 365


def _serious_signs(incident: Incident) -> tuple[list[str], list[IndicatorMatch]]:
    reasons = []
    if incident.outcome == Outcome.DIED:
        reasons.append("the child died")
    elif incident.outcome == Outcome.SERIOUSLY_HARMED:
        reasons.append("the report says the child was seriously harmed")
    for code in incident.harm_categories:
        category = HARM_CATEGORIES_BY_CODE.get(code)
        if category and category.serious_harm_indicator:
            reasons.append(f"harm category: {category.label}")
    matches = serious_harm_matches(match_indicators(incident.description, infant=_infant(incident)))
    return reasons, matches


def _dismissed_codes(partnership: Partnership) -> set[tuple[str, str]]:
    return {(d.kind, str(d.subject_code)) for d in ThresholdDismissal.objects.filter(partnership=partnership)}


def harm_not_to_the_child(stored: Any) -> bool:
    """True when an entry's stored events mention harm, and none of it happened to the child.

    Entries not read yet, and entries whose events mention no harm at all, are judged by their
    words alone, as before.
    """
    if stored is None:
        return False
    harm = [event for event in events_from_json(stored) if event.type in HARM_TYPES]
    return bool(harm) and not asserted_types(harm)


def unlinked_serious_harm_entries(partnership: Partnership) -> list[Match]:
    incident_dates = sorted(
        Incident.objects.filter(partnership=partnership).values_list("occurred_on", flat=True)
    )
    window = dt.timedelta(days=SAME_EVENT_DAYS)
    found: list[Match] = []
    current = ChronologyVersion.objects.filter(request__incident__partnership=partnership).current()
    for version in current.select_related("request__agency", "request__incident"):
        for entry in VersionEntry.objects.filter(version=version).only(
            "entry_uid", "date_text", "date_start", "date_end", "description", "version_id", "events"
        ):
            matches = serious_harm_matches(match_indicators(entry.description))
            if not matches or harm_not_to_the_child(entry.events):
                continue
            if any(entry.date_start - window <= day <= entry.date_end + window for day in incident_dates):
                continue
            found.append(
                Match(
                    ENTRY,
                    entry.entry_uid,
                    f"{version.request.agency.name}, case {version.request.incident.reference}",
                    entry.date_start,
                    entry.description,
                    [
                        f"entry dated {entry.date_text} in {version.request.agency.name}'s chronology (version {version.number}); "
                        f"no incident within {SAME_EVENT_DAYS} days of it"
                    ],
                    matches,
                    version.request.incident.code,
                )
            )
    return found


def _entry_matches(partnership: Partnership, dismissed: set[tuple[str, str]]) -> list[Match]:
    """Chronology entries whose words indicate serious harm and whose case has no incident."""
    return [
        m for m in unlinked_serious_harm_entries(partnership) if (ENTRY, str(m.subject_code)) not in dismissed
    ]


def _notify_by(incident: Incident, calendar: WorkingCalendar) -> dt.date | None:
    """The last working day to notify, counted from awareness under the regime of the incident date."""
    try:
        regime = engine.regime_for(incident.occurred_on).id
    except ValueError:  # before 2006: no rules held, and long past in any case
        return None
    return engine.deadlines(
        regime, incident.aware_on, notifiable=None, rapid_review=False, calendar=calendar
    ).notify_by


def audit(partnership: Partnership, today: dt.date | None = None) -> Report:
    """Matches for the partnership. An incident with no screening decision is "never screened" once the
    working days to notify have passed; before then it is listed apart, as still in time."""
    today = today or timezone.localdate()
    calendar = calendar_for(partnership)
    dismissed = _dismissed_codes(partnership)
    unscreened: list[Match] = []
    in_time: list[Match] = []
    screened_out: list[Match] = []
    incidents = Incident.objects.filter(partnership=partnership).prefetch_related("screenings", "children")
    for incident in incidents:
        if ("incident", str(incident.code)) in dismissed:
            continue
        latest = max(incident.screenings.all(), key=lambda s: s.version, default=None)
        reasons, matches = _serious_signs(incident)
        match = Match(
            UNSCREENED,
            incident.code,
            incident.reference,
            incident.occurred_on,
            incident.description,
            reasons,
            matches,
            incident.code,
        )
        if latest is None:
            match.screen_by = _notify_by(incident, calendar)
            if match.screen_by is not None and today <= match.screen_by:
                match.kind = IN_TIME
                in_time.append(match)
                continue
            match.reasons.insert(0, "no screening decision has been recorded")
            unscreened.append(match)
        elif latest.outcome == ScreeningOutcomeChoice.NOT_NOTIFIABLE and (reasons or matches):
            match.kind = SCREENED_OUT
            screened_out.append(match)
    entries = _entry_matches(partnership, dismissed)
    return Report(
        unscreened=sorted(unscreened, key=lambda m: m.on or dt.date.min),
        screened_out=screened_out,
        entries=entries,
        dismissed=list(
            ThresholdDismissal.objects.filter(partnership=partnership)
            .select_related("dismissed_by")
            .order_by("-dismissed_at")
        ),
        in_time=sorted(in_time, key=lambda m: m.screen_by or dt.date.max),
    )


def find_match(partnership: Partnership, kind: str, code: UUID) -> Match | None:
    report = audit(partnership)
    for match in [*report.unscreened, *report.screened_out, *report.entries]:
        if match.subject_kind == kind and match.subject_code == code:
            return match
    return None


@transaction.atomic
def dismiss(actor: Actor, partnership: Partnership, match: Match, reason: str) -> ThresholdDismissal:
    dismissal = ThresholdDismissal.objects.create(
        partnership=partnership,
        kind=match.subject_kind,
        subject_code=match.subject_code,
        reason=reason,
        dismissed_by=actor.user,
    )
    record_as(
        actor,
        Action.UPDATE,
        object_type=f"threshold_{match.subject_kind}",
        object_id=str(match.subject_code),
        object_label=match.reference,
        detail=f"threshold audit match dismissed: {reason}",
    )
    return dismissal
