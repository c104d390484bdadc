from __future__ import annotations

from typing import Any, cast

from django import forms

from chronicle.accounts.models import Membership, Partnership, User
from chronicle.audit.models import Action
from chronicle.core.plain_words import record_types_named
from chronicle.incidents.models import Incident
from chronicle.ui.forms import DateField, GovukForm


class AuditFilterForm(GovukForm):
    case = forms.CharField(
        label="Case reference",
        required=False,
        help_text="For example NS-2026-101: the case's own events and those on its chronologies, reviews and files",
    )
    user = forms.ChoiceField(
        label="Person", required=False, error_messages={"invalid_choice": "Select a person from the list"}
    )
    action = forms.ChoiceField(
        label="Action",
        required=False,
        choices=[("", "Any action"), *Action.choices],
        error_messages={"invalid_choice": "Select an action from the list"},
    )
    object_type = forms.CharField(
        label="Record",
        required=False,
        help_text="In words, for example rapid review, partner position, agency",
    )
    object_id = forms.CharField(label="Record reference", required=False)
    date_from = DateField(label="From", required=False)
    date_to = DateField(label="To", required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        members = User.objects.filter(
            pk__in=Membership.objects.filter(partnership=partnership).values("user")
        ).order_by("last_name")
        cast(forms.ChoiceField, self.fields["user"]).choices = [("", "Anyone")] + [
            (str(u.code), f"{u.display_name} ({u.email})") for u in members
        ]

    def clean_case(self) -> Incident | None:
        reference = " ".join(self.cleaned_data.get("case", "").split()).upper()
        if not reference:
            return None
        incident = Incident.objects.filter(partnership=self.partnership, reference__iexact=reference).first()
        if incident is None:
            raise forms.ValidationError(
                f"There is no case {reference} in your partnership: check the reference"
            )
        return incident

    def clean_object_type(self) -> list[str]:
        words = self.cleaned_data.get("object_type", "").strip()
        if not words:
            return []
        types = record_types_named(words)
        if not types:
            raise forms.ValidationError(
                f"No record is called ‘{words}’: try rapid review, serious incident, chronology request or agency"
            )
        return types

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return data
