from __future__ import annotations

from typing import Any, cast

from django import forms

from chronicle.accounts.models import Membership, Partnership, User
from chronicle.audit.models import Action
from chronicle.web.forms import DateField, GovukForm


class AuditFilterForm(GovukForm):
    user = forms.ChoiceField(label="Person", required=False)
    action = forms.ChoiceField(label="Action", required=False, choices=[("", "Any action"), *Action.choices])
    object_type = forms.CharField(
        label="Record type", required=False, help_text="For example agency, incident, user"
    )
    object_id = forms.CharField(label="Record reference", required=False)
    date_from = DateField(label="From", required=False)
    date_to = DateField(label="To", required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(
            pk__in=Membership.objects.filter(partnership=partnership).values("user")
        ).order_by("last_name")
        cast(forms.ChoiceField, self.fields["user"]).choices = [("", "Anyone")] + [
            (str(u.code), f"{u.display_name} ({u.email})") for u in members
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The ‘to’ date must be the same as or after the ‘from’ date")
        return data
