"""The composite chronology as a file: the whole of it, or the entries a set of filters keeps."""

from __future__ import annotations

from collections.abc import Callable

from django.http import QueryDict

from chronicle.composite import services
from chronicle.composite.filtering import filtered_entries
from chronicle.composite.forms import FilterForm
from chronicle.composite.people import case_people, pseudonymiser_for
from chronicle.core.exports import FORMATS, export_composite
from chronicle.incidents.models import Incident


def composite_file(
    incident: Incident,
    fmt: str,
    *,
    pseudonymise: bool,
    filters: QueryDict | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> tuple[bytes, str]:
    """The file's bytes and content type, from the analysis the pages show. Raises ExportError for an
    unknown format."""
    shown = services.shown(incident)
    built = services.shown_composite(incident, shown)
    only = None
    if filters and shown.stored is not None:
        form = FilterForm(filters, agencies=built.analysis.agencies)
        only = list(filtered_entries(shown.stored, form).values_list("position", flat=True))
    if on_progress is not None:
        on_progress(f"Writing the {fmt.upper()} file")
    content = export_composite(
        built.analysis,
        fmt,
        title=f"Multi-agency chronology, case {incident.reference}",
        pseudonymiser=pseudonymiser_for(incident) if pseudonymise else None,
        names=case_people(incident) if pseudonymise else (),
        only=only,
    )
    return content, FORMATS[fmt]
