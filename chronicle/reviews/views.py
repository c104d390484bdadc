"""The rapid review record: start it, keep its overview, meetings and minutes, consider each criterion
with evidence, record the decision with reasons, take each partner's position, and finalise."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from chronicle.accounts.http import AuthenticatedHttpRequest as HttpRequest
from chronicle.audit.actor import Actor
from chronicle.core.plain_words import dates_in_words
from chronicle.incidents.access import get_managed_incident
from chronicle.incidents.services import calendar_for
from chronicle.reviews import access, evidence, services
from chronicle.reviews.agenda import proposed_agenda
from chronicle.reviews.forms import (
    ConsiderationForm,
    DecisionForm,
    EvidenceSearchForm,
    FinaliseForm,
    MeetingForm,
    OverviewForm,
    PositionForm,
)
from chronicle.reviews.models import (
    DECISION_FIELDS,
    STATUTORY_PARTNERS,
    Consideration,
    Evidence,
    PartnerKind,
    RapidReview,
)
from chronicle.reviews.overview import SHOWN_LEFT_TO_DO, review_parts
from chronicle.ui.concurrency import AlreadyDone, EditConflict, once


@require_POST
@login_required
def start(request: HttpRequest, code: UUID) -> HttpResponse:
    incident = get_managed_incident(request, code)
    review = services.start(Actor.from_request(request), incident)
    return redirect("review", code=review.code)


def _refuse_if_final(request: HttpRequest, review: RapidReview) -> HttpResponse | None:
    if review.is_final:
        messages.error(request, "This rapid review has been finalised and cannot be changed")
        return redirect("review", code=review.code)
    return None


@login_required
def review(request: HttpRequest, code: UUID) -> HttpResponse:
    """The review at a glance: its clock, a task list of its parts, what is left to do and the Panel pack."""
    review = access.get_review_for_reader(request, code)
    calendar = calendar_for(review.incident.partnership)
    today = timezone.localdate()
    manages = access.can_manage(request.user, review)
    left = [] if review.is_final else services.completeness(review)
    context: dict[str, Any] = {
        "review": review,
        "incident": review.incident,
        "can_manage": manages,
        "parts": review_parts(review, manages=manages),
        "left": left,
        "left_shown": left[:SHOWN_LEFT_TO_DO],
        "sign_off_awaits": bool(services.partners_of(request.user, review.incident))
        and review.current_decision() is not None
        and not review.is_final,
        "working_days_left": calendar.working_days_between(today, review.due_on),
        "overdue": today > review.due_on and not review.is_final,
    }
    return render(request, "reviews/review/review.html", context)


def _summary_page(
    request: HttpRequest, review: RapidReview, overview_form: OverviewForm | None = None
) -> HttpResponse:
    context = {
        "review": review,
        "can_change": access.can_manage(request.user, review) and not review.is_final,
        "overview_form": overview_form
        or OverviewForm(
            initial={
                "summary": review.summary,
                "immediate_action": review.immediate_action,
                "context": review.context,
            },
            read_version=review.lock_version,
        ),
    }
    return render(request, "reviews/review/summary.html", context)


@login_required
def summary(request: HttpRequest, code: UUID) -> HttpResponse:
    return _summary_page(request, access.get_review_for_reader(request, code))


@login_required
def meetings(request: HttpRequest, code: UUID) -> HttpResponse:
    review = access.get_review_for_reader(request, code)
    context = {
        "review": review,
        "meetings": review.meetings.prefetch_related("attendance").order_by("held_on"),
        "can_change": access.can_manage(request.user, review) and not review.is_final,
    }
    return render(request, "reviews/review/meetings.html", context)


@login_required
def chosen(request: HttpRequest, code: UUID) -> HttpResponse:
    """The evidence pool as everyone who reads the review sees it: each piece once, numbered."""
    review = access.get_review_for_reader(request, code)
    context = {
        "review": review,
        "pool": list(review.pool.all()),
        "can_change": access.can_manage(request.user, review) and not review.is_final,
    }
    return render(request, "reviews/review/chosen.html", context)


def _cite(review: RapidReview, rows: list[Any]) -> list[Any]:
    """Each row's evidence as (number in the pool, words): the pool prints each piece once."""
    numbers = services.pool_numbers(review)
    for row in rows:
        row.cited = [(numbers.get((e.kind, e.reference)), e.label) for e in row.evidence.all()]
    return rows


@login_required
def criteria(request: HttpRequest, code: UUID) -> HttpResponse:
    review = access.get_review_for_reader(request, code)
    context = {
        "review": review,
        "considerations": _cite(review, list(review.considerations.prefetch_related("evidence"))),
        "can_change": access.can_manage(request.user, review) and not review.is_final,
    }
    return render(request, "reviews/review/criteria.html", context)


@login_required
def decisions(request: HttpRequest, code: UUID) -> HttpResponse:
    """The current decision with its reasons and evidence; earlier versions folded beneath."""
    review = access.get_review_for_reader(request, code)
    decision = review.current_decision()
    context = {
        "review": review,
        "decision": decision,
        "reasons": _cite(review, list(decision.reasons.prefetch_related("evidence"))) if decision else [],
        "earlier_decisions": review.decisions.exclude(pk=decision.pk).order_by("-version")
        if decision
        else [],
        "can_change": access.can_manage(request.user, review) and not review.is_final,
    }
    return render(request, "reviews/review/decisions.html", context)


@login_required
def sign_offs(request: HttpRequest, code: UUID) -> HttpResponse:
    review = access.get_review_for_reader(request, code)
    decision = review.current_decision()
    positions = (
        {p.partner: p for p in decision.positions.select_related("representative")} if decision else {}
    )
    context = {
        "review": review,
        "decision": decision,
        "positions": [(PartnerKind(p).label, positions.get(p)) for p in STATUTORY_PARTNERS],
        "can_sign": bool(services.partners_of(request.user, review.incident))
        and decision is not None
        and not review.is_final,
    }
    return render(request, "reviews/review/sign_offs.html", context)


@require_POST
@login_required
def save_overview(request: HttpRequest, code: UUID) -> HttpResponse:
    review = access.get_review_for_manager(request, code)
    if refused := _refuse_if_final(request, review):
        return refused
    form = OverviewForm(request.POST)
    form.is_valid()
    try:
        services.save_overview(Actor.from_request(request), review, form.cleaned_data, form.version_read())
    except EditConflict as conflict:
        # The summary form sits on the review page: show it there, with this person's words kept.
        form.show_conflict(conflict)
        return _summary_page(request, review, overview_form=form)
    messages.success(request, "The case summary has been saved")
    return redirect("review-summary", code=review.code)


@login_required
def meeting_new(request: HttpRequest, code: UUID) -> HttpResponse:
    review = access.get_review_for_manager(request, code)
    if refused := _refuse_if_final(request, review):
        return refused
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        free = [
            line.strip() for line in (form.cleaned_data.get("free_items") or "").splitlines() if line.strip()
        ]
        try:
            meeting = once(
                request,
                form.token(),
                lambda: services.add_meeting(
                    Actor.from_request(request),
                    review,
                    form.cleaned_data["held_on"],
                    form.cleaned_data.get("title") or "",
                    form.attendees(),
                    free,
                ),
                lambda made: reverse("review-meeting", args=[review.code, made.code]),
            )
        except AlreadyDone as done:
            return redirect(done.url or reverse("review", args=[review.code]))
        missing = services.missing_partners(meeting)
        if missing:
            messages.error(
                request,
                f"Not present: {', '.join(missing)}. The three statutory partners should attend at minimum.",
            )
        return redirect("review-meeting", code=review.code, meeting=meeting.code)
    return render(
        request,
        "reviews/review/meeting_form.html",
        {"review": review, "form": form, "proposed": proposed_agenda(review.incident)},
    )


AGENDA_ITEMS_PER_PAGE = 10  # a large case's agenda has hundreds of items: a page of them at a time


def _agenda_page(meeting: Any, wanted: str | None) -> Any:
    return Paginator(meeting.items.all(), AGENDA_ITEMS_PER_PAGE).get_page(wanted)


@login_required
def meeting(request: HttpRequest, code: UUID, meeting: UUID) -> HttpResponse:
    review = access.get_review_for_reader(request, code, audit=request.method == "GET")
    found = review.meetings.filter(code=meeting).first()
    if found is None:
        raise Http404
    can_manage = access.can_manage(request.user, review)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if refused := _refuse_if_final(request, review):
            return refused
        agenda = _agenda_page(found, request.POST.get("page"))
        items = list(agenda.object_list)
        # Only the items on the page posted: minutes on other pages are left as they are.
        minutes = {
            item.pk: request.POST[f"minutes_{item.pk}"]
            for item in items
            if f"minutes_{item.pk}" in request.POST
        }
        read = request.POST.get("read_version", "")
        try:
            services.save_minutes(
                Actor.from_request(request), found, minutes, int(read) if read.isdigit() else None
            )
        except EditConflict as conflict:
            for item in items:
                item.minutes = minutes.get(item.pk, item.minutes)  # what this person wrote stays in the form
            context = {
                "review": review,
                "meeting": found,
                "agenda": agenda,
                "items": items,
                "read_version": conflict.current_version,
                "conflict": conflict.message(),
                "can_manage": True,
                "missing": services.missing_partners(found),
            }
            return render(request, "reviews/review/meeting.html", context)
        messages.success(request, "The minutes have been saved")
        here = reverse("review-meeting", args=[review.code, found.code])
        return redirect(f"{here}?page={agenda.number}" if agenda.number > 1 else here)
    agenda = _agenda_page(found, request.GET.get("page"))
    context = {
        "review": review,
        "meeting": found,
        "agenda": agenda,
        "items": list(agenda.object_list),
        "read_version": found.lock_version,
        "can_manage": can_manage and not review.is_final,
        "missing": services.missing_partners(found),
        "changes": services.agenda_changes(found) if not review.is_final else None,
    }
    return render(request, "reviews/review/meeting.html", context)


def _choices(citable: dict[str, tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(key, label) for key, (_, _, label) in citable.items()]


def _consideration(review: RapidReview, criterion_id: str) -> Consideration:
    found = review.considerations.filter(criterion_id=criterion_id).first()
    if found is None:
        raise Http404
    return found


@login_required
def consider(request: HttpRequest, code: UUID, criterion_id: str) -> HttpResponse:
    review = access.get_review_for_manager(request, code)
    if refused := _refuse_if_final(request, review):
        return refused
    consideration = _consideration(review, criterion_id)
    cited = list(consideration.evidence.all())
    citable = services.citable(review, cited)
    initial = {
        "answer": consideration.answer,
        "discussion": consideration.discussion,
        "evidence": [f"{e.kind}|{e.reference}" for e in cited],
    }
    form = ConsiderationForm(
        request.POST if request.method == "POST" else None,
        options=_choices(citable),
        initial=initial,
        read_version=consideration.lock_version,
    )
    if request.method == "POST" and form.is_valid():
        linked = [citable[key] for key in form.cleaned_data.get("evidence") or []]
        try:
            services.save_consideration(
                Actor.from_request(request),
                consideration,
                form.cleaned_data["answer"],
                form.cleaned_data["discussion"],
                linked,
                form.version_read(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
        else:
            messages.success(request, "The criterion has been recorded")
            return redirect("review-criteria", code=review.code)
    return render(
        request,
        "reviews/review/consider.html",
        {"review": review, "consideration": consideration, "form": form, "pool_size": review.pool.count()},
    )


@login_required
def decide(request: HttpRequest, code: UUID) -> HttpResponse:
    review = access.get_review_for_manager(request, code)
    if refused := _refuse_if_final(request, review):
        return refused
    current = review.current_decision()
    cited = list(Evidence.objects.filter(reason__decision=current)) if current else []
    citable = services.citable(review, cited)
    initial: dict[str, Any] = {"decided_on": timezone.localdate()}
    if current:
        initial.update({name: getattr(current, name) for name in DECISION_FIELDS})
        for reason in current.reasons.all():
            initial[f"reason_{reason.position}"] = reason.text
            initial[f"reason_{reason.position}_evidence"] = [
                f"{e.kind}|{e.reference}" for e in reason.evidence.all()
            ]
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        options=_choices(citable),
        initial=initial,
        read_version=current.version if current else 0,
    )
    if request.method == "POST" and form.is_valid():
        reasons = [(text, [citable[key] for key in keys]) for text, keys in form.reasons()]
        review_url = reverse("review-decisions", args=[review.code])
        try:
            decision = once(
                request,
                form.token(),
                lambda: services.record_decision(
                    Actor.from_request(request), review, form.cleaned_data, reasons, form.version_read()
                ),
                lambda _: review_url,
            )
        except AlreadyDone as done:
            return redirect(done.url or review_url)
        except EditConflict as conflict:
            form.show_conflict(conflict)
            current = review.current_decision()
        else:
            messages.success(
                request,
                f"Decision version {decision.version} has been recorded; each statutory partner now signs it off",
            )
            return redirect(review_url)
    return render(
        request,
        "reviews/review/decide.html",
        {"review": review, "form": form, "current": current, "pool_size": len(citable)},
    )


@login_required
def position(request: HttpRequest, code: UUID) -> HttpResponse:
    review = access.get_review_for_partner(request, code)
    if refused := _refuse_if_final(request, review):
        return refused
    decision = review.current_decision()
    partners = services.partners_of(request.user, review.incident)
    if decision is None or not partners:
        raise Http404
    form = PositionForm(
        request.POST if request.method == "POST" else None, partners=partners, read_version=decision.version
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_position(
                Actor.from_request(request),
                decision,
                form.cleaned_data["partner"],
                form.cleaned_data["agrees"] == "agree",
                form.cleaned_data.get("reasons", ""),
                form.version_read(),
            )
        except EditConflict as conflict:
            form.show_conflict(conflict)
            decision = review.current_decision() or decision
        else:
            messages.success(request, "Your position has been recorded and signed off")
            return redirect("review", code=review.code)
    return render(
        request, "reviews/review/position.html", {"review": review, "decision": decision, "form": form}
    )


@login_required
def finalise(request: HttpRequest, code: UUID) -> HttpResponse:
    """Check your answers, then finalise; with things outstanding, only with written reasons."""
    review = access.get_review_for_manager(request, code)
    if refused := _refuse_if_final(request, review):
        return refused
    ready = services.readiness(review)
    review_url = reverse("review", args=[review.code])
    form = FinaliseForm(
        request.POST if request.method == "POST" else None,
        outstanding=ready.outstanding,
        read_version=review.lock_version,
        initial={"seen": ready.fingerprint(review)},
    )
    if request.method == "POST" and not ready.missing and form.is_valid():
        try:
            once(
                request,
                form.token(),
                lambda: services.finalise(
                    Actor.from_request(request),
                    review,
                    override_reasons=form.cleaned_data.get("override_reasons") or "",
                    read_version=form.version_read(),
                    seen=form.cleaned_data.get("seen") or None,
                ),
                lambda _: review_url,
            )
        except AlreadyDone as done:
            return redirect(done.url or review_url)
        except services.Finalised:  # someone else finalised it a moment before
            messages.error(request, "This rapid review has been finalised and cannot be changed")
            return redirect(review_url)
        except (EditConflict, services.Changed):
            messages.error(
                request,
                "The record changed while you were checking it. Check it again as it is now before finalising",
            )
            return redirect("review-finalise", code=review.code)
        except services.NotReady as not_ready:
            return render(
                request, "reviews/review/not_ready.html", {"review": review, "missing": not_ready.missing}
            )
        messages.success(request, "The rapid review record has been finalised")
        return redirect(review_url)
    if request.method == "POST" and ready.missing:
        services.refuse_finalising(Actor.from_request(request), review, ready)
        return render(
            request, "reviews/review/not_ready.html", {"review": review, "missing": ready.everything}
        )
    return render(request, "reviews/review/finalise.html", _check_context(review, ready, form))


def _check_context(review: RapidReview, ready: services.Readiness, form: FinaliseForm) -> dict[str, Any]:
    from chronicle.chronologies.models import ChronologyRequest

    decision = review.current_decision()
    positions = (
        {p.partner: p for p in decision.positions.select_related("representative")} if decision else {}
    )
    return {
        "review": review,
        "incident": review.incident,
        "ready": ready,
        "form": form,
        "decision": decision,
        "meetings": list(review.meetings.all()),
        "considerations": list(review.considerations.all()),
        "requests": ChronologyRequest.objects.filter(incident=review.incident)
        .select_related("agency")
        .order_by("agency__name", "round"),
        "positions": [(PartnerKind(p).label, positions.get(p)) for p in STATUTORY_PARTNERS],
    }


# --- The evidence pool and its picker ------------------------------------------------------------


def _back_to(request: HttpRequest, fallback: str) -> str:
    """Where a picker button returns: the page it was pressed on, if it is this site's."""
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(wanted, {request.get_host()}, request.is_secure()):
        return wanted
    return fallback


@login_required
def evidence_pool(request: HttpRequest, code: UUID) -> HttpResponse:
    """Search the case for evidence a page at a time, and see and change what is chosen."""
    review = access.get_review_for_manager(request, code)
    form = EvidenceSearchForm(request.GET or None)
    words, kind, number = "", "", 1
    if form.is_valid():
        words = form.cleaned_data.get("q") or ""
        kind = form.cleaned_data.get("kind") or ""
        number = form.cleaned_data.get("page") or 1
    found = evidence.search(review.incident, words, kind, number)
    pool = list(review.pool.all())
    here = f"{request.path}?{urlencode({'q': words, 'kind': kind, 'page': found.number})}"

    def page_url(n: int) -> str:
        return f"{request.path}?{urlencode({'q': words, 'kind': kind, 'page': n})}"

    context = {
        "review": review,
        "form": form,
        "found": found,
        "chosen": {item.key for item in pool},
        "pool": pool,
        "here": here,
        "words": words,
        "previous_url": page_url(found.number - 1) if found.number > 1 else "",
        "next_url": page_url(found.number + 1) if found.number < found.pages else "",
        "can_change": not review.is_final,
    }
    return render(request, "reviews/review/evidence.html", context)


@require_POST
@login_required
def evidence_add(request: HttpRequest, code: UUID) -> HttpResponse:
    """Add one piece of evidence to the pool; posting twice leaves one."""
    review = access.get_review_for_manager(request, code)
    back = _back_to(request, reverse("review-evidence", args=[review.code]))
    if refused := _refuse_if_final(request, review):
        return refused
    option = evidence.describe(review.incident, request.POST.get("key", ""))
    if option is None:
        messages.error(request, "That evidence is no longer in the case record; search for it again")
        return redirect(back)
    services.add_to_pool(Actor.from_request(request), review, option.kind, option.reference, option.label)
    messages.success(request, f"Added to the evidence pool: {dates_in_words(option.label[:120])}")
    return redirect(back)


@require_POST
@login_required
def evidence_remove(request: HttpRequest, code: UUID, item: UUID) -> HttpResponse:
    """Take evidence out of the pool; what a recorded reason cites keeps its words."""
    review = access.get_review_for_manager(request, code)
    back = _back_to(request, reverse("review-evidence", args=[review.code]))
    if refused := _refuse_if_final(request, review):
        return refused
    if services.remove_from_pool(Actor.from_request(request), review, item):
        messages.success(request, "Removed from the evidence pool")
    return redirect(back)


@require_POST
@login_required
def meeting_refresh(request: HttpRequest, code: UUID, meeting: UUID) -> HttpResponse:
    """Bring a meeting's agenda up to date with the analysis (new chronologies, changed findings)."""
    review = access.get_review_for_manager(request, code)
    found = review.meetings.filter(code=meeting).first()
    if found is None:
        raise Http404
    if refused := _refuse_if_final(request, review):
        return refused
    changes = services.refresh_agenda(Actor.from_request(request), found)
    messages.success(request, f"The agenda is up to date with the analysis: {changes.words()}")
    return redirect("review-meeting", code=review.code, meeting=found.code)
