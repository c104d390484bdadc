"""A swimlane timeline of the composite chronology as a self-contained SVG.

One lane per agency, one mark per entry: a dot for an exact day, a bar for a
month-only or year-only date (the whole span it may mean), a dashed outline
for an uncertain date. Silent periods are shaded across every lane. Entries
with findings get a thicker outline and a triangle above them, so nothing
depends on colour alone. The picture has a title and description for screen
readers, every mark has a tooltip title, all text is escaped and there is no
script. Dense timelines (thousands of entries) are drawn with one mark per
lane per few pixels, each saying how many entries it stands for.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from chronicle.core.colours import TEXT_BLACK, AgencyColour, assign_colours
from chronicle.core.composite import entry_span
from chronicle.core.dates import MONTH_NAMES, Precision
from chronicle.core.entries import Entry
from chronicle.core.silence import SilentPeriod

LABEL_WIDTH = 180
TOP = 64  # title and axis
LANE_HEIGHT = 34
LEGEND_HEIGHT = 56
RIGHT_PAD = 16
MIN_WIDTH = 700
DOT_RADIUS = 5
BAR_HEIGHT = 10
AGGREGATE_ABOVE = 1500  # more entries than this are drawn as one mark per lane per few pixels
AGGREGATE_PIXELS = 4
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


@dataclass(slots=True)
class _Mark:
    lane: int
    start: dt.date
    end: dt.date
    is_span: bool
    uncertain: bool
    highlighted: bool
    indices: list[int] = field(default_factory=list)


def render_swimlane_svg(
    entries: Sequence[Entry],
    silent_periods: Iterable[SilentPeriod] = (),
    highlights: Collection[int] = frozenset(),
    colours: Mapping[str, AgencyColour] | None = None,
    width: int = 1100,
    title: str = "Multi-agency chronology",
    id_prefix: str = "chronology",
) -> str:
    """The timeline as an SVG document (a string). ``highlights`` are indices into ``entries``."""
    if width < MIN_WIDTH:
        raise ValueError(f"width must be at least {MIN_WIDTH} pixels, got {width}")
    if not re.fullmatch(r"[A-Za-z][\w-]*", id_prefix):
        raise ValueError(
            f"id_prefix {id_prefix!r} must start with a letter and hold only letters, digits, - or _"
        )
    periods = list(silent_periods)
    agencies = _lane_order(entries, colours)
    palette = dict(colours) if colours is not None else {}
    missing = [a for a in agencies if a not in palette]
    if missing:
        extra = assign_colours([*palette, *missing])
        palette.update({a: extra[a] for a in missing})
    lane_of = {agency: n for n, agency in enumerate(agencies)}

    plot_left, plot_right = LABEL_WIDTH, width - RIGHT_PAD
    height = TOP + max(1, len(agencies)) * LANE_HEIGHT + LEGEND_HEIGHT
    summary = _summary(entries, agencies, periods, highlights)
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc" font-family="Arial, sans-serif" font-size="13">',
        f'<title id="{id_prefix}-title">{_text(title)}</title>',
        f'<desc id="{id_prefix}-desc">{_text(summary)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="20" font-size="16" font-weight="bold" fill="{TEXT_BLACK}">{_text(title, 120)}</text>',
    ]
    if not entries:
        out.append(f'<text x="8" y="{TOP + 20}" fill="{TEXT_BLACK}">No entries to show.</text>')
        out.append("</svg>")
        return "\n".join(out)

    spans = [entry_span(e) for e in entries]
    first = (
        min(min(s for s, _ in spans), *(p.start for p in periods)) if periods else min(s for s, _ in spans)
    )
    last = max(max(e for _, e in spans), *(p.end for p in periods)) if periods else max(e for _, e in spans)
    first_day, day_count = first.toordinal(), (last - first).days + 1

    def x(day: dt.date, end_of_day: bool = False) -> float:
        offset = day.toordinal() - first_day + (1 if end_of_day else 0)
        return plot_left + (plot_right - plot_left) * offset / day_count

    lanes_bottom = TOP + len(agencies) * LANE_HEIGHT
    out += _lanes(agencies, palette, width, plot_left)
    out += _axis(first, last, x, plot_left, plot_right, lanes_bottom)
    for period in periods:
        left, right = x(period.start), x(period.end, end_of_day=True)
        out.append(
            f"<g><title>{_text(_period_words(period))}</title>"
            f'<rect x="{left:.1f}" y="{TOP}" width="{max(right - left, 1):.1f}" '
            f'height="{lanes_bottom - TOP}" fill="#b1b4b6" fill-opacity="0.35" stroke="#505a5f" '
            f'stroke-dasharray="4 3"/></g>'
        )

    marks = _marks(entries, lane_of, highlights, x, plot_right - plot_left, day_count)
    for mark in marks:
        out.append(_draw_mark(mark, entries, agencies, palette, x))
    out += _legend(lanes_bottom, plot_left)
    out.append("</svg>")
    return "\n".join(out)


def _lane_order(entries: Sequence[Entry], colours: Mapping[str, AgencyColour] | None) -> list[str]:
    present = {e.agency for e in entries}
    given = [a for a in (colours or {}) if a in present]
    return given + sorted(present - set(given))


def _summary(
    entries: Sequence[Entry],
    agencies: Sequence[str],
    periods: Sequence[SilentPeriod],
    highlights: Collection[int],
) -> str:
    if not entries:
        return "No entries."
    spans = [entry_span(e) for e in entries]
    first = min(s for s, _ in spans).strftime("%d/%m/%Y")
    last = max(e for _, e in spans).strftime("%d/%m/%Y")
    parts = [
        f"{_plural(len(entries), 'entry', 'entries')} from {_plural(len(agencies), 'agency', 'agencies')} "
        f"({', '.join(agencies)}), {first} to {last}.",
        f"{len(periods)} silent periods with no contact are shaded."
        if periods
        else "No silent periods are shown.",
    ]
    if highlights:
        parts.append(f"{_plural(len(highlights), 'entry', 'entries')} with findings marked with a triangle.")
    return " ".join(parts)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _period_words(period: SilentPeriod) -> str:
    return (
        f"No contact from any agency: {period.start.strftime('%d/%m/%Y')} to "
        f"{period.end.strftime('%d/%m/%Y')} ({period.days} days)"
    )


def _lanes(
    agencies: Sequence[str], palette: Mapping[str, AgencyColour], width: int, plot_left: int
) -> list[str]:
    out = []
    for n, agency in enumerate(agencies):
        top = TOP + n * LANE_HEIGHT
        colour = palette[agency]
        shade = "#f3f2f1" if n % 2 else "#ffffff"
        out.append(
            f"<g><title>{_text(agency)}</title>"
            f'<rect x="0" y="{top}" width="{width}" height="{LANE_HEIGHT}" fill="{shade}"/>'
            f'<rect x="8" y="{top + 9}" width="16" height="16" fill="{colour.fill}" stroke="{TEXT_BLACK}"/>'
            f'<text x="30" y="{top + 22}" fill="{TEXT_BLACK}">{_text(agency, 22)}</text></g>'
        )
    out.append(
        f'<line x1="{plot_left}" y1="{TOP}" x2="{plot_left}" y2="{TOP + len(agencies) * LANE_HEIGHT}" '
        f'stroke="{TEXT_BLACK}"/>'
    )
    return out


def _axis(
    first: dt.date,
    last: dt.date,
    x: _XFunction,
    plot_left: int,
    plot_right: int,
    lanes_bottom: int,
) -> list[str]:
    out = [f'<line x1="{plot_left}" y1="{TOP}" x2="{plot_right}" y2="{TOP}" stroke="{TEXT_BLACK}"/>']
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    pixels_per_month = (plot_right - plot_left) / max(months, 1)
    year_step = max(1, round(40 / (pixels_per_month * 12))) if pixels_per_month * 12 < 40 else 1
    for year in range(first.year, last.year + 1):
        for month in range(1, 13):
            day = dt.date(year, month, 1)
            if day < first.replace(day=1) or day > last:
                continue
            left = max(x(day), plot_left)
            if month == 1 or day == first.replace(day=1):
                if (year - first.year) % year_step == 0 or month != 1:
                    out.append(
                        f'<line x1="{left:.1f}" y1="{TOP - 8}" x2="{left:.1f}" y2="{lanes_bottom}" '
                        f'stroke="#505a5f" stroke-width="0.6"/>'
                        f'<text x="{left + 2:.1f}" y="{TOP - 12}" fill="{TEXT_BLACK}">{year}</text>'
                    )
            elif pixels_per_month >= 6:
                out.append(
                    f'<line x1="{left:.1f}" y1="{TOP - 4}" x2="{left:.1f}" y2="{TOP}" stroke="{TEXT_BLACK}"/>'
                )
                if pixels_per_month >= 34:
                    out.append(
                        f'<text x="{left + 2:.1f}" y="{TOP - 30}" font-size="11" fill="{TEXT_BLACK}">'
                        f"{MONTH_NAMES[month - 1][:3]}</text>"
                    )
    return out


def _marks(
    entries: Sequence[Entry],
    lane_of: Mapping[str, int],
    highlights: Collection[int],
    x: _XFunction,
    plot_width: int,
    day_count: int,
) -> list[_Mark]:
    """One mark per entry, or grouped per lane and few pixels when there are many entries."""
    grouped = len(entries) > AGGREGATE_ABOVE
    days_per_group = max(1, round(AGGREGATE_PIXELS * day_count / plot_width)) if grouped else 1
    groups: dict[tuple[int, bool, int, int, bool], _Mark] = {}
    marks: list[_Mark] = []
    for index, entry in enumerate(entries):
        start, end = entry_span(entry)
        is_span = entry.date.precision is not Precision.DAY or end > start  # month, year or end date
        lane = lane_of[entry.agency]
        highlighted = index in highlights
        if not grouped:
            marks.append(_Mark(lane, start, end, is_span, entry.date.uncertain, highlighted, [index]))
            continue
        bucket = start.toordinal() // days_per_group if not is_span else start.toordinal()
        key = (lane, is_span, bucket, end.toordinal() if is_span else 0, entry.date.uncertain)
        mark = groups.get(key)
        if mark is None:
            mark = groups[key] = _Mark(lane, start, end, is_span, entry.date.uncertain, False)
        mark.start, mark.end = min(mark.start, start), max(mark.end, end)
        mark.highlighted = mark.highlighted or highlighted
        mark.indices.append(index)
    marks.extend(groups.values())
    # Spans underneath, exact days on top, findings last so their outline is never hidden.
    marks.sort(key=lambda m: (not m.is_span, m.highlighted, m.start))
    return marks


def _mark_title(mark: _Mark, entries: Sequence[Entry], agencies: Sequence[str]) -> str:
    agency = agencies[mark.lane]
    finding = "Finding. " if mark.highlighted else ""
    if len(mark.indices) == 1:
        entry = entries[mark.indices[0]]
        until = f" to {entry.end_date.display()}" if entry.end_date is not None else ""
        return (
            f"{finding}{agency}, {entry.date.display()}{until}: {_clean(entry.description, MAX_TITLE_TEXT)}"
        )
    dates = f"{mark.start.strftime('%d/%m/%Y')} to {mark.end.strftime('%d/%m/%Y')}"
    quoted = "; ".join(
        f"{entries[i].date.display()}: {_clean(entries[i].description, 60)}"
        for i in mark.indices[:TITLE_DESCRIPTIONS]
    )
    more = (
        f"; and {len(mark.indices) - TITLE_DESCRIPTIONS} more"
        if len(mark.indices) > TITLE_DESCRIPTIONS
        else ""
    )
    return f"{finding}{agency}, {len(mark.indices)} entries, {dates}. {quoted}{more}"


def _draw_mark(
    mark: _Mark,
    entries: Sequence[Entry],
    agencies: Sequence[str],
    palette: Mapping[str, AgencyColour],
    x: _XFunction,
) -> str:
    colour = palette[agencies[mark.lane]]
    middle = TOP + mark.lane * LANE_HEIGHT + LANE_HEIGHT / 2
    stroke_width = 3 if mark.highlighted else 1
    dash = ' stroke-dasharray="3 2"' if mark.uncertain else ""
    style = f'fill="{colour.fill}" stroke="{TEXT_BLACK}" stroke-width="{stroke_width}"{dash}'
    left = x(mark.start)
    if mark.is_span or len(mark.indices) > 1:
        right = x(mark.end, end_of_day=True)
        bar_height = (
            BAR_HEIGHT if mark.is_span else min(LANE_HEIGHT - 8, 8 + 2 * len(mark.indices).bit_length())
        )
        shape = (
            f'<rect x="{left:.1f}" y="{middle - bar_height / 2:.1f}" width="{max(right - left, 3):.1f}" '
            f'height="{bar_height}" {style}' + (' fill-opacity="0.6"' if mark.is_span else "") + "/>"
        )
        centre = (left + max(right, left + 3)) / 2
    else:
        centre = left + (x(mark.start, end_of_day=True) - left) / 2
        shape = f'<circle cx="{centre:.1f}" cy="{middle:.1f}" r="{DOT_RADIUS}" {style}/>'
    symbol = ""
    if mark.highlighted:
        tip = middle - DOT_RADIUS - 3
        symbol = (
            f'<path d="M{centre - 5:.1f} {tip - 8:.1f} L{centre + 5:.1f} {tip - 8:.1f} L{centre:.1f} {tip:.1f} Z" '
            f'fill="{TEXT_BLACK}"/>'
        )
    return f"<g><title>{_text(_mark_title(mark, entries, agencies))}</title>{shape}{symbol}</g>"


def _legend(lanes_bottom: int, plot_left: int) -> list[str]:
    y, y2 = lanes_bottom + 24, lanes_bottom + 46
    items = [
        f'<circle cx="{plot_left + 6}" cy="{y - 4}" r="{DOT_RADIUS}" fill="#ffffff" stroke="{TEXT_BLACK}"/>'
        f'<text x="{plot_left + 16}" y="{y}" fill="{TEXT_BLACK}">exact day</text>',
        f'<rect x="{plot_left + 100}" y="{y - 9}" width="24" height="{BAR_HEIGHT}" fill="#ffffff" '
        f'stroke="{TEXT_BLACK}"/><text x="{plot_left + 130}" y="{y}" fill="{TEXT_BLACK}">month or year only</text>',
        f'<rect x="{plot_left + 270}" y="{y - 9}" width="24" height="{BAR_HEIGHT}" fill="#ffffff" '
        f'stroke="{TEXT_BLACK}" stroke-dasharray="3 2"/>'
        f'<text x="{plot_left + 300}" y="{y}" fill="{TEXT_BLACK}">date uncertain</text>',
        f'<path d="M{plot_left + 1} {y2 - 12} L{plot_left + 11} {y2 - 12} L{plot_left + 6} {y2 - 4} Z" '
        f'fill="{TEXT_BLACK}"/><text x="{plot_left + 16}" y="{y2}" fill="{TEXT_BLACK}">'
        "finding (thick outline)</text>",
        f'<rect x="{plot_left + 200}" y="{y2 - 12}" width="24" height="14" fill="#b1b4b6" fill-opacity="0.35" '
        f'stroke="#505a5f" stroke-dasharray="4 3"/>'
        f'<text x="{plot_left + 230}" y="{y2}" fill="{TEXT_BLACK}">no contact from any agency</text>',
    ]
    return [f'<g aria-hidden="true">{"".join(items)}</g>']
