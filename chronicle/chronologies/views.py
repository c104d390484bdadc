"""The business manager's side of chronologies: issuing requests on day 0, tracking, returning,
accepting, reopening for a fuller extract, and assigning reviewers."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chronicle.accounts.access import get_managed_partnership, is_business_manager
from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.accounts.models import Agency
from chronicle.audit.actor import Actor
from chronicle.chronologies import access, services
from chronicle.chronologies.forms import AssignReviewerForm, ReopenForm, RequestForm, ReturnForm
from chronicle.chronologies.models import ChronologyRequest, Status
from chronicle.incidents.access import get_incident_for_user, get_managed_incident
from chronicle.incidents.models import ReviewerAssignment
from chronicle.ui.concurrency import AlreadyDone, EditConflict, once


@login_required
def case_chronologies(request: HttpRequest, code: UUID) -> HttpResponse:
    """Every agency's chronology for a case, its status and timeliness."""
    incident = get_incident_for_user(request, code)
    rows = [
        row for row in services.timeliness(incident) if access.can_read_submitted(request.user, row.request)
    ]
    context = {
        "incident": incident,
        "rows": rows,
        "can_manage": is_business_manager(request.user, incident.partnership),
        "reviewers": ReviewerAssignment.objects.filter(incident=incident).select_related("reviewer"),
        "today": timezone.localdate(),
    }
    return render(request, "chronologies/manage/case.html", context)


@login_required
def issue_requests(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = get_managed_incident(request, code)
    agencies = list(Agency.objects.filter(partnership=incident.partnership, active=True))
    asked = set(ChronologyRequest.objects.filter(incident=incident).values_list("agency_id", flat=True))
    initial = {"due_on": services.default_due_on(incident), "period_to": incident.occurred_on}
    form = RequestForm(
        request.POST if request.method == "POST" else None, agencies=agencies, asked=asked, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        case_url = reverse("case-chronologies", args=[incident.code])
        try:
            created = once(
                request,
                form.token(),
                lambda: services.issue_requests(
                    Actor.from_request(request),
                    incident,
                    form.cleaned_data["agency_objects"],
                    form.cleaned_data,
                ),
                lambda _: case_url,
            )
        except AlreadyDone as done:
            return redirect(done.url or case_url)
        messages.success(
            request, f"Chronologies requested from {len(created)} agenc{'y' if len(created) == 1 else 'ies'}"
        )
        return redirect("case-chronologies", code=incident.code)
    return render(
        request,
        "chronologies/manage/request_form.html",
        {"incident": incident, "form": form, "nobody_left": not form.agency_by_code},
    )


@login_required
def return_for_revision(request: HttpRequest, code: UUID) -> HttpResponse:
    chronology_request = access.get_managed_request(request, code)
    if chronology_request.status != Status.SUBMITTED:
        messages.error(request, "Only a submitted chronology can be returned for revision")
        return redirect("case-chronologies", code=chronology_request.incident.code)
    form = ReturnForm(
        request.POST if request.method == "POST" else None,
        initial={"due_on": services.default_due_on(chronology_request.incident)},
        read_version=chronology_request.lock_version,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.return_for_revision(
                Actor.from_request(request),
                chronology_request,
                form.cleaned_data["feedback"],
                form.cleaned_data["due_on"],
                form.version_read(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(
                request, f"{chronology_request.agency.name}'s chronology has been returned for revision"
            )
            return redirect("case-chronologies", code=chronology_request.incident.code)
    return render(
        request,
        "chronologies/manage/return_form.html",
        {"chronology_request": chronology_request, "form": form},
    )


@require_POST
@login_required
def accept(request: HttpRequest, code: UUID) -> HttpResponse:
    chronology_request = access.get_managed_request(request, code)
    if chronology_request.status != Status.SUBMITTED:
        messages.error(request, "Only a submitted chronology can be accepted")
    else:
        read = request.POST.get("read_version", "")
        try:
            services.accept(
                Actor.from_request(request), chronology_request, int(read) if read.isdigit() else None
            )
        except EditConflict as conflict:
            messages.error(
                request, f"{chronology_request.agency.name}'s chronology was not accepted. {conflict}"
            )
        else:
            messages.success(request, f"{chronology_request.agency.name}'s chronology has been accepted")
    return redirect("case-chronologies", code=chronology_request.incident.code)


@login_required
def reopen_all(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = get_managed_incident(request, code)
    form = ReopenForm(
        request.POST if request.method == "POST" else None,
        initial={"due_on": services.default_due_on(incident)},
    )
    if request.method == "POST" and form.is_valid():
        case_url = reverse("case-chronologies", args=[incident.code])
        try:
            reopened = once(
                request,
                form.token(),
                lambda: services.reopen_all(
                    Actor.from_request(request),
                    incident,
                    form.cleaned_data["reason"],
                    form.cleaned_data["due_on"],
                    form.cleaned_data.get("period_from"),
                ),
                lambda _: case_url,
            )
        except AlreadyDone as done:
            return redirect(done.url or case_url)
        messages.success(request, f"{len(reopened)} chronologies reopened for a full contact extract")
        return redirect("case-chronologies", code=incident.code)
    return render(request, "chronologies/manage/reopen_form.html", {"incident": incident, "form": form})


@login_required
def assign_reviewer(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = get_managed_incident(request, code)
    form = AssignReviewerForm(
        request.POST if request.method == "POST" else None, partnership=incident.partnership
    )
    if request.method == "POST" and form.is_valid():
        reviewer = form.reviewers[form.cleaned_data["reviewer"]]
        services.assign_reviewer(Actor.from_request(request), incident, reviewer)
        messages.success(
            request,
            f"{reviewer.display_name} can now read the submitted chronologies of {incident.reference}",
        )
        return redirect("case-chronologies", code=incident.code)
    return render(request, "chronologies/manage/assign_reviewer.html", {"incident": incident, "form": form})


@login_required
def agency_timeliness(request: HttpRequest) -> HttpResponse:
    partnership = get_managed_partnership(request)
    rows = services.agency_timeliness(partnership)
    return render(request, "chronologies/manage/timeliness.html", {"rows": rows})
