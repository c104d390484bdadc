"""The rapid review's main page is a short overview (status, the review's task list, what is left to do,
the Panel pack); the criteria, evidence, meetings, decision with its history and sign-offs each have
their own page, for everyone who may read the review and nobody else."""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest

from chronicle.audit.models import Action, AuditEvent
from chronicle.core.plain_words import plain
from chronicle.reviews.models import RapidReview
from tests.factories import signed_in
from tests.support.forms import consider_all, decide, meet, pooled

PARTS = ("summary", "meetings", "evidence/chosen", "criteria", "decisions", "sign-offs")


@pytest.fixture
def review(as_: Any, case: Any) -> RapidReview:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    return RapidReview.objects.get(incident=case)


def task_list(html: str) -> dict[str, tuple[str, str]]:
    """The overview's task list: each part's name -> (status, link)."""
    tree = lxml.html.fromstring(html)
    parts = {}
    for item in tree.xpath('//ul[@id="review-progress"]/li'):
        name = " ".join(
            " ".join(
                item.xpath('.//*[contains(@class, "govuk-task-list__name-and-hint")]/*[1]//text()')
            ).split()
        )
        status = " ".join(
            " ".join(item.xpath('.//*[contains(@class, "govuk-task-list__status")]//text()')).split()
        )
        links = item.xpath(".//a/@href")
        parts[name] = (status, links[0] if links else "")
    return parts


def test_it_keeps_the_long_parts_off_the_overview(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    meet(client, review)
    consider_all(client, review)
    decide(client, review)
    page = client.get(f"/reviews/{review.code}/").content.decode()
    parts = task_list(page)
    considered = review.considerations.count()
    assert parts["Criteria considered"] == ("Completed", f"/reviews/{review.code}/criteria/")
    assert parts["Meetings and minutes"] == ("1 meeting recorded", f"/reviews/{review.code}/meetings/")
    assert parts["Evidence chosen"] == ("2 pieces chosen", f"/reviews/{review.code}/evidence/chosen/")
    assert parts["Decision and reasons"] == ("Completed", f"/reviews/{review.code}/decisions/")
    assert parts["Statutory partners' sign-off"] == ("Not yet started", f"/reviews/{review.code}/sign-offs/")
    assert parts["Finalise the record"] == ("Not yet started", f"/reviews/{review.code}/finalise/")
    # No criterion's discussion, reason or piece of evidence is printed on the overview.
    assert "Discussed" not in page and "The referral had no recorded decision" not in page
    assert review.pool.first().label not in page  # type: ignore[union-attr]
    assert considered > 3 and page.count("<li") < 40
    left = lxml.html.fromstring(page).xpath('//ul[@id="left-to-do"]/li')
    assert [li.text_content().split(" has ")[0] for li in left] == [
        "The local authority",
        "The integrated care board",
        "The chief officer of police",
    ]


def test_it_shows_each_part_on_its_own_page(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    meet(client, review)
    consider_all(client, review)
    decide(client, review)
    decide(client, review, rationale="Second thoughts on the rationale.")
    criteria = client.get(f"/reviews/{review.code}/criteria/").content.decode()
    assert criteria.count("Discussed ") == review.considerations.count()
    decisions = client.get(f"/reviews/{review.code}/decisions/").content.decode()
    assert "Second thoughts on the rationale." in decisions and "History: 1 earlier version" in decisions
    assert "Awaited" in client.get(f"/reviews/{review.code}/sign-offs/").content.decode()
    chosen = client.get(f"/reviews/{review.code}/evidence/chosen/").content.decode()
    assert all(plain(item.label) in chosen for item in review.pool.all())
    meetings = client.get(f"/reviews/{review.code}/meetings/").content.decode()
    assert "Rapid review meeting" in meetings


def test_it_starts_a_review_with_nothing_done(as_: Any, review: RapidReview) -> None:
    page = as_("manager").get(f"/reviews/{review.code}/").content.decode()
    parts = task_list(page)
    # The first three things left to do, and a way to all of them on the check page.
    assert len(lxml.html.fromstring(page).xpath('//ul[@id="left-to-do"]/li')) == 3
    assert f'href="/reviews/{review.code}/finalise/">See all' in page
    assert parts["Case summary"][1] == f"/reviews/{review.code}/summary/"  # started from the report
    assert parts["Criteria considered"][0] == "Not yet started"
    assert parts["Statutory partners' sign-off"] == ("Cannot start yet", "")


def test_it_counts_criteria_part_way_through(as_: Any, review: RapidReview) -> None:
    keys = pooled(review)
    as_("manager").post(
        f"/reviews/{review.code}/criteria/LR-01(a)/",
        {"answer": "yes", "discussion": "x", "evidence": keys[:1]},
    )
    parts = task_list(as_("manager").get(f"/reviews/{review.code}/").content.decode())
    assert parts["Criteria considered"][0] == f"1 of {review.considerations.count()} considered"


def test_it_offers_changes_only_to_the_business_manager(as_: Any, review: RapidReview) -> None:
    for path, change in (
        ("summary", "Save the summary"),
        ("meetings", "Record a meeting"),
        ("evidence/chosen", "Find and choose evidence"),
        ("criteria", f"/reviews/{review.code}/criteria/LR-01(a)/"),
        ("decisions", "Record the decision"),
    ):
        assert change in as_("manager").get(f"/reviews/{review.code}/{path}/").content.decode()
        assert change not in as_("reviewer").get(f"/reviews/{review.code}/{path}/").content.decode()


def test_it_saves_the_summary_from_its_own_page(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    response = client.post(
        f"/reviews/{review.code}/overview/", {"summary": "Baby L was seen in hospital.", "read_version": "0"}
    )
    assert response.status_code == 302 and response["Location"] == f"/reviews/{review.code}/summary/"
    assert (
        "Baby L was seen in hospital."
        in as_("reviewer").get(f"/reviews/{review.code}/summary/").content.decode()
    )
    assert (
        task_list(client.get(f"/reviews/{review.code}/").content.decode())["Case summary"][0] == "Completed"
    )


@pytest.mark.parametrize("part", PARTS)
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
def test_it_shows_each_part_to_those_who_may_read_the_review(
    as_: Any, world: Any, review: RapidReview, part: str, persona: str, status: int
) -> None:
    assert as_(persona).get(f"/reviews/{review.code}/{part}/").status_code == status
    if status == 404:
        assert AuditEvent.objects.filter(
            action=Action.ACCESS_DENIED, object_id=str(review.code), user=getattr(world, persona)
        ).exists()


@pytest.mark.parametrize("part", PARTS)
def test_it_sends_anonymous_visitors_to_sign_in(client: Any, review: RapidReview, part: str) -> None:
    assert client.get(f"/reviews/{review.code}/{part}/")["Location"].startswith("/sign-in/")


def test_it_leads_a_statutory_partner_to_their_sign_off(
    as_: Any, review: RapidReview, partners: dict[str, Any]
) -> None:
    police = signed_in(partners["police"])
    assert "Record your position and sign off" not in police.get(f"/reviews/{review.code}/").content.decode()
    decide(as_("manager"), review)
    for path in ("", "sign-offs/"):
        page = police.get(f"/reviews/{review.code}/{path}").content.decode()
        assert f'href="/reviews/{review.code}/position/"' in page
    assert "/position/" not in as_("reviewer").get(f"/reviews/{review.code}/sign-offs/").content.decode()


def test_it_shows_a_long_agenda_a_page_at_a_time_and_keeps_other_pages_minutes(
    as_: Any, review: RapidReview
) -> None:
    client = as_("manager")
    client.post(
        f"/reviews/{review.code}/meetings/new/",
        {
            "held_on_day": "14",
            "held_on_month": "3",
            "held_on_year": "2024",
            "name_1": "Lena Abbott",
            "role_1": "Director of Children's Services",
            "partner_1": "local_authority",
            "free_items": "\n".join(f"Point {n}" for n in range(1, 41)),
        },
    )
    meeting = review.meetings.get()
    items = list(meeting.items.all())
    assert len(items) > 40
    url = f"/reviews/{review.code}/meetings/{meeting.code}/"
    first = client.get(url).content.decode()
    assert first.count('<textarea class="govuk-textarea"') == 10 and "Page 1 of" in first
    client.post(url, {f"minutes_{items[0].pk}": "Agreed on page one", "read_version": meeting.lock_version})
    meeting.refresh_from_db()
    response = client.post(
        url,
        {f"minutes_{items[30].pk}": "Agreed on page two", "read_version": meeting.lock_version, "page": "4"},
    )
    assert response["Location"] == f"{url}?page=4"
    saved = {item.pk: item.minutes for item in meeting.items.all()}
    assert saved[items[0].pk] == "Agreed on page one" and saved[items[30].pk] == "Agreed on page two"
    assert "Agreed on page two" in client.get(f"{url}?page=4").content.decode()
