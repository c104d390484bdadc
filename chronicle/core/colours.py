"""One colour per agency, the same every time a case is shown.

Each palette colour is paired with the text colour (near-black or white) that
gives the higher contrast, and every pair meets WCAG 2.2 AA for normal text
(4.5:1). Colour is never the only cue: lanes are labelled and findings carry a
symbol, so the palette helps people but nothing depends on telling hues apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WHITE = "#ffffff"
TEXT_BLACK = "#0b0c0c"  # the GOV.UK text colour
AA_NORMAL_TEXT = 4.5

# Fills chosen to be far apart in hue and lightness; GOV.UK colours first.
PALETTE: tuple[str, ...] = (
    "#1d70b8",  # blue
    "#d4351c",  # red
    "#00703c",  # green
    "#f47738",  # orange
    "#4c2c92",  # purple
    "#ffdd00",  # yellow
    "#28a197",  # turquoise
    "#c7327a",  # pink (a shade darker than GOV.UK pink, for 4.5:1 with white text)
    "#85994b",  # light green
    "#b58840",  # brown
    "#5694ca",  # light blue
    "#912b88",  # bright purple
    "#003078",  # dark blue
    "#f499be",  # light pink
    "#505a5f",  # dark grey
    "#666aa8",  # light purple (darkened for 4.5:1 with white text)
    "#942514",  # dark red
    "#a6cee3",  # pale blue
    "#005a30",  # dark green
    "#fdbf6f",  # pale orange
    "#cab2d6",  # lavender
    "#17becf",  # cyan
    "#8c564b",  # chestnut
    "#bcbd22",  # olive
)


@dataclass(frozen=True, slots=True)
class AgencyColour:
    """The fill for an agency's marks and the text colour to write on it."""

    fill: str
    text: str
    round: int = 0  # 0 for the first use of the palette; 1+ when there are more agencies than colours

    @property
    def contrast(self) -> float:
        return contrast_ratio(self.fill, self.text)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def parse_hex(colour: str) -> tuple[int, int, int]:
    """'#1d70b8' -> (29, 112, 184). Raises ValueError naming the colour if it is not #rrggbb."""
    text = colour.strip()
    if len(text) != 7 or not text.startswith("#"):
        raise ValueError(f"colour {colour!r} is not in the form #rrggbb")
    try:
        return int(text[1:3], 16), int(text[3:5], 16), int(text[5:7], 16)
    except ValueError:
        raise ValueError(f"colour {colour!r} is not in the form #rrggbb") from None


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance, 0 for black to 1 for white."""
    r, g, b = (_channel(v) for v in parse_hex(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, from 1 (same) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_for(fill: str) -> str:
    """Near-black or white, whichever reads better on the fill."""
    return TEXT_BLACK if contrast_ratio(fill, TEXT_BLACK) >= contrast_ratio(fill, WHITE) else WHITE


def assign_colours(agencies: Iterable[str]) -> dict[str, AgencyColour]:
    """Colours in the order the agencies are given (duplicates ignored).

    Pass agencies in a stable order, e.g. the order they joined the case or
    sorted by name, and the same case always gets the same colours. Past the
    palette's size the colours repeat with ``round`` counting the repeats, so
    a renderer can add a pattern.
    """
    result: dict[str, AgencyColour] = {}
    for agency in agencies:
        if agency in result:
            continue
        position = len(result)
        fill = PALETTE[position % len(PALETTE)]
        result[agency] = AgencyColour(fill, text_colour_for(fill), position // len(PALETTE))
    return result
