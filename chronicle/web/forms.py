"""GOV.UK Design System markup for Django forms: fields, hints, errors and the error summary."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

if TYPE_CHECKING:
    from chronicle.web.concurrency import EditConflict


class GovukFormRenderer(TemplatesSetting):
    """Renders every form and field with Chronicle's GOV.UK templates."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.HiddenInput):
        return ""
    if isinstance(widget, forms.CheckboxInput):
        return "govuk-checkboxes__input"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "govuk-select"
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea"
    if isinstance(widget, forms.FileInput):
        return "govuk-file-upload"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.MultiWidget):
        return ""
    return "govuk-input"


class GovukBoundField(BoundField):
    """Adds GOV.UK classes and points aria-describedby at the hint and the error message."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        css = _css_class(widget)
        if css:
            if self.errors and css in {"govuk-input", "govuk-select", "govuk-textarea", "govuk-file-upload"}:
                css += f" {css}--error"
            extra = widget.attrs.get("class", "")
            attrs["class"] = f"{css} {extra}".strip()
        if self.errors and isinstance(widget, forms.MultiWidget):
            attrs["govuk_error"] = True  # read by the date input template
        described_by = []
        if self.help_text:
            described_by.append(f"{self.auto_id}-hint")
        if self.errors:
            described_by.append(f"{self.auto_id}-error")
        grouped = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.MultiWidget)
        if described_by and not grouped:
            attrs["aria-describedby"] = " ".join(described_by)
        else:
            attrs.pop("aria-describedby", None)
        return attrs


class Radios(forms.RadioSelect):
    template_name = "forms/widgets/radios.html"
    option_template_name = "forms/widgets/radio_option.html"


class Checkboxes(forms.CheckboxSelectMultiple):
    template_name = "forms/widgets/checkboxes.html"
    option_template_name = "forms/widgets/checkbox_option.html"


class DayMonthYear(forms.MultiWidget):
    """The GOV.UK date input: separate day, month and year boxes."""

    template_name = "forms/widgets/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(),
            "month": forms.TextInput(),
            "year": forms.TextInput(),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A full date entered as day, month and year, with GOV.UK-style error messages."""

    widget = DayMonthYear

    def __init__(self, **kwargs: Any) -> None:
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[Any]) -> dt.date | None:
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        label = str(self.label or "The date")
        missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
        if missing:
            raise forms.ValidationError(f"{label} must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise forms.ValidationError(f"{label} must be a real date, for example 27 3 2024")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{label} must be a real date") from None


def _name_length_limits(form: forms.BaseForm) -> None:
    """A text that is too long gets an error naming its field and the limit, with its length."""
    for field in form.fields.values():
        limit = getattr(field, "max_length", None)
        if limit and "max_length" not in field.error_messages:
            label = str(field.label or "This answer")
            field.error_messages["max_length"] = f"{label} must be {limit:,} characters or fewer"


class GovukForm(forms.Form):
    bound_field_class = GovukBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_length_limits(self)


class GovukModelForm(forms.ModelForm):
    bound_field_class = GovukBoundField


class Guarded:
    """A form safe for two people and for double posting (mix in before GovukForm).

    ``read_version``: the version of the record the form was read at, checked when it is saved
    (chronicle.web.concurrency.claim). ``form_token``: a once-only token issued with each rendering
    and spent with what the form creates (chronicle.web.concurrency.once). Both are hidden fields.
    """

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    data: Any

    def __init__(self, *args: Any, read_version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["read_version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0, initial=read_version
        )
        self.fields["form_token"] = forms.UUIDField(
            widget=forms.HiddenInput, required=False, initial=uuid.uuid4
        )

    def version_read(self) -> int | None:
        value = self.cleaned_data.get("read_version")
        return int(value) if value is not None else None

    def token(self) -> uuid.UUID | None:
        value = self.cleaned_data.get("form_token")
        return value if isinstance(value, uuid.UUID) else None

    def show_conflict(self, conflict: EditConflict, labels: dict[str, str] | None = None) -> None:
        """Say what changed in the error summary, keep the person's input, and take the newer version."""
        named = {name: str(field.label) for name, field in self.fields.items() if field.label}
        named.update(labels or {})
        self.add_error(None, conflict.message(named))  # type: ignore[attr-defined]
        data = self.data.copy()
        data[self.add_prefix("read_version")] = str(conflict.current_version)  # type: ignore[attr-defined]
        data[self.add_prefix("form_token")] = str(uuid.uuid4())  # type: ignore[attr-defined]
        self.data = data
