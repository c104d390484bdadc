"""Ask for a file to be made, follow it (the page refreshes itself, no JavaScript needed), download it,
or ask again."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.audit.actor import Actor
from chronicle.jobs import access, services
from chronicle.jobs.models import JobKind, JobStatus
from chronicle.reviews import access as review_access

REFRESH_SECONDS = 3


@login_required
@require_POST
def panel_pack(request: HttpRequest, code: UUID, fmt: str) -> HttpResponse:
    """Ask the worker for a review's Panel pack; posting twice while it is being made gives the same one.

    At the review's own address (/reviews/<code>/panel-pack.<fmt>, chronicle/urls.py): the review page
    asks, and jobs, on the floor above reviews, makes the file.
    """
    review = review_access.get_review_for_reader(request, code, audit=False)
    if fmt not in {"docx", "pdf"}:
        raise Http404
    pseudonymise = request.POST.get("names") != "shown" or not review_access.can_manage(request.user, review)
    job = services.ask(
        Actor.from_request(request), JobKind.PANEL_PACK, review.incident, fmt, pseudonymise=pseudonymise
    )
    return redirect("job", code=job.code)


@login_required
def job(request: HttpRequest, code: UUID) -> HttpResponse:
    found = access.get_job_for_reader(request, code)
    back = (
        ("review", found.incident.rapid_review.code)
        if found.kind == JobKind.PANEL_PACK and hasattr(found.incident, "rapid_review")
        else ("composite-export", found.incident.code)
    )
    context = {
        "job": found,
        "incident": found.incident,
        "what": services.describe(found),
        "refresh": REFRESH_SECONDS if found.is_active else None,
        "back": back,
    }
    return render(request, "jobs/job.html", context)


@login_required
def download(request: HttpRequest, code: UUID) -> HttpResponse:
    found = access.get_job_for_reader(request, code)
    if found.status != JobStatus.READY or not found.path.exists():
        return redirect("job", code=found.code)
    response = HttpResponse(
        services.download(Actor.from_request(request), found), content_type=found.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response


@login_required
@require_POST
def retry(request: HttpRequest, code: UUID) -> HttpResponse:
    found = access.get_job_for_reader(request, code)
    again = services.retry(Actor.from_request(request), found)
    return redirect("job", code=again.code)
