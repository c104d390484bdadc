"""The dashboard's list of open cases, each with its statutory clocks."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.core.clocks import STATE_ORDER, Clock
from chronicle.incidents import services
from chronicle.incidents.models import Incident


def dashboard_incidents(request: HttpRequest) -> list[tuple[Incident, list[Clock]]]:
    """Open incidents the user may see, with their clocks, most urgent first (or as sorted)."""
    today = timezone.localdate()
    incidents = list(
        Incident.objects.visible_to(request.user)
        .filter(closed_on__isnull=True)
        .select_related("partnership", "reporting_agency")
        .prefetch_related("notifications", "screenings", "children")
    )
    # One calendar per partnership and one query for decisions: no query per case.
    partnerships = {i.partnership_id: i.partnership for i in incidents}
    calendars = {pk: services.calendar_for(p) for pk, p in partnerships.items()}
    decided = services.first_decisions([i.pk for i in incidents])
    rows = [
        (i, services.clocks(i, today, calendar=calendars[i.partnership_id], scr_decided_on=decided))
        for i in incidents
    ]
    sort = request.GET.get("sort", "urgency")
    if sort == "reference":
        rows.sort(key=lambda row: row[0].reference)
    elif sort == "aware":
        rows.sort(key=lambda row: row[0].aware_on, reverse=True)
    else:

        def urgency(row: tuple[Incident, list[Clock]]) -> tuple[int, dt.date]:
            open_clocks = [c for c in row[1] if c.state != "done"] or row[1]
            if not open_clocks:
                return (9, dt.date.max)
            first = min(open_clocks, key=lambda c: (STATE_ORDER[c.state], c.due))
            return (STATE_ORDER[first.state], first.due)

        rows.sort(key=urgency)
    return rows
