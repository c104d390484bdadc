from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from chronicle.audit.models import Action, AuditEvent
from chronicle.incidents.models import ThresholdDismissal
from tests.factories import make_incident
from tests.support.forms import answers_form


def test_it_lists_incidents_never_screened_with_the_words_that_matched(as_: Any, incident: Any) -> None:
    page = as_("manager").get("/incidents/threshold-audit/").content.decode()
    assert "NS-2024-017" in page
    assert "no screening decision has been recorded".capitalize() in page
    assert "subdural haemorrhage" in page and "life-threatening" in page


def test_it_lists_incidents_screened_out_despite_serious_harm(as_: Any, incident: Any) -> None:
    client = as_("manager")
    client.post(
        f"/incidents/{incident.code}/screen/",
        {**answers_form(incident), "outcome": "not_notifiable", "rationale": "Thought accidental."},
    )
    page = client.get("/incidents/threshold-audit/").content.decode()
    assert 'Screened "not notifiable" but showing serious harm (1)' in page


def test_it_does_not_list_a_minor_accidental_injury_screened_out(as_: Any, world: Any) -> None:
    minor = make_incident(
        world,
        reference="NS-2024-020",
        outcome="other",
        harm_categories=["other"],
        description="Grazed knee in the playground.",
        abuse_or_neglect="not_suspected",
    )
    as_("manager").post(
        f"/incidents/{minor.code}/screen/",
        {**answers_form(minor), "outcome": "not_notifiable", "rationale": "Minor accident."},
    )
    assert b"NS-2024-020" not in as_("manager").get("/incidents/threshold-audit/").content


def test_it_needs_a_reason_to_dismiss_and_audits_it(as_: Any, incident: Any) -> None:
    client = as_("manager")
    url = f"/incidents/threshold-audit/incident/{incident.code}/dismiss/"
    refused = client.post(url, {"reason": ""})
    assert b"Write why this match is not a missed serious incident" in refused.content
    assert not ThresholdDismissal.objects.exists()
    assert client.post(url, {"reason": "Duplicate of NS-2024-016, which was notified."}).status_code == 302
    dismissal = ThresholdDismissal.objects.get()
    assert dismissal.dismissed_by == incident.partnership.memberships.get(role="business_manager").user
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(incident.code), detail__contains="Duplicate"
    ).exists()
    assert b"Duplicate of NS-2024-016" in client.get("/incidents/threshold-audit/").content


@pytest.mark.parametrize("persona", ["owner", "other_agency", "reviewer", "auditor"])
def test_it_shows_the_audit_only_to_the_manager(as_: Any, incident: Any, persona: str) -> None:
    assert as_(persona).get("/incidents/threshold-audit/").status_code == 404
    assert (
        as_(persona)
        .post(f"/incidents/threshold-audit/incident/{incident.code}/dismiss/", {"reason": "x"})
        .status_code
        == 404
    )
    assert not ThresholdDismissal.objects.exists()


def test_it_keeps_other_partnerships_matches_out_of_reach(as_: Any, incident: Any) -> None:
    client = as_("outsider")
    assert b"NS-2024-017" not in client.get("/incidents/threshold-audit/").content
    assert (
        client.post(
            f"/incidents/threshold-audit/incident/{incident.code}/dismiss/", {"reason": "x"}
        ).status_code
        == 404
    )
    assert not ThresholdDismissal.objects.exists()


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, world: Any) -> None:
    assert client.get("/incidents/threshold-audit/")["Location"].startswith("/sign-in/")


def test_it_prints_json_on_the_command_line(world: Any) -> None:
    make_incident(
        world,
        reference="NS-2012-004",
        occurred_on=dt.date(2012, 5, 31),
        aware_on=dt.date(2012, 6, 1),
        born_on=dt.date(2012, 2, 27),
    )
    out = StringIO()
    call_command("threshold-audit", json=True, stdout=out)
    report = json.loads(out.getvalue())[world.northshire.name]
    found = report["unscreened_incidents"][0]
    assert found["reference"] == "NS-2012-004"
    assert any(
        "shaken" in words or "subdural haemorrhage" in words
        for i in found["indicators"]
        for words in i["words"]
    )
