"""The timeline's marks, worked out with the analysis and stored, so the page reads one small row.

The page can show the whole case, a year or a month of a year. For each of them the analysis task
plans the picture once (lanes, the days shown, the grouping, every mark with its title in words)
and stores the plan; the page rebuilds it and draws it, without reading a single entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any

from chronicle.core.colours import AgencyColour, assign_colours
from chronicle.core.composite import entry_span
from chronicle.core.entries import Entry
from chronicle.core.plain import from_plain, to_plain
from chronicle.core.silence import SilentPeriod
from chronicle.core.timeline_svg import Timeline, TimelineMark, plan_timeline, zoom_window

# Findings with these statuses are marked on the timeline.
HIGHLIGHTED = ["not_met", "needs_multi_agency_judgement", "borderline"]
WIDTH = 960  # the width of the page's content column, so text is drawn at its full 14 px
WHOLE = 0  # the year (and month) a plan of the whole case is stored under


def windows(entries: Sequence[Entry]) -> dict[tuple[int, int], list[int]]:
    """The positions of the entries each page of the timeline shows: the whole case under (0, 0), each
    year under (year, 0), each month under (year, month). An entry is in every month its span touches."""
    shown: dict[tuple[int, int], list[int]] = {(WHOLE, WHOLE): list(range(len(entries)))}
    for position, entry in enumerate(entries):
        start, end = entry_span(entry)
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            shown.setdefault((year, month), []).append(position)
            in_year = shown.setdefault((year, WHOLE), [])
            if not in_year or in_year[-1] != position:
                in_year.append(position)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return shown


def plan(
    entries: Sequence[Entry],
    uids: Sequence[str],
    positions: Sequence[int],
    highlights: Collection[int],
    silent_periods: Sequence[SilentPeriod],
    lanes: Sequence[str],
    year: int,
    month: int,
) -> dict[str, Any]:
    """The plan of one page of the timeline as plain data: the entries at ``positions`` (those it
    shows), every lane of the case, and the marks with the positions of their entries."""
    window = zoom_window(year or None, month or None)
    chosen = [entries[p] for p in positions]
    marked = {n for n, p in enumerate(positions) if p in highlights}
    planned = plan_timeline(chosen, silent_periods, marked, None, width=WIDTH, window=window)
    lane_of = {agency: n for n, agency in enumerate(lanes)}
    return {
        "lanes": list(lanes),  # every agency of the case, zoomed or not
        "first": planned.first.isoformat() if planned.first else None,
        "last": planned.last.isoformat() if planned.last else None,
        "grain": planned.grain,
        "periods": [to_plain(p) for p in planned.periods],
        "highlights": sorted(positions[n] for n in marked),
        "marks": [
            {
                "agency": mark.agency,
                "lane": lane_of[mark.agency],
                "start": mark.start.isoformat(),
                "end": mark.end.isoformat(),
                "span": mark.is_span,
                "uncertain": mark.uncertain,
                "highlighted": mark.highlighted,
                "positions": [positions[n] for n in mark.indices],
                "title": mark.title,
                "uid": uids[positions[mark.indices[0]]] if mark.count == 1 else "",
            }
            for mark in planned.marks
        ],
    }


def plans(
    entries: Sequence[Entry],
    uids: Sequence[str],
    highlights: Collection[int],
    silent_periods: Sequence[SilentPeriod],
) -> Iterator[tuple[int, int, dict[str, Any]]]:
    """Every page of the timeline's plan: the whole case, each year and each month with entries."""
    lanes = sorted({entry.agency for entry in entries})
    for (year, month), positions in sorted(windows(entries).items()):
        yield year, month, plan(entries, uids, positions, highlights, silent_periods, lanes, year, month)


def palette(lanes: Sequence[str], colours: Mapping[str, AgencyColour]) -> dict[str, AgencyColour]:
    """The case's agency colours, with one for any lane that has none (as the core's timeline does)."""
    chosen = dict(colours)
    missing = [agency for agency in lanes if agency not in chosen]
    if missing:
        extra = assign_colours([*chosen, *missing])
        chosen.update({agency: extra[agency] for agency in missing})
    return chosen


def timeline_of(
    stored: dict[str, Any], colours: Mapping[str, AgencyColour]
) -> tuple[Timeline, dict[int, str]]:
    """The stored plan as the core's ``Timeline`` to draw, with the stable id of each one-entry mark's entry.

    The marks' indices are the entries' positions in the composite; the timeline holds no entries,
    as drawing needs only the marks.
    """
    marks = []
    uids: dict[int, str] = {}
    for mark in stored["marks"]:
        marks.append(
            TimelineMark(
                agency=mark["agency"],
                lane=mark["lane"],
                start=dt.date.fromisoformat(mark["start"]),
                end=dt.date.fromisoformat(mark["end"]),
                is_span=mark["span"],
                uncertain=mark["uncertain"],
                highlighted=mark["highlighted"],
                indices=mark["positions"],
                title=mark["title"],
            )
        )
        if mark["uid"]:
            uids[mark["positions"][0]] = mark["uid"]
    lanes = stored["lanes"]
    timeline = Timeline(
        entries=[],
        agencies=lanes,
        palette=palette(lanes, colours),
        periods=[from_plain(SilentPeriod, p) for p in stored["periods"]],
        marks=marks,
        first=dt.date.fromisoformat(stored["first"]) if stored["first"] else None,
        last=dt.date.fromisoformat(stored["last"]) if stored["last"] else None,
        grain=stored["grain"],
        width=WIDTH,
        highlights=set(stored["highlights"]),
    )
    return timeline, uids
