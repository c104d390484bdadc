"""The swimlane SVG: valid, accessible, readable (14 px text, full names, grouped marks), linked, zoomable, escaped, and usable at 10,000 entries."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.core.colours import assign_colours
from chronicle.core.dates import PartialDate
from chronicle.core.entries import Entry
from chronicle.core.silence import SilentPeriod
from chronicle.core.timeline_svg import (
    FONT_SIZE,
    MIN_MARK_PIXELS,
    TimelineMark,
    plan_timeline,
    render_swimlane_svg,
)

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


def _lane_names(root: ET.Element) -> list[str]:
    return [g.findtext(f"{SVG}text") or "" for g in root.iter(f"{SVG}g") if g.get("class") == "app-lane"]


def _marks(root: ET.Element) -> list[ET.Element]:
    return [
        g
        for g in root.iter()
        if g.tag in {f"{SVG}g", f"{SVG}a"} and g.find(f"{SVG}*[@class='app-mark']") is not None
    ]


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
    assert "Police, 3 May 2016: Police called to domestic incident" in titles
    assert "Health, June 2016: HV contact, month only" in titles
    assert "School, ?1 July 2016: Bruise noted" in titles
    assert _lane_names(root) == [
        "Health",
        "Police",
        "School",
    ]  # lanes sorted by name when no colours are given


def test_it_draws_a_bar_for_a_month_only_date_and_a_dot_for_an_exact_day() -> None:
    root = _parse(render_swimlane_svg(_case()))
    marks = {g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None}  # type: ignore[union-attr]
    assert marks["Health, June 2016: HV contact, month only"].find(f"{SVG}rect") is not None
    assert marks["Police, 3 May 2016: Police called to domestic incident"].find(f"{SVG}circle") is not None
    uncertain = marks["School, ?1 July 2016: Bruise noted"].find(f"{SVG}circle")
    assert uncertain is not None and uncertain.get("stroke-dasharray") == "3 2"


def test_it_shades_silent_periods_with_a_title() -> None:
    period = SilentPeriod(dt.date(2016, 7, 2), dt.date(2016, 9, 11), 2, 3)
    titles = _titles(_parse(render_swimlane_svg(_case(), silent_periods=[period])))
    assert "No contact from any agency: 2 July 2016 to 11 September 2016 (72 days)" in titles


def test_it_marks_findings_with_a_thick_outline_and_a_symbol_not_colour_alone() -> None:
    root = _parse(render_swimlane_svg(_case(), highlights={0}))
    [finding] = [g for g in root.iter(f"{SVG}g") if (g.findtext(f"{SVG}title") or "").startswith("Finding.")]
    assert finding.find(f"{SVG}circle").get("stroke-width") == "3"  # type: ignore[union-attr]
    assert finding.find(f"{SVG}path") is not None


def test_it_uses_the_colours_given_and_their_lane_order() -> None:
    colours = assign_colours(["School", "Police", "Health"])
    root = _parse(render_swimlane_svg(_case(), colours=colours))
    assert _lane_names(root) == ["School", "Police", "Health"]
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
        if g.findtext(f"{SVG}title") == "Health, 3 May 2016 to 20 May 2016: Admitted to the ward"
    ]
    assert mark.find(f"{SVG}rect") is not None


def test_it_writes_every_label_at_14_pixels_or_more() -> None:
    period = SilentPeriod(dt.date(2016, 7, 2), dt.date(2016, 9, 11), 2, 3)
    for window in (
        None,
        (dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
        (dt.date(2016, 5, 1), dt.date(2016, 5, 31)),
    ):
        root = _parse(render_swimlane_svg(_case(), silent_periods=[period], width=960, window=window))
        assert int(root.get("font-size") or 0) >= FONT_SIZE
        texts = list(root.iter(f"{SVG}text"))
        assert texts
        assert all(int(t.get("font-size") or root.get("font-size") or 0) >= FONT_SIZE for t in texts)


def test_it_writes_agency_names_in_full() -> None:
    name = "Northshire Child and Adolescent Mental Health Services (CAMHS)"
    root = _parse(render_swimlane_svg([Entry(name, PartialDate(2016, 5, 3), "Assessment")], width=960))
    assert _lane_names(root) == [name]


def _two_in_a_week() -> list[Entry]:
    return [
        Entry("Police", PartialDate(2016, 5, 3), "Call-out to the flat"),  # Tuesday
        Entry("Police", PartialDate(2016, 5, 6), "Follow-up visit"),  # Friday of the same week
        Entry("Police", PartialDate(2016, 5, 10), "Strategy discussion"),  # the next week
        Entry("Health", PartialDate(2016, 5, 4), "Health visitor contact"),  # same week, another lane
    ]


def test_it_groups_marks_of_one_lane_in_one_week_with_a_count() -> None:
    year = (dt.date(2016, 1, 1), dt.date(2016, 12, 31))
    timeline = plan_timeline(_two_in_a_week(), width=960, window=year)
    assert timeline.grain == "week"
    counts = sorted((m.agency, m.start, m.count) for m in timeline.marks)
    assert counts == [
        ("Health", dt.date(2016, 5, 2), 1),
        ("Police", dt.date(2016, 5, 2), 2),
        ("Police", dt.date(2016, 5, 9), 1),
    ]
    root = _parse(render_swimlane_svg(_two_in_a_week(), width=960, window=year))
    [group] = [m for m in _marks(root) if (m.findtext(f"{SVG}title") or "").startswith("Police, 2 entries")]
    assert group.findtext(f"{SVG}text") == "2"
    assert "3 May 2016 to 6 May 2016" in (group.findtext(f"{SVG}title") or "")


def test_it_shows_each_day_when_zoomed_to_a_month() -> None:
    month = (dt.date(2016, 5, 1), dt.date(2016, 5, 31))
    timeline = plan_timeline(_two_in_a_week(), width=960, window=month)
    assert timeline.grain == "day"
    assert all(m.count == 1 for m in timeline.marks)
    texts = [
        t.text
        for t in _parse(render_swimlane_svg(_two_in_a_week(), width=960, window=month)).iter(f"{SVG}text")
    ]
    assert "May 2016" in texts and "31" in texts


def test_it_never_lets_two_marks_of_one_lane_overlap() -> None:
    rng = random.Random(7)
    entries = [
        Entry(
            rng.choice(["Police", "Health"]),
            PartialDate.exact(dt.date(2014, 1, 1) + dt.timedelta(days=rng.randrange(900))),
            "x",
        )
        for _ in range(400)
    ]
    for window in (
        None,
        (dt.date(2015, 1, 1), dt.date(2015, 12, 31)),
        (dt.date(2015, 3, 1), dt.date(2015, 3, 31)),
    ):
        timeline = plan_timeline(entries, width=960, window=window)
        for lane in ("Police", "Health"):
            centres = sorted(
                (timeline.x(m.start) + timeline.x(m.end, end_of_day=True)) / 2
                for m in timeline.marks
                if m.agency == lane
            )
            gaps = [b - a for a, b in itertools.pairwise(centres)]
            assert min(gaps) >= MIN_MARK_PIXELS - 0.01, (window, lane)


def test_it_shows_only_the_entries_in_the_window_asked_for() -> None:
    june = (dt.date(2016, 6, 1), dt.date(2016, 6, 30))
    timeline = plan_timeline(_case(), width=960, window=june)
    assert [i for m in timeline.marks for i in m.indices] == [1]  # the month-only June entry
    assert (timeline.first, timeline.last) == june
    with pytest.raises(ValueError, match="window"):
        plan_timeline(_case(), window=(dt.date(2016, 6, 30), dt.date(2016, 6, 1)))


def test_it_makes_every_mark_a_named_link_when_given_addresses() -> None:
    def href(mark: TimelineMark) -> str:
        return f"/composite/?agency={mark.agency}&entries={','.join(map(str, mark.indices))}"

    root = _parse(
        render_swimlane_svg(
            _two_in_a_week(), width=960, href=href, window=(dt.date(2016, 1, 1), dt.date(2016, 12, 31))
        )
    )
    links = list(root.iter(f"{SVG}a"))
    assert len(links) == 3 and all(link.find(f"{SVG}*[@class='app-mark']") is not None for link in links)
    assert {link.get("href") for link in links} == {
        "/composite/?agency=Police&entries=0,1",
        "/composite/?agency=Police&entries=2",
        "/composite/?agency=Health&entries=3",
    }
    assert all(link.get("aria-label") == link.findtext(f"{SVG}title") for link in links)
    assert root.get("role") == "group"  # links inside an image would be hidden from screen readers
    assert not list(_parse(render_swimlane_svg(_case())).iter(f"{SVG}a"))
