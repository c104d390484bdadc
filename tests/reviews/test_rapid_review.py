from __future__ import annotations

from typing import Any

import pytest

from chronicle.audit.models import Action, AuditEvent
from chronicle.core.compliance import rule_by_id
from chronicle.reviews import services
from chronicle.reviews.models import Decision, PartnerPosition, RapidReview
from tests.factories import signed_in
from tests.support.forms import consider_all, decide, meet


@pytest.fixture
def review(as_: Any, case: Any) -> RapidReview:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    return RapidReview.objects.get(incident=case)


def test_it_starts_with_the_15_working_day_clock_and_the_regimes_criteria(review: RapidReview) -> None:
    assert review.regime == "WT2023"
    assert review.due_on == services.calendar_for(review.incident.partnership).add_working_days(
        review.started_on, 15
    )
    assert [c.criterion_id for c in review.considerations.all()][:4] == [
        "LR-01(a)",
        "LR-01(b)",
        "LR-01(c)",
        "LR-01(d)",
    ]


def test_it_compiles_the_agenda_from_the_analysis(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    response = meet(client, review)
    assert response.status_code == 302
    meeting = review.meetings.get()
    titles = [item.title for item in meeting.items.all()]
    assert any(t.startswith(rule_by_id("CJ-01").title) for t in titles)
    assert not any(t.startswith("CJ-") for t in titles)  # rules by what they check, not their codes
    assert titles[-1] == "Family's view"
    assert services.missing_partners(meeting) == []
    page = client.get(f"/reviews/{review.code}/meetings/{meeting.code}/").content.decode()
    assert "Paula Parr" in page
    item = meeting.items.first()
    client.post(
        f"/reviews/{review.code}/meetings/{meeting.code}/",
        {f"minutes_{item.pk}": "Agreed a multi-agency view."},
    )
    item.refresh_from_db()
    assert item.minutes == "Agreed a multi-agency view."


def test_it_warns_when_a_statutory_partner_is_absent(as_: Any, review: RapidReview) -> None:
    response = as_("manager").post(
        f"/reviews/{review.code}/meetings/new/",
        {
            "held_on_day": "14",
            "held_on_month": "3",
            "held_on_year": "2024",
            "name_1": "Lena Abbott",
            "partner_1": "local_authority",
        },
        follow=True,
    )
    assert "Not present: Integrated care board, Chief officer of police" in response.content.decode()


def test_it_requires_every_reason_to_link_evidence(as_: Any, review: RapidReview) -> None:
    response = decide(as_("manager"), review, reason_1_evidence=[])
    assert b"Link reason 1 to the evidence it rests on" in response.content
    assert not Decision.objects.exists()


def test_it_refuses_to_finalise_and_lists_exactly_what_is_missing(
    as_: Any, review: RapidReview, partners: Any
) -> None:
    client = as_("manager")
    response = client.post(f"/reviews/{review.code}/finalise/")
    text = response.content.decode()
    assert "The record cannot be finalised yet" in text
    assert "Criterion LR-01(a) has no answer" in text
    assert "No decision has been recorded" in text
    assert "No rapid review meeting has been recorded" in text
    review.refresh_from_db()
    assert not review.is_final
    assert AuditEvent.objects.filter(object_type="rapidreview", outcome="failure").exists()


def test_it_finalises_once_every_criterion_reason_and_sign_off_is_there(
    as_: Any, review: RapidReview, partners: Any
) -> None:
    client = as_("manager")
    meet(client, review)
    consider_all(client, review)
    assert decide(client, review).status_code == 302
    for name, user in partners.items():
        data = {"partner": name, "agrees": "agree"}
        if name == "police":
            data = {
                "partner": name,
                "agrees": "disagree",
                "reasons": "A peer-learning event would be quicker.",
            }
        assert signed_in(user).post(f"/reviews/{review.code}/position/", data).status_code == 302
    missing_before = services.completeness(review)
    assert missing_before == []
    assert client.post(f"/reviews/{review.code}/finalise/").status_code == 302
    review.refresh_from_db()
    assert review.is_final
    dissent = PartnerPosition.objects.get(partner="police")
    assert not dissent.agrees and "peer-learning" in dissent.reasons
    assert "Disagrees" in client.get(f"/reviews/{review.code}/sign-offs/").content.decode()
    # Finalised: no more changes.
    assert decide(client, review, rationale="Changed mind").status_code == 302
    assert Decision.objects.count() == 1


def test_it_asks_partners_to_sign_off_each_new_version(as_: Any, review: RapidReview, partners: Any) -> None:
    client = as_("manager")
    decide(client, review)
    signed_in(partners["icb"]).post(
        f"/reviews/{review.code}/position/", {"partner": "icb", "agrees": "agree"}
    )
    decide(client, review, outcome="alternative", alternative_kind="Peer-learning event")
    assert Decision.objects.count() == 2
    assert any(
        "integrated care board has not recorded a position" in m for m in services.completeness(review)
    )


def test_it_needs_reasons_to_disagree(partners: Any, as_: Any, review: RapidReview) -> None:
    decide(as_("manager"), review)
    response = signed_in(partners["police"]).post(
        f"/reviews/{review.code}/position/", {"partner": "police", "agrees": "disagree"}
    )
    assert b"Give your reasons for disagreeing" in response.content
    assert not PartnerPosition.objects.exists()


def test_it_lets_a_partner_sign_only_for_their_own_partner(
    partners: Any, as_: Any, review: RapidReview
) -> None:
    decide(as_("manager"), review)
    response = signed_in(partners["icb"]).post(
        f"/reviews/{review.code}/position/", {"partner": "police", "agrees": "agree"}
    )
    assert response.status_code == 200
    assert not PartnerPosition.objects.exists()


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
def test_it_shows_the_review_to_those_who_may_read_it(
    as_: Any, world: Any, review: RapidReview, persona: str, status: int
) -> None:
    assert as_(persona).get(f"/reviews/{review.code}/").status_code == status
    if status == 404:
        assert AuditEvent.objects.filter(
            action=Action.ACCESS_DENIED, object_id=str(review.code), user=getattr(world, persona)
        ).exists()


@pytest.mark.parametrize("persona", ["reviewer", "auditor", "owner", "other_agency", "outsider"])
def test_it_lets_only_the_manager_change_the_record(as_: Any, review: RapidReview, persona: str) -> None:
    client = as_(persona)
    assert (
        client.post(
            f"/reviews/{review.code}/criteria/LR-01(a)/", {"answer": "yes", "discussion": "x"}
        ).status_code
        == 404
    )
    assert decide(client, review).status_code == 404
    assert client.post(f"/reviews/{review.code}/finalise/").status_code == 404
    assert (
        client.post(f"/reviews/{review.code}/position/", {"partner": "police", "agrees": "agree"}).status_code
        == 404
    )
    assert not Decision.objects.exists()


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, review: RapidReview) -> None:
    assert client.get(f"/reviews/{review.code}/")["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 302), ("reviewer", 302), ("auditor", 302), ("owner", 404), ("outsider", 404)],
)
def test_it_makes_the_panel_pack_for_readers(
    as_: Any, review: RapidReview, persona: str, status: int
) -> None:
    client = as_(persona)
    response = client.post(f"/reviews/{review.code}/panel-pack.pdf")
    assert response.status_code == status
    if status == 302:
        page = client.get(response["Location"])
        assert b"Your file is ready" in page.content
        download = client.get(response["Location"] + "download/")
        assert download.content.startswith(b"%PDF")
        assert AuditEvent.objects.filter(
            action=Action.EXPORT, object_id=str(review.incident.code), detail__contains="pseudonymised"
        ).exists()


def test_it_shows_names_in_the_pack_only_to_the_manager(as_: Any, review: RapidReview) -> None:
    as_("manager").post(f"/reviews/{review.code}/panel-pack.docx", {"names": "shown"})
    as_("reviewer").post(f"/reviews/{review.code}/panel-pack.docx", {"names": "shown"})
    details = list(
        AuditEvent.objects.filter(action=Action.CREATE, object_type="job")
        .order_by("id")
        .values_list("detail", flat=True)
    )
    assert details == [
        "asked for the Panel pack (Word, names shown)",
        "asked for the Panel pack (Word, pseudonymised)",
    ]
    assert as_("manager").post(f"/reviews/{review.code}/panel-pack.odt").status_code == 404


@pytest.mark.parametrize(
    ("persona", "meeting_status", "manage_status"),
    [
        ("manager", 200, 200),
        ("reviewer", 200, 404),
        ("auditor", 200, 404),
        ("owner", 404, 404),
        ("other_agency", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_it_shows_each_rapid_review_page_to_the_right_people(
    as_: Any, review: RapidReview, persona: str, meeting_status: int, manage_status: int
) -> None:
    meet(as_("manager"), review)
    meeting = review.meetings.get()
    client = as_(persona)
    assert client.get(f"/reviews/{review.code}/meetings/{meeting.code}/").status_code == meeting_status
    for path in ("meetings/new/", "criteria/LR-01(a)/", "decision/"):
        assert client.get(f"/reviews/{review.code}/{path}").status_code == manage_status, path
    assert (
        client.get(f"/reviews/{review.code}/position/").status_code == 404
    )  # none of them is a statutory partner


def test_it_sends_anonymous_visitors_to_sign_in_from_every_review_page(
    client: Any, review: RapidReview
) -> None:
    for path in ("", "meetings/new/", "criteria/LR-01(a)/", "decision/", "position/", "panel-pack.pdf"):
        assert client.get(f"/reviews/{review.code}/{path}")["Location"].startswith("/sign-in/"), path


def test_it_stops_the_rapid_review_clock_when_the_decision_is_sent_to_the_panel(
    as_: Any, review: RapidReview
) -> None:
    decide(
        as_("manager"),
        review,
        sent_to_panel_on_day="25",
        sent_to_panel_on_month="3",
        sent_to_panel_on_year="2024",
    )
    review.incident.refresh_from_db()
    assert str(review.incident.rapid_review_sent_on) == "2024-03-25"
