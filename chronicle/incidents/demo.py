"""Demo incidents: the 2012 shaken-baby case the threshold audit finds, and Panel-era cases in each clock state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from chronicle.accounts.models import Agency, Partnership, User
from chronicle.audit.actor import Actor
from chronicle.incidents import services
from chronicle.incidents.models import Incident, ScreeningOutcomeChoice


def _actor(user: User) -> Actor:
    """The demo person, as the loader's audit records have always named them."""
    return Actor.of(user, ip_address="127.0.0.1", user_agent="chronicle demo loader", path="/demo/")


def _incident(partnership: Partnership, agency: Agency, reporter: User, **data: Any) -> tuple[Incident, bool]:
    children: list[dict[str, Any]] = data.pop("children")
    existing = Incident.objects.filter(partnership=partnership, reference=data["reference"]).first()
    if existing:
        return existing, False
    data.setdefault("reporter_name", f"{reporter.get_full_name()}, {reporter.job_title}")
    data["reporting_agency"] = agency
    return services.report(_actor(reporter), partnership, data, children), True


def _screen(incident: Incident, manager: User, outcome: str | None = None, rationale: str = "") -> None:
    proposal = services.propose(incident)
    answers = {
        a.id: {"answer": a.answer, "evidence": f"Incident report of {incident.reported_at:%d/%m/%Y}"}
        for a in proposal.criteria
    }
    chosen = outcome or services.outcome_choice(proposal.notifiable)
    services.record_screening(_actor(manager), incident, answers, chosen, rationale)


def load(partnership: Partnership) -> None:
    manager = User.objects.get(username="manager@northshire.example")
    health_lead = User.objects.get(username="health.lead@northshire.example")
    police_lead = User.objects.get(username="police.lead@northshire.example")
    hospital = Agency.objects.get(partnership=partnership, name="Northshire Hospitals NHS Trust")
    police = Agency.objects.get(partnership=partnership, name="Northshire Police")
    calendar = services.calendar_for(partnership)
    today = timezone.localdate()

    def working_days_ago(n: int) -> dt.date:
        day = today
        while n > 0:
            day -= dt.timedelta(days=1)
            if calendar.is_working_day(day):
                n -= 1
        return day

    # Lesson I: met the threshold for a Serious Case Review in 2012 and was never notified.
    _incident(
        partnership,
        hospital,
        health_lead,
        reference="NS-2012-004",
        occurred_on=dt.date(2012, 5, 31),
        aware_on=dt.date(2012, 6, 1),
        in_england=True,
        outcome="seriously_harmed",
        harm_categories=["abusive_head_trauma"],
        description=(
            "Baby A, aged 3 months, brought to A&E unresponsive. CT showed a subdural haemorrhage and the "
            "ophthalmologist found retinal haemorrhages: a life-threatening injury. Mother's partner later "
            "said he had shaken the baby. Recorded retrospectively from the hospital's records in 2026."
        ),
        abuse_or_neglect="known",
        concern_about_working_together=True,
        retrospective=True,
        children=[
            {"label": "Baby A", "born_on": dt.date(2012, 2, 27), "looked_after": False, "care_leaver": False}
        ],
    )

    newest, created = _incident(
        partnership,
        police,
        police_lead,
        reference="NS-2026-031",
        occurred_on=working_days_ago(2),
        aware_on=working_days_ago(1),
        in_england=True,
        outcome="seriously_harmed",
        harm_categories=["fracture"],
        description="Infant B, 5 months, has a spiral fracture of the femur with no explanation given. Police attended with ambulance.",
        abuse_or_neglect="suspected",
        concern_about_working_together=None,
        children=[
            {
                "label": "Infant B",
                "born_on": working_days_ago(110),
                "looked_after": False,
                "care_leaver": False,
            }
        ],
    )

    due_today, created = _incident(
        partnership,
        hospital,
        health_lead,
        reference="NS-2026-027",
        occurred_on=working_days_ago(6),
        aware_on=working_days_ago(5),
        in_england=True,
        outcome="seriously_harmed",
        harm_categories=["burns_scalds"],
        description="Child C, 2 years, admitted with immersion scalds to both feet; the explanation does not fit the injury.",
        abuse_or_neglect="suspected",
        concern_about_working_together=True,
        children=[{"label": "Child C", "age_years": 2, "looked_after": False, "care_leaver": False}],
    )
    if created:
        _screen(due_today, manager)

    notified, created = _incident(
        partnership,
        police,
        police_lead,
        reference="NS-2026-019",
        occurred_on=working_days_ago(12),
        aware_on=working_days_ago(11),
        in_england=True,
        outcome="died",
        harm_categories=["neglect"],
        description="Young person D, 15, died at home; the house was found in a state of severe neglect. Known to children's social care.",
        abuse_or_neglect="suspected",
        concern_about_working_together=True,
        children=[{"label": "Young person D", "age_years": 15, "looked_after": False, "care_leaver": False}],
    )
    if created:
        _screen(notified, manager)
        services.record_notification(
            _actor(manager),
            notified,
            {
                "recipient": "Child Safeguarding Practice Review Panel",
                "sent_on": working_days_ago(8),
                "reference": "SIN-2026-4471",
            },
        )

    overdue, created = _incident(
        partnership,
        hospital,
        health_lead,
        reference="NS-2026-012",
        occurred_on=working_days_ago(9),
        aware_on=working_days_ago(8),
        in_england=True,
        outcome="seriously_harmed",
        harm_categories=["self_harm"],
        description="Young person E, 14, admitted to PICU after a serious overdose; disclosed sexual abuse by a family friend.",
        abuse_or_neglect="known",
        concern_about_working_together=None,
        children=[{"label": "Young person E", "age_years": 14, "looked_after": True, "care_leaver": False}],
    )
    if created:
        _screen(overdue, manager)

    screened_out, created = _incident(
        partnership,
        hospital,
        health_lead,
        reference="NS-2026-008",
        occurred_on=working_days_ago(20),
        aware_on=working_days_ago(20),
        in_england=True,
        outcome="other",
        harm_categories=["other"],
        description="Child F, 6, broke a wrist falling from a trampoline at a birthday party; seen by parents, account consistent.",
        abuse_or_neglect="not_suspected",
        concern_about_working_together=False,
        children=[{"label": "Child F", "age_years": 6, "looked_after": False, "care_leaver": False}],
    )
    if created:
        _screen(
            screened_out,
            manager,
            ScreeningOutcomeChoice.NOT_NOTIFIABLE,
            "Accidental injury witnessed by several adults; account consistent with the injury; no abuse or neglect suspected.",
        )
    del newest
