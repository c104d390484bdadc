"""The composite multi-agency chronology of a case: browse with filters and saved views, annotate,
decide proposed links and findings, write the six headings, see quality scorecards and the timeline."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record
from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.forms import ReturnForm
from chronicle.chronologies.models import Status
from chronicle.composite import access, services
from chronicle.composite import stored as stored_analysis
from chronicle.composite.exports import composite_file
from chronicle.composite.filtering import filtered_entries
from chronicle.composite.forms import (
    SIX_HEADINGS_LABELS,
    AnnotationForm,
    EntryAnalysisForm,
    ExportForm,
    FilterForm,
    FindingDecisionForm,
    LinkDecisionForm,
    SaveViewForm,
)
from chronicle.composite.models import (
    AnalysedEntry,
    AnalysedFinding,
    AnalysedLink,
    AnalysedScorecard,
    AnalysedSilence,
    Annotation,
    AnnotationKind,
    CasePeople,
    EntryAnalysis,
    FindingDecision,
    LinkDecision,
    SavedView,
)
from chronicle.composite.stored import UID
from chronicle.core.compliance import Finding
from chronicle.core.compliance import Status as FindingStatus
from chronicle.core.dates import MONTH_NAMES
from chronicle.core.entries import Entry
from chronicle.core.plain import entry_from_plain, from_plain
from chronicle.core.silence import ExpectedContactGap, SilentPeriod
from chronicle.core.timeline_svg import (
    TimelineMark,
    day_words,
    draw_timeline,
    plan_timeline,
    zoom_window,
)
from chronicle.jobs import services as jobs
from chronicle.jobs.models import JobKind
from chronicle.web.concurrency import AlreadyDone, EditConflict, once
from chronicle.web.http import AuthenticatedHttpRequest as HttpRequest

PAGE_SIZE = 100
# A finding's status as composite/_status.html shows it (its tag's class and words), for the long list.
STATUS_TAGS = {
    "met": (" govuk-tag--green", "Met"),
    "not_met": (" govuk-tag--red", "Not met"),
    "borderline": (" govuk-tag--orange", "Borderline"),
    "needs_multi_agency_judgement": (" govuk-tag--purple", "Needs multi-agency judgement"),
    "cannot_be_determined": (" govuk-tag--grey", "Cannot be determined"),
}


def _decisions(
    incident: Any,
) -> tuple[dict[tuple[str, str], FindingDecision], dict[tuple[str, str], LinkDecision]]:
    findings = {(d.rule_id, str(d.trigger_uid)): d for d in FindingDecision.objects.filter(incident=incident)}
    links = {(str(d.first_uid), str(d.second_uid)): d for d in LinkDecision.objects.filter(incident=incident)}
    return findings, links


def _rows(
    shown: services.Shown, entries: list[AnalysedEntry], *, whole: bool = False
) -> list[dict[str, Any]]:
    """What the page shows for each entry: the entry, its agency colour, links, findings, annotations.

    The list shows only the kind of each link and the rule and status of each finding, read from
    their columns; ``whole`` (one entry's page) adds the linked entries and every finding's detail.
    """
    stored = shown.stored
    finding_decisions, link_decisions = _decisions(shown.incident)
    by_position = {row.position: row for row in entries}
    wanted = set(by_position)
    near = Q(first_position__in=wanted) | Q(second_position__in=wanted)
    links = list(AnalysedLink.objects.filter(near, analysis=stored).order_by("pk"))
    others = {p for link in links for p in (link.first_position, link.second_position)} - wanted
    if whole:
        by_position |= {
            row.position: row for row in AnalysedEntry.objects.filter(analysis=stored, position__in=others)
        }
    links_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        first, second = str(link.first_uid), str(link.second_uid)
        for own, other in (
            (link.first_position, link.second_position),
            (link.second_position, link.first_position),
        ):
            if own in wanted:
                links_of[own].append(
                    {
                        "link": link,
                        "reasons": link.detail.get("reasons", []),
                        "other": stored_analysis.entry_of(by_position[other]) if whole else None,
                        "other_uid": str(by_position[other].uid) if whole else "",
                        "first": first,
                        "second": second,
                        "decision": link_decisions.get((first, second)),
                    }
                )
    findings_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    touching = Q(trigger_position__in=wanted) | Q(evidence_position__in=wanted)
    found_rows = AnalysedFinding.objects.filter(touching, analysis=stored).order_by("number")
    if not whole:
        found_rows = found_rows.defer("detail")
    for found in found_rows:
        finding = (
            from_plain(Finding, found.detail) if whole else {"rule_id": found.rule_id, "status": found.status}
        )
        settled = finding_decisions.get((found.rule_id, str(found.trigger_uid)))
        for index in {found.trigger_position, found.evidence_position} & wanted:
            if index is not None:
                findings_of[index].append(
                    {
                        "finding": finding,
                        "number": found.number,
                        "decision": settled,
                        "tag": STATUS_TAGS.get(found.status, STATUS_TAGS["cannot_be_determined"]),
                    }
                )
    uids = [str(row.uid) for row in entries]
    annotations: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in Annotation.objects.filter(incident=shown.incident, entry_uid__in=uids).select_related(
        "author"
    ):
        annotations[str(annotation.entry_uid)].append(annotation)
    rows = []
    for row in entries:
        entry = stored_analysis.entry_of(row)
        uid = str(row.uid)
        rows.append(
            {
                "index": row.position,
                "uid": uid,
                "entry": entry,
                "colour": shown.colours.get(entry.agency),
                "event_type": row.detail["event_label"],
                "inferred": row.detail["inferred"],
                "events_said": row.detail["events_said"],
                "links": links_of.get(row.position, []),
                "findings": findings_of.get(row.position, []),
                "annotations": annotations.get(uid, []),
                "starred": any(a.kind == AnnotationKind.STAR for a in annotations.get(uid, [])),
            }
        )
    return rows


def _shown(request: HttpRequest, incident: Any, section: str) -> services.Shown | HttpResponse:
    """The stored analysis to show; while a large case's first analysis is made, a page saying so."""
    shown = services.shown(incident)
    if shown.stored is None:
        context = {"incident": incident, "composite": shown, "section": section}
        return render(request, "composite/analysing.html", context)
    return shown


def _summary_dates(shown: services.Shown) -> dict[str, dt.date | None]:
    summary = shown.stored.summary if shown.stored else {}
    return {
        name: dt.date.fromisoformat(summary[name]) if summary.get(name) else None
        for name in ("first_date", "last_date")
    }


@login_required
def composite(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view="composite chronology")
    shown = _shown(request, incident, "entries")
    if isinstance(shown, HttpResponse):
        return shown
    assert shown.stored is not None
    form = FilterForm(request.GET or None, agencies=shown.stored.summary.get("agencies", []))
    page = Paginator(filtered_entries(shown.stored, form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "incident": incident,
        "composite": shown,
        "summary": _summary_dates(shown),
        "form": form,
        "page": page,
        "rows": _rows(shown, list(page.object_list)),
        "query": query.urlencode(),
        "saved_views": SavedView.objects.filter(incident=incident, owner=request.user),
        "save_form": SaveViewForm(initial={"query": query.urlencode()}),
        "can_work": access.can_work(request.user, incident),
        "total": shown.stored.entry_count,
    }
    return render(request, "composite/composite.html", context)


@require_POST
@login_required
def save_view(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code)
    form = SaveViewForm(request.POST)
    if form.is_valid():
        SavedView.objects.update_or_create(
            incident=incident,
            owner=request.user,
            name=form.cleaned_data["name"],
            defaults={"query": form.cleaned_data["query"] or ""},
        )
        messages.success(request, f"The view “{form.cleaned_data['name']}” has been saved")
        return redirect(f"{request.path.rsplit('views/', 1)[0]}?{form.cleaned_data['query'] or ''}")
    messages.error(request, "Enter a name for the view")
    return redirect("composite", code=incident.code)


def _stored_entry(incident: Any, uid: UUID) -> tuple[services.Shown, AnalysedEntry]:
    """The entry in the analysis the pages show; 404 when it is not in it."""
    shown = services.shown(incident)
    row = AnalysedEntry.objects.filter(analysis=shown.stored, uid=uid).first() if shown.stored else None
    if row is None:
        raise Http404
    return shown, row


@login_required
def entry(request: HttpRequest, code: UUID, uid: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view=f"composite entry {uid}")
    return _entry_page(request, incident, uid)


def _entry_page(
    request: HttpRequest, incident: Any, uid: UUID, analysis_form: EntryAnalysisForm | None = None
) -> HttpResponse:
    shown, stored_row = _stored_entry(incident, uid)
    row = _rows(shown, [stored_row], whole=True)[0]
    can_work = access.can_work(request.user, incident)
    analysis_row = EntryAnalysis.objects.filter(incident=incident, entry_uid=uid).first()
    initial = {name: getattr(analysis_row, name) for name in SIX_HEADINGS_LABELS} if analysis_row else {}
    context = {
        "incident": incident,
        "composite": shown,
        "row": row,
        "can_work": can_work,
        "annotation_form": AnnotationForm(),
        "analysis_form": analysis_form
        or EntryAnalysisForm(initial=initial, read_version=analysis_row.lock_version if analysis_row else 0),
        "entry_analysis": analysis_row,
        "finding_form": FindingDecisionForm(),
        "link_form": LinkDecisionForm(),
    }
    return render(request, "composite/entry.html", context)


@require_POST
@login_required
def annotate(request: HttpRequest, code: UUID, uid: UUID) -> HttpResponse:
    incident = access.get_case_for_worker(request, code)
    _stored_entry(incident, uid)
    form = AnnotationForm(request.POST)
    if form.is_valid():
        entry_url = reverse("composite-entry", args=[incident.code, uid])
        try:
            once(
                request,
                form.token(),
                lambda: services.annotate(
                    request, incident, uid, form.cleaned_data["kind"], form.cleaned_data.get("text", "")
                ),
                lambda _: entry_url,
            )
        except AlreadyDone as done:
            return redirect(done.url or entry_url)
        messages.success(request, "Your annotation has been added")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("composite-entry", code=incident.code, uid=uid)


@require_POST
@login_required
def save_entry_analysis(request: HttpRequest, code: UUID, uid: UUID) -> HttpResponse:
    incident = access.get_case_for_worker(request, code)
    _stored_entry(incident, uid)
    form = EntryAnalysisForm(request.POST)
    form.is_valid()
    values = {name: form.cleaned_data.get(name) or "" for name in SIX_HEADINGS_LABELS}
    try:
        services.save_entry_analysis(request, incident, str(uid), values, form.version_read())
    except EditConflict as conflict:
        form.show_conflict(conflict)
        return _entry_page(request, incident, uid, analysis_form=form)
    messages.success(request, "The six headings have been saved")
    return redirect("composite-entry", code=incident.code, uid=uid)


@require_POST
@login_required
def decide_link(request: HttpRequest, code: UUID, first: UUID, second: UUID) -> HttpResponse:
    incident = access.get_case_for_worker(request, code)
    stored = services.shown(incident).stored
    low, high = sorted([str(first), str(second)])
    link = (
        AnalysedLink.objects.filter(analysis=stored, first_uid=low, second_uid=high).first()
        if stored
        else None
    )
    if link is None:
        raise Http404
    form = LinkDecisionForm(request.POST)
    if form.is_valid():
        services.decide_link(
            request,
            incident,
            str(first),
            str(second),
            link.kind,
            form.cleaned_data["decision"],
            form.cleaned_data["reason"],
        )
        messages.success(request, f"The {link.kind} link has been {form.cleaned_data['decision']}")
    else:
        messages.error(request, "Select confirm or reject")
    return redirect(request.POST.get("next") or f"/composite/{incident.code}/")


STATUS_ORDER = [str(status) for status in FindingStatus]


@login_required
def findings(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view="compliance findings")
    shown = _shown(request, incident, "findings")
    if isinstance(shown, HttpResponse):
        return shown
    stored = shown.stored
    assert stored is not None
    finding_decisions, _ = _decisions(incident)
    status = request.GET.get("status", "")
    rule = request.GET.get("rule", "")
    chosen = AnalysedFinding.objects.filter(analysis=stored)
    if status:
        chosen = chosen.filter(status=status)
    if rule:
        chosen = chosen.filter(rule_id=rule)
    page = Paginator(chosen.order_by("number"), PAGE_SIZE).get_page(request.GET.get("page"))
    stored_rows = list(page.object_list)
    positions = {
        p for row in stored_rows for p in (row.trigger_position, row.evidence_position) if p is not None
    }
    entries = {
        row.position: stored_analysis.entry_of(row)
        for row in AnalysedEntry.objects.filter(analysis=stored, position__in=positions)
    }
    shown_rows: list[Any] = [
        {
            "number": row.number,
            "finding": from_plain(Finding, row.detail),
            "trigger": entries[row.trigger_position],
            "trigger_uid": str(row.trigger_uid),
            "evidence": entries.get(row.evidence_position) if row.evidence_position is not None else None,
            "decision": finding_decisions.get((row.rule_id, str(row.trigger_uid))),
        }
        for row in stored_rows
    ]
    page.object_list = shown_rows
    counts = stored.summary.get("finding_counts", {})
    context = {
        "incident": incident,
        "composite": shown,
        "page": page,
        "counts": {s: counts[s] for s in STATUS_ORDER if counts.get(s)},
        "status": status,
        "rule": rule,
        "rules": stored.summary.get("rules", []),
        "can_work": access.can_work(request.user, incident),
        # The same empty form under each finding: rendered once, not once per finding.
        "finding_form": FindingDecisionForm().render(),
        "query": urlencode({k: v for k, v in {"status": status, "rule": rule}.items() if v}),
    }
    return render(request, "composite/findings.html", context)


@require_POST
@login_required
def decide_finding(request: HttpRequest, code: UUID, number: int) -> HttpResponse:
    incident = access.get_case_for_worker(request, code)
    back = request.POST.get("next") or f"/composite/{incident.code}/findings/"
    stored = services.shown(incident).stored
    read = request.POST.get("analysis", "")
    if stored is None:
        raise Http404
    if read.isdigit() and int(read) != stored.pk:
        # The numbers on the page the person read belong to an analysis since replaced.
        messages.error(
            request, "The chronologies were analysed again since you opened the page: decide again"
        )
        return redirect(back)
    row = AnalysedFinding.objects.filter(analysis=stored, number=number).first()
    if row is None:
        raise Http404
    finding = from_plain(Finding, row.detail)
    form = FindingDecisionForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        status = form.cleaned_data.get("status") if decision == "changed" else str(finding.status)
        services.decide_finding_on(
            request,
            incident,
            finding,
            str(row.trigger_uid),
            decision,
            status or str(finding.status),
            form.cleaned_data.get("reason", ""),
        )
        messages.success(request, f"{finding.rule_id}: {decision}")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(back)


@login_required
def quality(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view="quality scorecards")
    shown = _shown(request, incident, "quality")
    if isinstance(shown, HttpResponse):
        return shown
    stored_cards = dict(
        AnalysedScorecard.objects.filter(analysis=shown.stored).values_list("agency", "detail")
    )
    cards = []
    for version in shown.versions:
        detail = stored_cards.get(version.request.agency.name)
        cards.append(
            {
                "version": version,
                "card": detail["card"] if detail else None,
                "colour": shown.colours.get(version.request.agency.name),
                "feedback": detail["feedback"] if detail else "",
                "points": detail["points"] if detail else [],
            }
        )
    return render(
        request,
        "composite/quality.html",
        {
            "incident": incident,
            "cards": cards,
            "composite": shown,
            "can_manage": request.user.has_perm("accounts.manage_partnership", incident.partnership),
        },
    )


@login_required
def return_with_feedback(request: HttpRequest, code: UUID, request_code: UUID) -> HttpResponse:
    incident = access.get_case_for_manager(request, code)
    shown = services.shown(incident)
    version = next((v for v in shown.versions if v.request.code == request_code), None)
    if version is None or version.request.status != Status.SUBMITTED:
        raise Http404
    card = AnalysedScorecard.objects.filter(analysis=shown.stored, agency=version.request.agency.name).first()
    initial = {
        "feedback": card.detail["feedback"] if card else "",
        "due_on": chronology_services.default_due_on(incident),
    }
    form = ReturnForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        read_version=version.request.lock_version,
    )
    if request.method == "POST" and form.is_valid():
        try:
            chronology_services.return_for_revision(
                request,
                version.request,
                form.cleaned_data["feedback"],
                form.cleaned_data["due_on"],
                form.version_read(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(
                request,
                f"{version.request.agency.name}'s chronology has been returned with the quality feedback",
            )
            return redirect("composite-quality", code=incident.code)
    return render(
        request, "chronologies/manage/return_form.html", {"chronology_request": version.request, "form": form}
    )


EXPORT_FIELDS = {"csrfmiddlewaretoken", "fmt", "pseudonymise", "names"}
BACKGROUND_FORMATS = {"docx", "pdf"}  # made by the worker; spreadsheets are quick enough to send at once


@login_required
def export(request: HttpRequest, code: UUID) -> HttpResponse:
    """Download the composite with its findings, whole or filtered. Names are pseudonymised unless the
    manager chooses otherwise. Word and PDF are made by the worker and followed on their own page."""
    incident = access.get_case_for_reader(request, code)
    listed = CasePeople.objects.filter(incident=incident).first()
    manager = request.user.has_perm("accounts.manage_partnership", incident.partnership)
    posted = request.method == "POST"
    form = ExportForm(
        request.POST if posted else None,
        initial={"names": listed.names if listed else "", "pseudonymise": True},
    )
    agencies = [v.request.agency.name for v in services.current_versions(incident)]
    # A filtered view's "Download these entries" link brings its filters in the query.
    filters = FilterForm(request.POST if posted else (request.GET or None), agencies=agencies)
    if posted and form.is_valid() and filters.is_valid():
        if manager:
            services.save_case_people(request, incident, form.cleaned_data.get("names") or "")
        pseudonymise = (
            form.cleaned_data["pseudonymise"] or not manager
        )  # only the manager may export real names
        fmt = form.cleaned_data["fmt"]
        chosen = {
            name: values
            for name, values in request.POST.lists()
            if name not in EXPORT_FIELDS and any(v.strip() for v in values)
        }
        if fmt in BACKGROUND_FORMATS:
            job = jobs.ask(
                Actor.from_request(request),
                JobKind.COMPOSITE,
                incident,
                fmt,
                pseudonymise=pseudonymise,
                filters=chosen,
            )
            return redirect("job", code=job.code)
        query = QueryDict(mutable=True)
        for name, values in chosen.items():
            query.setlist(name, values)
        content, content_type = composite_file(incident, fmt, pseudonymise=pseudonymise, filters=query)
        record(
            request,
            Action.EXPORT,
            obj=incident,
            object_type="composite",
            partnership=incident.partnership,
            detail=f"composite chronology ({fmt}, {'pseudonymised' if pseudonymise else 'names shown'}"
            + (", filtered)" if chosen else ")"),
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{incident.reference}-composite-chronology.{fmt}"'
        )
        return response
    context = {"incident": incident, "form": form, "filters": filters, "manager": manager}
    return render(request, "composite/export.html", context)


HIGHLIGHTED = ["not_met", "needs_multi_agency_judgement", "borderline"]  # findings marked on the timeline
TIMELINE_WIDTH = 960  # the width of the page's content column, so text is drawn at its full 14 px


def _timeline_zoom(request: HttpRequest, counts: dict[int, dict[int, int]]) -> tuple[int | None, int | None]:
    """The year and month asked for in the query; a year or month with no entries is not a page."""
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
        month = int(request.GET["month"]) if request.GET.get("month") else None
    except ValueError:
        raise Http404 from None
    if (year is None and month is not None) or (year is not None and year not in counts):
        raise Http404
    if year is not None and month is not None and month not in counts[year]:
        raise Http404
    return year, month


def _timeline_href(incident_code: UUID, entries: list[Entry], mark: TimelineMark) -> str:
    """One entry's page, or the composite filtered to the mark's agency and days."""
    if mark.count == 1:
        return reverse("composite-entry", args=[incident_code, entries[mark.indices[0]].extra[UID]])
    query = {"agencies": mark.agency}
    for name, day in (("date_from", mark.start), ("date_to", mark.end)):
        query.update(
            {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}
        )
    return f"{reverse('composite', args=[incident_code])}?{urlencode(query)}"


@login_required
def timeline(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view="timeline")
    on_screen = _shown(request, incident, "timeline")
    if isinstance(on_screen, HttpResponse):
        return on_screen
    stored = on_screen.stored
    assert stored is not None
    entries = [
        entry_from_plain(entry)
        for entry in AnalysedEntry.objects.filter(analysis=stored)
        .order_by("position")
        .values_list("detail__entry", flat=True)
        .iterator(chunk_size=2000)
    ]
    counts = {
        int(year): {int(m): n for m, n in sorted(months.items(), key=lambda item: int(item[0]))}
        for year, months in sorted(stored.summary["months"].items())
    }
    year, month = _timeline_zoom(request, counts)
    highlighted = set(
        AnalysedFinding.objects.filter(analysis=stored, status__in=HIGHLIGHTED).values_list(
            "trigger_position", flat=True
        )
    )
    silences = list(AnalysedSilence.objects.filter(analysis=stored).order_by("number"))
    silent_periods = [from_plain(SilentPeriod, s.detail) for s in silences if s.kind == "no_entries"]
    plan = plan_timeline(
        entries,
        silent_periods,
        highlighted,
        on_screen.colours,
        width=TIMELINE_WIDTH,
        window=zoom_window(year, month),
    )
    shown = f"{MONTH_NAMES[month - 1]} {year}" if month and year else str(year) if year else ""
    svg = draw_timeline(
        plan,
        title=f"Multi-agency chronology, case {incident.reference}" + (f", {shown}" if shown else ""),
        href=lambda mark: _timeline_href(incident.code, entries, mark),
    )
    marks = sorted(plan.marks, key=lambda m: (m.start, m.lane))
    context = {
        "incident": incident,
        "svg": svg,
        "composite": on_screen,
        "silent_periods": silent_periods,
        "expected_contact_gaps": [
            from_plain(ExpectedContactGap, s.detail) for s in silences if s.kind == "expected_contact"
        ],
        "year": year,
        "month": month,
        "shown": shown,
        "years": [(y, sum(by_month.values())) for y, by_month in counts.items()],
        "months": [(m, MONTH_NAMES[m - 1], n) for m, n in sorted(counts.get(year, {}).items())]
        if year
        else [],
        "agencies": [
            (agency, plan.palette[agency], sum(m.count for m in plan.marks if m.agency == agency))
            for agency in plan.agencies
        ],
        "marks": [
            {
                "mark": mark,
                "colour": plan.palette[mark.agency],
                "dates": day_words(mark.start)
                if mark.start == mark.end
                else f"{day_words(mark.start)} to {day_words(mark.end)}",
                "href": _timeline_href(incident.code, entries, mark),
                "finding": mark.highlighted,
            }
            for mark in marks
        ],
        "grain": plan.grain,
    }
    return render(request, "composite/timeline.html", context)
