from __future__ import annotations

from typing import Any, cast

from django import forms

from chronicle.reviews.evidence import KIND_WORDS
from chronicle.reviews.models import DecisionOutcome, PartnerKind
from chronicle.web.forms import Checkboxes, DateField, GovukForm, Guarded, Radios

MAX_ATTENDEES = 10
MAX_REASONS = 6


class OverviewForm(Guarded, GovukForm):
    summary = forms.CharField(
        label="Case summary",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="The facts as far as they can be readily established (RR-02).",
    )
    immediate_action = forms.CharField(
        label="Immediate safeguarding action, and learning already shared",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    context = forms.CharField(
        label="Context: how race, ethnicity, disability and other inequalities may have affected the family's experience and practice",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class MeetingForm(Guarded, GovukForm):
    held_on = DateField(
        label="Date of the meeting", error_messages={"required": "Enter the date of the meeting"}
    )
    title = forms.CharField(label="Title", required=False, initial="Rapid review meeting")
    free_items = forms.CharField(
        label="Other agenda items (optional, one per line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Items from the analysis (multi-agency judgement, conflicts, findings not met, gaps) are added for you.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_ATTENDEES + 1):
            self.fields[f"name_{n}"] = forms.CharField(label=f"Attendee {n}: name", required=False)
            self.fields[f"role_{n}"] = forms.CharField(label=f"Attendee {n}: role and agency", required=False)
            self.fields[f"partner_{n}"] = forms.ChoiceField(
                label=f"Attendee {n}: represents",
                required=False,
                choices=[("", "Not a statutory partner"), *PartnerKind.choices],
            )

    def attendees(self) -> list[dict[str, Any]]:
        people = []
        for n in range(1, MAX_ATTENDEES + 1):
            name = (self.cleaned_data.get(f"name_{n}") or "").strip()
            if name:
                people.append(
                    {
                        "name": name,
                        "role": (self.cleaned_data.get(f"role_{n}") or "").strip(),
                        "partner": self.cleaned_data.get(f"partner_{n}") or "",
                    }
                )
        return people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, MAX_ATTENDEES + 1):
            if (data.get(f"role_{n}") or data.get(f"partner_{n}")) and not (
                data.get(f"name_{n}") or ""
            ).strip():
                self.add_error(f"name_{n}", f"Enter attendee {n}'s name, or clear their role")
        if not any((data.get(f"name_{n}") or "").strip() for n in range(1, MAX_ATTENDEES + 1)):
            self.add_error("name_1", "Enter at least one attendee")
        return data


class EvidenceMixin:
    """Evidence is cited from the review's pool (a few chosen pieces), never from every entry."""

    def evidence_field(
        self, options: list[tuple[str, str]], label: str = "Evidence it rests on"
    ) -> forms.MultipleChoiceField:
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            widget=Checkboxes,
            choices=options,
            help_text="" if options else "The evidence pool is empty: add evidence to it first.",
        )


class EvidenceSearchForm(GovukForm):
    """The picker's search: a GET form, so a search and its pages can be bookmarked and shared."""

    q = forms.CharField(
        label="Search the case",
        required=False,
        max_length=200,
        help_text="Words from an entry, an agency, a date or a finding, for example “bruise police”.",
    )
    kind = forms.ChoiceField(label="Show", required=False)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [("", "Everything"), *KIND_WORDS.items()]


class ConsiderationForm(Guarded, GovukForm, EvidenceMixin):
    answer = forms.ChoiceField(
        label="Answer",
        choices=[("yes", "Yes"), ("no", "No"), ("maybe", "May do")],
        widget=Radios,
        error_messages={"required": "Select yes, no or may do"},
    )
    discussion = forms.CharField(
        label="What the partners discussed",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Record what the partners discussed"},
    )

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"] = self.evidence_field(options)


class DecisionForm(Guarded, GovukForm, EvidenceMixin):
    outcome = forms.ChoiceField(
        label="Decision",
        choices=DecisionOutcome.choices,
        widget=Radios,
        error_messages={"required": "Select the decision"},
    )
    alternative_kind = forms.CharField(
        label="If alternative learning: what kind",
        required=False,
        help_text="For example a peer-learning event, a thematic review or a single-agency review.",
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write the rationale for the decision"},
        help_text="Clear, defensible and reached in a timely fashion (SCIE quality marker).",
    )
    decided_on = DateField(
        label="Date of the decision", error_messages={"required": "Enter the date of the decision"}
    )
    sent_to_panel_on = DateField(label="Date sent to the Panel (optional)", required=False)
    panel_response = forms.CharField(
        label="The Panel's response (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    panel_response_on = DateField(label="Date of the Panel's response (optional)", required=False)
    family_told = forms.CharField(label="How and when the family was told (optional)", required=False)
    ofsted_told = forms.CharField(label="How and when Ofsted was told (optional)", required=False)

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_REASONS + 1):
            self.fields[f"reason_{n}"] = forms.CharField(
                label=f"Reason {n}",
                required=(n == 1),
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": "Give at least one reason"},
            )
            self.fields[f"reason_{n}_evidence"] = self.evidence_field(options, f"Evidence for reason {n}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("outcome") == DecisionOutcome.ALTERNATIVE
            and not (data.get("alternative_kind") or "").strip()
        ):
            self.add_error("alternative_kind", "Say what kind of alternative learning")
        for n in range(1, MAX_REASONS + 1):
            if (data.get(f"reason_{n}") or "").strip() and not data.get(f"reason_{n}_evidence"):
                self.add_error(f"reason_{n}_evidence", f"Link reason {n} to the evidence it rests on")
        return data

    def reasons(self) -> list[tuple[str, list[str]]]:
        return [
            (
                self.cleaned_data[f"reason_{n}"].strip(),
                list(self.cleaned_data.get(f"reason_{n}_evidence") or []),
            )
            for n in range(1, MAX_REASONS + 1)
            if (self.cleaned_data.get(f"reason_{n}") or "").strip()
        ]


class PositionForm(Guarded, GovukForm):
    partner = forms.ChoiceField(
        label="You are signing for",
        widget=Radios,
        error_messages={"required": "Select the partner you sign for"},
    )
    agrees = forms.ChoiceField(
        label="Your position",
        widget=Radios,
        choices=[("agree", "I agree with the decision"), ("disagree", "I disagree")],
        error_messages={"required": "Select agree or disagree"},
    )
    reasons = forms.CharField(
        label="Reasons",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required if you disagree.",
    )

    def __init__(self, *args: Any, partners: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["partner"])
        field.choices = [(p, PartnerKind(p).label) for p in partners]
        if len(partners) == 1:
            field.initial = partners[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agrees") == "disagree" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Give your reasons for disagreeing")
        return data


OVERRIDE_REASONS_MAX = 3000


class FinaliseForm(Guarded, GovukForm):
    """The check page's form: the state read, and reasons when finalising with things outstanding."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)
    override_reasons = forms.CharField(
        label="Why the record should be finalised now",
        required=False,
        max_length=OVERRIDE_REASONS_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The Panel pack shows what was outstanding and these reasons.",
        error_messages={
            "max_length": f"Why the record should be finalised now must be {OVERRIDE_REASONS_MAX:,} characters or fewer"
        },
    )

    def __init__(self, *args: Any, outstanding: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outstanding = outstanding
        if not outstanding:
            del self.fields["override_reasons"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.outstanding and not self.errors and not (data.get("override_reasons") or "").strip():
            self.add_error(
                "override_reasons",
                "Write why the record should be finalised while things are outstanding",
            )
        return data
