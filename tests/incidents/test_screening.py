from __future__ import annotations

import html
from typing import Any

import pytest

from chronicle.audit.models import Action, AuditEvent
from chronicle.incidents import services
from chronicle.incidents.models import Screening
from tests.factories import make_incident
from tests.support.forms import answers_form


def test_it_proposes_an_answer_for_every_criterion_with_its_source(as_: Any, incident: Any) -> None:
    page = as_("manager").get(f"/incidents/{incident.code}/screen/").content.decode()
    proposal = services.propose(incident)
    assert proposal.regime == "WT2023"
    for criterion in proposal.criteria:
        assert html.escape(criterion.question) in page
        assert html.escape(criterion.source) in page


def test_it_records_a_notifiable_decision_with_clocks(as_: Any, incident: Any) -> None:
    response = as_("manager").post(
        f"/incidents/{incident.code}/screen/", {**answers_form(incident), "outcome": "notifiable"}
    )
    assert response.status_code == 302
    screening = Screening.objects.get(incident=incident)
    assert screening.version == 1 and screening.regime == "WT2023"
    assert screening.notify_by.isoformat() == "2024-03-12"  # 5 working days after Tue 5 March 2024
    assert "Child Safeguarding Practice Review Panel" in screening.notify_to
    assert all(item["evidence"].startswith("evidence for") for item in screening.answers.values())
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="screening").exists()


def test_it_refuses_not_notifiable_without_a_rationale(as_: Any, incident: Any) -> None:
    response = as_("manager").post(
        f"/incidents/{incident.code}/screen/", {**answers_form(incident), "outcome": "not_notifiable"}
    )
    assert response.status_code == 200
    assert b"Write the rationale for deciding the incident is not notifiable" in response.content
    assert not Screening.objects.exists()


def test_it_needs_a_rationale_when_the_decision_differs_from_the_answers(as_: Any, incident: Any) -> None:
    response = as_("manager").post(
        f"/incidents/{incident.code}/screen/", {**answers_form(incident), "outcome": "more_information"}
    )
    assert b"Your decision differs from what the answers imply" in response.content
    assert not Screening.objects.exists()


def test_it_keeps_every_version_unchanged(as_: Any, incident: Any) -> None:
    client = as_("manager")
    client.post(f"/incidents/{incident.code}/screen/", {**answers_form(incident), "outcome": "notifiable"})
    abuse_key = next(k for k in answers_form(incident) if k.startswith("answer__") and "abuse" in k)
    client.post(
        f"/incidents/{incident.code}/screen/",
        {
            **answers_form(incident, **{abuse_key: "no"}),
            "outcome": "not_notifiable",
            "rationale": "Accidental fall, witnessed.",
        },
    )
    first, second = Screening.objects.order_by("version")
    assert (first.version, first.outcome) == (1, "notifiable")
    assert (second.version, second.outcome, second.rationale) == (
        2,
        "not_notifiable",
        "Accidental fall, witnessed.",
    )
    page = client.get(f"/incidents/{incident.code}/screenings/1/")
    assert page.status_code == 200 and b"version 1" in page.content
    first.outcome = "not_notifiable"
    with pytest.raises(ValueError, match="never changed"):
        first.save()
    with pytest.raises(ValueError, match="never deleted"):
        first.delete()


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor", "outsider"])
def test_it_lets_only_the_manager_screen(as_: Any, incident: Any, persona: str) -> None:
    client = as_(persona)
    assert client.get(f"/incidents/{incident.code}/screen/").status_code == 404
    assert (
        client.post(
            f"/incidents/{incident.code}/screen/", {**answers_form(incident), "outcome": "notifiable"}
        ).status_code
        == 404
    )
    assert not Screening.objects.exists()


def test_it_marks_unverified_rules_on_the_page(as_: Any, world: Any) -> None:
    import datetime as dt

    old = make_incident(
        world,
        reference="NS-2012-004",
        occurred_on=dt.date(2012, 5, 31),
        aware_on=dt.date(2012, 6, 1),
        born_on=dt.date(2012, 2, 27),
    )
    page = as_("manager").get(f"/incidents/{old.code}/screen/").content.decode()
    assert "LSCB2006/WT2010" in page
    assert "unverified" in page.lower()
    assert "Serious Case Review" in page
