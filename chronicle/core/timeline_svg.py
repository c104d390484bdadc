"""A swimlane timeline of the composite chronology as a self-contained SVG.

One lane per agency, its full name written above its marks. A dot stands for
entries on exact days, a bar for a month-only or year-only date or an entry
with an end date (the whole span it may mean), a dashed outline for an
uncertain date. Exact-day entries of one lane that would overlap are grouped
into one mark that shows how many entries it stands for: per day when a day is
wide enough to hold a mark, otherwise per week, month, quarter or year. Silent
periods are shaded across every lane. Marks with findings get a thicker outline
and a triangle above them, so nothing depends on colour alone.

The picture can show a window of time (a year or a month) and, given a
function that makes the address, each mark is a link to its entries. Text is
at least 14 pixels, the picture has a title and description, every mark has a
tooltip title and an accessible name, all text is escaped and there is no script.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from chronicle.core.colours import TEXT_BLACK, AgencyColour, assign_colours
from chronicle.core.composite import entry_span
from chronicle.core.dates import MONTH_NAMES, Precision
from chronicle.core.entries import Entry
from chronicle.core.plain_words import dates_in_words, day_words
from chronicle.core.silence import SilentPeriod

SIDE_PAD = 8
TOP = 76  # title and the two rows of the axis
LANE_HEIGHT = 54  # the agency's name, then its marks
NAME_BASELINE = 17  # from the top of the lane
MARK_MIDDLE = 38  # from the top of the lane
LEGEND_HEIGHT = 60
MIN_WIDTH = 700
FONT_SIZE = 14  # no text smaller than this
TITLE_SIZE = 18
DOT_RADIUS = 7
GROUP_HEIGHT = 20
BAR_HEIGHT = 12
MIN_MARK_PIXELS = (
    17  # a group of entries is at least this wide, so marks of neighbouring groups never overlap
)
DIGIT_PIXELS = 8.2  # one bold digit at FONT_SIZE, Arial
MAX_COUNT_SHOWN = 999
TITLE_DESCRIPTIONS = 3  # descriptions quoted in a grouped mark's title
MAX_TITLE_TEXT = 160

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str, limit: int | None = None) -> str:
    """Text safe to put in XML: characters XML forbids removed, shortened if asked."""
    cleaned = _NOT_XML.sub("", text)
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def _text(text: str, limit: int | None = None) -> str:
    return escape(_clean(text, limit))


def _attr(text: str) -> str:
    return quoteattr(_clean(text))


class _XFunction(Protocol):
    """Where a day falls on the picture (its left edge, or its right edge with end_of_day)."""

    def __call__(self, day: dt.date, end_of_day: bool = False) -> float: ...


# --- Grouping ------------------------------------------------------------------------------------

GRAINS = ("day", "week", "month", "quarter", "year")


def _bucket(day: dt.date, grain: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the day, week (Monday to Sunday), month, quarter or year holding ``day``."""
    if grain == "day":
        return day, day
    if grain == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if grain == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    first_month = day.month if grain == "month" else 3 * ((day.month - 1) // 3) + 1
    last_month = first_month if grain == "month" else first_month + 2
    start = dt.date(day.year, first_month, 1)
    end = (
        dt.date(day.year + 1, 1, 1) if last_month == 12 else dt.date(day.year, last_month + 1, 1)
    ) - dt.timedelta(days=1)
    return start, end


def choose_grain(pixels_per_day: float) -> str:
    """The finest grouping in which one group is wide enough for a mark of its own."""
    days = {"day": 1, "week": 7, "month": 28, "quarter": 90, "year": 365}
    for grain in GRAINS:
        if days[grain] * pixels_per_day >= MIN_MARK_PIXELS:
            return grain
    return "year"


@dataclass(slots=True)
class TimelineMark:
    """One mark: the entries (indices into the entries given) it stands for, in one lane."""

    agency: str
    lane: int
    start: dt.date  # the days the mark covers: the group's days, or the span's first and last day
    end: dt.date
    is_span: bool
    uncertain: bool
    highlighted: bool = False
    indices: list[int] = field(default_factory=list)
    title: str = ""

    @property
    def count(self) -> int:
        return len(self.indices)


@dataclass
class Timeline:
    """What is drawn: the lanes, the days shown, the grouping used, and the marks."""

    entries: Sequence[Entry]
    agencies: list[str]
    palette: dict[str, AgencyColour]
    periods: list[SilentPeriod]
    marks: list[TimelineMark]
    first: dt.date | None
    last: dt.date | None
    grain: str
    width: int
    highlights: Collection[int]

    @property
    def height(self) -> int:
        return TOP + max(1, len(self.agencies)) * LANE_HEIGHT + LEGEND_HEIGHT

    def x(self, day: dt.date, end_of_day: bool = False) -> float:
        assert self.first is not None and self.last is not None
        plot_left, plot_right = SIDE_PAD, self.width - SIDE_PAD
        day_count = (self.last - self.first).days + 1
        offset = day.toordinal() - self.first.toordinal() + (1 if end_of_day else 0)
        return plot_left + (plot_right - plot_left) * offset / day_count


def plan_timeline(
    entries: Sequence[Entry],
    silent_periods: Iterable[SilentPeriod] = (),
    highlights: Collection[int] = frozenset(),
    colours: Mapping[str, AgencyColour] | None = None,
    width: int = 1100,
    window: tuple[dt.date, dt.date] | None = None,
) -> Timeline:
    """Lanes, marks and grouping for the entries (only those in ``window``, if given)."""
    if width < MIN_WIDTH:
        raise ValueError(f"width must be at least {MIN_WIDTH} pixels, got {width}")
    if window is not None and window[1] < window[0]:
        raise ValueError("the window must end on or after the day it starts")
    agencies = _lane_order(entries, colours)
    palette = dict(colours) if colours is not None else {}
    missing = [a for a in agencies if a not in palette]
    if missing:
        extra = assign_colours([*palette, *missing])
        palette.update({a: extra[a] for a in missing})
    spans = [entry_span(e) for e in entries]
    shown = [
        i
        for i, (start, end) in enumerate(spans)
        if window is None or (start <= window[1] and end >= window[0])
    ]
    periods = [p for p in silent_periods if window is None or (p.start <= window[1] and p.end >= window[0])]
    first: dt.date | None
    last: dt.date | None
    if window is not None:
        first, last = window
    elif shown:
        first = min([*(spans[i][0] for i in shown), *(p.start for p in periods)])
        last = max([*(spans[i][1] for i in shown), *(p.end for p in periods)])
    else:
        first = last = None
    timeline = Timeline(entries, agencies, palette, periods, [], first, last, "day", width, highlights)
    if first is not None and last is not None:
        pixels_per_day = (width - 2 * SIDE_PAD) / ((last - first).days + 1)
        timeline.grain = choose_grain(pixels_per_day)
        timeline.marks = _marks(timeline, shown, spans)
    return timeline


def _lane_order(entries: Sequence[Entry], colours: Mapping[str, AgencyColour] | None) -> list[str]:
    present = {e.agency for e in entries}
    given = [a for a in (colours or {}) if a in present]
    return given + sorted(present - set(given))


def _marks(
    timeline: Timeline, shown: Sequence[int], spans: Sequence[tuple[dt.date, dt.date]]
) -> list[TimelineMark]:
    """Exact days grouped per lane and grain; spans grouped when they start and end in the same groups."""
    assert timeline.first is not None and timeline.last is not None
    lane_of = {agency: n for n, agency in enumerate(timeline.agencies)}
    grain = timeline.grain
    groups: dict[tuple[int, bool, dt.date, dt.date, bool], TimelineMark] = {}
    for index in shown:
        entry = timeline.entries[index]
        start, end = spans[index]
        is_span = entry.date.precision is not Precision.DAY or end > start  # month, year or end date
        lane = lane_of[entry.agency]
        if is_span:
            key = (lane, True, _bucket(start, grain)[0], _bucket(end, grain)[0], entry.date.uncertain)
            cover = (start, end)
        else:
            cover = _bucket(start, grain)
            key = (lane, False, cover[0], cover[0], entry.date.uncertain)
        mark = groups.get(key)
        if mark is None:
            mark = groups[key] = TimelineMark(entry.agency, lane, *cover, is_span, entry.date.uncertain)
        if is_span:
            mark.start, mark.end = min(mark.start, start), max(mark.end, end)
        mark.highlighted = mark.highlighted or index in timeline.highlights
        mark.indices.append(index)
    marks = list(groups.values())
    for mark in marks:
        mark.title = _mark_title(mark, timeline.entries)
    # Spans underneath, exact days on top, findings last so their outline is never hidden.
    marks.sort(key=lambda m: (not m.is_span, m.highlighted, m.start, m.lane))
    return marks


def _mark_title(mark: TimelineMark, entries: Sequence[Entry]) -> str:
    finding = "Finding. " if mark.highlighted else ""
    if mark.count == 1:
        entry = entries[mark.indices[0]]
        until = f" to {dates_in_words(entry.end_date.display())}" if entry.end_date is not None else ""
        return (
            f"{finding}{mark.agency}, {dates_in_words(entry.date.display())}{until}: "
            f"{_clean(entry.description, MAX_TITLE_TEXT)}"
        )
    days = [entry_span(entries[i]) for i in mark.indices]
    first, last = min(s for s, _ in days), max(e for _, e in days)
    dates = day_words(first) if first == last else f"{day_words(first)} to {day_words(last)}"
    quoted = "; ".join(
        f"{dates_in_words(entries[i].date.display())}: {_clean(entries[i].description, 60)}"
        for i in mark.indices[:TITLE_DESCRIPTIONS]
    )
    more = f"; and {mark.count - TITLE_DESCRIPTIONS} more" if mark.count > TITLE_DESCRIPTIONS else ""
    return f"{finding}{mark.agency}, {mark.count} entries, {dates}. {quoted}{more}"


# --- Drawing -------------------------------------------------------------------------------------


def render_swimlane_svg(
    entries: Sequence[Entry],
    silent_periods: Iterable[SilentPeriod] = (),
    highlights: Collection[int] = frozenset(),
    colours: Mapping[str, AgencyColour] | None = None,
    width: int = 1100,
    title: str = "Multi-agency chronology",
    id_prefix: str = "chronology",
    window: tuple[dt.date, dt.date] | None = None,
    href: Callable[[TimelineMark], str] | None = None,
) -> str:
    """The timeline as an SVG document (a string). ``highlights`` are indices into ``entries``."""
    timeline = plan_timeline(entries, silent_periods, highlights, colours, width, window)
    return draw_timeline(timeline, title=title, id_prefix=id_prefix, href=href)


def draw_timeline(
    timeline: Timeline,
    title: str = "Multi-agency chronology",
    id_prefix: str = "chronology",
    href: Callable[[TimelineMark], str] | None = None,
) -> str:
    """The planned timeline as SVG; with ``href`` every mark is a link to the address it gives."""
    if not re.fullmatch(r"[A-Za-z][\w-]*", id_prefix):
        raise ValueError(
            f"id_prefix {id_prefix!r} must start with a letter and hold only letters, digits, - or _"
        )
    width, height = timeline.width, timeline.height
    # With links inside, the picture is a group people can move through, not one flat image.
    role = "group" if href is not None else "img"
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="Arial, sans-serif" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{id_prefix}-title">{_text(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_text(_summary(timeline))}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{SIDE_PAD}" y="22" font-size="{TITLE_SIZE}" font-weight="bold" fill="{TEXT_BLACK}">'
        f"{_text(title, 100)}</text>",
    ]
    if timeline.first is None or timeline.last is None:
        out.append(f'<text x="{SIDE_PAD}" y="{TOP + 20}" fill="{TEXT_BLACK}">No entries to show.</text>')
        out.append("</svg>")
        return "\n".join(out)

    lanes_bottom = TOP + len(timeline.agencies) * LANE_HEIGHT
    out += _lanes(timeline)
    out += _axis(timeline, lanes_bottom)
    for period in timeline.periods:
        left = max(timeline.x(period.start), SIDE_PAD)
        right = min(timeline.x(period.end, end_of_day=True), width - SIDE_PAD)
        out.append(
            f"<g><title>{_text(_period_words(period))}</title>"
            f'<rect x="{left:.1f}" y="{TOP}" width="{max(right - left, 1):.1f}" '
            f'height="{lanes_bottom - TOP}" fill="#b1b4b6" fill-opacity="0.35" stroke="#505a5f" '
            f'stroke-dasharray="4 3"/></g>'
        )
    out += _lane_names(timeline)
    for mark in timeline.marks:
        out.append(_draw_mark(mark, timeline, href))
    out += _legend(lanes_bottom)
    out.append("</svg>")
    return "\n".join(out)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _summary(timeline: Timeline) -> str:
    if timeline.first is None or timeline.last is None:
        return "No entries."
    shown = sum(m.count for m in timeline.marks)
    parts = [
        f"{_plural(shown, 'entry', 'entries')} from {_plural(len(timeline.agencies), 'agency', 'agencies')} "
        f"({', '.join(timeline.agencies)}), {day_words(timeline.first)} to {day_words(timeline.last)}.",
    ]
    grouped = [m for m in timeline.marks if m.count > 1]
    if grouped:
        parts.append(
            f"Entries close together are grouped by {timeline.grain}; each group shows how many entries it holds."
        )
    parts.append(
        f"{len(timeline.periods)} silent periods with no contact are shaded."
        if timeline.periods
        else "No silent periods are shown."
    )
    findings = sum(1 for m in timeline.marks for i in m.indices if i in timeline.highlights)
    if findings:
        parts.append(f"{_plural(findings, 'entry', 'entries')} with findings marked with a triangle.")
    return " ".join(parts)


def _period_words(period: SilentPeriod) -> str:
    return (
        f"No contact from any agency: {day_words(period.start)} to {day_words(period.end)} "
        f"({period.days} days)"
    )


def _lanes(timeline: Timeline) -> list[str]:
    """Lane backgrounds, alternately shaded."""
    return [
        f'<rect x="0" y="{TOP + n * LANE_HEIGHT}" width="{timeline.width}" height="{LANE_HEIGHT}" '
        f'fill="{"#f3f2f1" if n % 2 else "#ffffff"}"/>'
        for n in range(len(timeline.agencies))
    ]


def _lane_names(timeline: Timeline) -> list[str]:
    """Each agency's colour and full name across the top of its lane, drawn over any shading."""
    out = []
    for n, agency in enumerate(timeline.agencies):
        top = TOP + n * LANE_HEIGHT
        colour = timeline.palette[agency]
        out.append(
            f'<g class="app-lane" aria-hidden="true">'
            f'<rect x="{SIDE_PAD}" y="{top + 4}" width="14" height="14" fill="{colour.fill}" stroke="{TEXT_BLACK}"/>'
            f'<text x="{SIDE_PAD + 20}" y="{top + NAME_BASELINE}" font-weight="bold" fill="{TEXT_BLACK}" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{_text(agency)}</text></g>'
        )
    return out


def _axis(timeline: Timeline, lanes_bottom: int) -> list[str]:
    """Two rows of labels above the lanes: years (or month and year), then months (or days)."""
    assert timeline.first is not None and timeline.last is not None
    first, last, x = timeline.first, timeline.last, timeline.x
    plot_left, plot_right = SIDE_PAD, timeline.width - SIDE_PAD
    upper, lower = TOP - 32, TOP - 8
    out = [f'<line x1="{plot_left}" y1="{TOP}" x2="{plot_right}" y2="{TOP}" stroke="{TEXT_BLACK}"/>']
    pixels_per_day = (plot_right - plot_left) / ((last - first).days + 1)

    def tick(left: float, label: str, y: int, long: bool) -> None:
        bottom = lanes_bottom if long else TOP
        out.append(
            f'<line x1="{left:.1f}" y1="{y + 4}" x2="{left:.1f}" y2="{bottom}" stroke="#505a5f" '
            f'stroke-width="{0.8 if long else 0.5}"/>'
        )
        if label and left + 3 + 8 * len(label) <= plot_right:
            out.append(f'<text x="{left + 3:.1f}" y="{y}" fill="{TEXT_BLACK}">{_text(label)}</text>')

    if pixels_per_day * 28 < 40:  # months too narrow to label: years only, spaced so labels never touch
        step = max(1, math.ceil(44 / (pixels_per_day * 365)))
        for year in range(first.year, last.year + 1, step):
            tick(max(x(dt.date(year, 1, 1)), plot_left), str(year), lower, True)
        return out
    by_day = pixels_per_day >= 20  # a month or less: month and year above, then the days
    day = first.replace(day=1)
    while day <= last:
        left = max(x(day), plot_left)
        if by_day:
            tick(left, f"{MONTH_NAMES[day.month - 1]} {day.year}", upper, True)
        elif day.month == 1 or day == first.replace(day=1):
            tick(left, str(day.year), upper, True)
            tick(left, MONTH_NAMES[day.month - 1][:3], lower, False)
        else:
            tick(left, MONTH_NAMES[day.month - 1][:3], lower, True)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    if by_day:
        every_day = pixels_per_day >= 22
        day = first
        while day <= last:
            if every_day or day.weekday() == 0:
                tick(x(day), str(day.day), lower, False)
            day += dt.timedelta(days=1)
    return out


def _count_label(count: int) -> str:
    return f"{MAX_COUNT_SHOWN}+" if count > MAX_COUNT_SHOWN else str(count)


def _draw_mark(mark: TimelineMark, timeline: Timeline, href: Callable[[TimelineMark], str] | None) -> str:
    colour = timeline.palette[mark.agency]
    middle = TOP + mark.lane * LANE_HEIGHT + MARK_MIDDLE
    stroke_width = 3 if mark.highlighted else 1
    dash = ' stroke-dasharray="3 2"' if mark.uncertain else ""
    style = f'class="app-mark" fill="{colour.fill}" stroke="{TEXT_BLACK}" stroke-width="{stroke_width}"{dash}'
    plot_left, plot_right = SIDE_PAD, timeline.width - SIDE_PAD
    left = max(timeline.x(mark.start), plot_left)
    right = min(timeline.x(mark.end, end_of_day=True), plot_right)
    centre = (left + right) / 2
    label = _count_label(mark.count) if mark.count > 1 else ""
    count = ""
    if mark.is_span:
        bar = max(right - left, 3)
        height = GROUP_HEIGHT if label else BAR_HEIGHT
        opacity = ' fill-opacity="0.6"' if not label else ""
        shape = (
            f'<rect x="{left:.1f}" y="{middle - height / 2:.1f}" width="{bar:.1f}" height="{height}" '
            f"{style}{opacity}/>"
        )
        if label and bar < 10 + DIGIT_PIXELS * len(label):
            label = ""  # too narrow to write in; the title and the table say how many
        top = middle - height / 2
    elif label:
        box = max(MIN_MARK_PIXELS - 1, 8 + DIGIT_PIXELS * len(label))
        shape = (
            f'<rect x="{centre - box / 2:.1f}" y="{middle - GROUP_HEIGHT / 2:.1f}" width="{box:.1f}" '
            f'height="{GROUP_HEIGHT}" rx="4" {style}/>'
        )
        top = middle - GROUP_HEIGHT / 2
    else:
        shape = f'<circle cx="{centre:.1f}" cy="{middle:.1f}" r="{DOT_RADIUS}" {style}/>'
        top = middle - DOT_RADIUS
    if label:
        count = (
            f'<text x="{centre:.1f}" y="{middle + 5:.1f}" text-anchor="middle" font-weight="bold" '
            f'fill="{colour.text}">{label}</text>'
        )
    symbol = ""
    if mark.highlighted:
        tip = top - 2
        symbol = (
            f'<path d="M{centre - 5:.1f} {tip - 8:.1f} L{centre + 5:.1f} {tip - 8:.1f} L{centre:.1f} {tip:.1f} Z" '
            f'fill="{TEXT_BLACK}"/>'
        )
    body = f"<title>{_text(mark.title)}</title>{shape}{count}{symbol}"
    if href is None:
        return f"<g>{body}</g>"
    return f"<a href={_attr(href(mark))} aria-label={_attr(mark.title)}>{body}</a>"


def _legend(lanes_bottom: int) -> list[str]:
    y, y2 = lanes_bottom + 24, lanes_bottom + 50
    left = SIDE_PAD
    items = [
        f'<circle cx="{left + 7}" cy="{y - 5}" r="{DOT_RADIUS}" fill="#ffffff" stroke="{TEXT_BLACK}"/>'
        f'<text x="{left + 20}" y="{y}" fill="{TEXT_BLACK}">one entry</text>',
        f'<rect x="{left + 110}" y="{y - 15}" width="22" height="{GROUP_HEIGHT}" rx="4" fill="#ffffff" '
        f'stroke="{TEXT_BLACK}"/><text x="{left + 121}" y="{y}" text-anchor="middle" font-weight="bold" '
        f'fill="{TEXT_BLACK}">3</text><text x="{left + 138}" y="{y}" fill="{TEXT_BLACK}">entries grouped</text>',
        f'<rect x="{left + 270}" y="{y - 11}" width="24" height="{BAR_HEIGHT}" fill="#ffffff" '
        f'stroke="{TEXT_BLACK}"/><text x="{left + 300}" y="{y}" fill="{TEXT_BLACK}">month or year only</text>',
        f'<rect x="{left + 450}" y="{y - 11}" width="24" height="{BAR_HEIGHT}" fill="#ffffff" '
        f'stroke="{TEXT_BLACK}" stroke-dasharray="3 2"/>'
        f'<text x="{left + 480}" y="{y}" fill="{TEXT_BLACK}">date uncertain</text>',
        f'<path d="M{left + 2} {y2 - 12} L{left + 12} {y2 - 12} L{left + 7} {y2 - 4} Z" '
        f'fill="{TEXT_BLACK}"/><text x="{left + 20}" y="{y2}" fill="{TEXT_BLACK}">'
        "finding (thick outline)</text>",
        f'<rect x="{left + 210}" y="{y2 - 13}" width="24" height="16" fill="#b1b4b6" fill-opacity="0.35" '
        f'stroke="#505a5f" stroke-dasharray="4 3"/>'
        f'<text x="{left + 240}" y="{y2}" fill="{TEXT_BLACK}">no contact from any agency</text>',
    ]
    return [f'<g aria-hidden="true">{"".join(items)}</g>']


# --- Zoom ----------------------------------------------------------------------------------------


def zoom_window(year: int | None, month: int | None = None) -> tuple[dt.date, dt.date] | None:
    """The days shown for a year, or a month of a year; ``None`` for the whole chronology."""
    if year is None:
        if month is not None:
            raise ValueError("a month needs a year")
        return None
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1 to 12, got {month}")
    return _bucket(dt.date(year, month, 1), "month")


def entries_by_month(entries: Iterable[Entry]) -> dict[int, dict[int, int]]:
    """How many entries may fall in each month of each year (an entry counts in every month its span covers)."""
    counts: dict[int, dict[int, int]] = {}
    for entry in entries:
        start, end = entry_span(entry)
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            by_month = counts.setdefault(year, {})
            by_month[month] = by_month.get(month, 0) + 1
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dict(sorted(counts.items()))
