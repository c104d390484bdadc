"""What an agency's own event-type values mean, as the agency said, remembered for its next files.

An agency's value ("Concern", "Home visit") is never recoded silently: the import asks once per
value, with Chronicle's suggestion and why, and the answer (a code, or leave it uncoded) is kept
for the agency so its next file is read the same way without asking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from chronicle.accounts.models import Agency
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record_as
from chronicle.chronologies.models import AgencyEventType, ChronologyRequest
from chronicle.core.event_types import label
from chronicle.core.extract import Suggestion, suggest_code
from chronicle.core.importing.values import event_type_key


def remembered(agency: Agency) -> dict[str, str]:
    """The agency's decisions so far: value as written -> code ("" = leave uncoded)."""
    return dict(AgencyEventType.objects.filter(agency=agency).values_list("value", "code"))


@transaction.atomic
def remember(actor: Actor, agency: Agency, decisions: Mapping[str, str]) -> None:
    """Keep what each of the agency's values means (audited): its next files are read the same way."""
    for value, code in decisions.items():
        decided, _ = AgencyEventType.objects.update_or_create(
            agency=agency,
            key=event_type_key(value),
            defaults={"value": value, "code": code, "decided_by": actor.user},
        )
        record_as(
            actor,
            Action.UPDATE,
            obj=decided,
            partnership=agency.partnership,
            object_label=f"{agency}: event type ‘{value}’",
            detail=f"‘{value}’ means {label(code).lower()}" if code else f"‘{value}’ left uncoded",
        )


@dataclass(frozen=True)
class UncodedValue:
    """One of the agency's own values its draft keeps uncoded, with Chronicle's suggestion."""

    value: str
    entries: int
    suggestion: Suggestion | None

    @property
    def suggested_label(self) -> str:
        return label(self.suggestion.code) if self.suggestion else ""


def suggestion_for(value: str, agency: Agency) -> Suggestion | None:
    return suggest_code(value, agency.agency_type)


def uncoded_on_draft(chronology_request: ChronologyRequest) -> list[UncodedValue]:
    """The agency's own values its draft's entries keep without a code: the warnings listed on the draft."""
    counts = (
        chronology_request.draft_entries.filter(event_type="")
        .exclude(agency_event_type="")
        .values("agency_event_type")
        .annotate(entries=Count("id"))
        .order_by("-entries", "agency_event_type")
    )
    agency = chronology_request.agency
    return [
        UncodedValue(
            row["agency_event_type"], row["entries"], suggestion_for(row["agency_event_type"], agency)
        )
        for row in counts
    ]
