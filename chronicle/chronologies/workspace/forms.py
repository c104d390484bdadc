"""Forms for an agency's chronology workspace: the entry, importing a file, mapping headings, submitting."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.forms.boundfield import BoundField

from chronicle.chronologies.models import DraftEntry
from chronicle.core.dates import PartialDate
from chronicle.core.entries import SIX_HEADINGS, EntryKind
from chronicle.core.event_types import EVENT_TYPES
from chronicle.core.importing.dates import DateError, parse_cell_time
from chronicle.core.importing.headings import EXTRA, FIELDS, IGNORE
from chronicle.ui.forms import DateField, DayMonthYear, GovukForm, Guarded, Radios

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("", "Not recorded")]
FIRST_HAND_CHOICES = [
    ("first_hand", "First-hand: seen or heard by the person who recorded it"),
    ("third_party", "Third-party: reported to them by someone else"),
    ("", "Not known"),
]
OBTAINED_HOW_CHOICES = [
    ("conversation", "Conversation"),
    ("written_statement", "Written statement"),
    ("learning_event", "Practitioner learning event"),
    ("other", "Other"),
]
INFORMATION_STATUS_CHOICES = [
    ("recollection", "Recollection: remembered, with no record to confirm it"),
    ("undisputed", "Undisputed: others involved agree"),
    ("disputed", "Disputed: others involved remember it differently"),
]
OBTAINED_HOW_LABELS = dict(OBTAINED_HOW_CHOICES)
INFORMATION_STATUS_LABELS = {code: label.partition(":")[0] for code, label in INFORMATION_STATUS_CHOICES}

# How each stored field is named to people, for listings and version comparisons.
FIELD_LABELS: dict[str, str] = {
    "date_text": "Date",
    "time": "Time",
    "end_date_text": "End date",
    "end_time": "End time",
    "event_type": "Event type",
    "agency_event_type": "Your own event type, as written",
    "description": "What happened",
    "source": "Source of information",
    "entry_ref": "Your reference",
    "action": "Action taken",
    "outcome": "Outcome",
    "significance": "Significance or impact on the child (analysis)",
    "child_seen": "Child seen",
    "seen_alone": "Child seen alone",
    "child_voice": "Child's voice",
    "first_hand": "First-hand or third-party",
    "recorded_by": "Recorded by (role)",
    "recorded_on": "Recorded on",
    "significant": "Significant event",
    "kind": "Kind of entry",
    **SIX_HEADINGS,
    "given_by_role": "Who gave the information (role)",
    "obtained_by": "Who obtained it",
    "obtained_how": "How it was obtained",
    "captured_on": "Date captured",
    "information_status": "Status of the information",
    "addresses": "What it addresses",
}


class PartialDateField(forms.MultiValueField):
    """A date as day, month and year boxes where the day, or the day and month, may be left blank."""

    widget = DayMonthYear

    def __init__(self, **kwargs: Any) -> None:
        parts = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(parts, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> PartialDate | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        label = str(self.label or "The date")
        if not year:
            raise forms.ValidationError(f"{label} must include a year")
        if day and not month:
            raise forms.ValidationError(
                f"{label} has a day but no month: give the month too, or leave the day blank"
            )
        if not all(part.isdigit() for part in (day, month, year) if part) or len(year) != 4:
            raise forms.ValidationError(f"{label} must be a real date, for example 22 5 2016, or 5 2016")
        try:
            return PartialDate(int(year), int(month) if month else None, int(day) if day else None)
        except ValueError:
            raise forms.ValidationError(f"{label} must be a real date") from None


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _yes_no_answer(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "") if value is not None else ""


class EntryForm(Guarded, GovukForm):
    """One chronology entry: when, what, the child, provenance and the six headings (design §4)."""

    date = PartialDateField(
        label="Date of the event",
        help_text="For example, 22 5 2016. If the record gives only the month, leave the day blank; "
        "if it gives only the year, leave the day and month blank.",
        error_messages={"required": "Enter the date of the event"},
    )
    date_uncertain = forms.BooleanField(label="The date is uncertain", required=False)
    time = forms.CharField(
        label="Time (optional)",
        required=False,
        help_text="24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    event_type = forms.ChoiceField(
        label="Event type",
        required=False,
        choices=[("", "Not coded"), *EVENT_TYPES.items()],
    )
    description = forms.CharField(
        label="What happened",
        help_text="The facts as the record gives them.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what happened"},
    )
    source = forms.CharField(
        label="Source of information",
        max_length=500,
        help_text="The document, system record or person this comes from, for example 'Case note 48213'.",
        error_messages={"required": "Enter the source of information: the document, record or person"},
    )
    first_hand = forms.ChoiceField(
        label="Was this first-hand or third-party information?",
        choices=FIRST_HAND_CHOICES,
        required=False,
        widget=Radios,
    )
    action = forms.CharField(label="Action taken", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    significance = forms.CharField(
        label="Significance or impact on the child (analysis)",
        required=False,
        help_text="This is your analysis, not a fact from the record. Say what it meant for the child.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    child_seen = forms.ChoiceField(
        label="Was the child seen?", choices=YES_NO_UNKNOWN, required=False, widget=Radios
    )
    seen_alone = forms.ChoiceField(
        label="Was the child seen alone?", choices=YES_NO_UNKNOWN, required=False, widget=Radios
    )
    child_voice = forms.CharField(
        label="The child's voice",
        required=False,
        help_text="What the child said, did or showed about their experience.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recorded_by = forms.CharField(
        label="Recorded by (role)",
        required=False,
        max_length=200,
        help_text="A role, not a name: for example 'Health visitor'.",
    )
    recorded_on = DateField(label="Recorded on", required=False, help_text="For example, 23 5 2016")
    entry_ref = forms.CharField(label="Your reference (optional)", required=False, max_length=100)
    practice_required = forms.CharField(
        label=f"1. {SIX_HEADINGS['practice_required']}",
        required=False,
        help_text="Name the policy or procedure and the version in force on that date.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    record_shows_met = forms.CharField(
        label=f"2. {SIX_HEADINGS['record_shows_met']}",
        required=False,
        help_text="Only where the record shows it unequivocally. Give the record reference.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    gap = forms.CharField(
        label=f"3. {SIX_HEADINGS['gap']}", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    staff_information = forms.CharField(
        label=f"4. {SIX_HEADINGS['staff_information']}",
        required=False,
        help_text="Who, their role, when and how. Add it as practitioner information too.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    learning_point = forms.CharField(
        label=f"5. {SIX_HEADINGS['learning_point']}", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    multi_agency_point = forms.CharField(
        label=f"6. {SIX_HEADINGS['multi_agency_point']}",
        required=False,
        help_text="It goes on the rapid-review agenda.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("When", ("date", "date_uncertain", "time")),
        ("What happened", ("event_type", "description", "action", "outcome", "significance")),
        ("The child", ("child_seen", "seen_alone", "child_voice")),
        ("Where it comes from", ("source", "first_hand", "recorded_by", "recorded_on", "entry_ref")),
        ("Six headings", tuple(SIX_HEADINGS)),
    )

    def __init__(self, *args: Any, instance: DraftEntry | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        if instance is not None:
            kwargs.setdefault("read_version", instance.lock_version)
        super().__init__(*args, **kwargs)
        self.instance = instance

    @property
    def kind(self) -> EntryKind:
        # A context row (a court, the family) stays context when its words are changed.
        if self.instance is not None and self.instance.kind == EntryKind.CONTEXT:
            return EntryKind.CONTEXT
        return EntryKind.RECORD

    def sections(self) -> list[tuple[str, list[BoundField]]]:
        """The fields grouped under the headings the page shows."""
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    @staticmethod
    def initial_from(entry: DraftEntry) -> dict[str, Any]:
        date = PartialDate.from_isoformat(entry.date_text)
        initial: dict[str, Any] = {
            name: getattr(entry, name)
            for name in (
                "event_type",
                "description",
                "source",
                "action",
                "outcome",
                "significance",
                "child_voice",
                "recorded_by",
                "recorded_on",
                "entry_ref",
                *SIX_HEADINGS,
                "given_by_role",
                "obtained_by",
                "obtained_how",
                "captured_on",
                "information_status",
                "addresses",
            )
        }
        initial.update(
            date=[date.day, date.month, date.year],
            date_uncertain=date.uncertain,
            time=entry.time.strftime("%H:%M") if entry.time else "",
            first_hand={True: "first_hand", False: "third_party"}.get(entry.first_hand, "")
            if entry.first_hand is not None
            else "",
            child_seen=_yes_no_answer(entry.child_seen),
            seen_alone=_yes_no_answer(entry.seen_alone),
        )
        return initial

    def clean_time(self) -> dt.time | None:
        written = self.cleaned_data.get("time", "")
        try:
            return parse_cell_time(written)
        except DateError:
            raise forms.ValidationError("Enter the time on the 24-hour clock, for example 14:30") from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date = cleaned.get("date")
        if isinstance(date, PartialDate) and cleaned.get("date_uncertain"):
            cleaned["date"] = PartialDate(date.year, date.month, date.day, uncertain=True)
        if cleaned.get("seen_alone") == "yes" and cleaned.get("child_seen") == "no":
            self.add_error("seen_alone", "The child cannot be seen alone if they were not seen")
        return cleaned

    def values(self) -> dict[str, Any]:
        """The stored fields for services.save_entry."""
        data = self.cleaned_data
        date: PartialDate = data["date"]
        values: dict[str, Any] = {
            "kind": self.kind.value,
            "date_text": date.isoformat(),
            "date_start": date.start,
            "date_end": date.end,
            "time": data["time"],
            "event_type": data["event_type"],
            "description": data["description"].strip(),
            "source": data["source"].strip(),
            "first_hand": {"first_hand": True, "third_party": False}.get(data["first_hand"]),
            "action": data["action"].strip(),
            "outcome": data["outcome"].strip(),
            "significance": data["significance"].strip(),
            "child_seen": _yes_no(data["child_seen"]),
            "seen_alone": _yes_no(data["seen_alone"]),
            "child_voice": data["child_voice"].strip(),
            "recorded_by": data["recorded_by"].strip(),
            "recorded_on": data["recorded_on"],
            "entry_ref": data["entry_ref"].strip(),
        }
        for name in SIX_HEADINGS:
            values[name] = data[name].strip()
        return values


class PractitionerForm(EntryForm):
    """Information obtained from staff (lesson II): who gave it, who obtained it, how, when and how sure."""

    given_by_role = forms.CharField(
        label="Who gave the information (role)",
        max_length=200,
        help_text="A role, not a name: for example 'Health visitor who made the visit'.",
        error_messages={"required": "Enter the role of the person who gave the information"},
    )
    obtained_by = forms.CharField(
        label="Who obtained it",
        max_length=200,
        help_text="Name and role of the person who asked, for example 'J Patel, designated safeguarding lead'.",
        error_messages={"required": "Enter who obtained the information"},
    )
    obtained_how = forms.ChoiceField(
        label="How was it obtained?",
        choices=OBTAINED_HOW_CHOICES,
        widget=Radios,
        error_messages={"required": "Select how the information was obtained"},
    )
    captured_on = DateField(
        label="Date captured",
        help_text="When the information was obtained from the practitioner. For example, 12 3 2024",
        error_messages={"required": "Enter the date the information was captured"},
    )
    information_status = forms.ChoiceField(
        label="Status of the information",
        choices=INFORMATION_STATUS_CHOICES,
        widget=Radios,
        error_messages={"required": "Select the status of the information"},
    )
    addresses = forms.CharField(
        label="What it addresses",
        required=False,
        help_text="The entries or gaps in the record it answers, for example 'the gap at 14/03/2024'.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    SECTIONS = (
        (
            "The information and who gave it",
            (
                "given_by_role",
                "obtained_by",
                "obtained_how",
                "captured_on",
                "information_status",
                "addresses",
            ),
        ),
        ("The event it is about", ("date", "date_uncertain", "time", "event_type", "description")),
        ("What followed", ("action", "outcome", "significance")),
        ("The child", ("child_seen", "seen_alone", "child_voice")),
        ("Where it comes from", ("source", "first_hand", "recorded_by", "recorded_on", "entry_ref")),
        ("Six headings", tuple(SIX_HEADINGS)),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = "Date of the event"
        self.fields["recorded_on"].label = "Recorded date"
        self.fields["recorded_on"].help_text = "When the information was written down, for example 14 3 2024"
        self.fields[
            "source"
        ].help_text = (
            "For example, 'Conversation with the health visitor' or 'Written statement, 12/03/2024'."
        )
        self.fields["description"].label = "The information given"

    @property
    def kind(self) -> EntryKind:
        return EntryKind.PRACTITIONER

    def values(self) -> dict[str, Any]:
        values = super().values()
        data = self.cleaned_data
        values.update(
            given_by_role=data["given_by_role"].strip(),
            obtained_by=data["obtained_by"].strip(),
            obtained_how=data["obtained_how"],
            captured_on=data["captured_on"],
            information_status=data["information_status"],
            addresses=data["addresses"].strip(),
        )
        return values


def entry_form_class(kind: str) -> type[EntryForm]:
    return PractitionerForm if kind == EntryKind.PRACTITIONER else EntryForm


# --- Importing ---------------------------------------------------------------------------------

ADD, REPLACE = "add", "replace"


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        help_text="An Excel workbook (.xlsx, .xls), OpenDocument spreadsheet (.ods), CSV file, or a Word "
        "document (.docx) with the chronology in a table.",
        error_messages={"required": "Select a file to import"},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods,.csv,.docx"}),
    )
    mode = forms.ChoiceField(
        label="What should happen to the entries already in your draft?",
        choices=[
            (ADD, "Add the file's entries to the draft"),
            (REPLACE, "Replace the draft with the file's entries"),
        ],
        initial=ADD,
        widget=Radios,
        error_messages={"required": "Select whether to add to the draft or replace it"},
    )

    def clean_file(self) -> UploadedFile:
        uploaded: UploadedFile = self.cleaned_data["file"]
        limit = int(settings.UPLOAD_MAX_MB) * 1024 * 1024
        if uploaded.size is not None and uploaded.size > limit:
            raise forms.ValidationError(
                f"'{_base_name(uploaded)}' is {uploaded.size / (1024 * 1024):.0f} MB; the largest file "
                f"Chronicle accepts is {settings.UPLOAD_MAX_MB} MB. Split the chronology by year and "
                "upload each part."
            )
        return uploaded

    def filename(self) -> str:
        """The file's own name, without any folders a browser sent with it."""
        return _base_name(self.cleaned_data["file"])

    def replaces(self) -> bool:
        return bool(self.cleaned_data["mode"] == REPLACE)


def _base_name(uploaded: UploadedFile) -> str:
    return PurePath(str(uploaded.name).replace("\\", "/")).name


IGNORE_LABEL = "Ignore this column"
EXTRA_LABEL = "Keep it with each entry as extra information"


def field_choices() -> list[tuple[str, str]]:
    return [
        ("", "Choose a field"),
        *((spec.name, spec.heading) for spec in FIELDS),
        (EXTRA, EXTRA_LABEL),
        (IGNORE, IGNORE_LABEL),
    ]


class MappingForm(GovukForm):
    """For each heading Chronicle does not recognise: which field it holds, or ignore it."""

    def __init__(self, *args: Any, columns: list[tuple[int, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        for index, heading, hint in columns:
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f"Column ‘{heading}’",
                choices=field_choices(),
                help_text=hint,
                error_messages={"required": f"Choose what the column ‘{heading}’ holds, or ignore it"},
            )

    def choices(self) -> dict[int, str]:
        return {index: self.cleaned_data[f"column_{index}"] for index, _, _ in self.columns}


UNCODED = "uncoded"


class EventTypeValuesForm(GovukForm):
    """For each of the agency's own event-type values Chronicle does not know: the code it means, or none.

    Nothing is chosen for the person: the suggestion is offered first, with why, and "leave uncoded"
    is always there.
    """

    def __init__(self, *args: Any, questions: list[tuple[str, int, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.values = [value for value, _, _ in questions]
        for index, (value, rows, suggestion) in enumerate(questions):
            choices = [("", "Choose"), (UNCODED, f"Leave uncoded: keep ‘{value}’ as written")]
            hint = f"{rows:,} {'entry' if rows == 1 else 'entries'}. "
            if suggestion is not None:
                choices.append((suggestion.code, f"{EVENT_TYPES[suggestion.code]} (suggested)"))
                hint += f"Suggested: {EVENT_TYPES[suggestion.code]}. {suggestion.reason}"
            else:
                hint += "Chronicle has no suggestion for this value."
            chosen = {code for code, _ in choices}
            choices += [(code, name) for code, name in EVENT_TYPES.items() if code not in chosen]
            self.fields[f"value_{index}"] = forms.ChoiceField(
                label=f"Event type ‘{value}’",
                choices=choices,
                help_text=hint,
                error_messages={"required": f"Choose what ‘{value}’ means, or leave it uncoded"},
            )

    def decisions(self) -> dict[str, str]:
        """Value as written -> code ("" = leave uncoded)."""
        chosen = (self.cleaned_data[f"value_{index}"] for index in range(len(self.values)))
        return {
            value: "" if code == UNCODED else code for value, code in zip(self.values, chosen, strict=True)
        }


CONTEXT, RECORD = "context", "record"


class ContextRowsForm(GovukForm):
    """For each agency-column value that reads as context (a court, the family, the media): context or not.

    Context is offered first, as Chronicle read it; the person may say the rows are the agency's record.
    """

    def __init__(self, *args: Any, sources: dict[str, int], agency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.values = list(sources)
        for index, (value, rows) in enumerate(sources.items()):
            self.fields[f"source_{index}"] = forms.ChoiceField(
                label=f"‘{value}’ ({rows:,} {'entry' if rows == 1 else 'entries'})",
                widget=Radios,
                initial=CONTEXT,
                choices=[
                    (
                        CONTEXT,
                        "Context: kept and shown, but no quality scorecard and it does not end a silence",
                    ),
                    (RECORD, f"{agency}’s own record"),
                ],
                error_messages={"required": f"Choose whether ‘{value}’ is context or {agency}’s record"},
            )

    def not_context(self) -> list[str]:
        """The values the person said are the agency's record, not context."""
        return [
            value for index, value in enumerate(self.values) if self.cleaned_data[f"source_{index}"] == RECORD
        ]


class AddAgainForm(GovukForm):
    add_again = forms.ChoiceField(
        label="Do you want to add its entries to the draft again?",
        choices=[("yes", "Yes, add them again"), ("no", "No, leave the draft as it is")],
        widget=Radios,
        error_messages={"required": "Select yes to add the entries again, or no"},
    )


# --- Submitting and comparing -------------------------------------------------------------------


class SubmitForm(Guarded, GovukForm):
    note = forms.CharField(
        label="Note to the business manager (optional)",
        required=False,
        help_text="For example, what changed since the last version.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CompareForm(GovukForm):
    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(n), f"Version {n}") for n in numbers]
        self.fields["from"] = forms.ChoiceField(label="Earlier version", choices=choices)
        self.fields["to"] = forms.ChoiceField(label="Later version", choices=choices)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("from") and cleaned.get("from") == cleaned.get("to"):
            self.add_error("to", "Choose two different versions to compare")
        return cleaned
