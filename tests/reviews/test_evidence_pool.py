"""The review's evidence pool: chosen through a searchable picker or "Use as evidence", cited by reasons
and criteria, never a page listing every entry."""

from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps as django_apps

from chronicle.core.plain_words import plain
from chronicle.reviews import evidence
from chronicle.reviews.models import Evidence, PoolItem, RapidReview
from tests.support.forms import decide


@pytest.fixture
def review(as_: Any, case: Any) -> RapidReview:
    assert as_("manager").post(f"/reviews/cases/{case.code}/start/").status_code == 302
    return RapidReview.objects.get(incident=case)


def option(review: RapidReview, kind: str) -> evidence.Option:
    return next(o for o in evidence.options(review.incident) if o.kind == kind)


def picker(review: RapidReview) -> str:
    return f"/reviews/{review.code}/evidence/"


def test_it_adds_evidence_once_however_often_it_is_posted(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    chosen = option(review, "link")
    for _ in range(2):
        response = client.post(f"{picker(review)}add/", {"key": chosen.key, "next": picker(review)})
        assert response.status_code == 302 and response["Location"] == picker(review)
    assert list(review.pool.values_list("kind", "reference")) == [("link", chosen.reference)]
    page = client.get(picker(review)).content.decode()
    assert "Chosen (1)" in page and "E1" in page


def test_it_searches_the_case_a_page_at_a_time(
    as_: Any, review: RapidReview, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evidence, "PICKER_PAGE", 2)
    client = as_("manager")
    everything = client.get(picker(review)).content.decode()
    choices = len(evidence.options(review.incident))
    pages = (choices + 1) // 2
    assert choices > 4 and f"{choices} to choose from, page 1 of {pages}" in everything
    assert everything.count('name="key"') == 2  # one page, never every entry
    found = client.get(picker(review), {"q": "home visit", "kind": "entry"}).content.decode()
    assert "1 match for “home visit”" in found
    assert "Home visit by social worker" in found and "Neighbour reported" not in found
    last = client.get(picker(review), {"page": str(pages)}).content.decode()
    assert "Neighbour reported shouting" in last and 'rel="next"' not in last


def test_it_takes_evidence_from_the_findings_page(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    findings = f"/composite/{review.incident.code}/findings/"
    page = client.get(findings).content.decode()
    key = re.search(r'name="key" value="(finding\|CJ-01\|[^"]+)"', page).group(1)
    assert client.post(f"{picker(review)}add/", {"key": key, "next": findings})["Location"] == findings
    assert review.pool.get().label.startswith("Finding: Decision on a referral within one working day")
    assert "In the evidence pool" in client.get(findings).content.decode()


def test_it_takes_an_entry_and_a_link_from_the_entry_page(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    link = option(review, "link")
    uid = link.reference.split(":")[0]
    entry_page = f"/composite/{review.incident.code}/entries/{uid}/"
    page = client.get(entry_page).content.decode()
    assert f'value="entry|{uid}"' in page and f'value="{link.key}"' in page
    client.post(f"{picker(review)}add/", {"key": f"entry|{uid}", "next": entry_page})
    client.post(f"{picker(review)}add/", {"key": link.key, "next": entry_page})
    assert sorted(review.pool.values_list("kind", flat=True)) == ["entry", "link"]


def test_it_offers_the_reasons_only_what_is_in_the_pool(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    empty = client.get(f"/reviews/{review.code}/decision/").content.decode()
    assert 'type="checkbox"' not in empty and "The evidence pool is empty" in empty
    client.post(f"{picker(review)}add/", {"key": option(review, "finding").key})
    page = client.get(f"/reviews/{review.code}/decision/").content.decode()
    assert page.count('type="checkbox"') == 6  # one piece, once for each of the six reasons
    assert "Entry: Northshire Police" not in page  # entries not chosen are never listed


def test_it_refuses_a_reason_citing_what_is_not_in_the_pool(as_: Any, review: RapidReview) -> None:
    response = decide(as_("manager"), review, reason_1_evidence=[option(review, "entry").key])
    assert response.status_code == 200
    assert "is not one of the available choices" in response.content.decode()
    assert not review.decisions.exists()


def test_it_removes_evidence_and_keeps_the_words_a_reason_cites(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    assert decide(client, review).status_code == 302
    cited = Evidence.objects.get(reason__decision__review=review)
    item = review.pool.get(kind=cited.kind, reference=cited.reference)
    for _ in range(2):  # a second post finds it gone and changes nothing
        assert client.post(f"{picker(review)}{item.code}/remove/").status_code == 302
    assert not review.pool.filter(pk=item.pk).exists()
    assert Evidence.objects.get(pk=cited.pk).label == cited.label
    form = client.get(f"/reviews/{review.code}/decision/").content.decode()
    assert f'value="{cited.kind}|{cited.reference}"' in form  # still citable by the reason that cites it


def test_it_prints_each_piece_of_evidence_once_on_the_review(as_: Any, review: RapidReview) -> None:
    client = as_("manager")
    chosen = option(review, "finding")
    client.post(f"{picker(review)}add/", {"key": chosen.key}, follow=True)  # its message read
    for criterion in ("LR-01(a)", "LR-01(b)", "LR-01(c)"):
        client.post(
            f"/reviews/{review.code}/criteria/{criterion}/",
            {"answer": "yes", "discussion": "Discussed", "evidence": [chosen.key]},
        )
    listed = client.get(f"/reviews/{review.code}/evidence/chosen/").content.decode()
    assert listed.count(plain(chosen.label)) == 1 and 'id="evidence-1"' in listed
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", listed)  # the finding's days in words
    criteria = client.get(f"/reviews/{review.code}/criteria/").content.decode()
    assert criteria.count(f'href="/reviews/{review.code}/evidence/chosen/#evidence-1"') == 3


def test_it_groups_one_rules_findings_from_one_chronology(review: RapidReview) -> None:
    findings = [o for o in evidence.options(review.incident) if o.kind == "finding"]
    references = [o.reference for o in findings]
    assert len(references) == len(set(references))  # one per rule, status and chronology
    assert "CJ-01|cannot_be_determined|Northshire Police" in references
    assert "CJ-04|cannot_be_determined|Northshire Police" in references


def test_it_refuses_to_change_the_pool_of_a_finalised_review(as_: Any, review: RapidReview) -> None:
    RapidReview.objects.filter(pk=review.pk).update(finalised_at="2024-03-20T10:00:00Z")
    as_("manager").post(f"{picker(review)}add/", {"key": option(review, "link").key})
    assert not review.pool.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("reviewer", 404),
        ("auditor", 404),
        ("owner", 404),
        ("other_agency", 404),
        ("outsider", 404),
    ],
)
def test_it_lets_only_the_manager_choose_evidence(
    as_: Any, review: RapidReview, persona: str, status: int
) -> None:
    client = as_(persona)
    assert client.get(picker(review)).status_code == status
    client.post(f"{picker(review)}add/", {"key": option(review, "link").key})
    assert review.pool.exists() == (persona == "manager")
    page = client.get(f"/composite/{review.incident.code}/findings/").content.decode()
    assert ("Use as evidence" in page) == (persona == "manager")


def test_it_sends_anonymous_visitors_to_sign_in(client: Any, review: RapidReview) -> None:
    assert client.get(picker(review))["Location"].startswith("/sign-in/")
    assert client.post(f"{picker(review)}add/", {"key": "x"})["Location"].startswith("/sign-in/")


def test_it_moves_evidence_already_cited_into_the_pool(as_: Any, review: RapidReview) -> None:
    assert decide(as_("manager"), review).status_code == 302
    cited = Evidence.objects.get(reason__decision__review=review)
    PoolItem.objects.all().delete()
    migration = importlib.import_module("chronicle.reviews.migrations.0003_evidence_pool")
    for _ in range(2):  # run twice, still once
        migration.pool_existing_evidence(django_apps, None)
    assert list(review.pool.values_list("kind", "reference", "label")) == [
        (cited.kind, cited.reference, cited.label)
    ]
