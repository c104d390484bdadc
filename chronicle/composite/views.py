"""The composite multi-agency chronology of a case: browse with filters and saved views, annotate,
decide proposed links and findings, write the six headings, see quality scorecards and the timeline."""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record
from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.forms import ReturnForm
from chronicle.chronologies.models import Status
from chronicle.composite import access, queue, services
from chronicle.composite.exports import composite_file
from chronicle.composite.filtering import filtered_indices
from chronicle.composite.forms import (
    SIX_HEADINGS_LABELS,
    AnnotationForm,
    CasePeopleForm,
    EntryAnalysisForm,
    ExportForm,
    FilterForm,
    FindingDecisionForm,
    LinkDecisionForm,
    SaveViewForm,
)
from chronicle.composite.models import (
    Annotation,
    AnnotationKind,
    CasePeople,
    EntryAnalysis,
    FindingDecision,
    LinkDecision,
    SavedView,
)
from chronicle.composite.people import case_people
from chronicle.core.composite import summarise
from chronicle.core.dates import MONTH_NAMES
from chronicle.core.duplicates import Cluster
from chronicle.core.event_types import label as event_label
from chronicle.core.plain_words import format_words, rule_summaries
from chronicle.core.timeline_svg import (
    TimelineMark,
    day_words,
    draw_timeline,
    entries_by_month,
    plan_timeline,
    zoom_window,
)
from chronicle.jobs import services as jobs
from chronicle.jobs.models import JobKind
from chronicle.reviews import access as review_access
from chronicle.reviews.evidence import finding_key_of, link_key_of
from chronicle.reviews.models import RapidReview
from chronicle.ui.concurrency import AlreadyDone, EditConflict, once

PAGE_SIZE = 100


def _decisions(
    composite: services.Composite,
) -> tuple[dict[tuple[str, str], FindingDecision], dict[tuple[str, str], LinkDecision]]:
    findings = {
        (d.rule_id, str(d.trigger_uid)): d
        for d in FindingDecision.objects.filter(incident=composite.incident)
    }
    links = {
        (str(d.first_uid), str(d.second_uid)): d
        for d in LinkDecision.objects.filter(incident=composite.incident)
    }
    return findings, links


def _finding_decision(
    composite: services.Composite, decisions: dict[tuple[str, str], FindingDecision], number: int
) -> FindingDecision | None:
    """The decision on a finding: on its trigger, else on another account of the same event (a decision
    made when each account had its own finding)."""
    finding = composite.analysis.findings[number]
    for index in composite.analysis.accounts_of(number):
        found = decisions.get((finding.rule_id, composite.uid(index)))
        if found is not None:
            return found
    return None


def _evidence_target(request: HttpRequest, incident: Any) -> dict[str, Any]:
    """The rapid review "Use as evidence" adds to, for its manager while it is open, and what it holds."""
    review = RapidReview.objects.filter(incident=incident, finalised_at__isnull=True).first()
    if review is None or not review_access.can_manage(request.user, review):
        return {"evidence_review": None, "pool_keys": set()}
    return {
        "evidence_review": review,
        "pool_keys": {
            f"{kind}|{reference}" for kind, reference in review.pool.values_list("kind", "reference")
        },
    }


def _rows(composite: services.Composite, indices: list[int]) -> list[dict[str, Any]]:
    """What the page shows for each entry: the entry, its agency colour, its event's other accounts,
    findings, annotations."""
    analysis = composite.analysis
    finding_decisions, link_decisions = _decisions(composite)
    wanted = set(indices)
    cluster_of: dict[int, dict[str, Any]] = {}
    for cluster in analysis.clusters:
        if wanted.isdisjoint(cluster.members):
            continue
        shown = _cluster_view(composite, cluster, link_decisions)
        for index in cluster.members:
            cluster_of[index] = shown
    findings_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for number, finding in enumerate(analysis.findings):
        touched = set(analysis.accounts_of(number)) | (
            {finding.evidence_index} if finding.evidence_index is not None else set()
        )
        for index in touched & wanted:
            settled = _finding_decision(composite, finding_decisions, number)
            findings_of[index].append(
                {
                    "finding": finding,
                    "number": number,
                    "decision": settled,
                    "evidence_key": finding_key_of(composite, number),
                }
            )
    uids = [composite.uid(i) for i in indices]
    annotations: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in Annotation.objects.filter(
        incident=composite.incident, entry_uid__in=uids
    ).select_related("author"):
        annotations[str(annotation.entry_uid)].append(annotation)
    rows = []
    for index in indices:
        entry = analysis.entries[index]
        code = analysis.event_types[index]
        uid = composite.uid(index)
        rows.append(
            {
                "index": index,
                "uid": uid,
                "entry": entry,
                "colour": composite.colours.get(entry.agency),
                "event_type": event_label(code) if code else "",
                "inferred": analysis.is_inferred(index),
                "events_said": analysis.describe_events(index),
                "cluster": cluster_of.get(index),
                "findings": findings_of.get(index, []),
                "annotations": annotations.get(uid, []),
                "starred": any(a.kind == AnnotationKind.STAR for a in annotations.get(uid, [])),
            }
        )
    return rows


def _cluster_view(
    composite: services.Composite, cluster: Cluster, link_decisions: dict[tuple[str, str], LinkDecision]
) -> dict[str, Any]:
    """One event's accounts for the pages: each later account with the decision on it, and the conflicts.

    A decision on an account is stored on the pair (first account, that account). Decisions made
    before clusters, on a pair of two later accounts, still count for both of them.
    """
    analysis = composite.analysis
    uid = composite.uid
    first = cluster.first

    def decided(a: int, b: int) -> LinkDecision | None:
        return link_decisions.get(tuple(sorted([uid(a), uid(b)])))  # type: ignore[arg-type]

    def member_decision(member: int) -> LinkDecision | None:
        found = decided(first, member)
        if found is None:
            earlier = [decided(member, other) for other in cluster.members if other not in (first, member)]
            found = max((d for d in earlier if d is not None), key=lambda d: d.decided_at, default=None)
        return found

    link_with_first = {link.b_index: link for link in cluster.links}
    decisions = {index: member_decision(index) for index in cluster.members[1:]}
    accounts: list[dict[str, Any]] = [
        {
            "index": index,
            "entry": analysis.entries[index],
            "uid": uid(index),
            "first": index == first,
            "link": link_with_first.get(index),
            "pair": sorted([uid(first), uid(index)]),
            "decision": decisions.get(index),
            "evidence_key": "" if index == first else link_key_of(composite, first, index),
        }
        for index in cluster.members
    ]
    conflicts = [
        {
            "link": link,
            "entries": (analysis.entries[link.a_index], analysis.entries[link.b_index]),
            "uids": (uid(link.a_index), uid(link.b_index)),
            "pair": sorted([uid(link.a_index), uid(link.b_index)]),
            "decision": decided(link.a_index, link.b_index),
            "evidence_key": link_key_of(composite, link.a_index, link.b_index),
        }
        for link in cluster.conflicts
    ]
    return {
        "words": cluster.words(analysis.entries),
        "members": set(cluster.members),
        "accounts": accounts,
        "conflicts": conflicts,
        "confirmed": all(d is not None and d.decision == "confirmed" for d in decisions.values()),
    }


@login_required
def composite(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view="composite chronology")
    built = services.build(incident)
    form = FilterForm(request.GET or None, agencies=built.analysis.agencies)
    indices = filtered_indices(built, form)
    page = Paginator(indices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "incident": incident,
        "composite": built,
        "summary": summarise(built.analysis.entries),
        "form": form,
        "page": page,
        "rows": _rows(built, list(page.object_list)),
        "query": query.urlencode(),
        "saved_views": SavedView.objects.filter(incident=incident, owner=request.user),
        "save_form": SaveViewForm(initial={"query": query.urlencode()}),
        "can_work": access.can_work(request.user, incident),
        "total": len(built.analysis.entries),
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


def _find_entry(built: services.Composite, uid: UUID) -> int:
    index = built.index_of(str(uid))
    if index is None:
        raise Http404
    return index


@login_required
def entry(request: HttpRequest, code: UUID, uid: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view=f"composite entry {uid}")
    return _entry_page(request, incident, uid)


def _entry_page(
    request: HttpRequest, incident: Any, uid: UUID, analysis_form: EntryAnalysisForm | None = None
) -> HttpResponse:
    built = services.build(incident)
    index = _find_entry(built, uid)
    row = _rows(built, [index])[0]
    can_work = access.can_work(request.user, incident)
    analysis_row = EntryAnalysis.objects.filter(incident=incident, entry_uid=uid).first()
    initial = {name: getattr(analysis_row, name) for name in SIX_HEADINGS_LABELS} if analysis_row else {}
    context = {
        "incident": incident,
        "row": row,
        "can_work": can_work,
        "annotation_form": AnnotationForm(),
        "analysis_form": analysis_form
        or EntryAnalysisForm(initial=initial, read_version=analysis_row.lock_version if analysis_row else 0),
        "entry_analysis": analysis_row,
        "finding_form": FindingDecisionForm(),
        "link_form": LinkDecisionForm(),
        **_evidence_target(request, incident),
    }
    return render(request, "composite/entry.html", context)


@require_POST
@login_required
def annotate(request: HttpRequest, code: UUID, uid: UUID) -> HttpResponse:
    incident = access.get_case_for_worker(request, code)
    _find_entry(services.build(incident), uid)
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
    _find_entry(services.build(incident), uid)
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
    built = services.build(incident)
    pair = {str(first), str(second)}
    link = next(
        (link for link in built.analysis.links if {built.uid(link.a_index), built.uid(link.b_index)} == pair),
        None,
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
        messages.success(
            request, f"Your decision on the two accounts has been recorded ({form.cleaned_data['decision']})"
        )
    else:
        messages.error(request, "Select confirm or reject")
    return redirect(request.POST.get("next") or f"/composite/{incident.code}/")


def _finding(built: services.Composite, number: int) -> Any:
    if not 0 <= number < len(built.analysis.findings):
        raise Http404
    return built.analysis.findings[number]


@login_required
def findings(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view="compliance findings")
    built = services.build(incident)
    finding_decisions, _ = _decisions(built)
    status = request.GET.get("status", "")
    rule = request.GET.get("rule", "")
    rows = []
    for number, finding in enumerate(built.analysis.findings):
        if (status and str(finding.status) != status) or (rule and finding.rule_id != rule):
            continue
        rows.append(
            {
                "number": number,
                "finding": finding,
                "trigger": built.analysis.entries[finding.trigger_index],
                "trigger_uid": built.uid(finding.trigger_index),
                "evidence": built.analysis.entries[finding.evidence_index]
                if finding.evidence_index is not None
                else None,
                "decision": _finding_decision(built, finding_decisions, number),
                "other_accounts": [
                    (built.analysis.entries[i], built.uid(i)) for i in built.analysis.accounts_of(number)[1:]
                ],
                "evidence_key": finding_key_of(built, number),
            }
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts: dict[str, int] = defaultdict(int)
    for finding in built.analysis.findings:
        counts[str(finding.status)] += 1
    rules = sorted({f.rule_id for f in built.analysis.findings})
    by_rule = rule_summaries(
        (f.rule_id, f.rule_title, str(f.status), built.analysis.entries[f.trigger_index].agency)
        for f in built.analysis.findings
    )
    context = {
        "by_rule": by_rule,
        "incident": incident,
        "composite": built,
        "page": page,
        "counts": dict(counts),
        "status": status,
        "rule": rule,
        "rules": rules,
        "can_work": access.can_work(request.user, incident),
        "finding_form": FindingDecisionForm(),
        **_evidence_target(request, incident),
        "query": urlencode({k: v for k, v in {"status": status, "rule": rule}.items() if v}),
    }
    return render(request, "composite/findings.html", context)


@require_POST
@login_required
def decide_finding(request: HttpRequest, code: UUID, number: int) -> HttpResponse:
    incident = access.get_case_for_worker(request, code)
    built = services.build(incident)
    finding = _finding(built, number)
    form = FindingDecisionForm(request.POST)
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        status = form.cleaned_data.get("status") if decision == "changed" else str(finding.status)
        services.decide_finding(
            request,
            built,
            finding,
            decision,
            status or str(finding.status),
            form.cleaned_data.get("reason", ""),
        )
        messages.success(request, f"{finding.rule_title}: {decision}")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(request.POST.get("next") or f"/composite/{incident.code}/findings/")


@login_required
def quality(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view="quality scorecards")
    built = services.build(incident)
    cards = []
    for version in built.versions:
        card = built.analysis.scorecards.get(version.request.agency.name)
        cards.append(
            {
                "version": version,
                "card": card,
                "colour": built.colours.get(version.request.agency.name),
                "feedback": feedback_text(built, card) if card else "",
                "points": _point_rows(built, card) if card else [],
            }
        )
    return render(
        request,
        "composite/quality.html",
        {
            "incident": incident,
            "cards": cards,
            "composite": built,
            "can_manage": request.user.has_perm("accounts.manage_partnership", incident.partnership),
        },
    )


def feedback_text(built: services.Composite, card: Any) -> str:
    lines = [f"Quality checks on your chronology ({card.entry_count} entries):"]
    for point in card.points:
        indices = built.analysis.point_entries(card.agency, point)
        where = ", ".join(built.analysis.entries[i].reference() for i in indices[:10])
        more = f" and {len(indices) - 10} more" if len(indices) > 10 else ""
        lines.append(
            f"- {point.rule_id} ({point.severity}): {point.message}"
            + (f" Entries: {where}{more}." if where else "")
        )
    return "\n".join(lines)


def _point_rows(built: services.Composite, card: Any) -> list[dict[str, Any]]:
    """Each quality point with the entries that caused it, as links into the composite."""
    rows = []
    for point in card.points:
        indices = built.analysis.point_entries(card.agency, point)
        entries = [(built.uid(i), built.analysis.entries[i].date.display()) for i in indices]
        rows.append({"point": point, "entries": entries[:20], "more": max(len(entries) - 20, 0)})
    return rows


@login_required
def return_with_feedback(request: HttpRequest, code: UUID, request_code: UUID) -> HttpResponse:
    incident = access.get_case_for_manager(request, code)
    built = services.build(incident)
    version = next((v for v in built.versions if v.request.code == request_code), None)
    if version is None or version.request.status != Status.SUBMITTED:
        raise Http404
    card = built.analysis.scorecards.get(version.request.agency.name)
    initial = {
        "feedback": feedback_text(built, card) if card else "",
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


EXPORT_FIELDS = {"csrfmiddlewaretoken", "fmt", "pseudonymise", "names"}  # "names": an old form's box, ignored
BACKGROUND_FORMATS = {"docx", "pdf"}  # made by the worker; spreadsheets are quick enough to send at once


@login_required
def export(request: HttpRequest, code: UUID) -> HttpResponse:
    """Download the composite with its findings and decisions, whole or as filtered on the composite
    page. Names are replaced by the case's pseudonyms unless the manager chooses otherwise. Word and
    PDF are made by the worker and followed on their own page."""
    incident = access.get_case_for_reader(request, code)
    manager = request.user.has_perm("accounts.manage_partnership", incident.partnership)
    posted = request.method == "POST"
    form = ExportForm(request.POST if posted else None, initial={"pseudonymise": True})
    agencies = [v.request.agency.name for v in services.current_versions(incident)]
    # A filtered view's "Download these entries" link brings its filters in the query.
    filters = FilterForm(request.POST if posted else (request.GET or None), agencies=agencies)
    if posted and form.is_valid() and filters.is_valid():
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
            detail=f"composite chronology ({format_words(fmt)}, {'pseudonymised' if pseudonymise else 'names shown'}"
            + (", filtered)" if chosen else ")"),
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="{incident.reference}-composite-chronology.{fmt}"'
        )
        return response
    context = {
        "incident": incident,
        "form": form,
        "filters": filters,
        "filtered": filters.is_bound and filters.is_valid() and any(filters.cleaned_data.values()),
        "manager": manager,
        "people": case_people(incident),
    }
    return render(request, "composite/export.html", context)


@login_required
def people(request: HttpRequest, code: UUID) -> HttpResponse:
    """The case's people and pseudonyms, which the business manager keeps; every export uses them."""
    incident = access.get_case_for_manager(request, code)
    listed = CasePeople.objects.filter(incident=incident).first()
    stored = listed.names if listed else ""
    form = CasePeopleForm(
        request.POST if request.method == "POST" else None, initial={"names": stored, "read": stored}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_case_people(
                request, incident, form.cleaned_data["names"], form.cleaned_data.get("read") or ""
            )
        except services.ListChanged:
            form.add_error(
                None,
                "Someone else changed the list while you were editing it. Your changes have not been saved: "
                "they are still in the form. Check the list below, then save again to keep yours",
            )
            data = request.POST.copy()
            data["read"] = CasePeople.objects.get(incident=incident).names
            form.data = data
        else:
            messages.success(request, "The list of people and pseudonyms has been saved")
            return redirect("composite-people", code=incident.code)
    context = {"incident": incident, "form": form, "people": case_people(incident)}
    return render(request, "composite/people.html", context)


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


def _timeline_href(incident_code: UUID, built: services.Composite, mark: TimelineMark) -> str:
    """One entry's page, or the composite filtered to the mark's agency and days."""
    if mark.count == 1:
        return reverse("composite-entry", args=[incident_code, built.uid(mark.indices[0])])
    query = {"agencies": mark.agency}
    for name, day in (("date_from", mark.start), ("date_to", mark.end)):
        query.update(
            {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}
        )
    return f"{reverse('composite', args=[incident_code])}?{urlencode(query)}"


@login_required
def timeline(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view="timeline")
    built = services.build(incident)
    counts = entries_by_month(built.analysis.entries)
    year, month = _timeline_zoom(request, counts)
    highlighted = {
        f.trigger_index
        for f in built.analysis.findings
        if str(f.status) in {"not_met", "needs_multi_agency_judgement", "borderline"}
    }
    plan = plan_timeline(
        built.analysis.entries,
        built.analysis.silent_periods,
        highlighted,
        built.colours,
        width=TIMELINE_WIDTH,
        window=zoom_window(year, month),
    )
    shown = f"{MONTH_NAMES[month - 1]} {year}" if month and year else str(year) if year else ""
    svg = draw_timeline(
        plan,
        title=f"Multi-agency chronology, case {incident.reference}" + (f", {shown}" if shown else ""),
        href=lambda mark: _timeline_href(incident.code, built, mark),
    )
    marks = sorted(plan.marks, key=lambda m: (m.start, m.lane))
    context = {
        "incident": incident,
        "svg": svg,
        "composite": built,
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
                "href": _timeline_href(incident.code, built, mark),
                "finding": mark.highlighted,
            }
            for mark in marks
        ],
        "grain": plan.grain,
    }
    return render(request, "composite/timeline.html", context)


QUEUE_PAGE_SIZE = 10  # with each item's form folded, a page stays well under 5,000 px


@login_required
def review_queue(request: HttpRequest, code: UUID) -> HttpResponse:
    """Duplicates, conflicts and findings awaiting a person, decided in place a page at a time."""
    if request.method == "POST":
        incident = access.get_case_for_worker(request, code)
        return _decide_in_queue(request, incident)
    incident = access.get_case_for_reader(request, code, audit_view="review queue")
    return _queue_page(request, incident, request.GET)


def _queue_page(
    request: HttpRequest,
    incident: Any,
    query: QueryDict,
    bound: tuple[str, LinkDecisionForm | FindingDecisionForm] | None = None,
) -> HttpResponse:
    built = services.build(incident)
    kind = query.get("kind", "")
    if kind not in queue.KINDS:
        kind = ""
    every = queue.awaiting_review(built)
    shown = [item for item in every if not kind or item.kind == kind]
    page = Paginator(shown, QUEUE_PAGE_SIZE).get_page(query.get("page"))
    items = []
    for item in page.object_list:
        if bound and bound[0] == item.key:
            form = bound[1]
        elif item.kind == "finding":
            form = FindingDecisionForm(prefix=item.slug)
        else:
            form = LinkDecisionForm(prefix=item.slug)
        items.append({"item": item, "form": form})
    counts = {name: sum(1 for item in every if item.kind == name) for name in queue.KINDS}
    here = urlencode({k: v for k, v in {"kind": kind, "page": page.number}.items() if v})
    context = {
        "incident": incident,
        "composite": built,
        "page": page,
        "items": items,
        "kind": kind,
        "kinds": [(name, label, counts[name]) for name, label in queue.KINDS.items()],
        "total": len(every),
        "can_work": access.can_work(request.user, incident),
        "query": urlencode({"kind": kind}) if kind else "",
        "here": here,
        "error_form": bound[1] if bound else None,
    }
    return render(request, "composite/queue.html", context)


def _decide_in_queue(request: HttpRequest, incident: Any) -> HttpResponse:
    built = services.build(incident)
    back = request.POST.get("back", "")
    back_url = f"{reverse('composite-queue', args=[incident.code])}{'?' + back if back else ''}"
    item = queue.find(built, request.POST.get("item", ""))
    if item is None:
        # Decided already (a second post, or a colleague first), or no longer proposed.
        messages.info(request, "That has already been decided, or is no longer proposed")
        return redirect(back_url)
    form: LinkDecisionForm | FindingDecisionForm
    if item.kind == "finding":
        form = FindingDecisionForm(request.POST, prefix=item.slug)
    else:
        form = LinkDecisionForm(request.POST, prefix=item.slug)
    if not form.is_valid():
        return _queue_page(request, incident, QueryDict(back), bound=(item.key, form))
    decision = form.cleaned_data["decision"]
    reason = form.cleaned_data.get("reason") or ""
    if item.kind == "finding":
        proposed = str(item.finding.status)
        status = (form.cleaned_data.get("status") or proposed) if decision == "changed" else proposed
        services.decide_finding(request, built, item.finding, decision, status, reason)
        messages.success(
            request, f"Finding {item.finding.rule_id} on {item.entries[0].reference()}: {decision}"
        )
    else:
        services.decide_link(request, incident, item.uids[0], item.uids[1], item.kind, decision, reason)
        messages.success(
            request,
            f"The {item.kind} between {item.entries[0].reference()} and {item.entries[1].reference()} "
            f"has been {decision}",
        )
    return redirect(back_url)
