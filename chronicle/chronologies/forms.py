from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms

from chronicle.accounts.models import Agency, Membership, Role, User
from chronicle.chronologies.models import PRESERVATION_NOTICE, Scope
from chronicle.ui.forms import Checkboxes, DateField, GovukForm, Guarded, Radios


def _check_period(form: forms.Form, data: dict[str, Any]) -> None:
    start, end = data.get("period_from"), data.get("period_to")
    if start and end and end < start:
        form.add_error("period_to", "The end of the period must be the same as or after its start")


class RequestForm(Guarded, GovukForm):
    agencies = forms.MultipleChoiceField(
        label="Agencies to ask",
        widget=Checkboxes,
        help_text="Every involved agency is asked at once, today.",
        error_messages={"required": "Select at least one agency"},
    )
    period_from = DateField(
        label="Period covered: from", error_messages={"required": "Enter the start of the period"}
    )
    period_to = DateField(
        label="Period covered: to", error_messages={"required": "Enter the end of the period"}
    )
    scope = forms.ChoiceField(
        label="What to include",
        choices=Scope.choices,
        widget=Radios,
        initial=Scope.FULL,
        error_messages={"required": "Select what to include"},
    )
    due_on = DateField(label="Due", error_messages={"required": "Enter the due date"})
    instructions = forms.CharField(
        label="Instructions (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    preservation_notice = forms.CharField(
        label="Records-preservation notice",
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=PRESERVATION_NOTICE,
        error_messages={"required": "Enter the records-preservation notice"},
    )

    def __init__(self, *args: Any, agencies: list[Agency], asked: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency_by_code = {str(a.code): a for a in agencies if a.pk not in asked}
        field = cast(forms.MultipleChoiceField, self.fields["agencies"])
        field.choices = [(code, agency.name) for code, agency in self.agency_by_code.items()]
        field.initial = list(self.agency_by_code)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_period(self, data)
        if data.get("due_on") and data["due_on"] < dt.date.today():
            self.add_error("due_on", "The due date must be today or in the future")
        data["agency_objects"] = [
            self.agency_by_code[c] for c in data.get("agencies", []) if c in self.agency_by_code
        ]
        return data


class ReturnForm(Guarded, GovukForm):
    feedback = forms.CharField(
        label="Feedback for the agency",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What is missing or needs changing. The agency sees this with the request.",
        error_messages={"required": "Write the feedback for the agency"},
    )
    due_on = DateField(label="New due date", error_messages={"required": "Enter the new due date"})


class ReopenForm(Guarded, GovukForm):
    reason = forms.CharField(
        label="Why the chronologies are reopened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write why the chronologies are reopened"},
        help_text="For example: the case has been accepted for a local child safeguarding practice review.",
    )
    period_from = DateField(label="Extend the period back to (optional)", required=False)
    due_on = DateField(label="Due", error_messages={"required": "Enter the due date"})


class AssignReviewerForm(GovukForm):
    reviewer = forms.ChoiceField(
        label="Independent reviewer", error_messages={"required": "Select a reviewer"}
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviewers = User.objects.filter(
            pk__in=Membership.objects.filter(partnership=partnership, role=Role.REVIEWER).values("user")
        ).order_by("last_name")
        self.reviewers = {str(u.code): u for u in reviewers}
        cast(forms.ChoiceField, self.fields["reviewer"]).choices = [("", "Choose a reviewer")] + [
            (code, u.display_name) for code, u in self.reviewers.items()
        ]
