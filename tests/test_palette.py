"""The 14 technique colours: light enough for black text, and told apart by colour-blind readers.

Published colour-blind-safe qualitative sets stop at 9 or 10 colours (Paul Tol's "light" has 9,
Okabe-Ito 8); extended to 14 with light colours their closest pairs fall to about 8 ΔE2000 under
simulated deuteranopia. The palette was therefore chosen by a max-min search over light sRGB
colours (every channel a multiple of 0x11, contrast with black at least 7:1) for the largest
smallest CIEDE2000 distance between any two colours, and between any colour and the white page,
under normal vision, deuteranopia and protanopia at once; it reaches about 10.7.

The floors asserted here:
- 10 ΔE2000 between any two colours, in each of the three visions: about ten times a just
  noticeable difference (ΔE2000 ≈ 1) and the usual threshold for two colours read as distinct
  categories rather than shades of one, at the size of a highlighted word;
- 10 ΔE2000 from white, so that even the palest highlight shows on the report's white card;
- 20 ΔE2000 for the two pairs that used to be near twins (name calling and appeal to fear,
  loaded language and causal oversimplification), since these techniques often sit side by side;
- contrast 7:1 with black (WCAG AAA; the requirement is 4.5:1, AA), since highlights put black
  text on these colours.

Colour-blindness is simulated with the Machado et al. (2009) matrices at full severity, as
implemented by coloraide. Where colour still fails, the short tags (render/tags.py) name each
technique in words.
"""

from __future__ import annotations

from itertools import combinations

import pytest
from coloraide import Color

from propscan.techniques import TECHNIQUES

pytestmark = pytest.mark.issue(11)

VISIONS = (None, "deutan", "protan")
MIN_PAIR_DE = 10.0
MIN_WHITE_DE = 10.0
MIN_TWIN_DE = 20.0
MIN_CONTRAST = 7.0


def _seen(color: str, vision: str | None) -> Color:
    """The colour as a reader with the given colour vision deficiency sees it (None: normal)."""
    seen = Color(color)
    if vision is not None:
        seen = seen.filter(vision, method="machado").convert("srgb").clip()
    return seen


def _distance(a: str, b: str, vision: str | None) -> float:
    return float(_seen(a, vision).delta_e(_seen(b, vision), method="2000"))


@pytest.mark.parametrize("vision", VISIONS)
def test_every_two_technique_colours_are_far_apart(vision: str | None) -> None:
    close = [
        (x.label, y.label, round(d, 1))
        for x, y in combinations(TECHNIQUES.values(), 2)
        if (d := _distance(x.color, y.color, vision)) < MIN_PAIR_DE
    ]
    assert not close


@pytest.mark.parametrize("vision", VISIONS)
def test_every_technique_colour_shows_on_white(vision: str | None) -> None:
    pale = [
        t.label for t in TECHNIQUES.values() if _distance(t.color, "#fff", vision) < MIN_WHITE_DE
    ]
    assert not pale


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Name_Calling,Labeling", "Appeal_to_fear-prejudice"),
        ("Loaded_Language", "Causal_Oversimplification"),
    ],
)
@pytest.mark.parametrize("vision", VISIONS)
def test_the_former_near_twins_are_far_apart(first: str, second: str, vision: str | None) -> None:
    distance = _distance(TECHNIQUES[first].color, TECHNIQUES[second].color, vision)
    assert distance >= MIN_TWIN_DE


def test_black_text_reads_on_every_technique_colour() -> None:
    dim = [
        t.label
        for t in TECHNIQUES.values()
        if Color(t.color).contrast("black", method="wcag21") < MIN_CONTRAST
    ]
    assert not dim
