"""The swimlane SVG: valid, accessible, escaped, and usable at 10,000 entries."""

from __future__ import annotations

import datetime as dt
import random
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.core.colours import assign_colours
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.silence import SilentPeriod
from chronicle.core.timeline_svg import AGGREGATE_ABOVE, render_swimlane_svg

SVG = "{http://www.w3.org/2000/svg}"


def _case() -> list[Entry]:
    return [
        Entry("Police", PartialDate(2016, 5, 3), "Police called to domestic incident"),
        Entry("Health", PartialDate(2016, 6), "HV contact, month only"),
        Entry("School", PartialDate(2016, 7, 1, uncertain=True), "Bruise noted"),
        Entry("Police", PartialDate(2016, 9, 12), "Strategy discussion"),
    ]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it is well-formed


def _titles(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}title")]


def test_it_is_valid_xml_with_a_title_and_description_for_screen_readers() -> None:
    root = _parse(render_swimlane_svg(_case(), title="Case 12 chronology"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chronology-title chronology-desc"
    assert root.find(f"{SVG}title[@id='chronology-title']").text == "Case 12 chronology"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc[@id='chronology-desc']")
    assert desc is not None and "4 entries from 3 agencies" in (desc.text or "")


def test_it_gives_every_entry_a_titled_mark_in_its_agencys_lane() -> None:
    root = _parse(render_swimlane_svg(_case()))
    titles = _titles(root)
    assert "Police, 03/05/2016: Police called to domestic incident" in titles
    assert "Health, June 2016: HV contact, month only" in titles
    assert "School, ?01/07/2016: Bruise noted" in titles
    lanes = [t for t in titles if t in {"Police", "Health", "School"}]
    assert lanes == ["Health", "Police", "School"]  # lanes sorted by name when no colours are given


def test_it_draws_a_bar_for_a_month_only_date_and_a_dot_for_an_exact_day() -> None:
    root = _parse(render_swimlane_svg(_case()))
    marks = {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None}  # type: ignore[union-attr]
    assert marks["Health, June 2016: HV contact, month only"].find(f"{SVG}rect") is not None
    assert marks["Police, 03/05/2016: Police called to domestic incident"].find(f"{SVG}circle") is not None
    uncertain = marks["School, ?01/07/2016: Bruise noted"].find(f"{SVG}circle")
    assert uncertain is not None and uncertain.get("stroke-dasharray") == "3 2"


def test_it_shades_silent_periods_with_a_title() -> None:
    period = SilentPeriod(dt.date(2016, 7, 2), dt.date(2016, 9, 11), 2, 3)
    titles = _titles(_parse(render_swimlane_svg(_case(), silent_periods=[period])))
    assert "No contact from any agency: 02/07/2016 to 11/09/2016 (72 days)" in titles


def test_it_marks_findings_with_a_thick_outline_and_a_symbol_not_colour_alone() -> None:
    root = _parse(render_swimlane_svg(_case(), highlights={0}))
    [finding] = [g for g in root.iter(f"{SVG}g") if (g.findtext(f"{SVG}title") or "").startswith("Finding.")]
    assert finding.find(f"{SVG}circle").get("stroke-width") == "3"  # type: ignore[union-attr]
    assert finding.find(f"{SVG}path") is not None


def test_it_uses_the_colours_given_and_their_lane_order() -> None:
    colours = assign_colours(["School", "Police", "Health"])
    root = _parse(render_swimlane_svg(_case(), colours=colours))
    lanes = [t for t in _titles(root) if t in colours]
    assert lanes == ["School", "Police", "Health"]
    assert colours["School"].fill in render_swimlane_svg(_case(), colours=colours)


def test_it_escapes_text_and_has_no_script() -> None:
    nasty = Entry(
        "Police <&>", PartialDate(2016, 5, 3), '</title><script>alert("x")</script> & \x00\x1f\ud800 "quoted"'
    )
    svg = render_swimlane_svg([nasty], title="<b>Case</b> & co")
    root = _parse(svg)
    assert not list(root.iter(f"{SVG}script"))
    assert "<script>" not in svg
    assert any('<script>alert("x")</script>' in t for t in _titles(root))


@settings(max_examples=50)
@given(st.text(max_size=80), st.text(min_size=1, max_size=20))
def test_it_stays_valid_xml_whatever_the_text(description: str, agency: str) -> None:
    svg = render_swimlane_svg([Entry(agency, PartialDate(2016, 5, 3), description)])
    _parse(svg)


def test_it_draws_an_empty_chronology() -> None:
    root = _parse(render_swimlane_svg([]))
    assert "No entries to show." in "".join(root.itertext())


def test_it_groups_marks_when_there_are_thousands_of_entries() -> None:
    rng = random.Random(4)
    agencies = [f"Agency {n}" for n in range(20)]
    entries = [
        Entry(
            rng.choice(agencies),
            PartialDate.exact(dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(3000))),
            f"Event {n}",
        )
        for n in range(10_000)
    ]
    svg = render_swimlane_svg(entries, highlights={0, 1, 2})
    root = _parse(svg)
    grouped = [t for t in _titles(root) if " entries, " in t]
    assert grouped, "dense timelines are drawn as grouped marks"
    assert len(list(root.iter(f"{SVG}g"))) < len(entries) // 2
    assert len(svg) < 3_000_000
    singles = [t for t in _titles(root) if ": Event " in t and " entries, " not in t]
    assert sum(int(t.split(", ")[1].split()[0]) for t in grouped) + len(singles) == len(entries)
    assert any(t.startswith("Finding.") for t in grouped + singles)
    assert len(entries) > AGGREGATE_ABOVE


def test_it_rejects_a_width_too_narrow_and_a_bad_id_prefix() -> None:
    with pytest.raises(ValueError, match="width must be at least"):
        render_swimlane_svg(_case(), width=100)
    with pytest.raises(ValueError, match="id_prefix"):
        render_swimlane_svg(_case(), id_prefix='x" onload="alert(1)')


def test_it_draws_an_entry_with_an_end_date_as_a_bar_across_its_days() -> None:
    stay = Entry("Health", PartialDate(2016, 5, 3), "Admitted to the ward", end_date=PartialDate(2016, 5, 20))
    root = _parse(render_swimlane_svg([stay, *_case()]))
    [mark] = [
        g
        for g in root.iter(f"{SVG}g")
        if g.findtext(f"{SVG}title") == "Health, 03/05/2016 to 20/05/2016: Admitted to the ward"
    ]
    assert mark.find(f"{SVG}rect") is not None
