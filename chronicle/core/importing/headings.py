"""Matching an agency's column headings to the canonical entry fields (design §4, rulebook CQ-D).

Agencies use their own headings: "Date", "Event date", "Start Date"; "Source",
"Source of Information"; "Agency", "Organisation". The synonyms are data, below.
Matching ignores case, punctuation and spacing, and falls back to the heading
without any bracketed note ("Date (dd/mm/yyyy)" is "Date").

Columns that match nothing are reported; the person importing decides whether
each is one of the fields, kept as extra information, or ignored
(``apply_user_mapping``). Nothing is dropped without their say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from chronicle.core.entries import SIX_HEADINGS


class FieldKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    TIME = "time"
    PRECISION = "precision"
    EVENT_TYPE = "event_type"
    YES_NO = "yes_no"
    FIRST_HAND = "first_hand"
    RECORDED_DATE = "recorded_date"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One canonical field: its name on ``Entry``, its template heading, synonyms and help."""

    name: str
    heading: str
    kind: FieldKind
    synonyms: tuple[str, ...]
    guidance: str
    required: bool = False
    source: str = "CQ-D"


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "entry_ref",
        "Ref",
        FieldKind.TEXT,
        (
            "Event ref",
            "Reference",
            "Sequence",
            "Seq",
            "Serial",
            "Serial number",
            "Serial no",
            "Entry number",
            "Entry no",
            "Entry ref",
            "Event number",
            "Event no",
            "ID",
            "Entry ID",
            "Event ID",
            "No",
        ),
        "Your own reference or serial number for the entry. Orders events on the same day with no time.",
    ),
    FieldSpec(
        "date",
        "Date",
        FieldKind.DATE,
        (
            "Event date",
            "Start date",
            "Date of event",
            "Date of contact",
            "Contact date",
            "Event start date",
            "Date and time",
            "Date/time",
            "Dates",
            "From date",
            "Date from",
            "Incident date",
            "Date of incident",
        ),
        "When the event happened, day first: 22/05/2016, 22 May 2016 or 2016-05-22. Month only (May 2016) "
        "or year only (2016) when that is all the record says. Put ? in front of an uncertain date: ?22/05/2016.",
        required=True,
        source="CQ-01, CQ-D",
    ),
    FieldSpec(
        "date_precision",
        "Date precision",
        FieldKind.PRECISION,
        (
            "Precision",
            "Date accuracy",
            "Accuracy of date",
            "Date certainty",
            "Date type",
            "Date precision flag",
        ),
        "Optional. day (exact), month, year, or uncertain (approx). Use it when the Date column holds a full "
        "date but the record only gives the month or year, or when the date is approximate.",
        source="CQ-01, CQ-D",
    ),
    FieldSpec(
        "time",
        "Time",
        FieldKind.TIME,
        ("Start time", "Event time", "Time of event", "Time of contact", "Time from"),
        "Optional. 24-hour clock (14:30 or 1430) or 2.30pm. Needed for rules counted in hours.",
    ),
    FieldSpec(
        "end_date",
        "End date",
        FieldKind.DATE,
        ("Finish date", "Date ended", "Date to", "To date", "Event end date", "Date of end"),
        "Optional. When an event that lasted more than a day ended (an admission, a missing episode).",
    ),
    FieldSpec(
        "end_time",
        "End time",
        FieldKind.TIME,
        ("Finish time", "Time ended", "Time to", "Event end time"),
        "Optional. When the event ended.",
    ),
    FieldSpec(
        "agency",
        "Agency",
        FieldKind.TEXT,
        (
            "Organisation",
            "Organization",
            "Agency name",
            "Organisation name",
            "Organization name",
            "Service",
            "Agency or service",
            "Provider",
        ),
        "The agency that holds the record. Can be left out when the agency is chosen at upload.",
        required=True,
    ),
    FieldSpec(
        "source",
        "Source of information",
        FieldKind.TEXT,
        (
            "Source",
            "Information source",
            "Record",
            "Record reference",
            "Record ref",
            "Source reference",
            "Source document",
            "Source of info",
            "Document reference",
            "Witness or document reference",
            "Evidence source",
            "Where recorded",
            "Reference to record",
            "Source record",
            "Source and reference",
        ),
        "Required for every entry: the document, system record or person the information comes from "
        "(for example 'EMIS consultation 22/05/2016', 'Strategy meeting minutes', 'PC Smith statement').",
        required=True,
        source="CQ-03",
    ),
    FieldSpec(
        "event_type",
        "Event type",
        FieldKind.EVENT_TYPE,
        (
            "Type",
            "Category",
            "Type of event",
            "Event category",
            "Contact type",
            "Type of contact",
            "Activity type",
            "Event code",
            "Type code",
        ),
        "Optional but strongly advised: choose from the list (referral, strategy discussion, home visit, "
        "A&E attendance…). It drives the timescale checks.",
    ),
    FieldSpec(
        "description",
        "Event details",
        FieldKind.TEXT,
        (
            "Event",
            "Details",
            "Description",
            "Summary",
            "Event description",
            "Details of event",
            "Event detail",
            "Event summary",
            "Narrative",
            "What happened",
            "Detail",
            "Significant event",
            "Key event",
            "Details of contact",
            "Event or contact",
            "Information",
            "Event and details",
        ),
        "Required: what happened, as facts (who, what, where). Keep opinion for the Significance column.",
        required=True,
        source="CQ-D",
    ),
    FieldSpec(
        "action",
        "Action taken",
        FieldKind.TEXT,
        (
            "Action",
            "Actions",
            "Decision",
            "Decisions",
            "Action or decision",
            "Decision or action",
            "Actions taken",
            "Action and decision",
            "Decisions and actions",
            "Key decisions and actions",
            "Response",
            "Action by agency",
        ),
        "What the agency decided or did in response.",
    ),
    FieldSpec(
        "outcome",
        "Outcome",
        FieldKind.TEXT,
        ("Outcomes", "Result", "Outcome of event", "Outcome of action"),
        "What came of it.",
    ),
    FieldSpec(
        "significance",
        "Significance or impact on child",
        FieldKind.TEXT,
        (
            "Significance",
            "Analysis",
            "Impact",
            "Impact on child",
            "Impact on the child",
            "Significance to child",
            "Significance or impact",
            "Significance and impact",
            "Significance impact on child",
            "Analysis of significance",
            "Why significant",
            "Impact and analysis",
            "Comment and analysis",
        ),
        "Analysis, clearly yours: why this matters for the child.",
    ),
    FieldSpec(
        "child_seen",
        "Child seen",
        FieldKind.YES_NO,
        ("Seen", "Was the child seen", "Child seen yn", "Child seen yes no", "Children seen"),
        "yes or no (blank if it does not apply).",
    ),
    FieldSpec(
        "seen_alone",
        "Seen alone",
        FieldKind.YES_NO,
        ("Child seen alone", "Was the child seen alone", "Seen alone yn", "Seen on own", "Seen alone yes no"),
        "yes or no (blank if it does not apply).",
    ),
    FieldSpec(
        "child_voice",
        "Child's voice",
        FieldKind.TEXT,
        (
            "Childs voice",
            "Child voice",
            "Voice of the child",
            "Voice of child",
            "Views of the child",
            "Child's views",
            "Childs views",
            "Wishes and feelings",
            "Child's wishes and feelings",
        ),
        "What the child said, showed or wanted, in their words where recorded.",
    ),
    FieldSpec(
        "recorded_by",
        "Recorded by",
        FieldKind.TEXT,
        (
            "Author",
            "Practitioner",
            "Worker",
            "Entered by",
            "Completed by",
            "Role",
            "Recorded by role",
            "Practitioner role",
            "Staff member",
            "Professional",
        ),
        "The role of the person who made the record (for example 'Health visitor').",
    ),
    FieldSpec(
        "recorded_on",
        "Date recorded",
        FieldKind.RECORDED_DATE,
        ("Recorded on", "Recorded date", "Date entered", "Date of recording", "Record date", "Date written"),
        "Optional: when the record was written, if not on the day.",
    ),
    FieldSpec(
        "first_hand",
        "First-hand or third-party",
        FieldKind.FIRST_HAND,
        (
            "First hand",
            "First hand or third party",
            "First or third party",
            "First or third hand",
            "Direct or third party",
            "Information type",
        ),
        "first-hand (seen or heard by the agency) or third-party (reported by someone else).",
        source="CQ-11",
    ),
    FieldSpec(
        "significant",
        "Significant event (yes/no)",
        FieldKind.YES_NO,
        (
            "Significant",
            "Is significant",
            "Significant yn",
            "Significant event yn",
            "Significant event flag",
            "Significant yes no",
            "Key event yn",
        ),
        "yes when the event is significant for the child, no for routine contact.",
    ),
    FieldSpec(
        "practice_required",
        SIX_HEADINGS["practice_required"],
        FieldKind.TEXT,
        (
            "Good practice required",
            "Practice required",
            "Required practice",
            "Expected practice",
            "Policies and procedures",
            "Policy and procedure",
            "Policies and procedures that applied",
            "Good practice required and policies",
            "What should have happened",
        ),
        "Heading 1: the practice required, and the policies and procedures (with their version) that applied.",
        source="design lesson IV",
    ),
    FieldSpec(
        "record_shows_met",
        SIX_HEADINGS["record_shows_met"],
        FieldKind.TEXT,
        (
            "Record shows met",
            "Record shows requirement met",
            "Requirement met",
            "Evidence requirement met",
            "Evidence of compliance",
            "Compliance evidence",
            "Written record shows requirement met",
        ),
        "Heading 2: where the written record shows the requirement was met (give the record reference).",
        source="design lesson IV",
    ),
    FieldSpec(
        "gap",
        SIX_HEADINGS["gap"],
        FieldKind.TEXT,
        (
            "Gap",
            "Gaps",
            "Gap in the record",
            "Gap in record",
            "Compliance cannot be determined",
            "Record gap",
        ),
        "Heading 3: a gap in the record, so compliance cannot be determined.",
        source="design lesson IV",
    ),
    FieldSpec(
        "staff_information",
        SIX_HEADINGS["staff_information"],
        FieldKind.TEXT,
        (
            "Information from staff",
            "Information obtained from staff",
            "Staff information",
            "Practitioner information",
            "Information from practitioners",
            "Information from practitioner",
        ),
        "Heading 4: information obtained from staff to fill the gap (who, role, when, how).",
        source="design lesson IV",
    ),
    FieldSpec(
        "learning_point",
        SIX_HEADINGS["learning_point"],
        FieldKind.TEXT,
        (
            "Learning point",
            "Learning points",
            "Learning",
            "Reflective learning point",
            "Learning point or breach",
            "Breach of safe practice",
            "Learning or breach",
        ),
        "Heading 5: a reflective learning point, or a more serious breach of safe practice.",
        source="design lesson IV",
    ),
    FieldSpec(
        "multi_agency_point",
        SIX_HEADINGS["multi_agency_point"],
        FieldKind.TEXT,
        (
            "Multi-agency point",
            "Multi-agency judgement",
            "Needs multi-agency judgement",
            "Point for multi-agency judgement",
            "Multi-agency issue",
            "Multi-agency",
            "For rapid review",
        ),
        "Heading 6: a point that needs multi-agency judgement (it goes on the rapid-review agenda).",
        source="design lesson IV",
    ),
)

FIELDS_BY_NAME: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
REQUIRED_FIELDS: tuple[str, ...] = tuple(spec.name for spec in FIELDS if spec.required)

# What a person may answer in the mapping step besides a field.
IGNORE = "ignore"  # drop the column
EXTRA = "extra"  # keep the values with each entry as extra information

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


class MappingError(ValueError):
    """A mapping choice that names an unknown heading or field."""


def normalise_heading(heading: str) -> str:
    """Case, punctuation and spacing do not matter: "Source of Information:" == "source-of-information"."""
    return _NOT_WORD.sub("", heading.lower().replace("&", "and"))


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for spec in FIELDS:
        for name in (spec.name, spec.heading, *spec.synonyms):
            key = normalise_heading(name)
            if key in lookup and lookup[key] != spec.name:
                raise AssertionError(f"heading synonym {name!r} is claimed by {lookup[key]} and {spec.name}")
            lookup[key] = spec.name
    return lookup


HEADING_LOOKUP: dict[str, str] = _build_lookup()


def field_for_heading(heading: str) -> str | None:
    """The canonical field a heading means, or None."""
    key = normalise_heading(heading)
    if not key:
        return None
    found = HEADING_LOOKUP.get(key)
    if found is None:
        bare = normalise_heading(_BRACKETED.sub(" ", heading))
        found = HEADING_LOOKUP.get(bare) if bare else None
    return found


def synonyms_text(field_name: str) -> str:
    """The headings Chronicle recognises for a field, for messages."""
    spec = FIELDS_BY_NAME[field_name]
    return ", ".join(f"'{name}'" for name in (spec.heading, *spec.synonyms))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True, slots=True)
class HeadingMapping:
    """Which column holds which field.

    ``mapped``: column index -> field name. ``unrecognised``: headings nobody has
    decided about yet (their values are kept as extra information if imported as
    they are). ``ignored`` and ``extra``: the person's decisions. ``duplicates``:
    columns whose heading means a field another column already gives.
    ``missing_required``: required fields no column gives.
    """

    headings: tuple[str, ...]
    mapped: dict[int, str]
    unrecognised: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    unrecognised_columns: tuple[int, ...] = ()
    ignored: frozenset[int] = frozenset()
    extra: frozenset[int] = frozenset()
    duplicates: tuple[tuple[int, str], ...] = ()
    agency_given: bool = False

    def column_for(self, field_name: str) -> int | None:
        for index, name in self.mapped.items():
            if name == field_name:
                return index
        return None

    def decisions(self) -> dict[int, str]:
        """Every column's decision (field name, "ignore" or "extra"): enough to read the file again."""
        found: dict[int, str] = dict(self.mapped)
        found.update(dict.fromkeys(self.ignored, IGNORE))
        found.update(dict.fromkeys(self.extra, EXTRA))
        return dict(sorted(found.items()))

    def heading_of(self, index: int) -> str:
        """The heading as written, or "column F" when the heading cell is blank."""
        heading = self.headings[index] if index < len(self.headings) else ""
        return heading.strip() or f"column {column_letter(index)}"

    @property
    def is_complete(self) -> bool:
        """Every required field has a column and every column has been decided."""
        return not (self.missing_required or self.unrecognised_columns or self.duplicates)


def _missing(mapped: Mapping[int, str], agency_given: bool) -> list[str]:
    present = set(mapped.values())
    return [
        name for name in REQUIRED_FIELDS if name not in present and not (name == "agency" and agency_given)
    ]


def _assemble(
    headings: tuple[str, ...],
    mapped: dict[int, str],
    ignored: frozenset[int],
    extra: frozenset[int],
    duplicates: tuple[tuple[int, str], ...],
    agency_given: bool,
) -> HeadingMapping:
    duplicate_columns = {index for index, _ in duplicates}
    undecided = tuple(
        index
        for index, heading in enumerate(headings)
        if index not in mapped
        and index not in ignored
        and index not in extra
        and index not in duplicate_columns
        and heading.strip()
    )
    return HeadingMapping(
        headings=headings,
        mapped=mapped,
        unrecognised=[headings[index].strip() for index in undecided],
        missing_required=_missing(mapped, agency_given),
        unrecognised_columns=undecided,
        ignored=ignored,
        extra=extra,
        duplicates=duplicates,
        agency_given=agency_given,
    )


def map_headings(headings: Sequence[str], agency_given: bool = False) -> HeadingMapping:
    """Match each heading to a field by its synonyms; the first column wins a field."""
    written = tuple(str(heading) for heading in headings)
    mapped: dict[int, str] = {}
    taken: set[str] = set()
    duplicates: list[tuple[int, str]] = []
    for index, heading in enumerate(written):
        name = field_for_heading(heading)
        if name is None:
            continue
        if name in taken:
            duplicates.append((index, name))
            continue
        mapped[index] = name
        taken.add(name)
    return _assemble(written, mapped, frozenset(), frozenset(), tuple(duplicates), agency_given)


def _find_column(mapping: HeadingMapping, key: str | int) -> int:
    if isinstance(key, int):
        if not 0 <= key < len(mapping.headings):
            raise MappingError(f"there is no column {key + 1}")
        return key
    for index, heading in enumerate(mapping.headings):
        if heading.strip() == key.strip():
            return index
    wanted = normalise_heading(key)
    for index, heading in enumerate(mapping.headings):
        if normalise_heading(heading) == wanted or normalise_heading(mapping.heading_of(index)) == wanted:
            return index
    known = ", ".join(f"'{mapping.heading_of(i)}'" for i in range(len(mapping.headings)))
    raise MappingError(f"the file has no column headed '{key}'; its headings are {known}")


def resolve_choice(choice: str | None) -> str:
    """A person's answer for a column: a field name, a heading synonym, 'ignore' or 'extra'."""
    if choice is None:
        return IGNORE
    key = normalise_heading(choice)
    if key in {"ignore", "skip", "none", "drop", ""}:
        return IGNORE
    if key in {"extra", "keep", "keepasextra", "other"}:
        return EXTRA
    if choice in FIELDS_BY_NAME:
        return choice
    found = HEADING_LOOKUP.get(key)
    if found is None:
        names = ", ".join(FIELDS_BY_NAME)
        raise MappingError(f"'{choice}' is not a field; use one of {names}, or 'ignore' or 'extra'")
    return found


def apply_user_mapping(
    mapping: HeadingMapping,
    choices: Mapping[str, str | None]
    | Mapping[int, str | None]
    | Mapping[str | int, str | None]
    | Iterable[tuple[str | int, str | None]],
    agency_given: bool | None = None,
) -> HeadingMapping:
    """Apply a person's decisions: {"Happening": "description", "Notes": "ignore", 4: "extra"}.

    Keys are headings as written (case and punctuation do not matter) or column
    indexes; values are field names, heading synonyms, "ignore" (or None) or "extra".
    A field given to a column is taken from any column that had it before.
    """
    items = list(choices.items()) if isinstance(choices, Mapping) else list(choices)
    mapped = dict(mapping.mapped)
    ignored = set(mapping.ignored)
    extra = set(mapping.extra)
    duplicates = dict(mapping.duplicates)
    for key, choice in items:
        index = _find_column(mapping, key)
        decision = resolve_choice(choice)
        mapped.pop(index, None)
        ignored.discard(index)
        extra.discard(index)
        duplicates.pop(index, None)
        if decision == IGNORE:
            ignored.add(index)
        elif decision == EXTRA:
            extra.add(index)
        else:
            for other, name in list(mapped.items()):
                if name == decision:
                    del mapped[other]  # the other column goes back to undecided
            mapped[index] = decision
    for index, name in list(duplicates.items()):
        if name not in mapped.values():
            mapped[index] = name
            del duplicates[index]
    given = mapping.agency_given if agency_given is None else agency_given
    return _assemble(
        mapping.headings,
        dict(sorted(mapped.items())),
        frozenset(ignored),
        frozenset(extra),
        tuple(duplicates.items()),
        given,
    )
