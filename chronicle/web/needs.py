"""What needs the person signed in, by role, each item linked to where it is done.

Statutory partners: decisions awaiting their sign-off. Business managers: chronologies to accept
or return, links and findings to confirm, overdue chronology requests, clocks near their deadline.
Agency staff: chronology requests to answer. A fixed number of queries, whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from chronicle.accounts.models import AGENCY_ROLES, Partnership, Role
from chronicle.accounts.rules import has_role, memberships_of
from chronicle.chronologies.models import OPEN_STATUSES, ChronologyRequest, Status
from chronicle.composite.awaiting import awaiting_confirmation
from chronicle.incidents.models import Incident
from chronicle.incidents.services import Clock
from chronicle.reviews.models import Decision, PartnerKind
from chronicle.reviews.services import AGENCY_PARTNER

NEAR = {"overdue", "due_today", "due_soon"}


@dataclass(frozen=True)
class Item:
    text: str
    url: str


@dataclass
class Need:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


def what_needs(
    user: Any,
    partnership: Partnership,
    incident_rows: list[tuple[Incident, list[Clock]]],
    today: dt.date,
) -> list[Need]:
    needs: list[Need] = []
    if has_role(user, Role.STATUTORY_PARTNER, partnership):
        needs.append(_sign_offs(user, partnership))
    if has_role(user, Role.BUSINESS_MANAGER, partnership):
        cases = [(i, clocks) for i, clocks in incident_rows if i.partnership_id == partnership.pk]
        needs += _for_the_manager(partnership, cases, today)
    agencies = [
        m.agency_id
        for m in memberships_of(user)
        if m.partnership_id == partnership.pk and m.role in AGENCY_ROLES and m.agency_id is not None
    ]
    if agencies and (
        has_role(user, Role.AGENCY_LEAD, partnership) or has_role(user, Role.CONTRIBUTOR, partnership)
    ):
        needs.append(_requests_to_answer(agencies, today))
    return needs


def _sign_offs(user: Any, partnership: Partnership) -> Need:
    need = Need("sign_offs", "Sign-offs awaiting you")
    partners = sorted(
        {
            AGENCY_PARTNER[m.agency.agency_type]
            for m in memberships_of(user)
            if m.partnership_id == partnership.pk
            and m.role == Role.STATUTORY_PARTNER
            and m.agency is not None
            and m.agency.agency_type in AGENCY_PARTNER
        }
    )
    newest = Decision.objects.filter(review=OuterRef("review")).order_by("-version").values("version")[:1]
    for partner in partners:
        awaiting = (
            Decision.objects.filter(
                review__incident__partnership=partnership,
                review__finalised_at__isnull=True,
                version=Subquery(newest),
            )
            .exclude(positions__partner=partner)
            .select_related("review__incident")
            .order_by("review__due_on")
        )
        for decision in awaiting:
            need.items.append(
                Item(
                    f"{decision.review.incident.reference}: decision version {decision.version}, "
                    f"for the {PartnerKind(partner).label.lower()}",
                    reverse("review-position", args=[decision.review.code]),
                )
            )
    return need


def _for_the_manager(
    partnership: Partnership, cases: list[tuple[Incident, list[Clock]]], today: dt.date
) -> list[Need]:
    requests = ChronologyRequest.objects.filter(incident__partnership=partnership).select_related(
        "incident", "agency"
    )
    to_accept = Need("to_accept", "Chronologies to accept or return")
    for r in requests.filter(status=Status.SUBMITTED).order_by("due_on"):
        to_accept.items.append(
            Item(
                f"{r.incident.reference}: {r.agency.name}",
                reverse("case-chronologies", args=[r.incident.code]),
            )
        )
    to_confirm = Need("to_confirm", "Links and findings to confirm")
    awaiting = awaiting_confirmation([incident for incident, _ in cases])
    for incident, _ in cases:
        count = awaiting.get(incident.pk)
        url = reverse("composite", args=[incident.code])
        if count is None:
            to_confirm.items.append(
                Item(
                    f"{incident.reference}: open the composite chronology to work out its links and findings",
                    url,
                )
            )
        elif count.total:
            to_confirm.items.append(
                Item(
                    f"{incident.reference}: {count.links} links and {count.findings} findings to confirm", url
                )
            )
    overdue = Need("overdue_requests", "Overdue chronology requests")
    for r in requests.filter(status__in=OPEN_STATUSES, due_on__lt=today).order_by("due_on"):
        overdue.items.append(
            Item(
                f"{r.incident.reference}: {r.agency.name}, due {_day(r.due_on)}",
                reverse("case-chronologies", args=[r.incident.code]),
            )
        )
    near = Need("clocks", "Clocks near their deadline")
    for incident, clocks in cases:
        for clock in clocks:
            if clock.state in NEAR and not clock.late_on_record:
                near.items.append(
                    Item(
                        f"{incident.reference}: {clock.label}, {clock.description[0].lower()}{clock.description[1:]}",
                        reverse("incident", args=[incident.code]),
                    )
                )
    return [to_accept, to_confirm, overdue, near]


def _requests_to_answer(agencies: list[int], today: dt.date) -> Need:
    need = Need("to_answer", "Chronology requests to answer")
    for r in (
        ChronologyRequest.objects.filter(agency_id__in=agencies, status__in=OPEN_STATUSES)
        .select_related("incident", "agency")
        .order_by("due_on")
    ):
        late = " (overdue)" if r.due_on < today else ""
        need.items.append(
            Item(
                f"{r.incident.reference}: {r.agency.name}, {r.get_status_display().lower()}, due {_day(r.due_on)}{late}",
                reverse("chronology", args=[r.code]),
            )
        )
    return need
