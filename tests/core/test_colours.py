"""Agency colours: WCAG contrast maths and stable assignment."""

from __future__ import annotations

import pytest

from chronicle.core.colours import (
    AA_NORMAL_TEXT,
    PALETTE,
    TEXT_BLACK,
    WHITE,
    assign_colours,
    contrast_ratio,
    parse_hex,
    relative_luminance,
    text_colour_for,
)


def test_it_computes_the_wcag_extremes() -> None:
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#1d70b8", "#1d70b8") == pytest.approx(1)


def test_it_agrees_with_published_contrast_figures() -> None:
    # #767676 is the lightest grey that passes AA on white (4.54:1); #777777 just fails (4.48:1).
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    # GOV.UK blue on white is 5.17:1.
    assert contrast_ratio("#1d70b8", WHITE) == pytest.approx(5.17, abs=0.01)


def test_it_is_symmetric() -> None:
    assert contrast_ratio("#d4351c", WHITE) == contrast_ratio(WHITE, "#d4351c")


def test_it_has_at_least_twenty_distinct_colours_each_with_aa_text() -> None:
    assert len(PALETTE) >= 20
    assert len(set(PALETTE)) == len(PALETTE)
    for fill in PALETTE:
        text = text_colour_for(fill)
        assert text in {TEXT_BLACK, WHITE}
        assert contrast_ratio(fill, text) >= AA_NORMAL_TEXT, fill


def test_it_picks_dark_text_on_light_fills_and_white_on_dark() -> None:
    assert text_colour_for("#ffdd00") == TEXT_BLACK
    assert text_colour_for("#003078") == WHITE


def test_it_assigns_colours_in_the_order_given_and_the_same_every_time() -> None:
    agencies = ["Police", "Health", "School", "Police"]
    first = assign_colours(agencies)
    assert list(first) == ["Police", "Health", "School"]
    assert first == assign_colours(agencies)
    assert first["Police"].fill == PALETTE[0]
    assert first["School"].fill == PALETTE[2]
    assert all(colour.contrast >= AA_NORMAL_TEXT for colour in first.values())


def test_it_repeats_the_palette_with_a_round_number_when_agencies_outnumber_colours() -> None:
    colours = assign_colours(f"Agency {n}" for n in range(len(PALETTE) + 2))
    extra = colours[f"Agency {len(PALETTE)}"]
    assert extra.fill == PALETTE[0]
    assert extra.round == 1
    assert colours["Agency 0"].round == 0


def test_it_names_a_colour_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="'blue' is not in the form #rrggbb"):
        parse_hex("blue")
    with pytest.raises(ValueError, match="'#12345g'"):
        parse_hex("#12345g")
