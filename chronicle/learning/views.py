"""The learning-points register: a case's learning points and their actions, the partnership register
with filters and a CSV download, and the themes that recur across cases (lesson V; LR-01(b))."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.accounts.models import Agency, Partnership
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record
from chronicle.core.pseudonyms import neutralise_row
from chronicle.learning import access
from chronicle.learning.forms import (
    ActionForm,
    ActionStatusForm,
    LearningPointForm,
    RegisterFilterForm,
)
from chronicle.reviews import services
from chronicle.reviews.models import THEMES, ActionStatus, LearningPoint
from chronicle.ui.concurrency import AlreadyDone, EditConflict, once

PAGE_SIZE = 50
NOT_DONE = [ActionStatus.OPEN, ActionStatus.IN_PROGRESS]
THEME_LABELS = dict(THEMES)
CSV_HEADINGS = [
    "Case",
    "Date of the incident",
    "Kind",
    "Theme",
    "Learning point",
    "Agencies named",
    "Evidence",
    "National significance",
    "Actions",
    "Overdue actions",
    "Recorded by",
    "Recorded on",
]


def _with_action_counts(points: QuerySet[LearningPoint], today: dt.date) -> QuerySet[LearningPoint]:
    """Points with their action counts (all, not done, overdue), their case and the agencies named."""
    not_done = Q(actions__status__in=NOT_DONE)
    return (
        points.select_related("incident")
        .prefetch_related("agencies")
        .annotate(
            action_count=Count("actions", distinct=True),
            open_count=Count("actions", filter=not_done, distinct=True),
            overdue_count=Count("actions", filter=not_done & Q(actions__due_on__lt=today), distinct=True),
        )
        .order_by("-incident__occurred_on", "incident__reference", "created_at")
    )


def _years(points: QuerySet[LearningPoint]) -> list[int]:
    years = points.annotate(year=ExtractYear("incident__occurred_on")).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def _filter_form(
    request: HttpRequest, partnership: Partnership, points: QuerySet[LearningPoint]
) -> RegisterFilterForm:
    agencies = list(Agency.objects.filter(partnership=partnership))
    return RegisterFilterForm(request.GET or None, agencies=agencies, years=_years(points))


def _posted(request: HttpRequest) -> Any:
    """The submitted answers, even when every box was left empty (so the form still says what is missing)."""
    return request.POST if request.method == "POST" else None


# --- A case's learning points ---------------------------------------------------------------------


@login_required
def case_points(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code)
    today = timezone.localdate()
    points = _with_action_counts(
        access.visible_points(request.user, incident.partnership).filter(incident=incident), today
    ).prefetch_related("actions")
    context = {
        "incident": incident,
        "points": points,
        "today": today,
        "can_add": access.can_add_points(request.user, incident),
        "can_manage": access.can_manage(request.user, incident.partnership),
        "reads_everything": access.reads_everything(request.user, incident.partnership),
    }
    return render(request, "learning/case.html", context)


@login_required
def point_new(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_author(request, code)
    form = LearningPointForm(_posted(request), partnership=incident.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            point = once(
                request,
                form.token(),
                lambda: services.add_learning_point(Actor.from_request(request), incident, form.cleaned_data),
                lambda made: reverse("learning-point", args=[made.code]),
            )
        except AlreadyDone as done:
            return redirect(done.url or reverse("learning-case", args=[incident.code]))
        messages.success(request, "The learning point has been added")
        return redirect("learning-point", code=point.code)
    return render(request, "learning/point_form.html", {"incident": incident, "form": form})


@login_required
def point_detail(request: HttpRequest, code: UUID) -> HttpResponse:
    point = access.get_point_for_reader(request, code)
    context = {
        "point": point,
        "incident": point.incident,
        "agencies": point.agencies.all(),
        "actions": point.actions.all(),
        "today": timezone.localdate(),
        "can_manage": access.can_manage(request.user, point.partnership),
    }
    return render(request, "learning/point.html", context)


@login_required
def action_new(request: HttpRequest, code: UUID) -> HttpResponse:
    point = access.get_point_for_manager(request, code)
    form = ActionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        point_url = reverse("learning-point", args=[point.code])
        try:
            once(
                request,
                form.token(),
                lambda: services.add_action(Actor.from_request(request), point, form.cleaned_data),
                lambda _: point_url,
            )
        except AlreadyDone as done:
            return redirect(done.url or point_url)
        messages.success(request, "The action has been added")
        return redirect(point_url)
    return render(request, "learning/action_form.html", {"point": point, "form": form})


@login_required
def action_status(request: HttpRequest, code: UUID) -> HttpResponse:
    action = access.get_action_for_manager(request, code)
    form = ActionStatusForm(
        _posted(request), initial={"status": action.status}, read_version=action.lock_version
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_action_status(
                Actor.from_request(request), action, form.cleaned_data["status"], form.version_read()
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, f"The action is now: {ActionStatus(action.status).label.lower()}")
            return redirect("learning-point", code=action.learning_point.code)
    return render(request, "learning/action_status.html", {"action": action, "form": form})


# --- The partnership register ---------------------------------------------------------------------


@login_required
def register(request: HttpRequest) -> HttpResponse:
    partnership = access.get_register_partnership(request)
    visible = access.visible_points(request.user, partnership)
    form = _filter_form(request, partnership, visible)
    today = timezone.localdate()
    page = Paginator(_with_action_counts(form.apply(visible, today), today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    record(
        request,
        Action.VIEW,
        object_type="learning_register",
        partnership=partnership,
        detail=request.GET.urlencode(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "total": visible.count(),
        "reads_everything": access.reads_everything(request.user, partnership),
    }
    return render(request, "learning/register.html", context)


def _csv_rows(points: QuerySet[LearningPoint], today: dt.date) -> Iterator[list[str]]:
    yield CSV_HEADINGS
    for point in points.prefetch_related("actions"):
        actions = list(point.actions.all())
        overdue = [a for a in actions if a.status != ActionStatus.DONE and a.due_on < today]
        yield neutralise_row(
            [
                point.incident.reference,
                point.incident.occurred_on.strftime("%d/%m/%Y"),
                point.get_kind_display(),
                point.get_theme_display(),
                point.text,
                "; ".join(a.name for a in point.agencies.all()),
                point.evidence,
                "Yes" if point.national_significance else "No",
                "\n".join(
                    f"{a.text} (owner: {a.owner}; due {a.due_on:%d/%m/%Y}; {a.get_status_display().lower()})"
                    for a in actions
                ),
                str(len(overdue)),
                point.created_by.display_name,
                timezone.localtime(point.created_at).strftime("%d/%m/%Y"),
            ]
        )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def register_csv(request: HttpRequest) -> HttpResponseBase:
    partnership = access.get_register_partnership(request)
    visible = access.visible_points(request.user, partnership)
    form = _filter_form(request, partnership, visible)
    today = timezone.localdate()
    points = _with_action_counts(form.apply(visible, today), today).select_related("created_by")
    record(
        request,
        Action.EXPORT,
        object_type="learning_register",
        partnership=partnership,
        detail=f"CSV export, filters: {request.GET.urlencode()}",
    )
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _csv_rows(points, today)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="learning-register-{stamp}.csv"'
    return response


# --- Recurring themes -----------------------------------------------------------------------------


@dataclass
class ThemeRow:
    theme: str
    label: str
    points: int
    cases: int
    cells: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recurs(self) -> bool:
        return self.cases > 1


@dataclass
class ThemeTable:
    """Counts of learning points: one row per theme, one column per year or agency, each linked."""

    columns: list[str]
    rows: list[ThemeRow]
    totals: list[int]


def _theme_rows(points: QuerySet[LearningPoint]) -> list[ThemeRow]:
    per_theme = (
        points.values("theme")
        .annotate(n=Count("pk", distinct=True), cases=Count("incident", distinct=True))
        .order_by()
    )
    rows = [
        ThemeRow(t["theme"], THEME_LABELS.get(t["theme"], t["theme"]), t["n"], t["cases"]) for t in per_theme
    ]
    return sorted(rows, key=lambda row: (-row.points, row.label))


def _table(
    rows: list[ThemeRow], columns: list[tuple[str, str]], counts: dict[tuple[str, str], int], key: str
) -> ThemeTable:
    table_rows = []
    for row in rows:
        cells = [
            {
                "count": counts.get((row.theme, value), 0),
                "label": label,
                "query": urlencode({"theme": row.theme, key: value}),
            }
            for value, label in columns
        ]
        table_rows.append(ThemeRow(row.theme, row.label, row.points, row.cases, cells))
    totals = [sum(counts.get((row.theme, value), 0) for row in rows) for value, _ in columns]
    return ThemeTable([label for _, label in columns], table_rows, totals)


def recurring_themes(points: QuerySet[LearningPoint]) -> tuple[ThemeTable, ThemeTable]:
    """Theme × year of the incident, and theme × agency named, over the given points."""
    rows = _theme_rows(points)
    by_year = {
        (r["theme"], str(r["year"])): r["n"]
        for r in points.values("theme", year=ExtractYear("incident__occurred_on"))
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    years = sorted({year for _, year in by_year})
    by_agency_rows = list(
        points.filter(agencies__isnull=False)
        .values("theme", "agencies__code", "agencies__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    by_agency = {(r["theme"], str(r["agencies__code"])): r["n"] for r in by_agency_rows}
    agencies = sorted(
        {(str(r["agencies__code"]), r["agencies__name"]) for r in by_agency_rows}, key=lambda a: a[1]
    )
    return _table(rows, [(y, y) for y in years], by_year, "year"), _table(rows, agencies, by_agency, "agency")


@login_required
def themes(request: HttpRequest) -> HttpResponse:
    partnership = access.get_register_partnership(request)
    visible = access.visible_points(request.user, partnership)
    by_year, by_agency = recurring_themes(visible)
    record(request, Action.VIEW, object_type="learning_themes", partnership=partnership)
    context = {
        "by_year": by_year,
        "by_agency": by_agency,
        "total": visible.count(),
        "cases": visible.order_by().values("incident").distinct().count(),
        "reads_everything": access.reads_everything(request.user, partnership),
    }
    return render(request, "learning/themes.html", context)
