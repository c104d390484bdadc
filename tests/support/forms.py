"""What a person posts on Chronicle's forms, filled in as the tests need, and the posts themselves."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chronicle.chronologies.models import ChronologyRequest
from chronicle.incidents import services as incident_services
from chronicle.incidents.models import Incident
from chronicle.reviews import evidence
from chronicle.reviews.models import PoolItem, RapidReview

# The pages of "report an incident", as the police lead fills them in.
ABOUT = {
    "reporter_name": "DI Priya Lee",
    "occurred_on_day": "4",
    "occurred_on_month": "3",
    "occurred_on_year": "2024",
    "aware_on_day": "5",
    "aware_on_month": "3",
    "aware_on_year": "2024",
    "in_england": "yes",
}
CHILDREN = {
    "child1-label": "Baby H",
    "child1-born_on_day": "1",
    "child1-born_on_month": "12",
    "child1-born_on_year": "2023",
    "child1-looked_after": "no",
    "child1-care_leaver": "no",
    "child1-disability": "unknown",
    "child2-label": "Sibling J",
    "child2-age_years": "4",
    "child2-looked_after": "yes",
}
HARM = {
    "outcome": "seriously_harmed",
    "harm_categories": ["abusive_head_trauma", "fracture"],
    "description": "Baby H was shaken; CT shows a subdural haemorrhage.",
    "abuse_or_neglect": "suspected",
    "concern_about_working_together": "unknown",
}


def answers_form(incident: Incident, **overrides: str) -> dict[str, str]:
    """The screening form filled with the engine's proposals."""
    data = {}
    for criterion in incident_services.propose(incident).criteria:
        key = criterion.id.replace(".", "__").replace("-", "_")
        data[f"answer__{key}"] = criterion.answer
        data[f"evidence__{key}"] = f"evidence for {criterion.id}"
    data.update(overrides)
    return data


def entry_data(**overrides: str) -> dict[str, str]:
    """The entry form with every field filled in: a health visitor's contact on 22 May 2016."""
    data = {
        "date_day": "22",
        "date_month": "5",
        "date_year": "2016",
        "time": "14:30",
        "event_type": "hv_contact",
        "description": "Health visitor saw Baby G at home with mother.",
        "source": "Health visiting record 48213",
        "first_hand": "first_hand",
        "action": "Advice on safe sleeping",
        "outcome": "Next visit booked",
        "significance": "Mother engaged well",
        "child_seen": "yes",
        "seen_alone": "no",
        "child_voice": "",
        "recorded_by": "Health visitor",
        "recorded_on_day": "23",
        "recorded_on_month": "5",
        "recorded_on_year": "2016",
        "entry_ref": "HV-7",
        "practice_required": "Universal contact at 6-8 weeks (HV service specification v3, 2015)",
        "record_shows_met": "",
        "gap": "",
        "staff_information": "",
        "learning_point": "",
        "multi_agency_point": "Was the GP told about the bruise?",
    }
    data.update(overrides)
    return data


def new_entry(as_: Any, police_request: ChronologyRequest, **overrides: str) -> Any:
    """The police lead adds an entry to the police's draft in the browser."""
    return as_("owner").post(f"/chronologies/{police_request.code}/entries/new/", entry_data(**overrides))


def upload(as_: Any, police_request: ChronologyRequest, name: str, content: bytes, mode: str = "add") -> Any:
    """The police lead imports a file into the police's draft."""
    return as_("owner").post(
        f"/chronologies/{police_request.code}/import/",
        {"file": SimpleUploadedFile(name, content), "mode": mode},
    )


def month_csv() -> bytes:
    """Three police rows with known headings, two of them dated to the month."""
    return (
        b"date,date_precision,time,agency,event,source\n"
        b"05/2016,month,,Northshire Police,Neighbour reported shouting at the address,Call log 1177\n"
        b"2016-06-03,,14:30,Northshire Police,Officers attended; Baby G seen asleep,Incident 2291\n"
        b"01/07/2016,month,,Northshire Police,Domestic abuse risk assessment,DASH 77\n"
    )


def big_csv(rows: int, bad_row: int) -> bytes:
    """``rows`` contacts in 2016; row ``bad_row`` is dated 31/02/2016."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Date", "Time", "Source of information", "Event details"])
    for number in range(1, rows + 1):
        date = "31/02/2016" if number == bad_row else f"{(number % 28) + 1:02d}/{(number % 12) + 1:02d}/2016"
        writer.writerow([date, "09:00", f"Case note {number}", f"Contact {number} with the family"])
    return out.getvalue().encode()


def pooled(review: RapidReview, kind: str = "finding") -> list[str]:
    """Put the case's first two options of a kind in the review's evidence pool; their keys."""
    chosen = [o for o in evidence.options(review.incident) if o.kind == kind][:2]
    for o in chosen:
        PoolItem.objects.get_or_create(
            review=review, kind=o.kind, reference=o.reference, defaults={"label": o.label}
        )
    return [o.key for o in chosen]


def consider_all(client: Client, review: RapidReview) -> None:
    """Answer every criterion of the review "yes", with the first pooled finding as evidence."""
    keys = pooled(review)
    for c in review.considerations.all():
        response = client.post(
            f"/reviews/{review.code}/criteria/{c.criterion_id}/",
            {"answer": "yes", "discussion": f"Discussed {c.criterion_id}", "evidence": keys[:1]},
        )
        assert response.status_code == 302


def decide(client: Client, review: RapidReview, **extra: Any) -> Any:
    """Record a decision for a local review on 18 March 2024, with one reason and its evidence."""
    keys = pooled(review)
    data = {
        "outcome": "local_review",
        "rationale": "Agencies did not share what they knew.",
        "decided_on_day": "18",
        "decided_on_month": "3",
        "decided_on_year": "2024",
        "reason_1": "The referral had no recorded decision.",
        "reason_1_evidence": keys[:1],
    }
    data.update(extra)
    return client.post(f"/reviews/{review.code}/decision/", data)


def meet(client: Client, review: RapidReview) -> Any:
    """Record the rapid review meeting of 14 March 2024 with the three statutory partners."""
    return client.post(
        f"/reviews/{review.code}/meetings/new/",
        {
            "held_on_day": "14",
            "held_on_month": "3",
            "held_on_year": "2024",
            "name_1": "Lena Abbott",
            "role_1": "Director of Children's Services",
            "partner_1": "local_authority",
            "name_2": "Ian Bright",
            "role_2": "Chief Nursing Officer",
            "partner_2": "icb",
            "name_3": "Paula Parr",
            "role_3": "Assistant Chief Constable",
            "partner_3": "police",
            "free_items": "Family's view",
        },
    )
