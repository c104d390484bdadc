from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chronicle.accounts import access
from chronicle.web.http import AuthenticatedHttpRequest
from chronicle.web.needs import what_needs


def home(request: HttpRequest) -> HttpResponse:
    return redirect("dashboard" if request.user.is_authenticated else "sign-in")


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    from chronicle.incidents.views import dashboard_incidents

    partnership = access.get_partnership_for_user(request)
    from chronicle.chronologies.models import ChronologyRequest
    from chronicle.incidents.access import agencies_of

    agency_requests = ChronologyRequest.objects.filter(agency__in=agencies_of(request.user)).select_related(
        "incident", "agency"
    )
    incident_rows = dashboard_incidents(request)
    needs = what_needs(request.user, partnership, incident_rows, timezone.localdate())
    context = {
        "partnership": partnership,
        "needs": needs,
        "needs_count": sum(len(need.items) for need in needs),
        "agency_requests": agency_requests.order_by("status", "due_on"),
        "incident_rows": incident_rows,
        "sort": request.GET.get("sort", "urgency"),
    }
    return render(request, "web/dashboard.html", context)


@require_POST
@login_required
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Touching the session renews the idle clock (the session is saved on every request)."""
    return JsonResponse({"ok": True})


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    """The error page; 503 (try again later) when the database cannot be reached."""
    # No context processors: the failure may be in one of them (or in the database).
    import sys

    from django.db import DatabaseError, InterfaceError, OperationalError
    from django.template import loader

    page = loader.get_template("500.html").render()
    error = sys.exc_info()[1]
    # Cannot connect, connection lost, or a database file that cannot be read (plain DatabaseError);
    # not a bug such as an integrity or programming error.
    if isinstance(error, OperationalError | InterfaceError) or type(error) is DatabaseError:
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(page, status=500)
