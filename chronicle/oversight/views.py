"""The threshold audit's page: serious harm never screened, for the business manager to check or dismiss."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chronicle.accounts.access import get_managed_partnership
from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record
from chronicle.incidents.forms import DismissForm
from chronicle.oversight import threshold


@login_required
def threshold_audit(request: HttpRequest) -> HttpResponse:
    partnership = get_managed_partnership(request)
    report = threshold.audit(partnership)
    record(request, Action.VIEW, object_type="threshold_audit", object_id=str(partnership.code))
    return render(request, "incidents/threshold_audit.html", {"report": report, "form": DismissForm()})


@require_POST
@login_required
def threshold_dismiss(request: HttpRequest, kind: str, code: UUID) -> HttpResponse:
    partnership = get_managed_partnership(request)
    match = threshold.find_match(partnership, kind, code)
    form = DismissForm(request.POST)
    if match is None:
        record(
            request,
            Action.ACCESS_DENIED,
            object_type=f"threshold_{kind}",
            object_id=str(code),
            outcome="denied",
        )
        return render(request, "404.html", status=404)
    if not form.is_valid():
        report = threshold.audit(partnership)
        return render(
            request,
            "incidents/threshold_audit.html",
            {"report": report, "form": form, "failed": str(code)},
            status=200,
        )
    threshold.dismiss(Actor.from_request(request), partnership, match, form.cleaned_data["reason"])
    messages.success(request, f"The match for {match.reference} has been dismissed")
    return redirect("threshold-audit")
