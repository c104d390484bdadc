"""The composite multi-agency chronology of a case: browse with filters and saved views, annotate,
decide proposed links and findings, write the six headings, see quality scorecards and the timeline.

Every page reads the case's stored analysis (``composite.stored``) a page at a time: none works out
the analysis in the request, except the first look at a small case that has none stored yet.
"""

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
from django.db.models.fields.json import KT
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from chronicle.accounts.access import is_business_manager
from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.audit.actor import Actor
from chronicle.audit.models import Action
from chronicle.audit.services import record
from chronicle.chronologies import services as chronology_services
from chronicle.chronologies.forms import ReturnForm
from chronicle.chronologies.models import ChronologyVersion, Status
from chronicle.composite import access, queue, services
from chronicle.composite import stored as stored_analysis
from chronicle.composite import timeline as timeline_plans
from chronicle.composite.exports import composite_file
from chronicle.composite.filtering import filtered_entries
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
    AnalysedCluster,
    AnalysedEntry,
    AnalysedFinding,
    AnalysedLink,
    AnalysedScorecard,
    AnalysedSilence,
    AnalysedTimeline,
    Annotation,
    AnnotationKind,
    CasePeople,
    EntryAnalysis,
    FindingDecision,
    LinkDecision,
    SavedView,
    StoredAnalysis,
)
from chronicle.composite.people import case_people
from chronicle.core.compliance import Finding
from chronicle.core.compliance import Status as FindingStatus
from chronicle.core.dates import MONTH_NAMES, PartialDate
from chronicle.core.duplicates import Cluster
from chronicle.core.entries import Entry
from chronicle.core.plain import from_plain
from chronicle.core.plain_words import day_words, format_words, rule_summaries, status_words
from chronicle.core.quality import QualityPoint, Scorecard
from chronicle.core.silence import ExpectedContactGap, SilentPeriod
from chronicle.core.timeline_svg import TimelineMark, draw_timeline
from chronicle.jobs import services as jobs
from chronicle.jobs.models import JobKind
from chronicle.reviews import access as review_access
from chronicle.reviews.evidence import finding_reference, link_key
from chronicle.reviews.models import RapidReview
from chronicle.ui.concurrency import AlreadyDone, EditConflict, once

PAGE_SIZE = 20  # entries a page: with its tags, a page of the list stays under 5,000 px tall at 1280 px
FINDINGS_PAGE_SIZE = 6  # each finding is a card with its reasons: six stay under 5,000 px tall at 1280 px


def _decisions(
    incident: Any,
) -> tuple[dict[tuple[str, str], FindingDecision], dict[tuple[str, str], LinkDecision]]:
    findings = {(d.rule_id, str(d.trigger_uid)): d for d in FindingDecision.objects.filter(incident=incident)}
    links = {(str(d.first_uid), str(d.second_uid)): d for d in LinkDecision.objects.filter(incident=incident)}
    return findings, links


def _finding_decision(
    decisions: dict[tuple[str, str], FindingDecision], rule_id: str, account_uids: list[str]
) -> FindingDecision | None:
    """The decision on a finding: on its trigger, else on another account of the same event (a decision
    made when each account had its own finding)."""
    for uid in account_uids:
        found = decisions.get((rule_id, uid))
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


def _rows(
    shown: services.Shown, entries: list[AnalysedEntry], *, whole: bool = False
) -> list[dict[str, Any]]:
    """What the page shows for each entry: the entry, its agency colour, its event's other accounts,
    findings, annotations.

    The list shows each finding's title and status, read from their columns; ``whole`` (one entry's
    page) adds the other accounts' entries and every finding's detail.
    """
    stored = shown.stored
    finding_decisions, link_decisions = _decisions(shown.incident)
    wanted = {row.position for row in entries}
    clusters = [
        (row.number, from_plain(Cluster, row.detail), row.words)
        for row in AnalysedCluster.objects.filter(
            analysis=stored, number__in={row.cluster for row in entries if row.cluster is not None}
        )
    ]
    touching = Q(
        trigger_position__in=wanted | {i for _, cluster, _ in clusters for i in cluster.members}
    ) | Q(evidence_position__in=wanted)
    found_rows = list(
        AnalysedFinding.objects.filter(touching, analysis=stored)
        .annotate(title=KT("detail__rule_title"))
        .defer(*([] if whole else ["detail"]))
        .order_by("number")
    )
    # Every entry the page names: its own, the other accounts of their events, the findings' accounts.
    named = {i for _, cluster, _ in clusters for i in cluster.members} | {
        i for found in found_rows for i in found.accounts
    }
    others = AnalysedEntry.objects.filter(analysis=stored, position__in=named - wanted)
    if not whole:
        others = others.only("position", "uid")
    by_position = {row.position: row for row in [*entries, *others]}

    def uid(index: int) -> str:
        return str(by_position[index].uid)

    def entry_at(index: int) -> Entry | None:
        return stored_analysis.entry_of(by_position[index]) if whole else None

    cluster_of: dict[int, dict[str, Any]] = {}
    for _, cluster, words in clusters:
        view = _cluster_view(cluster, words, uid, entry_at, link_decisions)
        for index in cluster.members:
            cluster_of[index] = view
    findings_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for found in found_rows:
        touched: set[int] = set(found.accounts)
        if found.evidence_position is not None:
            touched.add(found.evidence_position)
        for index in sorted(touched & wanted):
            findings_of[index].append(
                {
                    "finding": from_plain(Finding, found.detail)
                    if whole
                    else {"rule_id": found.rule_id, "rule_title": found.title, "status": found.status},
                    "number": found.number,
                    "status": found.status,
                    "decision": _finding_decision(
                        finding_decisions, found.rule_id, [uid(i) for i in found.accounts]
                    ),
                    "evidence_key": f"finding|{finding_reference(found.rule_id, found.status, found.agency)}",
                }
            )
    annotations: dict[str, list[Annotation]] = defaultdict(list)
    for annotation in Annotation.objects.filter(
        incident=shown.incident, entry_uid__in=[row.uid for row in entries]
    ).select_related("author"):
        annotations[str(annotation.entry_uid)].append(annotation)
    rows = []
    for row in entries:
        entry = stored_analysis.entry_of(row)
        row_uid = str(row.uid)
        accounts = cluster_of.get(row.position)
        said = _shortened(entry.description)
        rows.append(
            {
                "index": row.position,
                "uid": row_uid,
                "entry": entry,
                "date": row.date_words,
                "date_hint": _date_hint(entry),
                "said": said,
                "shortened": said != entry.description,
                "kind": KIND_TAGS.get(str(entry.kind), ""),
                "colour": shown.colours.get(entry.agency),
                "event_type": row.detail["event_label"],
                "inferred": row.detail["inferred"],
                "events_said": row.detail["events_said"],
                "cluster": accounts,
                "conflicts": [c["decision"] for c in accounts["conflicts"] if row_uid in c["uids"]]
                if accounts
                else [],
                "findings": findings_of.get(row.position, []),
                "finding_tags": _finding_tags(findings_of.get(row.position, [])),
                "annotations": annotations.get(row_uid, []),
                "notes": sum(1 for a in annotations.get(row_uid, []) if a.kind != AnnotationKind.STAR),
                "starred": any(a.kind == AnnotationKind.STAR for a in annotations.get(row_uid, [])),
            }
        )
    return rows


SAID_LENGTH = 160  # characters of what happened shown in the list; the whole entry is on its own page
KIND_TAGS = {"practitioner": "Practitioner information", "context": "Context, not an agency’s record"}
STATUS_TAGS = {
    "not_met": "red",
    "needs_multi_agency_judgement": "purple",
    "borderline": "orange",
    "cannot_be_determined": "grey",
    "met": "green",
}


def _shortened(text: str, length: int = SAID_LENGTH) -> str:
    """The text cut at a word before ``length`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] or text[:length]
    return f"{cut.rstrip(' ,;:.')}…"


def _date_hint(entry: Entry) -> str:
    if entry.date.is_exact:
        return ""
    return "uncertain" if entry.date.uncertain else f"{entry.date.precision.value} only"


def _finding_tags(findings: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One tag per status of the entry's findings, most pressing first: "2 findings not met"."""
    counts: dict[str, int] = defaultdict(int)
    for found in findings:
        counts[found["status"]] += 1
    return [
        {"colour": colour, "words": _findings_with_status(counts[status], status_words(status))}
        for status, colour in STATUS_TAGS.items()
        if counts.get(status)
    ]


def _findings_with_status(count: int, status: str) -> str:
    """ "Finding needs multi-agency judgement", "2 findings need multi-agency judgement"."""
    if count == 1:
        return f"Finding {status}"
    verb, _, rest = status.partition(" ")
    return f"{count} findings {'need' if verb == 'needs' else verb} {rest}".rstrip()


def _cluster_view(
    cluster: Cluster,
    words: str,
    uid: Any,
    entry_at: Any,
    link_decisions: dict[tuple[str, str], LinkDecision],
) -> dict[str, Any]:
    """One event's accounts for the pages: each later account with the decision on it, and the conflicts.

    A decision on an account is stored on the pair (first account, that account). Decisions made
    before clusters, on a pair of two later accounts, still count for both of them.
    """
    first = cluster.first

    def decided(a: int, b: int) -> LinkDecision | None:
        first_uid, second_uid = sorted([uid(a), uid(b)])
        return link_decisions.get((first_uid, second_uid))

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
            "entry": entry_at(index),
            "uid": uid(index),
            "first": index == first,
            "link": link_with_first.get(index),
            "pair": sorted([uid(first), uid(index)]),
            "decision": decisions.get(index),
            "evidence_key": "" if index == first else link_key(uid(first), uid(index)),
        }
        for index in cluster.members
    ]
    conflicts = [
        {
            "link": link,
            "entries": (entry_at(link.a_index), entry_at(link.b_index)),
            "uids": (uid(link.a_index), uid(link.b_index)),
            "pair": sorted([uid(link.a_index), uid(link.b_index)]),
            "decision": decided(link.a_index, link.b_index),
            "evidence_key": link_key(uid(link.a_index), uid(link.b_index)),
        }
        for link in cluster.conflicts
    ]
    return {
        "words": words,
        "members": set(cluster.members),
        "accounts": accounts,
        "conflicts": conflicts,
        "confirmed": all(d is not None and d.decision == "confirmed" for d in decisions.values()),
    }


def _shown(request: HttpRequest, incident: Any, section: str) -> services.Shown | HttpResponse:
    """The stored analysis to show; while a large case's first analysis is made, a page saying so."""
    shown = services.shown(incident)
    if shown.stored is None:
        context = {"incident": incident, "composite": shown, "section": section}
        return render(request, "composite/analysing.html", context)
    return shown


def _summary_dates(stored: StoredAnalysis) -> dict[str, dt.date | None]:
    return {
        name: dt.date.fromisoformat(stored.summary[name]) if stored.summary.get(name) else None
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
        "summary": _summary_dates(shown.stored),
        "form": form,
        "page": page,
        "rows": _rows(shown, list(page.object_list)),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
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
        **_evidence_target(request, incident),
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
                    Actor.from_request(request),
                    incident,
                    uid,
                    form.cleaned_data["kind"],
                    form.cleaned_data.get("text", ""),
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
        services.save_entry_analysis(
            Actor.from_request(request), incident, str(uid), values, form.version_read()
        )
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
            Actor.from_request(request),
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
    every = AnalysedFinding.objects.filter(analysis=stored)
    chosen = every
    if status:
        chosen = chosen.filter(status=status)
    if rule:
        chosen = chosen.filter(rule_id=rule)
    page = Paginator(chosen.order_by("number"), FINDINGS_PAGE_SIZE).get_page(request.GET.get("page"))
    stored_rows = list(page.object_list)
    positions = {
        p
        for row in stored_rows
        for p in (row.trigger_position, row.evidence_position, *row.accounts)
        if p is not None
    }
    entries = {
        row.position: (stored_analysis.entry_of(row), str(row.uid))
        for row in AnalysedEntry.objects.filter(analysis=stored, position__in=positions)
    }
    shown_rows: list[Any] = [
        {
            "number": row.number,
            "finding": from_plain(Finding, row.detail),
            "trigger": entries[row.trigger_position][0],
            "trigger_uid": str(row.trigger_uid),
            "evidence": entries[row.evidence_position][0] if row.evidence_position is not None else None,
            "decision": _finding_decision(
                finding_decisions, row.rule_id, [entries[i][1] for i in row.accounts]
            ),
            "other_accounts": [entries[i] for i in row.accounts[1:]],
            "evidence_key": f"finding|{finding_reference(row.rule_id, row.status, row.agency)}",
        }
        for row in stored_rows
    ]
    page.object_list = shown_rows
    counts = stored.summary.get("finding_counts", {})
    by_rule = rule_summaries(
        every.order_by("number")
        .annotate(title=KT("detail__rule_title"))
        .values_list("rule_id", "title", "status", "agency")
    )
    context = {
        "by_rule": by_rule,
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
        **_evidence_target(request, incident),
        "query": urlencode({k: v for k, v in {"status": status, "rule": rule}.items() if v}),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
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
            Actor.from_request(request),
            incident,
            finding,
            str(row.trigger_uid),
            decision,
            status or str(finding.status),
            form.cleaned_data.get("reason", ""),
        )
        messages.success(request, f"{finding.rule_title}: {decision}")
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
        points = [
            {**row, "point": from_plain(QualityPoint, row["point"])}
            for row in (detail or {}).get("points", [])
        ]
        cards.append(
            {
                "version": version,
                "card": from_plain(Scorecard, detail["card"]) if detail else None,
                "colour": shown.colours.get(version.request.agency.name),
                "feedback": detail["feedback"] if detail else "",
                "points": points,
            }
        )
    return render(
        request,
        "composite/quality.html",
        {
            "incident": incident,
            "cards": cards,
            "composite": shown,
            "can_manage": is_business_manager(request.user, incident.partnership),
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
                Actor.from_request(request),
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
    manager = is_business_manager(request.user, incident.partnership)
    posted = request.method == "POST"
    form = ExportForm(request.POST if posted else None, initial={"pseudonymise": True})
    agencies = [v.request.agency.name for v in ChronologyVersion.objects.current_for(incident)]
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
                Actor.from_request(request),
                incident,
                form.cleaned_data["names"],
                form.cleaned_data.get("read") or "",
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


def _timeline_hrefs(incident_code: UUID, uids: dict[int, str], marks: list[TimelineMark]) -> dict[int, str]:
    """Where each mark leads (by ``id``): one entry's page, or the composite filtered to the mark's
    agency and days. Hundreds of marks: the two addresses are reversed once, not once a mark."""
    listed = reverse("composite", args=[incident_code])
    placeholder = UUID(int=0)
    one_entry = reverse("composite-entry", args=[incident_code, placeholder])
    hrefs = {}
    for mark in marks:
        if mark.count == 1:
            hrefs[id(mark)] = one_entry.replace(str(placeholder), uids[mark.indices[0]])
            continue
        query = [("agencies", mark.agency)]
        for name, day in (("date_from", mark.start), ("date_to", mark.end)):
            query += [
                (f"{name}_day", str(day.day)),
                (f"{name}_month", str(day.month)),
                (f"{name}_year", str(day.year)),
            ]
        hrefs[id(mark)] = f"{listed}?{urlencode(query)}"
    return hrefs


SWATCH = (
    '<svg class="app-agency-swatch-svg" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" '
    'focusable="false"><rect x="0.5" y="0.5" width="13" height="13" fill="{}" stroke="#0b0c0c"/></svg>'
)


def _timeline_rows(marks: list[TimelineMark], palette: dict[str, Any], hrefs: dict[int, str]) -> str:
    """The timeline as a table's rows, one a mark: made here, as hundreds of rows through the
    template language would cost more than the rest of the page."""
    rows = []
    for mark in sorted(marks, key=lambda m: (m.start, m.lane)):
        dates = (
            day_words(mark.start)
            if mark.start == mark.end
            else f"{day_words(mark.start)} to {day_words(mark.end)}"
        )
        span = " (a date known only to the month or year, or a period)" if mark.is_span else ""
        entries = "1 entry" if mark.count == 1 else f"{mark.count} entries"
        finding = ' <strong class="govuk-tag govuk-tag--red">Finding</strong>' if mark.highlighted else ""
        rows.append(
            format_html(
                '<tr class="govuk-table__row"><td class="govuk-table__cell" data-label="When">{}{}</td>'
                '<td class="govuk-table__cell" data-label="Agency">{} {}</td>'
                '<td class="govuk-table__cell" data-label="Entries"><a class="govuk-link" href="{}">{}'
                '<span class="govuk-visually-hidden">, {}, {}</span></a>{}</td></tr>',
                dates,
                span,
                format_html(SWATCH, palette[mark.agency].fill),
                mark.agency,
                hrefs[id(mark)],
                entries,
                mark.agency,
                dates,
                mark_safe(finding),
            )
        )
    return mark_safe("".join(rows))


def _timeline_plan(stored: StoredAnalysis, year: int, month: int) -> dict[str, Any]:
    """The stored plan of this page of the timeline. An analysis stored before plans were (shown while
    the case is analysed again) has none: it is planned here from a light projection of its entries."""
    found = (
        AnalysedTimeline.objects.filter(analysis=stored, year=year, month=month)
        .values_list("plan", flat=True)
        .first()
    )
    if found is not None:
        return found
    entries: list[Entry] = []
    uids: list[str] = []
    rows = (
        AnalysedEntry.objects.filter(analysis=stored)
        .order_by("position")
        .values_list(
            "uid", "agency", "detail__entry__date", "detail__entry__end_date", "detail__entry__description"
        )
    )
    for uid, agency, date, end_date, description in rows.iterator(chunk_size=2000):
        entries.append(
            Entry(
                agency=agency,
                date=PartialDate.from_isoformat(date),
                description=description,
                end_date=PartialDate.from_isoformat(end_date) if end_date else None,
            )
        )
        uids.append(str(uid))
    highlighted = set(
        AnalysedFinding.objects.filter(analysis=stored, status__in=timeline_plans.HIGHLIGHTED).values_list(
            "trigger_position", flat=True
        )
    )
    silent = AnalysedSilence.objects.filter(analysis=stored, kind="no_entries").order_by("number")
    periods = [from_plain(SilentPeriod, s.detail) for s in silent]
    positions = timeline_plans.windows(entries).get((year, month), [])
    lanes = sorted({entry.agency for entry in entries})
    return timeline_plans.plan(entries, uids, positions, highlighted, periods, lanes, year, month)


@login_required
def timeline(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = access.get_case_for_reader(request, code, audit_view="timeline")
    on_screen = _shown(request, incident, "timeline")
    if isinstance(on_screen, HttpResponse):
        return on_screen
    stored = on_screen.stored
    assert stored is not None
    counts = {
        int(year): {int(m): n for m, n in sorted(months.items(), key=lambda item: int(item[0]))}
        for year, months in sorted(stored.summary["months"].items())
    }
    year, month = _timeline_zoom(request, counts)
    plan, uids = timeline_plans.timeline_of(
        _timeline_plan(stored, year or timeline_plans.WHOLE, month or timeline_plans.WHOLE),
        on_screen.colours,
    )
    silences = list(AnalysedSilence.objects.filter(analysis=stored).order_by("number"))
    shown = f"{MONTH_NAMES[month - 1]} {year}" if month and year else str(year) if year else ""
    hrefs = _timeline_hrefs(incident.code, uids, plan.marks)
    svg = draw_timeline(
        plan,
        title=f"Multi-agency chronology, case {incident.reference}" + (f", {shown}" if shown else ""),
        href=lambda mark: hrefs[id(mark)],
    )
    counted: dict[str, int] = defaultdict(int)
    for mark in plan.marks:
        counted[mark.agency] += mark.count
    context = {
        "incident": incident,
        "svg": svg,
        "composite": on_screen,
        "silent_periods": [from_plain(SilentPeriod, s.detail) for s in silences if s.kind == "no_entries"],
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
        "agencies": [(agency, plan.palette[agency], counted[agency]) for agency in plan.agencies],
        "marks": plan.marks,
        "mark_rows": _timeline_rows(plan.marks, plan.palette, hrefs),
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
    shown = _shown(request, incident, "queue")
    if isinstance(shown, HttpResponse):
        return shown
    kind = query.get("kind", "")
    if kind not in queue.KINDS:
        kind = ""
    every = queue.Awaiting(shown)
    page = Paginator(queue.Awaiting(shown, kind) if kind else every, QUEUE_PAGE_SIZE).get_page(
        query.get("page")
    )
    items = []
    for item in page.object_list:
        if bound and bound[0] == item.key:
            form = bound[1]
        elif item.kind == "finding":
            form = FindingDecisionForm(prefix=item.slug)
        else:
            form = LinkDecisionForm(prefix=item.slug)
        items.append({"item": item, "form": form})
    counts = every.counts
    here = urlencode({k: v for k, v in {"kind": kind, "page": page.number}.items() if v})
    context = {
        "incident": incident,
        "composite": shown,
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
    shown = services.shown(incident)
    back = request.POST.get("back", "")
    back_url = f"{reverse('composite-queue', args=[incident.code])}{'?' + back if back else ''}"
    item = queue.find(shown, request.POST.get("item", ""))
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
        services.decide_finding_on(
            Actor.from_request(request), incident, item.finding, item.uids[0], decision, status, reason
        )
        messages.success(
            request, f"Finding {item.finding.rule_id} on {item.entries[0].reference()}: {decision}"
        )
    else:
        services.decide_link(
            Actor.from_request(request), incident, item.uids[0], item.uids[1], item.kind, decision, reason
        )
        messages.success(
            request,
            f"The {item.kind} between {item.entries[0].reference()} and {item.entries[1].reference()} "
            f"has been {decision}",
        )
    return redirect(back_url)
