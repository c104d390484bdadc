from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from chronicle.accounts import access
from chronicle.audit.exports import csv_rows
from chronicle.audit.forms import AuditFilterForm
from chronicle.audit.models import Action
from chronicle.audit.queries import events_for
from chronicle.audit.services import record
from chronicle.audit.verification import describe, verify_stored_chain


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    partnership = access.get_audited_partnership(request)
    form = AuditFilterForm(request.GET or None, partnership=partnership)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = events_for(partnership, filters) if not form.errors else events_for(partnership, {})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
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
    return render(request, "audit/log.html", context)


@login_required
def audit_export(request: HttpRequest) -> HttpResponseBase:
    partnership = access.get_audited_partnership(request)
    form = AuditFilterForm(request.GET or None, partnership=partnership)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
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
