from __future__ import annotations

from typing import Any, cast

from django import forms

from chronicle.composite.models import AnnotationKind
from chronicle.core.compliance import Status
from chronicle.core.composite import FLAGS
from chronicle.core.event_types import EVENT_TYPES
from chronicle.core.pseudonyms import CaseListError, format_case_list, parse_case_list
from chronicle.web.forms import Checkboxes, DateField, GovukForm, Guarded, Radios

# Flags that come from the analysis or from people, beside the entry's own (chronicle.core.composite.FLAGS).
REVIEW_FLAGS = {
    "duplicate": "One event with several accounts",
    "conflict": "Accounts of one event differ",
    "finding": "Has a compliance finding",
    "starred": "Starred",
    "commented": "Has comments or tags",
}
STATUS_CHOICES = [(s.value, s.value.replace("_", " ").capitalize()) for s in Status]


class FilterForm(GovukForm):
    agencies = forms.MultipleChoiceField(label="Agencies", required=False, widget=Checkboxes)
    event_type = forms.ChoiceField(
        label="Event type", required=False, choices=[("", "Any"), *EVENT_TYPES.items()]
    )
    date_from = DateField(label="From", required=False)
    date_to = DateField(label="To", required=False)
    flags = forms.MultipleChoiceField(
        label="Show only entries that are",
        required=False,
        widget=Checkboxes,
        choices=[*REVIEW_FLAGS.items(), *((name, label) for name, (label, _) in FLAGS.items())],
    )
    finding_status = forms.ChoiceField(
        label="Finding status", required=False, choices=[("", "Any"), *STATUS_CHOICES]
    )
    text = forms.CharField(label="Words", required=False, help_text="Every word must appear in the entry")

    def __init__(self, *args: Any, agencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["agencies"]).choices = [(a, a) for a in agencies]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return data


class SaveViewForm(GovukForm):
    name = forms.CharField(
        label="Name this view", max_length=100, error_messages={"required": "Enter a name for the view"}
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False)


class AnnotationForm(Guarded, GovukForm):
    kind = forms.ChoiceField(
        label="Add",
        choices=AnnotationKind.choices,
        widget=Radios,
        initial=AnnotationKind.COMMENT,
        error_messages={"required": "Select comment, tag or star"},
    )
    text = forms.CharField(label="Comment or tag", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("kind") in {AnnotationKind.COMMENT, AnnotationKind.TAG}
            and not (data.get("text") or "").strip()
        ):
            self.add_error("text", "Write the comment or tag")
        return data


class FindingDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        widget=Radios,
        choices=[("confirmed", "Confirm"), ("changed", "Change the status"), ("dismissed", "Dismiss")],
        error_messages={"required": "Select confirm, change or dismiss"},
    )
    status = forms.ChoiceField(
        label="Status, if you change it",
        required=False,
        choices=[("", "Keep the proposed status"), *STATUS_CHOICES],
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you change or dismiss a finding.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision in {"changed", "dismissed"} and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for changing or dismissing the finding")
        if decision == "changed" and not data.get("status"):
            self.add_error("status", "Select the status the finding should have")
        return data


class LinkDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Is this right?",
        widget=Radios,
        choices=[("confirmed", "Yes, confirm"), ("rejected", "No, reject")],
        error_messages={"required": "Select confirm or reject"},
    )
    reason = forms.CharField(label="Reason (optional)", required=False)


SIX_HEADINGS_LABELS = {
    "practice_required": "1. Good practice required, and the policies and procedures that applied",
    "record_shows_met": "2. Where the written record shows the requirement was met",
    "gap": "3. Gap in the record: compliance cannot be determined",
    "staff_information": "4. Information obtained from staff to address the gap",
    "learning_point": "5. Reflective learning point or serious breach of safe practice",
    "multi_agency_point": "6. Point that needs multi-agency judgement",
}


class EntryAnalysisForm(Guarded, GovukForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in SIX_HEADINGS_LABELS.items():
            self.fields[name] = forms.CharField(
                label=label, required=False, widget=forms.Textarea(attrs={"rows": 3})
            )


class ExportForm(GovukForm):
    fmt = forms.ChoiceField(
        label="Format",
        widget=Radios,
        choices=[("xlsx", "Excel (XLSX)"), ("csv", "CSV"), ("docx", "Word (DOCX)"), ("pdf", "PDF")],
        error_messages={"required": "Select a format"},
    )
    pseudonymise = forms.BooleanField(
        label="Replace the people on the case's list with their pseudonyms", required=False, initial=True
    )


class CasePeopleForm(GovukForm):
    """The case's list of people and pseudonyms, which every export and the Panel pack use."""

    names = forms.CharField(
        label="People and their pseudonyms",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="One person a line: their name, other spellings after a |, then = and the pseudonym, "
        "for example “Jane Smith | J Smith | Mum = Parent M” or “Dr Ahmed = GP 1”. Leave out the pseudonym "
        "and a name already written as one (“Child A”) is kept; anyone else becomes the next “Adult n”.",
    )
    read = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_names(self) -> str:
        text = self.cleaned_data.get("names") or ""
        try:
            people = parse_case_list(text)
        except CaseListError as error:
            raise forms.ValidationError(str(error)) from None
        return format_case_list(people)
