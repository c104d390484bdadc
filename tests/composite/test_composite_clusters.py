"""One event, several accounts on the composite pages: shown in words, decided per account."""

from __future__ import annotations

from typing import Any

import pytest

from chronicle.composite import services
from chronicle.composite.models import FindingDecision, LinkDecision
from tests.factories import submitted_case

CALL_OUT = "Police called to domestic abuse incident at the home; baby present, seen and unharmed."
POLICE_ENTRIES = [
    ("2024-02-03", "police_callout", CALL_OUT, "Niche ref 131"),
    ("2024-02-03", "police_callout", CALL_OUT.replace(".", ", officer's second note."), "Niche ref 132"),
]
SOCIAL_CARE_ENTRIES = [("2024-02-03", "police_callout", CALL_OUT, "MASH record 77")]


@pytest.fixture
def three_accounts(world: Any) -> Any:
    """One call-out recorded twice by the police and once by children's social care."""
    return submitted_case(world, "NS-2024-061", POLICE_ENTRIES, SOCIAL_CARE_ENTRIES)


REFERRAL = ("2024-01-10", "referral", "Referral about bruising to the baby's face seen at nursery", "Ref 9")


@pytest.fixture
def one_referral(world: Any) -> Any:
    """One referral recorded by the police and by children's social care, with no decision recorded."""
    return submitted_case(world, "NS-2024-062", [REFERRAL], [REFERRAL])


def _words(world: Any) -> str:
    return f"One event, 3 accounts: {world.social_care.name}, {world.police.name} (2 accounts)"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("reviewer", 200),
        ("auditor", 200),
        ("owner", 404),
        ("other_agency", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_one_event_with_its_accounts_to_readers_only(
    as_: Any, world: Any, three_accounts: Any, persona: str, status: int
) -> None:
    built = services.build(three_accounts)
    (cluster,) = built.analysis.clusters
    page = as_(persona).get(f"/composite/{three_accounts.code}/")
    assert page.status_code == status
    entry_page = as_(persona).get(
        f"/composite/{three_accounts.code}/entries/{built.uid(cluster.members[1])}/"
    )
    assert entry_page.status_code == status
    if status == 200:
        assert _words(world).replace("'", "&#x27;") in page.content.decode()
        text = entry_page.content.decode()
        assert "Other accounts of the same event" in text
        assert text.count("(first account)") == 1
        assert ('Record<span class="govuk-visually-hidden"> whether' in text) is (persona != "auditor")


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, three_accounts: Any) -> None:
    built = services.build(three_accounts)
    uid = built.uid(built.analysis.clusters[0].first)
    assert client.get(f"/composite/{three_accounts.code}/entries/{uid}/")["Location"].startswith("/sign-in/")


def test_it_stores_a_decision_on_an_account_against_the_first_account(as_: Any, three_accounts: Any) -> None:
    built = services.build(three_accounts)
    (cluster,) = built.analysis.clusters
    first, later = built.uid(cluster.first), built.uid(cluster.members[2])
    pair = sorted([first, later])
    response = as_("reviewer").post(
        f"/composite/{three_accounts.code}/links/{pair[0]}/{pair[1]}/",
        {"decision": "rejected", "reason": "A second call-out that evening"},
    )
    assert response.status_code == 302
    decision = LinkDecision.objects.get()
    assert sorted([str(decision.first_uid), str(decision.second_uid)]) == pair
    page = as_("manager").get(f"/composite/{three_accounts.code}/entries/{later}/").content.decode()
    assert "Rejected: not the same event" in page and "A second call-out that evening" in page
    # An auditor reads but does not decide.
    denied = as_("auditor").post(
        f"/composite/{three_accounts.code}/links/{pair[0]}/{pair[1]}/", {"decision": "confirmed"}
    )
    assert denied.status_code == 404


def test_it_keeps_a_decision_made_on_two_later_accounts_before_events_were_grouped(
    as_: Any, world: Any, three_accounts: Any
) -> None:
    built = services.build(three_accounts)
    (cluster,) = built.analysis.clusters
    second, third = (built.uid(i) for i in cluster.members[1:])
    low, high = sorted([second, third])
    LinkDecision.objects.create(
        incident=three_accounts,
        first_uid=low,
        second_uid=high,
        kind="duplicate",
        decision="confirmed",
        reason="Checked with both officers",
        decided_by=world.manager,
    )
    for uid in (second, third):
        page = as_("reviewer").get(f"/composite/{three_accounts.code}/entries/{uid}/").content.decode()
        assert page.count("Confirmed as the same event") == 2, uid


def test_it_filters_to_entries_in_an_event_with_several_accounts(as_: Any, case: Any) -> None:
    page = as_("manager").get(f"/composite/{case.code}/?flags=duplicate").content.decode()
    assert page.count("Police called to domestic abuse incident") == 2
    assert "baby seen asleep" not in page


def test_it_keeps_a_finding_decision_made_on_another_account_of_the_event(
    as_: Any, world: Any, one_referral: Any
) -> None:
    built = services.build(one_referral)
    (number,) = [n for n, f in enumerate(built.analysis.findings) if f.rule_id == "CJ-01"]
    assert len(built.analysis.accounts_of(number)) == 2  # one finding for the event, naming both
    finding = built.analysis.findings[number]
    later = next(i for i in built.analysis.accounts_of(number) if i != finding.trigger_index)
    FindingDecision.objects.create(
        incident=one_referral,
        rule_id=finding.rule_id,
        trigger_uid=built.uid(later),
        decision="dismissed",
        proposed_status=str(finding.status),
        status=str(finding.status),
        reason="Recorded on paper",
        decided_by=world.manager,
    )
    page = as_("reviewer").get(f"/composite/{one_referral.code}/findings/").content.decode()
    assert "Recorded on paper" in page
    assert "The same event is also recorded by" in page
