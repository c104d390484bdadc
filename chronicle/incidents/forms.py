from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone

from chronicle.accounts.models import Agency
from chronicle.core.harm import HARM_CATEGORIES
from chronicle.core.names import name_like
from chronicle.core.plain_words import plain
from chronicle.incidents.models import ABUSE_CHOICES, OUTCOME_CHOICES, ScreeningOutcomeChoice
from chronicle.web.forms import Checkboxes, DateField, GovukForm, Guarded, Radios

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]
TRI_STATE = {"yes": True, "no": False, "unknown": None, "": None}


def _not_future(value: dt.date | None, label: str) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{label} must be today or in the past")


class NameWarnings:
    """Fields that ask for no name: what in them looks like a real name or a date of birth."""

    no_names: tuple[str, ...] = ()
    cleaned_data: dict[str, Any]
    fields: dict[str, forms.Field]

    def name_warnings(self) -> list[str]:
        warnings = []
        for name in self.no_names:
            for snippet in name_like(str(self.cleaned_data.get(name) or "")):
                label = str(self.fields[name].label)
                warnings.append(f"“{snippet}” in “{label}” looks like a real name or a date of birth")
        return warnings


class AboutForm(GovukForm):
    reporting_agency = forms.ChoiceField(
        label="Your agency", error_messages={"required": "Select your agency"}
    )
    reporter_name = forms.CharField(
        label="Your name and role", max_length=200, error_messages={"required": "Enter your name and role"}
    )
    occurred_on = DateField(
        label="Date of the incident",
        help_text="For example, 27 3 2024",
        error_messages={"required": "Enter the date of the incident"},
    )
    aware_on = DateField(
        label="Date the local authority became aware",
        help_text="The 5 working days for notifying the Panel run from this date.",
        error_messages={"required": "Enter the date the local authority became aware"},
    )
    in_england = forms.ChoiceField(
        label="Did the incident happen in England?",
        choices=YES_NO,
        widget=Radios,
        error_messages={"required": "Select yes if the incident happened in England"},
    )

    def __init__(self, *args: Any, agencies: list[Agency], partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        field = cast(forms.ChoiceField, self.fields["reporting_agency"])
        field.choices = [(str(a.code), a.name) for a in agencies]
        if len(agencies) == 1:
            field.initial = str(agencies[0].code)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        occurred, aware = data.get("occurred_on"), data.get("aware_on")
        for name, label in (
            ("occurred_on", "The date of the incident"),
            ("aware_on", "The date the local authority became aware"),
        ):
            try:
                _not_future(data.get(name), label)
            except forms.ValidationError as error:
                self.add_error(name, error)
        if occurred and aware and aware < occurred:
            self.add_error(
                "aware_on",
                "The date the local authority became aware must be the same as or after the date of the incident",
            )
        return data


class ChildForm(NameWarnings, GovukForm):
    no_names = ("label",)
    label = forms.CharField(label="Pseudonym", max_length=40, required=False, help_text="For example Child A")
    born_on = DateField(label="Date of birth", required=False)
    age_years = forms.IntegerField(
        label="Or age in years, if the date of birth is not known",
        required=False,
        min_value=0,
        max_value=25,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
    )
    looked_after = forms.ChoiceField(
        label="Looked after by a local authority", choices=YES_NO, widget=Radios, required=False
    )
    care_leaver = forms.ChoiceField(label="A care leaver", choices=YES_NO, widget=Radios, required=False)
    disability = forms.ChoiceField(
        label="Has a disability", choices=YES_NO_UNKNOWN, widget=Radios, required=False
    )

    def __init__(self, data: Any = None, *, number: int) -> None:
        super().__init__(data, prefix=f"child{number}")
        self.number = number

    def is_empty(self) -> bool:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return not any(data.get(key) not in (None, "") for key in ("label", "born_on", "age_years"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born, age = data.get("born_on"), data.get("age_years")
        if born and age is not None:
            self.add_error("age_years", "Give the date of birth or the age, not both")
        if born:
            try:
                _not_future(born, "The date of birth")
            except forms.ValidationError as error:
                self.add_error("born_on", error)
        if self.number == 1 and not born and age is None:
            self.add_error("born_on", "Enter the first child's date of birth, or their age")
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "label": data.get("label", ""),
            "born_on": data.get("born_on"),
            "age_years": data.get("age_years"),
            "looked_after": data.get("looked_after") == "yes",
            "care_leaver": data.get("care_leaver") == "yes",
            "disability": TRI_STATE[data.get("disability") or ""],
        }


DESCRIPTION_MAX = 5000


class HarmForm(NameWarnings, GovukForm):
    no_names = ("description",)
    outcome = forms.ChoiceField(
        label="What happened to the child?",
        choices=OUTCOME_CHOICES,
        widget=Radios,
        error_messages={"required": "Select what happened to the child"},
    )
    harm_categories = forms.MultipleChoiceField(
        label="Kind of harm",
        required=False,
        widget=Checkboxes,
        choices=[(c.code, c.label) for c in HARM_CATEGORIES],
        help_text="Select all that apply.",
    )
    description = forms.CharField(
        label="Describe what happened",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Facts as far as they are known: the injury or harm, how it came to light, and who is involved. Use pseudonyms.",
        error_messages={
            "required": "Describe what happened",
            "max_length": f"The description of what happened must be {DESCRIPTION_MAX:,} characters or fewer",
        },
    )
    abuse_or_neglect = forms.ChoiceField(
        label="Is abuse or neglect known or suspected?",
        choices=ABUSE_CHOICES,
        widget=Radios,
        error_messages={"required": "Select whether abuse or neglect is known or suspected"},
    )
    concern_about_working_together = forms.ChoiceField(
        label="Is there concern about how agencies worked together to safeguard the child?",
        choices=YES_NO_UNKNOWN,
        widget=Radios,
        required=False,
    )


ANSWERS = [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")]


class ScreeningForm(Guarded, GovukForm):
    """One yes/no/unknown answer with evidence per criterion, then the decision and its rationale."""

    outcome = forms.ChoiceField(
        label="Decision",
        choices=ScreeningOutcomeChoice.choices,
        widget=Radios,
        error_messages={"required": "Select the decision"},
    )
    rationale = forms.CharField(
        label="Rationale",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required when the incident is not notifiable, or when the decision differs from what the answers imply.",
    )

    def __init__(self, *args: Any, criteria: list[Any], engine_outcome_for: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.engine_outcome_for = engine_outcome_for
        new_fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            key = criterion.id.replace(".", "__").replace("-", "_")
            new_fields[f"answer__{key}"] = forms.ChoiceField(
                label=criterion.question,
                choices=ANSWERS,
                widget=Radios,
                initial=criterion.answer,
                # The question once, as the legend; what Chronicle proposes, and why, as its hint.
                help_text=f"Chronicle proposes {criterion.answer}: {plain(criterion.reason)}.",
                error_messages={"required": f"Answer: {criterion.question}"},
            )
            new_fields[f"evidence__{key}"] = forms.CharField(
                label="Evidence",
                required=False,
                max_length=2000,
                error_messages={
                    "max_length": f"The evidence for “{criterion.question}” must be 2,000 characters or fewer"
                },
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="What the answer rests on: a record, a conversation, a report.",
            )
        self.fields = {**new_fields, **self.fields}

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (criterion, self[f"answer__{self._key(criterion)}"], self[f"evidence__{self._key(criterion)}"])
            for criterion in self.criteria
        ]

    @staticmethod
    def _key(criterion: Any) -> str:
        return str(criterion.id).replace(".", "__").replace("-", "_")

    def answers(self) -> dict[str, dict[str, str]]:
        return {
            c.id: {
                "answer": self.cleaned_data[f"answer__{self._key(c)}"],
                "evidence": self.cleaned_data.get(f"evidence__{self._key(c)}", ""),
            }
            for c in self.criteria
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        rationale = (data.get("rationale") or "").strip()
        outcome = data.get("outcome")
        implied = self.engine_outcome_for({c.id: data[f"answer__{self._key(c)}"] for c in self.criteria})
        if outcome == ScreeningOutcomeChoice.NOT_NOTIFIABLE and not rationale:
            self.add_error("rationale", "Write the rationale for deciding the incident is not notifiable")
        elif outcome and outcome != implied and not rationale:
            self.add_error(
                "rationale", "Your decision differs from what the answers imply: write the rationale"
            )
        data["rationale"] = rationale
        data["implied_outcome"] = implied
        return data


class NotificationForm(Guarded, GovukForm):
    """One form for everyone notified at once: the Panel, Ofsted, the safeguarding partners."""

    recipients = forms.MultipleChoiceField(
        label="Who was notified?",
        widget=Checkboxes,
        help_text="Select everyone notified on this date. Record others on another date separately.",
        error_messages={"required": "Select who was notified"},
    )
    sent_on = DateField(
        label="Date sent", error_messages={"required": "Enter the date the notification was sent"}
    )

    def __init__(self, *args: Any, recipients: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recipient_names = recipients
        cast(forms.MultipleChoiceField, self.fields["recipients"]).choices = [(r, r) for r in recipients]
        for number, recipient in enumerate(recipients, start=1):
            self.fields[f"reference_{number}"] = forms.CharField(
                label=f"Reference given by {recipient} (optional)", required=False, max_length=100
            )

    def clean_sent_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["sent_on"]
        _not_future(value, "The date sent")
        return value

    def notifications(self) -> list[dict[str, Any]]:
        """One notification for each recipient chosen, with the reference that recipient gave."""
        chosen = set(self.cleaned_data.get("recipients") or [])
        return [
            {
                "recipient": recipient,
                "sent_on": self.cleaned_data["sent_on"],
                "reference": (self.cleaned_data.get(f"reference_{number}") or "").strip(),
            }
            for number, recipient in enumerate(self.recipient_names, start=1)
            if recipient in chosen
        ]


class RapidReviewSentForm(Guarded, GovukForm):
    sent_on = DateField(
        label="Date the rapid review was sent to the Panel",
        error_messages={"required": "Enter the date the rapid review was sent"},
    )

    def clean_sent_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["sent_on"]
        _not_future(value, "The date sent")
        return value


class DismissForm(GovukForm):
    reason = forms.CharField(
        label="Why is this not a missed serious incident?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write why this match is not a missed serious incident"},
    )


class ReportForm(Guarded, GovukForm):
    """The check-your-answers page's form: no questions, only its once-only token."""
