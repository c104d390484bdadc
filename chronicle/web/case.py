"""The case page: one incident with the whole case's progress as a task list.

It sits in the site shell because it shows every stage of the case (chronologies, the composite,
the rapid review) and links to each; the incidents app keeps its own pages (reporting, screening,
notifications).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from chronicle.accounts.access import is_business_manager
from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.composite import access as composite_access
from chronicle.core.harm import HARM_CATEGORIES_BY_CODE
from chronicle.incidents import access, services
from chronicle.web.progress import case_stages


@login_required
def case_page(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_incident_for_user(request, code)
    context = {
        "incident": incident,
        "children": incident.children.all(),
        "harm_labels": [HARM_CATEGORIES_BY_CODE[c].label for c in incident.harm_categories],
        "screening": incident.latest_screening(),
        "versions": incident.screenings.all(),
        "notifications": incident.notifications.all(),
        "clocks": services.clocks(incident),
        "can_manage": is_business_manager(request.user, incident.partnership),
        "can_read_composite": composite_access.can_read(request.user, incident),
        "stages": case_stages(incident, request.user),
    }
    return render(request, "web/case.html", context)
