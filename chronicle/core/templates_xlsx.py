"""The chronology templates agencies download (design §3, lesson IV, rulebook CQ-D).

The Excel template has a "Chronology" sheet with every canonical heading, the six
headings included, in the order the importer expects; drop-down lists for event
type, date precision and the yes/no columns; a "Guidance" sheet that explains each
column; and a hidden "Lists" sheet that holds the drop-down values. Anything typed
into the template imports without a mapping step.
"""

from __future__ import annotations

import csv
import io

import xlsxwriter

from chronicle.core.event_types import EVENT_TYPES
from chronicle.core.importing.dates import DATE_EXAMPLES
from chronicle.core.importing.headings import FIELDS, FieldKind, FieldSpec

CHRONOLOGY_SHEET = "Chronology"
GUIDANCE_SHEET = "Guidance"
LISTS_SHEET = "Lists"
LAST_ROW = 1_048_575  # drop-downs apply to the whole column

TEMPLATE_FIELDS: tuple[FieldSpec, ...] = FIELDS
TEMPLATE_HEADINGS: tuple[str, ...] = tuple(spec.heading for spec in TEMPLATE_FIELDS)

PRECISION_CHOICES = ("day", "month", "year", "uncertain", "month (uncertain)", "year (uncertain)")
YES_NO_CHOICES = ("yes", "no")
FIRST_HAND_CHOICES = ("first-hand", "third-party")

_WIDTHS = {
    FieldKind.DATE: 13,
    FieldKind.TIME: 9,
    FieldKind.PRECISION: 16,
    FieldKind.YES_NO: 11,
    FieldKind.FIRST_HAND: 16,
    FieldKind.RECORDED_DATE: 13,
    FieldKind.EVENT_TYPE: 30,
}
_NARROW_TEXT = {"entry_ref": 8, "agency": 20, "recorded_by": 20, "source": 30}

GUIDANCE_INTRO = (
    "How to fill in this chronology",
    "One row for each event, in any order: Chronicle sorts them by date. Do not add rows above the headings "
    "or change the headings. Leave a column empty if it does not apply.",
    "Date, Event details and Source of information are required on every row. Agency is required unless "
    "you choose your agency when you upload the file.",
    "When the request asks for a full contact extract, include every contact in the period, routine ones "
    "too, not only significant events: reviews need to see that ordinary practice was reasonable.",
    "Chronicle checks the whole file before saving anything. If any row has a problem, nothing is saved "
    "and you get a list of every problem with its row and column, so you can fix them all at once.",
    "Dates are read day first, as in the UK: " + DATE_EXAMPLES + ". A date that only makes sense "
    "month first (05/22/2016) is refused, never swapped.",
    "Put ? in front of an uncertain date (?22/05/2016, ?May 2016), or use the Date precision column.",
    "Facts go in Event details; your analysis goes in Significance or impact on child.",
    "Save as .xlsx (not .xlsm), without a password. Macros and password-protected files are refused.",
)


def _list_range(column: str, values: tuple[str, ...]) -> str:
    return f"={LISTS_SHEET}!${column}$2:${column}${len(values) + 1}"


def build_xlsx_template() -> bytes:
    """The Excel chronology template, as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    heading_format = workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DEE0E2", "border": 1}
    )
    required_format = workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#FFDD00", "border": 1}
    )
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    time_format = workbook.add_format({"num_format": "hh:mm", "valign": "top"})
    top = workbook.add_format({"valign": "top"})

    sheet = workbook.add_worksheet(CHRONOLOGY_SHEET)
    guidance = workbook.add_worksheet(GUIDANCE_SHEET)
    lists = workbook.add_worksheet(LISTS_SHEET)

    event_labels = tuple(EVENT_TYPES.values())
    lists_columns = {
        "A": ("Event type", event_labels),
        "B": ("Date precision", PRECISION_CHOICES),
        "C": ("Yes or no", YES_NO_CHOICES),
        "D": ("First-hand or third-party", FIRST_HAND_CHOICES),
    }
    for offset, (title, values) in enumerate(lists_columns.values()):
        lists.write(0, offset, title, heading_format)
        lists.write_column(1, offset, values)
    lists.hide()

    for column, spec in enumerate(TEMPLATE_FIELDS):
        cell_format = required_format if spec.required else heading_format
        sheet.write(0, column, spec.heading, cell_format)
        sheet.write_comment(0, column, spec.guidance, {"x_scale": 2, "y_scale": 2})
        if spec.kind is FieldKind.TEXT:
            width = _NARROW_TEXT.get(spec.name, 40)
            sheet.set_column(column, column, width, wrap if width >= 30 else top)
        elif spec.kind in (FieldKind.DATE, FieldKind.RECORDED_DATE):
            sheet.set_column(column, column, _WIDTHS[spec.kind], date_format)
        elif spec.kind is FieldKind.TIME:
            sheet.set_column(column, column, _WIDTHS[spec.kind], time_format)
        else:
            sheet.set_column(column, column, _WIDTHS[spec.kind], top)
        choices = {
            FieldKind.EVENT_TYPE: ("A", event_labels),
            FieldKind.PRECISION: ("B", PRECISION_CHOICES),
            FieldKind.YES_NO: ("C", YES_NO_CHOICES),
            FieldKind.FIRST_HAND: ("D", FIRST_HAND_CHOICES),
        }.get(spec.kind)
        if choices is not None:
            list_column, values = choices
            sheet.data_validation(
                1,
                column,
                LAST_ROW,
                column,
                {
                    "validate": "list",
                    "source": _list_range(list_column, values),
                    # A warning, not a stop: the importer also accepts codes and common wordings.
                    "error_type": "warning",
                    "error_title": spec.heading,
                    "error_message": "Choose from the list, or check the Guidance sheet.",
                },
            )
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 0)
    sheet.activate()

    _write_guidance(guidance, workbook, heading_format, wrap)
    workbook.close()
    return buffer.getvalue()


def _write_guidance(
    guidance: xlsxwriter.worksheet.Worksheet,
    workbook: xlsxwriter.Workbook,
    heading_format: xlsxwriter.format.Format,
    wrap: xlsxwriter.format.Format,
) -> None:
    title = workbook.add_format({"bold": True, "font_size": 16})
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    guidance.set_column(0, 0, 34)
    guidance.set_column(1, 1, 12)
    guidance.set_column(2, 2, 90)
    row = 0
    guidance.write(row, 0, GUIDANCE_INTRO[0], title)
    row += 2
    for paragraph in GUIDANCE_INTRO[1:]:
        guidance.merge_range(row, 0, row, 2, paragraph, wrap)
        guidance.set_row(row, 32)
        row += 1
    row += 1
    for column, text in enumerate(("Column", "Required?", "What to put")):
        guidance.write(row, column, text, heading_format)
    row += 1
    for spec in TEMPLATE_FIELDS:
        required = "yes" if spec.required else ""
        if spec.name == "agency":
            required = "yes, unless chosen at upload"
        guidance.write(row, 0, spec.heading, bold)
        guidance.write(row, 1, required, wrap)
        guidance.write(row, 2, spec.guidance, wrap)
        row += 1
    row += 1
    guidance.write(row, 0, "Event types", title)
    row += 1
    for column, text in enumerate(("Label (as in the list)", "Code", "")):
        guidance.write(row, column, text, heading_format)
    row += 1
    for code, label in EVENT_TYPES.items():
        guidance.write(row, 0, label, wrap)
        guidance.write(row, 1, code, wrap)
        row += 1


def build_csv_template() -> str:
    """The CSV chronology template: the heading row only."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(TEMPLATE_HEADINGS)
    return buffer.getvalue()
