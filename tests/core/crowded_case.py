"""A seeded, crowded multi-agency case for checking that faster code finds exactly what it found before.

Several agencies write the same few kinds of sentence on the same days, with the variety real
records have: month-only and uncertain dates, times, outcomes, child seen or not, numbers, and
the same event copied into a second agency's record a day or two later.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.events import Event

AGENCIES = ("Children's Social Care", "Police", "GP Practice", "Health Visiting", "Primary School", "Housing")
SENTENCES = (
    ("visit", "Home visit by social worker, {who} seen alone in bedroom, {n} adults present"),
    ("visit", "Unannounced home visit, no reply at the door, card left"),
    ("referral", "Referral received from {who} about bruising to the {site}"),
    ("strategy_discussion", "Strategy discussion held with police and health about {concern}; s47 agreed"),
    (None, "Police called to the home following report of {concern}; {n} children present"),
    (None, "Telephone call to {who} to arrange a visit"),
    ("gp_appointment", "GP appointment not attended, letter sent"),
    (None, "Seen by GP with {who}, {site} bruise noted, explanation accepted"),
    ("hv_contact", "Health visitor contact, child weighed, {n} kg, mother tearful"),
    (None, "Bruise noted on the child's {site} by class teacher, body map completed"),
)
WHO = ("mother", "father", "the child", "grandmother", "school", "the nursery")
SITES = ("arm", "face", "back", "leg", "cheek")
CONCERNS = ("neglect", "bruising to the face", "domestic abuse", "a missing episode")
OUTCOMES = ("", "", "no further action", "child in need plan", "strategy discussion")


def crowded_case(size: int, seed: int = 11) -> tuple[list[Entry], list[tuple[Event, ...]]]:
    """``size`` entries over about ``size // 12`` days, and each entry's agency code as its events."""
    rng = random.Random(seed)
    first = dt.date(2016, 1, 1)
    entries: list[Entry] = []
    while len(entries) < size:
        code, template = rng.choice(SENTENCES)
        day = first + dt.timedelta(days=rng.randrange(max(1, size // 12)))
        roll = rng.random()
        date = (
            PartialDate(day.year, day.month)
            if roll < 0.06
            else PartialDate(day.year)
            if roll < 0.08
            else PartialDate.exact(day, uncertain=roll > 0.97)
        )
        text = template.format(
            who=rng.choice(WHO), site=rng.choice(SITES), concern=rng.choice(CONCERNS), n=rng.randint(1, 4)
        )
        entry = Entry(
            rng.choice(AGENCIES),
            date,
            text,
            source="case record",
            row=len(entries) + 2,
            event_type=code,
            time=dt.time(rng.randrange(8, 18), rng.choice((0, 30))) if rng.random() < 0.3 else None,
            outcome=rng.choice(OUTCOMES),
            child_seen=rng.choice((None, True, False)),
        )
        entries.append(entry)
        if rng.random() < 0.1:  # the same event in a second agency's record
            copy = dataclasses.replace(
                entry,
                agency=rng.choice([a for a in AGENCIES if a != entry.agency]),
                date=PartialDate.exact(day + dt.timedelta(days=rng.choice((0, 1, 2)))),
                description=f"{text} (shared by phone)",
                row=len(entries) + 2,
            )
            entries.append(copy)
    events = [(Event(e.event_type, source="agency"),) if e.event_type else () for e in entries]
    return entries, events
