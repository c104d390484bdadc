"""Forms of the learning-points register: a learning point, an action, its status, and the register filters."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from chronicle.accounts.models import Agency
from chronicle.reviews.models import THEMES, ActionStatus, LearningAction, LearningKind, LearningPoint
from chronicle.ui.forms import Checkboxes, DateField, GovukForm, GovukModelForm, Guarded, Radios

OVERDUE = "overdue"
NO_ACTIONS = "none"
ACTION_FILTERS = [
    *ActionStatus.choices,
    (OVERDUE, "Overdue (not done, past its due date)"),
    (NO_ACTIONS, "Points with no actions"),
]


class LearningPointForm(Guarded, GovukModelForm):
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies named",
        queryset=Agency.objects.none(),
        to_field_name="code",
        widget=Checkboxes,
        help_text="The agencies the learning is about. Their safeguarding leads and staff can read it.",
        error_messages={"required": "Select the agencies the learning point names"},
    )

    class Meta:
        model = LearningPoint
        fields = ["kind", "theme", "text", "agencies", "evidence", "national_significance"]
        labels = {
            "kind": "What kind of learning is it?",
            "theme": "Theme",
            "text": "The learning point",
            "evidence": "Evidence",
            "national_significance": "This learning may be of national significance (for the Panel)",
        }
        help_texts = {
            "theme": "Choose the closest theme, so recurring themes show across cases.",
            "evidence": "Name the chronology entries and findings it rests on, for example: "
            "Police, 3 Feb 2024 (Niche ref 131); the assessment finding, not met.",
        }
        widgets = {
            "kind": Radios,
            "text": forms.Textarea(attrs={"rows": 5}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "kind": {"required": "Select reflective learning point or serious breach of safe practice"},
            "theme": {"required": "Select a theme"},
            "text": {"required": "Write the learning point"},
        }

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = cast(forms.ModelMultipleChoiceField, self.fields["agencies"])
        agencies.queryset = Agency.objects.filter(partnership=partnership, active=True)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        kind.choices = LearningKind.choices  # no empty "---------" radio
        theme = cast(forms.ChoiceField, self.fields["theme"])
        theme.choices = [("", "Choose a theme"), *THEMES]
        evidence = self.fields["evidence"]
        evidence.required = True
        evidence.error_messages["required"] = "Name the chronology entries and findings the learning rests on"


class ActionForm(Guarded, GovukForm):
    text = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What will be done, so that the learning changes practice.",
        error_messages={"required": "Write the action"},
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="The person or agency responsible, for example: Head of Safeguarding, Northshire Police.",
        error_messages={"required": "Enter who owns the action"},
    )
    due_on = DateField(
        label="Due date",
        help_text="For example, 27 3 2025",
        error_messages={"required": "Enter the due date"},
    )


class ActionStatusForm(Guarded, GovukForm):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=Radios,
        error_messages={"required": "Select the status of the action"},
    )


class RegisterFilterForm(GovukForm):
    theme = forms.ChoiceField(label="Theme", required=False, choices=[("", "Any"), *THEMES])
    agency = forms.ChoiceField(label="Agency named", required=False)
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any"), *LearningKind.choices])
    year = forms.ChoiceField(label="Year of the incident", required=False)
    national = forms.ChoiceField(
        label="National significance",
        required=False,
        choices=[("", "Any"), ("yes", "Of national significance"), ("no", "Not of national significance")],
    )
    action_status = forms.ChoiceField(label="Actions", required=False, choices=[("", "Any"), *ACTION_FILTERS])

    def __init__(self, *args: Any, agencies: list[Agency], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = [("", "Any")] + [
            (str(a.code), a.name) for a in agencies
        ]
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", "Any")] + [
            (str(y), str(y)) for y in years
        ]

    def apply(self, points: QuerySet[LearningPoint], today: dt.date) -> QuerySet[LearningPoint]:
        """The points that pass every chosen filter (all of them when the filters are not valid)."""
        if not self.is_bound or not self.is_valid():
            return points
        data = self.cleaned_data
        if data.get("theme"):
            points = points.filter(theme=data["theme"])
        if data.get("agency"):
            points = points.filter(agencies__code=data["agency"])
        if data.get("kind"):
            points = points.filter(kind=data["kind"])
        if data.get("year"):
            points = points.filter(incident__occurred_on__year=int(data["year"]))
        if data.get("national"):
            points = points.filter(national_significance=data["national"] == "yes")
        status = data.get("action_status")
        if status == NO_ACTIONS:
            points = points.filter(actions__isnull=True)
        elif status == OVERDUE:
            overdue = LearningAction.objects.filter(due_on__lt=today).exclude(status=ActionStatus.DONE)
            points = points.filter(pk__in=overdue.values("learning_point"))
        elif status:
            points = points.filter(
                pk__in=LearningAction.objects.filter(status=status).values("learning_point")
            )
        return points
