"""The review queue: duplicates, conflicts and findings awaiting a person, decided in place."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chronicle.audit.actor import Actor
from chronicle.composite import queue, services
from chronicle.composite.models import FindingDecision, LinkDecision


def url(case: Any) -> str:
    return f"/composite/{case.code}/queue/"


def form_of(page: str, kind: str) -> tuple[str, str]:
    """The item key and field prefix of the first queued item of a kind ("link" or "finding")."""
    found = re.search(rf'name="item" value="({kind}\|[^"]+)".*?name="(q[0-9a-f]+)-decision"', page, re.S)
    assert found, kind
    return found.group(1), found.group(2)


def test_it_lists_what_awaits_a_person(as_: Any, case: Any) -> None:
    page = as_("manager").get(url(case)).content.decode()
    assert "5 proposals from the analysis await a person" in page
    assert "Duplicates (1)" in page and "Findings (4)" in page and "Conflicts (0)" in page
    assert page.count('name="item"') == 5


def test_it_confirms_a_duplicate_in_place_and_takes_it_off_the_queue(as_: Any, case: Any) -> None:
    client = as_("manager")
    key, prefix = form_of(client.get(url(case)).content.decode(), "link")
    for _ in range(2):  # a second post lands on "already decided", not a second decision
        response = client.post(
            url(case), {"item": key, f"{prefix}-decision": "confirmed", "back": "kind=duplicate"}
        )
        assert response.status_code == 302 and response["Location"] == f"{url(case)}?kind=duplicate"
    assert LinkDecision.objects.get(incident=case).decision == "confirmed"
    page = client.get(url(case)).content.decode()
    assert "4 proposals" in page and 'value="link|' not in page


def test_it_changes_a_finding_with_its_reason(as_: Any, case: Any) -> None:
    client = as_("reviewer")
    key, prefix = form_of(client.get(url(case)).content.decode(), "finding")
    client.post(
        url(case),
        {
            "item": key,
            f"{prefix}-decision": "changed",
            f"{prefix}-status": "not_met",
            f"{prefix}-reason": "Checked the MASH log",
        },
    )
    decided = FindingDecision.objects.get(incident=case)
    assert (decided.decision, decided.status, decided.reason) == (
        "changed",
        "not_met",
        "Checked the MASH log",
    )


def test_it_shows_the_error_summary_and_the_inline_error_without_a_choice(as_: Any, case: Any) -> None:
    client = as_("manager")
    key, prefix = form_of(client.get(url(case)).content.decode(), "finding")
    response = client.post(url(case), {"item": key})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert f'href="#id_{prefix}-decision_0"' in page  # the summary links to the first radio
    assert f'id="id_{prefix}-decision-error" class="govuk-error-message"' in page
    assert "<title>Error:" in page
    assert not FindingDecision.objects.exists()


def test_it_pages_a_long_queue(as_: Any, case: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from chronicle.composite import views

    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    client = as_("manager")
    first = client.get(url(case)).content.decode()
    assert first.count('name="item"') == 2 and "Page 1 of 3" in first
    assert client.get(url(case), {"page": "3"}).content.decode().count('name="item"') == 1


def test_it_counts_what_awaits_a_person_for_dashboards(as_: Any, case: Any) -> None:
    from chronicle.composite.awaiting import awaiting_confirmation

    built = services.build(case)
    assert awaiting_confirmation([case])[case.pk].total == len(queue.awaiting_review(built)) == 5
    item = queue.awaiting_review(built, "duplicate")[0]
    services.decide_link(
        Actor.from_request(_request(as_)), case, item.uids[0], item.uids[1], "duplicate", "rejected", ""
    )
    assert (
        awaiting_confirmation([case])[case.pk].total == len(queue.awaiting_review(services.build(case))) == 4
    )


def _request(as_: Any) -> Any:
    from django.test import RequestFactory

    from chronicle.accounts.models import User

    request = RequestFactory().post("/")
    request.user = User.objects.get(email="manager@northshire.example")
    return request


@pytest.mark.parametrize(
    ("persona", "reads", "decides"),
    [
        ("manager", 200, True),
        ("reviewer", 200, True),
        ("auditor", 200, False),
        ("owner", 404, False),
        ("other_agency", 404, False),
        ("outsider", 404, False),
    ],
)
def test_it_shows_the_queue_to_readers_and_lets_workers_decide(
    as_: Any, case: Any, persona: str, reads: int, decides: bool
) -> None:
    client = as_(persona)
    response = client.get(url(case))
    assert response.status_code == reads
    if reads == 200:
        assert ("Record the decision" in response.content.decode()) == decides
    key = queue.awaiting_review(services.build(case), "duplicate")[0].key
    prefix = queue.awaiting_review(services.build(case), "duplicate")[0].slug
    response = client.post(url(case), {"item": key, f"{prefix}-decision": "confirmed"})
    assert LinkDecision.objects.exists() == decides
    if not decides:
        assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, case: Any) -> None:
    assert client.get(url(case))["Location"].startswith("/sign-in/")
    assert client.post(url(case), {})["Location"].startswith("/sign-in/")
