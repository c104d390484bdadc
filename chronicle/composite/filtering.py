"""Which entries of the composite chronology a set of filters keeps (the page, its saved views, exports),
as a query on the stored analysis."""

from __future__ import annotations

from django.db.models import F, QuerySet

from chronicle.composite.forms import FilterForm
from chronicle.composite.models import (
    AnalysedEntry,
    AnalysedFinding,
    Annotation,
    AnnotationKind,
    StoredAnalysis,
)
from chronicle.composite.stored import FLAG_BITS


def filtered_entries(stored: StoredAnalysis, form: FilterForm) -> QuerySet[AnalysedEntry]:
    """The entries the filter form keeps, in date order; all of them when it is not valid."""
    rows = AnalysedEntry.objects.filter(analysis=stored)
    if not form.is_valid():
        return rows.order_by("position")
    data = form.cleaned_data
    if data.get("agencies"):
        rows = rows.filter(agency__in=data["agencies"])
    if data.get("event_type"):
        rows = rows.filter(event_type=data["event_type"])
    # An entry is kept if the span its date may mean overlaps the range: "May 2016" for 20 May onwards.
    if data.get("date_from"):
        rows = rows.filter(span_end__gte=data["date_from"])
    if data.get("date_to"):
        rows = rows.filter(span_start__lte=data["date_to"])
    for word in (data.get("text") or "").casefold().split():
        rows = rows.filter(search_text__contains=word)
    flags = set(data.get("flags") or [])
    mask = sum(FLAG_BITS[name] for name in flags if name in FLAG_BITS)
    if mask:
        rows = rows.annotate(flags_held=F("flags").bitand(mask)).filter(flags_held=mask)
    annotations = Annotation.objects.filter(incident_id=stored.incident_id)
    if "starred" in flags:
        rows = rows.filter(uid__in=annotations.filter(kind=AnnotationKind.STAR).values("entry_uid"))
    if "commented" in flags:
        commented = annotations.filter(kind__in=[AnnotationKind.COMMENT, AnnotationKind.TAG])
        rows = rows.filter(uid__in=commented.values("entry_uid"))
    if data.get("finding_status"):
        with_status = AnalysedFinding.objects.filter(analysis=stored, status=data["finding_status"])
        rows = rows.filter(position__in=with_status.values("trigger_position"))
    return rows.order_by("position")
