"""Reporting an incident (question pages), screening, notifications and clocks (the case page is in chronicle.web.case)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from chronicle.accounts.access import get_partnership_for_user
from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record
from chronicle.core import screening as engine
from chronicle.core.harm import HARM_CATEGORIES_BY_CODE, AbuseOrNeglect, Outcome
from chronicle.core.names import name_like
from chronicle.core.plain_words import format_words
from chronicle.incidents import access, exports, services
from chronicle.incidents.forms import (
    AboutForm,
    ChildForm,
    HarmForm,
    NotificationForm,
    RapidReviewSentForm,
    ReportForm,
    ScreeningForm,
)
from chronicle.incidents.models import Incident
from chronicle.ui.concurrency import AlreadyDone, EditConflict, once

SESSION_KEY = "incident_report"
MAX_CHILDREN = 4


def _draft(request: HttpRequest) -> dict[str, Any]:
    draft: dict[str, Any] = request.session.get(SESSION_KEY, {})
    return draft


def _save_draft(request: HttpRequest, part: str, data: Any) -> None:
    draft = _draft(request)
    draft[part] = data
    request.session[SESSION_KEY] = draft


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}


def _as_form_data(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Stored answers back into POST-like data so the question page shows them when people go back."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            year, month, day = value.split("-")
            out.update({f"{name}_day": str(int(day)), f"{name}_month": str(int(month)), f"{name}_year": year})
        elif isinstance(value, bool):
            out[name] = "yes" if value else "no"
        elif value is None:
            continue
        else:
            out[name] = value
    return out


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    get_partnership_for_user(request)
    incidents = Incident.objects.visible_to(request.user).select_related("reporting_agency")
    return render(request, "incidents/list.html", {"incidents": incidents})


@login_required
def report_about(request: HttpRequest) -> HttpResponse:
    agencies = access.reporting_agencies(request)
    partnership = get_partnership_for_user(request)
    stored = _draft(request).get("about")
    initial = {
        "reporter_name": f"{request.user.get_full_name()}, {getattr(request.user, 'job_title', '')}".strip(
            ", "
        )
    }
    form = AboutForm(
        request.POST or (_as_form_data(stored) if stored else None),
        initial=initial,
        agencies=agencies,
        partnership=partnership,
    )
    if request.method == "POST" and form.is_valid():
        _save_draft(request, "about", _jsonable(form.cleaned_data))
        return redirect("incident-report-children")
    return render(request, "incidents/report_about.html", {"form": form})


@login_required
def report_children(request: HttpRequest) -> HttpResponse:
    access.reporting_agencies(request)
    if "about" not in _draft(request):
        return redirect("incident-report")
    stored: list[dict[str, Any]] = _draft(request).get("children", [])
    forms = []
    for number in range(1, MAX_CHILDREN + 1):
        answers: Any = None
        if request.method == "POST":
            answers = request.POST
        elif len(stored) >= number:
            answers = _as_form_data(stored[number - 1], prefix=f"child{number}-")
        forms.append(ChildForm(answers, number=number))
    warnings: list[str] = []
    if request.method == "POST" and all(form.is_valid() for form in forms):
        warnings = [w for form in forms for w in form.name_warnings()]
        if not warnings or _names_checked(request):
            children = [_jsonable(form.values()) for form in forms if form.number == 1 or not form.is_empty()]
            _save_draft(request, "children", children)
            return redirect("incident-report-harm")
    errors = [form for form in forms if form.is_bound and form.errors]
    return render(
        request,
        "incidents/report_children.html",
        {"forms": forms, "errored_forms": errors, "name_warnings": warnings},
    )


def _names_checked(request: HttpRequest) -> bool:
    """The person was warned that something looked like a name, and continued."""
    return request.POST.get("names_checked") == "yes"


@login_required
def report_harm(request: HttpRequest) -> HttpResponse:
    access.reporting_agencies(request)
    if "children" not in _draft(request):
        return redirect("incident-report-children")
    stored = _draft(request).get("harm")
    form = HarmForm(request.POST or (_as_form_data(stored) if stored else None))
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        warnings = form.name_warnings()
        if not warnings or _names_checked(request):
            _save_draft(request, "harm", form.cleaned_data)
            return redirect("incident-report-check")
    return render(request, "incidents/report_harm.html", {"form": form, "name_warnings": warnings})


def _parse(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@login_required
def report_check(request: HttpRequest) -> HttpResponse:
    agencies = access.reporting_agencies(request)
    partnership = get_partnership_for_user(request)
    draft = _draft(request)
    if not all(part in draft for part in ("about", "children", "harm")):
        return redirect("incident-report")
    about, harm = draft["about"], draft["harm"]
    agency = next((a for a in agencies if str(a.code) == about["reporting_agency"]), None)
    if request.method == "POST" and agency is not None:
        data = {
            **about,
            **harm,
            "occurred_on": _parse(about["occurred_on"]),
            "aware_on": _parse(about["aware_on"]),
            "in_england": about["in_england"] == "yes",
            "reporting_agency": agency,
            "concern_about_working_together": {"yes": True, "no": False}.get(
                harm.get("concern_about_working_together") or ""
            ),
        }
        children = [{**child, "born_on": _parse(child.get("born_on"))} for child in draft["children"]]
        about_form = AboutForm(_as_form_data(about), agencies=agencies, partnership=partnership)
        if not about_form.is_valid():  # answers kept from before a change to the questions
            return redirect("incident-report")
        form = ReportForm(request.POST)
        form.is_valid()
        try:
            incident = once(
                request,
                form.token(),
                lambda: services.report(Actor.from_request(request), partnership, data, children),
                lambda made: reverse("incident-reported", args=[made.code]),
            )
        except AlreadyDone as done:
            return redirect(done.url or reverse("incidents"))
        request.session.pop(SESSION_KEY, None)
        return redirect("incident-reported", code=incident.code)
    context = {
        "form": ReportForm(),
        "about": about,
        "agency": agency,
        "children": [{**child, "born_on": _parse(child.get("born_on"))} for child in draft["children"]],
        "harm": harm,
        "harm_labels": [HARM_CATEGORIES_BY_CODE[c].label for c in harm.get("harm_categories", [])],
        "occurred_on": _parse(about["occurred_on"]),
        "aware_on": _parse(about["aware_on"]),
        "outcome_label": Outcome(harm["outcome"]).label,
        "abuse_label": AbuseOrNeglect(harm["abuse_or_neglect"]).label,
        "next_reference": services.next_reference(
            partnership, _parse(about["aware_on"]) or timezone.localdate()
        ),
        "name_warnings": [
            f"“{snippet}” looks like a real name or a date of birth"
            for text in [harm.get("description", ""), *(c.get("label", "") for c in draft["children"])]
            for snippet in name_like(text or "")
        ],
    }
    return render(request, "incidents/report_check.html", context)


@login_required
def reported(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_incident_for_user(request, code, audit_view=False)
    return render(request, "incidents/reported.html", {"incident": incident})


@login_required
def screening_version(request: HttpRequest, code: UUID, version: int) -> HttpResponse:
    incident = access.get_incident_for_user(request, code)
    screening = incident.screenings.filter(version=version).first()
    if screening is None:
        return render(request, "404.html", status=404)
    return render(request, "incidents/screening_version.html", {"incident": incident, "screening": screening})


@login_required
def screen(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_managed_incident(request, code)
    proposal = services.propose(incident)

    def implied(answers: dict[str, str]) -> str:
        return services.outcome_choice(engine.outcome_from_answers(proposal.regime, answers).notifiable)

    form = ScreeningForm(
        request.POST if request.method == "POST" else None,
        criteria=proposal.criteria,
        engine_outcome_for=implied,
        initial={"outcome": services.outcome_choice(proposal.notifiable)},
        read_version=previous.version if (previous := incident.latest_screening()) else 0,
    )
    if request.method == "POST" and form.is_valid():
        incident_url = reverse("incident", args=[incident.code])
        try:
            once(
                request,
                form.token(),
                lambda: services.record_screening(
                    Actor.from_request(request),
                    incident,
                    form.answers(),
                    form.cleaned_data["outcome"],
                    form.cleaned_data["rationale"],
                    form.version_read(),
                ),
                lambda _: incident_url,
            )
        except AlreadyDone as done:
            return redirect(done.url or incident_url)
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, "The screening decision has been recorded")
            return redirect(incident_url)
    context = {
        "incident": incident,
        "proposal": proposal,
        "form": form,
        "previous": incident.latest_screening(),
    }
    return render(request, "incidents/screen.html", context)


def recipients_for(incident: Incident) -> list[str]:
    """Who is notified under the regime in force: the screening's list, then the regime's own."""
    screening = incident.latest_screening()
    regime = engine.get_regime(screening.regime) if screening else engine.regime_for(incident.occurred_on)
    return list(dict.fromkeys([*(screening.notify_to if screening else []), *regime.notify_to]))


@login_required
def notification_new(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_managed_incident(request, code)
    if incident.latest_screening() is None:
        messages.error(request, "Screen the incident before recording a notification")
        return redirect("incident", code=incident.code)
    form = NotificationForm(
        request.POST if request.method == "POST" else None, recipients=recipients_for(incident)
    )
    if request.method == "POST" and form.is_valid():
        incident_url = reverse("incident", args=[incident.code])
        try:
            made = once(
                request,
                form.token(),
                lambda: services.record_notifications(
                    Actor.from_request(request), incident, form.notifications()
                ),
                lambda _: incident_url,
            )
        except AlreadyDone as done:
            return redirect(done.url or incident_url)
        names = ", ".join(n.recipient for n in made)
        messages.success(
            request,
            f"The notifications to {names} have been recorded"
            if len(made) > 1
            else f"The notification to {names} has been recorded",
        )
        return redirect(incident_url)
    return render(request, "incidents/notification_form.html", {"incident": incident, "form": form})


@login_required
def rapid_review_sent(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_managed_incident(request, code)
    form = RapidReviewSentForm(
        request.POST if request.method == "POST" else None, read_version=incident.lock_version
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_rapid_review_sent(
                Actor.from_request(request), incident, form.cleaned_data["sent_on"], form.version_read()
            )
        except EditConflict as conflict:
            form.show_conflict(conflict, {"rapid_review_sent_on": "Date the rapid review was sent"})
        else:
            messages.success(request, "The date the rapid review was sent has been recorded")
            return redirect("incident", code=incident.code)
    return render(request, "incidents/rapid_review_sent.html", {"incident": incident, "form": form})


@login_required
def export(request: HttpRequest, code: UUID, fmt: str) -> HttpResponse:
    incident = access.get_managed_incident(request, code)
    if fmt not in {"docx", "pdf"}:
        return render(request, "404.html", status=404)
    content, content_type = exports.notification_summary(incident, fmt)
    record(request, Action.EXPORT, obj=incident, detail=f"notification summary ({format_words(fmt)})")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{incident.reference}-notification-summary.{fmt}"'
    )
    return response
