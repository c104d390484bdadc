from __future__ import annotations

from typing import Any

import pytest

from chronicle.audit.models import Action, AuditEvent
from chronicle.composite import services
from chronicle.composite.models import Annotation, EntryAnalysis, FindingDecision, LinkDecision, SavedView

READERS = [
    ("manager", 200),
    ("reviewer", 200),
    ("auditor", 200),
    ("owner", 404),
    ("other_agency", 404),
    ("outsider", 404),
]


@pytest.mark.parametrize(("persona", "status"), READERS)
def test_it_shows_the_composite_to_readers_only(
    as_: Any, world: Any, case: Any, persona: str, status: int
) -> None:
    for path in ("", "findings/", "quality/", "timeline/"):
        response = as_(persona).get(f"/composite/{case.code}/{path}")
        assert response.status_code == status, path
    user = getattr(world, persona)
    if status == 200:
        assert AuditEvent.objects.filter(action=Action.VIEW, object_type="composite", user=user).count() == 4
    else:
        assert (
            AuditEvent.objects.filter(
                action=Action.ACCESS_DENIED, object_id=str(case.code), user=user
            ).count()
            == 4
        )


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, case: Any) -> None:
    assert client.get(f"/composite/{case.code}/")["Location"].startswith("/sign-in/")


def test_it_merges_both_agencies_in_date_order_with_partial_dates_as_spans(as_: Any, case: Any) -> None:
    built = services.build(case)
    dates = [e.date.isoformat() for e in built.analysis.entries]
    assert dates == ["2024-01-10", "2024-02-03", "2024-02-03", "2024-02-20", "2024-02"]
    page = as_("manager").get(f"/composite/{case.code}/").content.decode()
    assert "February 2024" in page and "month only" in page
    assert page.index("Home visit by social worker") < page.index("Neighbour reported shouting")


def test_it_links_the_same_event_recorded_by_two_agencies(as_: Any, case: Any) -> None:
    built = services.build(case)
    assert [link.kind for link in built.analysis.links] == ["duplicate"]
    assert [len(cluster.members) for cluster in built.analysis.clusters] == [2]
    page = as_("manager").get(f"/composite/{case.code}/?flags=duplicate").content.decode()
    assert page.count("Police called to domestic abuse incident") == 2


def test_it_records_a_link_decision(as_: Any, case: Any) -> None:
    built = services.build(case)
    link = built.analysis.links[0]
    first, second = sorted([built.uid(link.a_index), built.uid(link.b_index)])
    response = as_("reviewer").post(
        f"/composite/{case.code}/links/{first}/{second}/",
        {"decision": "confirmed", "reason": "Same call-out"},
    )
    assert response.status_code == 302
    assert LinkDecision.objects.get().decision == "confirmed"
    assert (
        as_("auditor")
        .post(f"/composite/{case.code}/links/{first}/{second}/", {"decision": "rejected"})
        .status_code
        == 404
    )


def test_it_flags_a_referral_with_no_decision(as_: Any, case: Any) -> None:
    built = services.build(case)
    cj01 = [f for f in built.analysis.findings if f.rule_id == "CJ-01"]
    assert cj01 and str(cj01[0].status) == "cannot_be_determined"
    page = (
        as_("manager").get(f"/composite/{case.code}/findings/?status=cannot_be_determined").content.decode()
    )
    assert "CJ-01" in page


def test_it_confirms_a_finding_and_prefills_the_six_headings(as_: Any, case: Any) -> None:
    built = services.build(case)
    number = next(i for i, f in enumerate(built.analysis.findings) if f.rule_id == "CJ-01")
    client = as_("manager")
    assert (
        client.post(f"/composite/{case.code}/findings/{number}/", {"decision": "changed"}).status_code == 302
    )
    assert not FindingDecision.objects.exists()  # changing needs a status and a reason
    client.post(f"/composite/{case.code}/findings/{number}/", {"decision": "confirmed"})
    decision = FindingDecision.objects.get()
    assert decision.decision == "confirmed" and decision.rule_id == "CJ-01"
    analysis = EntryAnalysis.objects.get(entry_uid=decision.trigger_uid)
    assert analysis.practice_required  # taken from the rule
    assert AuditEvent.objects.filter(object_type="finding", action=Action.UPDATE).exists()


def test_it_dismisses_a_finding_only_with_a_reason(as_: Any, case: Any) -> None:
    number = 0
    client = as_("reviewer")
    client.post(f"/composite/{case.code}/findings/{number}/", {"decision": "dismissed"})
    assert not FindingDecision.objects.exists()
    client.post(
        f"/composite/{case.code}/findings/{number}/",
        {"decision": "dismissed", "reason": "Decision was recorded on paper"},
    )
    assert FindingDecision.objects.get().decision == "dismissed"


@pytest.mark.parametrize("persona", ["auditor", "owner", "other_agency", "outsider"])
def test_it_lets_only_the_manager_and_assigned_reviewers_work_on_it(
    as_: Any, case: Any, persona: str
) -> None:
    built = services.build(case)
    uid = built.uid(0)
    client = as_(persona)
    assert client.post(f"/composite/{case.code}/entries/{uid}/annotate/", {"kind": "star"}).status_code == 404
    assert client.post(f"/composite/{case.code}/findings/0/", {"decision": "confirmed"}).status_code == 404
    assert client.post(f"/composite/{case.code}/entries/{uid}/analysis/", {"gap": "x"}).status_code == 404
    assert (
        not Annotation.objects.exists()
        and not FindingDecision.objects.exists()
        and not EntryAnalysis.objects.exists()
    )


def test_it_annotates_entries_with_comments_tags_and_stars(as_: Any, case: Any) -> None:
    built = services.build(case)
    uid = built.uid(1)
    client = as_("reviewer")
    client.post(f"/composite/{case.code}/entries/{uid}/annotate/", {"kind": "star"})
    client.post(f"/composite/{case.code}/entries/{uid}/annotate/", {"kind": "tag", "text": "domestic abuse"})
    client.post(f"/composite/{case.code}/entries/{uid}/annotate/", {"kind": "comment", "text": ""})
    assert Annotation.objects.count() == 2
    starred = client.get(f"/composite/{case.code}/?flags=starred").content.decode()
    assert "1 of 5 entries shown" in starred
    assert AuditEvent.objects.filter(object_type="annotation", action=Action.CREATE).count() == 2


def test_it_filters_by_agency_dates_and_words_and_saves_views(as_: Any, case: Any, world: Any) -> None:
    client = as_("manager")
    only_police = client.get(f"/composite/{case.code}/", {"agencies": "Northshire Police"}).content.decode()
    assert "3 of 5 entries shown" in only_police
    words = client.get(f"/composite/{case.code}/", {"text": "home visit"}).content.decode()
    assert "1 of 5 entries shown" in words
    dates = client.get(
        f"/composite/{case.code}/", {"date_from_day": "15", "date_from_month": "2", "date_from_year": "2024"}
    ).content.decode()
    assert "2 of 5 entries shown" in dates  # 20 Feb, and "February 2024" whose span overlaps
    client.post(
        f"/composite/{case.code}/views/", {"name": "Police only", "query": "agencies=Northshire+Police"}
    )
    saved = SavedView.objects.get()
    assert (saved.owner, saved.query) == (world.manager, "agencies=Northshire+Police")
    assert "Police only" in client.get(f"/composite/{case.code}/").content.decode()


def test_it_shows_quality_points_and_returns_a_chronology_with_them(as_: Any, case: Any, world: Any) -> None:
    client = as_("manager")
    page = client.get(f"/composite/{case.code}/quality/").content.decode()
    assert "CQ-" in page
    police = case.chronology_requests.get(agency=world.police)
    form = client.get(f"/composite/{case.code}/quality/{police.code}/return/").content.decode()
    assert "Quality checks on your chronology" in form
    assert as_("reviewer").get(f"/composite/{case.code}/quality/{police.code}/return/").status_code == 404


def test_it_draws_an_accessible_timeline(as_: Any, case: Any) -> None:
    page = as_("reviewer").get(f"/composite/{case.code}/timeline/").content.decode()
    assert "<svg" in page and 'role="group"' in page and "<title" in page


def test_it_links_each_quality_point_to_the_entries_that_caused_it(as_: Any, case: Any) -> None:
    built = services.build(case)
    month_only = next(i for i, e in enumerate(built.analysis.entries) if not e.date.is_exact)
    page = as_("manager").get(f"/composite/{case.code}/quality/").content.decode()
    assert "CQ-01" in page
    assert f"/composite/{case.code}/entries/{built.uid(month_only)}/" in page
    police = case.chronology_requests.get(agency__name="Northshire Police")
    feedback = as_("manager").get(f"/composite/{case.code}/quality/{police.code}/return/").content.decode()
    assert "Northshire Police February 2024" in feedback  # the entry named, from the agency's own order


def test_it_groups_findings_by_rule_in_words_with_the_rule_id_behind_the_details(as_: Any, case: Any) -> None:
    built = services.build(case)
    finding = built.analysis.findings[0]
    page = as_("manager").get(f"/composite/{case.code}/findings/").content.decode()
    by_rule = page.split('class="govuk-list govuk-list--spaced app-by-rule"')[1].split("</ul>")[0]
    assert finding.rule_title in by_rule and f"?rule={finding.rule_id}" in by_rule
    assert "×" in by_rule
    card = page.split('class="govuk-summary-card"')[1]
    details = card.split("How this was worked out")[1]
    assert f"Rule: {finding.rule_id}" in details
    assert f"{finding.rule_id}:" not in card.split("How this was worked out")[0]
