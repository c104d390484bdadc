"""Two people at once, one request after the other (any database): edits are checked against the
version read, and creates and submits posted twice happen once.

The same races with real concurrent sessions are in tests/races (PostgreSQL).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from chronicle.accounts.models import Role
from chronicle.chronologies.models import ChronologyVersion, DraftEntry, Status
from chronicle.composite.models import Annotation, EntryAnalysis
from chronicle.incidents.models import Notification, Screening
from chronicle.reviews.models import Decision, Meeting, RapidReview
from chronicle.ui.concurrency import AlreadyDone, EditConflict, claim, once
from chronicle.ui.models import SpentFormToken
from tests.factories import add_entry, make_user, request_as, signed_in
from tests.support.forms import answers_form, decide, entry_data
from tests.support.races import hidden

# --- The mechanism ---------------------------------------------------------------------------------


def test_it_moves_the_version_on_with_every_save(world: Any, police_request: Any) -> None:
    entry = add_entry(police_request, world.owner)
    assert entry.lock_version == 0
    entry.outcome = "Referral made"
    entry.save()
    assert DraftEntry.objects.get(pk=entry.pk).lock_version == 1
    police_request.mark_in_progress()  # a change made without a form moves it on too
    assert police_request.lock_version == 1


def test_it_claims_a_version_once_and_refuses_the_second_claim(world: Any, police_request: Any) -> None:
    entry = add_entry(police_request, world.owner)
    claim(entry, 0, noun="entry")
    entry.save()
    stale = DraftEntry.objects.get(pk=entry.pk)
    with pytest.raises(EditConflict) as refused:
        claim(stale, 0, noun="entry")
    assert refused.value.current_version == 1
    assert DraftEntry.objects.get(pk=entry.pk).lock_version == 1


def test_it_says_what_changed_since_the_version_read(world: Any, police_request: Any) -> None:
    entry = add_entry(police_request, world.owner, outcome="")
    changed = DraftEntry.objects.get(pk=entry.pk)
    claim(changed, 0)
    changed.outcome = "Referral made"
    changed.save()
    with pytest.raises(EditConflict) as refused:
        claim(entry, 0, noun="entry")
    assert refused.value.changed == ["outcome"]
    message = refused.value.message({"outcome": "Outcome"})
    assert "changed this entry" in message and "(Outcome)" in message
    assert "Your changes have not been saved" in message


def test_it_runs_a_form_once_per_token(world: Any) -> None:
    http_request = request_as(world.manager)
    token = uuid.uuid4()
    made: list[int] = []
    assert once(http_request, token, lambda: made.append(1) or "first", lambda _: "/done/") == "first"
    with pytest.raises(AlreadyDone) as done:
        once(http_request, token, lambda: made.append(2), lambda _: "/again/")
    assert done.value.url == "/done/" and made == [1]
    assert once(http_request, None, lambda: "no token", lambda _: "/") == "no token"


def test_it_leaves_the_token_unspent_when_the_work_fails(world: Any) -> None:
    http_request = request_as(world.manager)
    token = uuid.uuid4()
    with pytest.raises(ZeroDivisionError):
        once(http_request, token, lambda: 1 / 0, lambda _: "/")
    assert not SpentFormToken.objects.filter(token=token).exists()
    assert once(http_request, token, lambda: "second try", lambda _: "/") == "second try"


def test_it_does_not_let_one_person_spend_another_persons_token(world: Any) -> None:
    token = uuid.uuid4()
    once(request_as(world.manager), token, lambda: None, lambda _: "/manager/")
    with pytest.raises(AlreadyDone) as done:
        once(request_as(world.owner), token, lambda: None, lambda _: "/")
    assert done.value.url == ""  # nothing of the other person's result is shown


# --- Draft entries and submitting ------------------------------------------------------------------


def test_it_refuses_to_save_an_entry_over_a_newer_version_and_keeps_the_input(
    world: Any,
    police_request: Any,
) -> None:
    analyst = make_user("police.analyst@northshire.example", world.northshire, Role.AGENCY_LEAD, world.police)
    entry = add_entry(police_request, world.owner, description="Officers attended.")
    url = f"/chronologies/{police_request.code}/entries/{entry.code}/"
    mine, theirs = signed_in(world.owner), signed_in(analyst)
    my_page = mine.get(url).content.decode()
    their_page = theirs.get(url).content.decode()
    their_post = {
        **entry_data(outcome="Referral to children's social care"),
        "read_version": hidden(their_page, "read_version"),
    }
    assert theirs.post(url, their_post).status_code == 302

    my_post = {
        **entry_data(description="Officers attended; Baby G asleep upstairs."),
        "read_version": hidden(my_page, "read_version"),
    }
    response = mine.post(url, my_post)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Police.Analyst Tester changed this entry" in page
    assert "Outcome" in page  # what they changed
    assert "Officers attended; Baby G asleep upstairs." in page  # what I wrote is still there
    entry.refresh_from_db()
    assert entry.outcome == "Referral to children's social care"
    assert entry.description == "Health visitor saw Baby G at home with mother."  # theirs, not mine
    assert hidden(page, "read_version") == "1"  # saving again now keeps mine, knowingly
    assert mine.post(url, {**my_post, "read_version": "1"}).status_code == 302
    entry.refresh_from_db()
    assert entry.description == "Officers attended; Baby G asleep upstairs."


def test_it_adds_one_entry_when_the_form_is_posted_twice(world: Any, police_request: Any) -> None:
    client = signed_in(world.owner)
    url = f"/chronologies/{police_request.code}/entries/new/"
    post = {**entry_data(), "form_token": hidden(client.get(url).content.decode(), "form_token")}
    first, second = client.post(url, post), client.post(url, post)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == f"/chronologies/{police_request.code}/"
    assert DraftEntry.objects.filter(request=police_request).count() == 1


def test_it_refuses_to_submit_an_unchanged_draft_as_a_new_version(world: Any, police_request: Any) -> None:
    entry = add_entry(police_request, world.owner)
    client = signed_in(world.owner)
    url = f"/chronologies/{police_request.code}/submit/"
    assert client.post(url, {}).status_code == 302
    page = client.post(url, {}).content.decode()
    assert "Nothing has changed since version 1" in page
    assert ChronologyVersion.objects.filter(request=police_request).count() == 1
    entry.outcome = "Referral made"
    entry.save()
    assert client.post(url, {}).status_code == 302
    assert ChronologyVersion.objects.filter(request=police_request).count() == 2


def test_it_submits_once_when_the_form_is_posted_twice(world: Any, police_request: Any) -> None:
    add_entry(police_request, world.owner)
    client = signed_in(world.owner)
    url = f"/chronologies/{police_request.code}/submit/"
    token = hidden(client.get(url).content.decode(), "form_token")
    responses = [client.post(url, {"form_token": token}) for _ in range(2)]
    assert [r.status_code for r in responses] == [302, 302]
    assert ChronologyVersion.objects.filter(request=police_request).count() == 1


def test_it_refuses_to_return_a_chronology_resubmitted_since_it_was_read(
    world: Any,
    police_request: Any,
) -> None:
    add_entry(police_request, world.owner)
    owner = signed_in(world.owner)
    assert owner.post(f"/chronologies/{police_request.code}/submit/", {}).status_code == 302
    police_request.refresh_from_db()
    manager = signed_in(world.manager)
    page = manager.get(f"/chronologies/{police_request.code}/return/").content.decode()
    add_entry(police_request, world.owner, "2024-03-02")
    assert owner.post(f"/chronologies/{police_request.code}/submit/", {}).status_code == 302
    response = manager.post(
        f"/chronologies/{police_request.code}/return/",
        {
            "feedback": "Add the strategy discussion.",
            "due_on_day": "1",
            "due_on_month": "1",
            "due_on_year": "2099",
            "read_version": hidden(page, "read_version"),
        },
    )
    assert response.status_code == 200 and "changed this chronology" in response.content.decode()
    assert "Add the strategy discussion." in response.content.decode()
    police_request.refresh_from_db()
    assert police_request.status == Status.SUBMITTED


def test_it_refuses_to_accept_a_chronology_changed_since_it_was_read(world: Any, police_request: Any) -> None:
    add_entry(police_request, world.owner)
    assert signed_in(world.owner).post(f"/chronologies/{police_request.code}/submit/", {}).status_code == 302
    police_request.refresh_from_db()
    read = police_request.lock_version
    police_request.due_on = police_request.due_on  # any change since: a return, a submission
    police_request.save()
    response = signed_in(world.manager).post(
        f"/chronologies/{police_request.code}/accept/", {"read_version": str(read)}, follow=True
    )
    assert "was not accepted" in response.content.decode()
    police_request.refresh_from_db()
    assert police_request.status == Status.SUBMITTED


# --- Incidents -------------------------------------------------------------------------------------


def test_it_refuses_a_screening_over_one_recorded_since_the_form_was_read(as_: Any, incident: Any) -> None:
    url = f"/incidents/{incident.code}/screen/"
    first, second = as_("manager"), as_("manager")
    pages = [first.get(url).content.decode(), second.get(url).content.decode()]
    data = {**answers_form(incident), "outcome": "notifiable"}
    assert first.post(url, {**data, "read_version": hidden(pages[0], "read_version")}).status_code == 302
    response = second.post(url, {**data, "read_version": hidden(pages[1], "read_version")})
    assert response.status_code == 200 and "changed this screening decision" in response.content.decode()
    assert list(Screening.objects.filter(incident=incident).values_list("version", flat=True)) == [1]


def test_it_records_a_notification_once_when_posted_twice(as_: Any, incident: Any) -> None:
    client = as_("manager")
    client.post(f"/incidents/{incident.code}/screen/", {**answers_form(incident), "outcome": "notifiable"})
    url = f"/incidents/{incident.code}/notifications/new/"
    token = hidden(client.get(url).content.decode(), "form_token")
    data = {
        "recipients": ["Child Safeguarding Practice Review Panel"],
        "sent_on_day": "8",
        "sent_on_month": "3",
        "sent_on_year": "2024",
        "form_token": token,
    }
    assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert Notification.objects.filter(incident=incident).count() == 1


# --- The rapid review and the composite ------------------------------------------------------------


@pytest.fixture
def review(as_: Any, case: Any) -> RapidReview:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    return RapidReview.objects.get(incident=case)


def test_it_refuses_a_decision_over_a_version_recorded_since_it_was_read(
    world: Any, as_: Any, review: RapidReview
) -> None:
    other = make_user("manager2@northshire.example", world.northshire, Role.BUSINESS_MANAGER)
    mine, theirs = as_("manager"), signed_in(other)
    my_page = mine.get(f"/reviews/{review.code}/decision/").content.decode()
    assert decide(theirs, review, read_version="0").status_code == 302
    response = decide(mine, review, read_version=hidden(my_page, "read_version"), rationale="My rationale.")
    page = response.content.decode()
    assert response.status_code == 200 and "Manager2 Tester changed this decision" in page
    assert "My rationale." in page
    assert list(Decision.objects.filter(review=review).values_list("version", flat=True)) == [1]


def test_it_records_a_decision_once_when_posted_twice(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    token = hidden(client.get(f"/reviews/{review.code}/decision/").content.decode(), "form_token")
    assert [decide(client, review, form_token=token).status_code for _ in range(2)] == [302, 302]
    assert Decision.objects.filter(review=review).count() == 1


def test_it_refuses_a_criterion_saved_over_a_newer_answer(as_: Any, review: RapidReview) -> None:
    consideration = review.considerations.first()
    assert consideration is not None
    url = f"/reviews/{review.code}/criteria/{consideration.criterion_id}/"
    first, second = as_("manager"), as_("manager")
    pages = [first.get(url).content.decode(), second.get(url).content.decode()]
    data = {"answer": "yes", "discussion": "First view", "read_version": hidden(pages[0], "read_version")}
    assert first.post(url, data).status_code == 302
    response = second.post(
        url, {**data, "discussion": "Second view", "read_version": hidden(pages[1], "read_version")}
    )
    assert response.status_code == 200 and "changed this criterion" in response.content.decode()
    consideration.refresh_from_db()
    assert consideration.discussion == "First view"


def test_it_refuses_a_case_summary_saved_over_a_newer_one(as_: Any, review: RapidReview) -> None:
    page = as_("manager").get(f"/reviews/{review.code}/summary/").content.decode()
    read = hidden(page, "read_version")
    url = f"/reviews/{review.code}/overview/"
    assert as_("manager").post(url, {"summary": "First summary", "read_version": read}).status_code == 302
    response = as_("manager").post(url, {"summary": "Second summary", "read_version": read})
    assert response.status_code == 200
    assert "changed this case summary" in response.content.decode()
    assert "Second summary" in response.content.decode()
    review.refresh_from_db()
    assert review.summary == "First summary"


def test_it_refuses_minutes_saved_over_newer_minutes(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    new = f"/reviews/{review.code}/meetings/new/"
    token = hidden(client.get(new).content.decode(), "form_token")
    data = {
        "held_on_day": "12",
        "held_on_month": "3",
        "held_on_year": "2024",
        "name_1": "Lena Abbott",
        "role_1": "Director of Children's Services",
        "partner_1": "local_authority",
        "free_items": "Family's view",
        "form_token": token,
    }
    assert [client.post(new, data).status_code for _ in range(2)] == [302, 302]
    meeting = Meeting.objects.get(review=review)  # one meeting from a double post
    item = meeting.items.first()
    assert item is not None
    url = f"/reviews/{review.code}/meetings/{meeting.code}/"
    read = hidden(client.get(url).content.decode(), "read_version")
    assert (
        client.post(url, {f"minutes_{item.pk}": "Agreed to refer.", "read_version": read}).status_code == 302
    )
    response = client.post(url, {f"minutes_{item.pk}": "Agreed to wait.", "read_version": read})
    page = response.content.decode()
    assert response.status_code == 200 and "changed this meeting" in page and "Agreed to wait." in page
    item.refresh_from_db()
    assert item.minutes == "Agreed to refer."


def test_it_refuses_six_headings_saved_over_newer_ones_and_annotates_once(as_: Any, case: Any) -> None:
    from chronicle.composite import services as composite

    uid = composite.build(case).uid(0)
    client = as_("manager")
    page = client.get(f"/composite/{case.code}/entries/{uid}/").content.decode()
    url = f"/composite/{case.code}/entries/{uid}/analysis/"
    read = hidden(page, "read_version")
    assert client.post(url, {"gap": "No record of the visit.", "read_version": read}).status_code == 302
    response = client.post(url, {"gap": "Visit not recorded.", "read_version": read})
    assert response.status_code == 200 and "Visit not recorded." in response.content.decode()
    assert EntryAnalysis.objects.get(incident=case, entry_uid=uid).gap == "No record of the visit."
    token = re.findall(r'name="form_token" value="([^"]*)"', page)[0]
    note = {"kind": "comment", "text": "Check with the GP", "form_token": token}
    annotate = f"/composite/{case.code}/entries/{uid}/annotate/"
    assert [client.post(annotate, note).status_code for _ in range(2)] == [302, 302]
    assert Annotation.objects.filter(incident=case).count() == 1
