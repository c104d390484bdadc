from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_item(context: dict[str, Any], url_name: str, text: str) -> str:
    """A service-navigation link, marked current when the page is in that section."""
    url = reverse(url_name)
    path = context["request"].path
    if path == url or (url != "/" and path.startswith(url)):
        return format_html(
            '<li class="govuk-service-navigation__item govuk-service-navigation__item--active">'
            '<a class="govuk-service-navigation__link" href="{}" aria-current="page">'
            '<strong class="govuk-service-navigation__active-fallback">{}</strong></a></li>',
            url,
            text,
        )
    return format_html(
        '<li class="govuk-service-navigation__item"><a class="govuk-service-navigation__link" href="{}">{}</a></li>',
        url,
        text,
    )


@register.filter
def first_widget_id(field: Any) -> str:
    """The id an error-summary link should point at: the day box of a date, the first radio or checkbox."""
    widget = field.field.widget
    if hasattr(widget, "widgets"):  # day, month and year boxes: ids end _0, _1, _2
        return f"{field.auto_id}_0"
    # Radios too: the group itself has no element with the field's id to land on.
    if hasattr(widget, "choices") and getattr(widget, "input_type", "") in {"radio", "checkbox"}:
        subwidgets = list(field.subwidgets)
        if subwidgets:
            return str(subwidgets[0].id_for_label or field.auto_id)
    return str(field.auto_id)
