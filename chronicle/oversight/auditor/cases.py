"""Which audit events belong to a case: the events on the incident and on every record made for it
(screenings, notifications, chronology requests, versions and imports, decisions on links and findings,
the rapid review, its meetings, criteria, decisions and partners' positions, learning, files made)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Q

from chronicle.chronologies.models import ChronologyRequest, ChronologyVersion, ImportBatch
from chronicle.composite.models import Annotation, CasePeople, EntryAnalysis, FindingDecision, LinkDecision
from chronicle.incidents.models import Incident, Notification, ReviewerAssignment, Screening
from chronicle.reviews.models import (
    Consideration,
    Decision,
    LearningAction,
    LearningPoint,
    Meeting,
    PartnerPosition,
    RapidReview,
)

# More of a case's records, from apps on floors above this one (files made in the background): each
# registers a function from the incident to {record type: ids} when its app is ready.
MoreRecords = Callable[[Incident], dict[str, list[str]]]
_more_records: list[MoreRecords] = []


def register_case_records(find: MoreRecords) -> None:
    if find not in _more_records:
        _more_records.append(find)


def record_ids(records: Iterable[Any]) -> list[str]:
    """Each record as the audit log names it: its UUID code, or its number where it has none."""
    return [str(getattr(record, "code", record.pk)) for record in records]


def case_records(incident: Incident) -> dict[str, list[str]]:
    """Record type (as stored in the audit log) -> the ids of that type's records for this case."""
    requests = ChronologyRequest.objects.filter(incident=incident)
    reviews = RapidReview.objects.filter(incident=incident)
    decisions = Decision.objects.filter(review__in=reviews)
    points = LearningPoint.objects.filter(incident=incident)
    found = {
        "incident": [str(incident.code)],
        "screening": record_ids(Screening.objects.filter(incident=incident)),
        "notification": record_ids(Notification.objects.filter(incident=incident)),
        "chronologyrequest": record_ids(requests),
        "chronologyversion": record_ids(ChronologyVersion.objects.filter(request__in=requests)),
        "importbatch": record_ids(ImportBatch.objects.filter(request__in=requests)),
        "reviewerassignment": record_ids(ReviewerAssignment.objects.filter(incident=incident)),
        "reviewer_assignment": record_ids(ReviewerAssignment.objects.filter(incident=incident)),
        "annotation": record_ids(Annotation.objects.filter(incident=incident)),
        "casepeople": [str(incident.code), *record_ids(CasePeople.objects.filter(incident=incident))],
        "entryanalysis": [
            str(uid)
            for uid in EntryAnalysis.objects.filter(incident=incident).values_list("entry_uid", flat=True)
        ],
        "finding": [
            f"{rule}/{uid}"
            for rule, uid in FindingDecision.objects.filter(incident=incident).values_list(
                "rule_id", "trigger_uid"
            )
        ],
        "entry_link": [
            f"{a}/{b}"
            for a, b in LinkDecision.objects.filter(incident=incident).values_list("first_uid", "second_uid")
        ],
        "rapidreview": record_ids(reviews),
        "meeting": record_ids(Meeting.objects.filter(review__in=reviews)),
        "consideration": record_ids(Consideration.objects.filter(review__in=reviews)),
        "decision": record_ids(decisions),
        "partnerposition": record_ids(PartnerPosition.objects.filter(decision__in=decisions)),
        "learningpoint": record_ids(points),
        "learningaction": record_ids(LearningAction.objects.filter(learning_point__in=points)),
    }
    for find in _more_records:
        for object_type, ids in find(incident).items():
            found.setdefault(object_type, []).extend(ids)
    return found


def case_events(incident: Incident) -> Q:
    """The audit events about a case: on its records, or done on one of its pages."""
    about = Q(path__contains=str(incident.code))
    for object_type, ids in case_records(incident).items():
        if ids:
            about |= Q(object_type=object_type, object_id__in=ids)
    return about
