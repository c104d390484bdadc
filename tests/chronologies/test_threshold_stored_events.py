"""The threshold audit's chronology entries use the events stored with each entry: harm to someone
else, or harm that did not happen, is not listed as serious harm to the child."""

from __future__ import annotations

import datetime as dt
from typing import Any

from chronicle.chronologies.services import submit
from chronicle.core.events import Event, Subject, events_to_json
from chronicle.oversight.threshold import unlinked_serious_harm_entries
from tests.factories import actor_for, add_entry

MOTHER = "Mother attended ED with a skull fracture after a fall at home."


def listed(world: Any) -> list[str]:
    return [match.text for match in unlinked_serious_harm_entries(world.northshire)]


def test_it_leaves_out_harm_to_someone_other_than_the_child(world: Any, police_request: Any) -> None:
    about_mother = events_to_json(
        [Event("injury_observed", subject=Subject.PARENT_OR_CARER, words=("skull fracture",))]
    )
    add_entry(police_request, world.owner, "2023-06-01", description=MOTHER, events=about_mother)
    submit(actor_for(world.owner), police_request)
    assert listed(world) == []


def test_it_lists_harm_to_the_child(world: Any, police_request: Any) -> None:
    about_child = events_to_json([Event("injury_observed", words=("skull fracture",))])
    add_entry(
        police_request,
        world.owner,
        "2023-06-01",
        description="Baby G brought to ED with a skull fracture.",
        events=about_child,
    )
    submit(actor_for(world.owner), police_request)
    assert listed(world) == ["Baby G brought to ED with a skull fracture."]


def test_it_judges_an_entry_not_read_yet_by_its_words(world: Any, police_request: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    add_entry(police_request, world.owner, "2023-06-01", description=MOTHER)
    submit(actor_for(world.owner), police_request)
    assert listed(world) == [MOTHER]
    assert police_request.incident.occurred_on > dt.date(2023, 7, 1)  # no incident accounts for it
