"""An agency's own event types: a file using them imports, each unknown value is asked about once
(with Chronicle's suggestion and why), the answer is remembered for the agency, and nothing is
recoded silently."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chronicle.accounts.models import Role
from chronicle.audit.models import AuditEvent
from chronicle.chronologies.models import AgencyEventType, DraftEntry, ImportBatch, PendingUpload
from chronicle.chronologies.services import submit
from tests.factories import actor_for, make_request, make_user, signed_in

POLICE_CSV = (
    b"Date,Source of information,Event type,Event details\n"
    b"03/01/2024,Niche 24/101,Concern,School reported Baby G's sister arrived hungry\n"
    b"09/01/2024,Niche 24/155,Arrest,Parent N arrested for assault on Parent M\n"
    b"10/01/2024,Niche 24/155,Information sharing,Notification sent to children's social care\n"
    b"12/01/2024,Niche 24/170,Home visit,Officers visited the home for a safe and well check\n"
    b"15/01/2024,Niche 24/201,Concern,Neighbour reported shouting at the address\n"
)


def upload(
    client: Any, chronology_request: Any, content: bytes = POLICE_CSV, name: str = "police.csv"
) -> Any:
    return client.post(
        f"/chronologies/{chronology_request.code}/import/",
        {"file": SimpleUploadedFile(name, content), "mode": "add"},
    )


def questions_page(client: Any, police_request: Any) -> tuple[str, str]:
    response = upload(client, police_request)
    assert response.status_code == 302
    location = response["Location"]
    assert location.endswith("/event-types/")
    return location, client.get(location).content.decode()


def answers(page: str, chosen: dict[str, str]) -> dict[str, str]:
    """The form's fields for each value, as a person would choose them (by the value's label)."""
    data = {}
    for index in range(10):
        marker = f'name="value_{index}"'
        if marker not in page:
            break
        label_start = page.rfind("Event type ‘", 0, page.index(marker))
        value = page[label_start + len("Event type ‘") : page.index("’", label_start)]
        data[f"value_{index}"] = chosen[value]
    return data


def test_it_imports_a_police_file_with_its_own_event_types(as_: Any, world: Any, police_request: Any) -> None:
    client = as_("owner")
    location, page = questions_page(client, police_request)
    assert not DraftEntry.objects.exists()  # asked first, nothing stored yet
    response = client.post(
        location,
        answers(
            page,
            {
                "Concern": "information_shared",
                "Information sharing": "information_shared",
                "Home visit": "police_visit",
            },
        ),
    )
    assert response.status_code == 302 and response["Location"] == f"/chronologies/{police_request.code}/"
    entries = list(DraftEntry.objects.filter(request=police_request).order_by("date_start"))
    assert [(e.agency_event_type, e.event_type) for e in entries] == [
        ("Concern", "information_shared"),
        ("Arrest", "arrest"),
        ("Information sharing", "information_shared"),
        ("Home visit", "police_visit"),
        ("Concern", "information_shared"),
    ]
    assert not PendingUpload.objects.exists()
    batch = ImportBatch.objects.get()
    assert batch.event_type_codes["Home visit"] == "police_visit"  # the decisions that read it again


def test_it_asks_once_per_unknown_value_with_the_suggested_code_and_why(
    as_: Any, world: Any, police_request: Any
) -> None:
    _, page = questions_page(as_("owner"), police_request)
    assert page.count('name="value_') == 3  # Concern, Information sharing, Home visit; Arrest is known
    assert "Event type ‘Concern’" in page and "2 entries." in page
    assert "Suggested: Visit to the home by police. In police records, “Home visit” usually means" in page
    assert "not a social worker&#x27;s visit" in page or "not a social worker's visit" in page
    assert "Leave uncoded: keep ‘Home visit’ as written" in page


def test_it_never_chooses_for_the_person(as_: Any, world: Any, police_request: Any) -> None:
    client = as_("owner")
    location, _ = questions_page(client, police_request)
    page = client.post(location, {}).content.decode()
    assert "Choose what ‘Home visit’ means, or leave it uncoded" in page
    assert not DraftEntry.objects.exists()
    assert not AgencyEventType.objects.exists()


def test_it_never_makes_a_police_home_visit_a_social_workers_visit_without_asking(
    as_: Any, world: Any, police_request: Any
) -> None:
    client = as_("owner")
    location, page = questions_page(client, police_request)
    client.post(
        location,
        answers(page, {"Concern": "uncoded", "Information sharing": "uncoded", "Home visit": "uncoded"}),
    )
    visit = DraftEntry.objects.get(agency_event_type="Home visit")
    assert visit.event_type == ""


def test_it_remembers_the_answers_for_the_agencys_next_file(
    as_: Any, world: Any, police_request: Any
) -> None:
    client = as_("owner")
    location, page = questions_page(client, police_request)
    client.post(
        location,
        answers(page, {"Concern": "contact", "Information sharing": "uncoded", "Home visit": "police_visit"}),
    )
    assert dict(AgencyEventType.objects.filter(agency=world.police).values_list("value", "code")) == {
        "Concern": "contact",
        "Information sharing": "",
        "Home visit": "police_visit",
    }
    # The next file from the police, for another case, is read the same way without a question.
    later = make_request(world, police_request.incident, round=2)
    response = upload(client, later, POLICE_CSV.replace(b"Concern", b"CONCERN"))
    assert response["Location"] == f"/chronologies/{later.code}/"
    coded = dict(DraftEntry.objects.filter(request=later).values_list("agency_event_type", "event_type"))
    assert coded == {
        "CONCERN": "contact",
        "Arrest": "arrest",
        "Information sharing": "",
        "Home visit": "police_visit",
    }


def test_it_remembers_answers_per_agency(as_: Any, world: Any, police_request: Any) -> None:
    client = as_("owner")
    location, page = questions_page(client, police_request)
    client.post(
        location,
        answers(page, {"Concern": "contact", "Information sharing": "uncoded", "Home visit": "police_visit"}),
    )
    social_care_request = make_request(world, police_request.incident, agency=world.social_care)
    social_worker = make_user(
        "csc.lead@northshire.example", world.northshire, Role.AGENCY_LEAD, world.social_care
    )
    response = upload(signed_in(social_worker), social_care_request)
    assert response["Location"].endswith("/event-types/")  # social care's own answers are asked for
    page = signed_in(social_worker).get(response["Location"]).content.decode()
    assert "Event type ‘Concern’" in page
    assert "Event type ‘Home visit’" not in page  # a social worker's home visit is Chronicle's own code


def test_it_records_each_answer_in_the_audit_log(as_: Any, world: Any, police_request: Any) -> None:
    client = as_("owner")
    location, page = questions_page(client, police_request)
    client.post(
        location,
        answers(page, {"Concern": "contact", "Information sharing": "uncoded", "Home visit": "police_visit"}),
    )
    details = set(AuditEvent.objects.filter(object_type="agencyeventtype").values_list("detail", flat=True))
    assert "‘Concern’ means contact or enquiry" in details
    assert "‘Information sharing’ left uncoded" in details


def test_it_lists_the_values_left_uncoded_on_the_draft_with_the_words_suggestion_and_why(
    as_: Any, world: Any, police_request: Any
) -> None:
    client = as_("owner")
    location, page = questions_page(client, police_request)
    client.post(
        location,
        answers(page, {"Concern": "uncoded", "Information sharing": "uncoded", "Home visit": "uncoded"}),
    )
    draft = client.get(f"/chronologies/{police_request.code}/").content.decode()
    assert "Some of your own event types are not coded" in draft
    assert "Northshire Police’s own type: ‘Home visit’" in draft  # the police's words, beside the entry
    assert "Visit to the home by police. In police records, “Home visit” usually means" in draft
    assert '‘Concern’</td><td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in draft


def test_it_shows_the_agencys_own_value_on_the_submitted_version(
    as_: Any, world: Any, police_request: Any
) -> None:
    client = as_("owner")
    location, page = questions_page(client, police_request)
    client.post(
        location,
        answers(page, {"Concern": "contact", "Information sharing": "uncoded", "Home visit": "police_visit"}),
    )
    version = submit(actor_for(world.owner), police_request)
    page = (
        as_("manager").get(f"/chronologies/{police_request.code}/versions/{version.number}/").content.decode()
    )
    assert "Northshire Police’s own type: ‘Home visit’" in page
    assert "Visit to the home by police" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("other_agency", 404),
        ("reviewer", 404),
        ("auditor", 404),
        ("manager", 404),
        ("outsider", 404),
    ],
)
def test_it_asks_only_the_owning_agency(
    as_: Any, world: Any, police_request: Any, persona: str, status: int
) -> None:
    location, _ = questions_page(as_("owner"), police_request)
    assert as_(persona).get(location).status_code == status
    assert (
        as_(persona).post(location, {"value_0": "contact"}).status_code == status
    )  # incomplete: asked again
    if status == 404:
        assert not AgencyEventType.objects.exists()


def test_it_sends_anonymous_visitors_to_sign_in(
    as_: Any, client: Any, world: Any, police_request: Any
) -> None:
    location, _ = questions_page(as_("owner"), police_request)
    response = client.get(location)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
