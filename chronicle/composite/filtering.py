"""Which entries of the composite chronology a set of filters keeps (the page, its saved views, exports)."""

from __future__ import annotations

from collections import defaultdict

from chronicle.composite import services
from chronicle.composite.forms import FilterForm
from chronicle.composite.models import Annotation, AnnotationKind
from chronicle.core.composite import filter_entries


def filtered_indices(composite: services.Composite, form: FilterForm) -> list[int]:
    """The entries (by position in the composite) the filter form keeps; all of them when it is not valid."""
    analysis = composite.analysis
    if not form.is_valid():
        return list(range(len(analysis.entries)))
    data = form.cleaned_data
    flags = set(data.get("flags") or [])
    review_flags = flags & {"duplicate", "conflict", "finding", "starred", "commented"}
    types = analysis.event_types
    position = {id(entry): index for index, entry in enumerate(analysis.entries)}
    kept = filter_entries(
        analysis.entries,
        agencies=data.get("agencies") or None,
        event_types={data["event_type"]} if data.get("event_type") else None,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        text=data.get("text") or None,
        flags=flags - review_flags,
        event_type_of=lambda entry: types[position[id(entry)]],
    )
    indices = [position[id(entry)] for entry in kept]
    if review_flags or data.get("finding_status"):
        in_link: dict[str, set[int]] = {"duplicate": set(), "conflict": set()}
        for cluster in analysis.clusters:
            in_link["duplicate"].update(cluster.members)
            for link in cluster.conflicts:
                in_link["conflict"].update((link.a_index, link.b_index))
        with_finding = {f.trigger_index for f in analysis.findings} | {
            f.evidence_index for f in analysis.findings if f.evidence_index is not None
        }
        status = data.get("finding_status")
        with_status = {f.trigger_index for f in analysis.findings if str(f.status) == status}
        annotated = defaultdict(set)
        for kind, uid in Annotation.objects.filter(incident=composite.incident).values_list(
            "kind", "entry_uid"
        ):
            annotated[kind].add(str(uid))
        tests = {
            "duplicate": lambda i: i in in_link["duplicate"],
            "conflict": lambda i: i in in_link["conflict"],
            "finding": lambda i: i in with_finding,
            "starred": lambda i: composite.uid(i) in annotated[AnnotationKind.STAR],
            "commented": lambda i: (
                composite.uid(i) in annotated[AnnotationKind.COMMENT] | annotated[AnnotationKind.TAG]
            ),
        }
        indices = [
            i for i in indices if all(tests[f](i) for f in review_flags) and (not status or i in with_status)
        ]
    return indices
