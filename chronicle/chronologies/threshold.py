"""Chronology entries that describe serious harm no incident accounts for (threshold audit, part c).

The serious-harm words are found in each entry's description; the events stored with the entry
(read once, never here) then leave out an entry whose harm is about someone other than the child,
or did not happen: "mother attended with a fractured wrist", "no head injury found".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from chronicle.accounts.models import Partnership
from chronicle.chronologies.models import ChronologyVersion, VersionEntry
from chronicle.core.events import asserted_types, events_from_json
from chronicle.core.indicators import match_indicators, serious_harm_matches
from chronicle.incidents.models import Incident
from chronicle.incidents.threshold import ENTRY, Match

# An incident within this many days of the entry's date is taken to be the same event.
SAME_EVENT_DAYS = 30
# The event types that record harm to a person.
HARM_TYPES = frozenset({"injury_observed", "death"})


def harm_not_to_the_child(stored: Any) -> bool:
    """True when an entry's stored events mention harm, and none of it happened to the child.

    Entries not read yet, and entries whose events mention no harm at all, are judged by their
    words alone, as before.
    """
    if stored is None:
        return False
    harm = [event for event in events_from_json(stored) if event.type in HARM_TYPES]
    return bool(harm) and not asserted_types(harm)


def latest_versions(partnership: Partnership) -> list[ChronologyVersion]:
    """The newest submitted version of each request (drafts are the agency's own until submitted)."""
    newest: dict[int, ChronologyVersion] = {}
    for version in ChronologyVersion.objects.filter(
        request__incident__partnership=partnership
    ).select_related("request__agency", "request__incident"):
        if version.request_id not in newest or version.number > newest[version.request_id].number:
            newest[version.request_id] = version
    return list(newest.values())


def unlinked_serious_harm_entries(partnership: Partnership) -> list[Match]:
    incident_dates = sorted(
        Incident.objects.filter(partnership=partnership).values_list("occurred_on", flat=True)
    )
    window = dt.timedelta(days=SAME_EVENT_DAYS)
    found: list[Match] = []
    for version in latest_versions(partnership):
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
