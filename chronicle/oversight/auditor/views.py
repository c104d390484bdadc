from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from chronicle.accounts import access
from chronicle.audit.exports import csv_rows
from chronicle.audit.models import Action
from chronicle.audit.services import record
from chronicle.audit.verification import describe, verify_stored_chain
from chronicle.oversight.auditor.forms import AuditFilterForm
from chronicle.oversight.auditor.queries import events_for


class _Echo:
    def write(self, value: str) -> str:
        return value


EVENTS_PER_PAGE = 20  # a page of events, under the filter, stays under 5,000 px at 1280 px


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    partnership = access.get_audited_partnership(request)
    form = AuditFilterForm(request.GET or None, partnership=partnership)
    return _page(request, form, partnership)


def _page(request: HttpRequest, form: AuditFilterForm, partnership: Any, status: int = 200) -> HttpResponse:
    """The log, filtered; filters that do not make sense are shown as errors, never quietly dropped."""
    valid = not form.is_bound or form.is_valid()
    events = events_for(partnership, form.cleaned_data if form.is_bound else {}) if valid else None
    page = (
        Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page")) if events is not None else None
    )
    query = request.GET.copy()
    query.pop("page", None)
    chain = verify_stored_chain()
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "chain": chain,
        "chain_text": describe(chain),
    }
    return render(request, "audit/log.html", context, status=status if valid else 400)


@login_required
def audit_export(request: HttpRequest) -> HttpResponseBase:
    partnership = access.get_audited_partnership(request)
    form = AuditFilterForm(request.GET or None, partnership=partnership)
    if form.is_bound and not form.is_valid():
        return _page(request, form, partnership)
    filters = form.cleaned_data if form.is_bound else {}
    record(
        request,
        Action.EXPORT,
        object_type="audit_log",
        detail=f"CSV export, filters: {request.GET.urlencode()}",
    )
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in csv_rows(events_for(partnership, filters).iterator()))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="chronicle-audit-{stamp}.csv"'
    return response
