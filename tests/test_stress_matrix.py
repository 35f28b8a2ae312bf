"""Every bundled layout at every size it supports with the least and the most content its
manifest accepts (generated from the manifest: infographic/authoring/stress.py; a copy of the
inputs is kept in tests/stress/ for people to look at). Each render must:

* render (the maximum is a promise: a FitError means the manifest's limit is too high);
* pass the geometry checks (infographic/authoring/geometry.py): every text's ink inside its card,
  band or panel and inside the safe area, no two texts overlapping, no text under its role's
  floor (a slot without a role: the caption floor, 20 units, on paper 10 pt); for the minimum,
  no empty band taller than a quarter of the canvas between header and footer;
* show its title so that tesseract reads it back.
"""

from __future__ import annotations

import re

import pytest

import infographic
from infographic.authoring.geometry import check_artwork
from infographic.authoring.thumbnails import thumbnail
from infographic.authoring.stress import stress_data
from infographic.errors import FitError, InfographicError
from infographic.layout.manifest import bundled_layouts, load_layout

from conftest import cer, ocr

# ─── LAYOUT ENGINEERS, READ THIS ─────────────────────────────────────────────────────────────
# The (layout, size, content) cases that refuse: the content is more than the size can hold at
# a legible type size, and the render stops with the clear FitError that names the field, what
# to shorten and the taller sizes that hold it (the issue allows a size to refuse this way). The
# test checks that refusal; when your redesign makes such a case render, it FAILS — delete that
# line here in the same commit (one case per line, so two people's removals merge cleanly).
# Never add a line to hide a case you broke. See what a case does with
#     infographic check LAYOUT --stress --size SIZE --no-contrast
# or python examples/make_stress_gallery.py (pictures in examples/gallery/stress/).
# ─────────────────────────────────────────────────────────────────────────────────────────────
REFUSES: set[tuple[str, str, str]] = {
    ("schedule", "portrait", "maximum"),
    ("schedule", "square", "maximum"),
    ("step-guide", "square", "maximum"),
}

#: Layouts whose slots do not all declare a role yet (same rule: delete when fixed).
ROLELESS_TODAY: set[str] = {

}

CASES = [(name, size, which) for name in bundled_layouts()
         for size in load_layout(name).sizes for which in ("minimum", "maximum")]


def _normal(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).casefold()


def case_problems(name: str, size: str, which: str) -> list[str]:
    """What is wrong with one case (empty: it passes)."""
    layout = load_layout(name)
    try:
        art = infographic.render(name, stress_data(layout, which), size=size)
    except InfographicError as exc:
        return [f"does not render: {exc}"]
    problems = [f.message for f in check_artwork(art, minimum=which == "minimum",
                                                 safe_mm=layout.safe_area_mm)]
    titles = [e for e in art.fit_report if e.drawn and e.ink
              and e.slot.split("#")[0] in ("title", "header_title")]
    if not titles:
        return problems + ["no title slot drawn"]
    entry = titles[0]
    image = thumbnail(art, 1600)
    scale = image.width / art.size.canvas_width
    left = min(x for x, _, _, _ in entry.ink) - 12
    top = min(y for _, y, _, _ in entry.ink) - 12
    right = max(x + w for x, _, w, _ in entry.ink) + 12
    bottom = max(y + h for _, y, _, h in entry.ink) + 12
    crop = image.crop((max(0, int(left * scale)), max(0, int(top * scale)),
                       min(image.width, int(right * scale)),
                       min(image.height, int(bottom * scale))))
    expected = stress_data(layout, which).get("title", "")
    read = ocr(crop)
    if cer(_normal(expected), _normal(read)) > 0.1:
        problems.append(f"OCR reads the title as {read.strip()!r}")
    return problems


@pytest.mark.slow  # 168 renders, OCR
@pytest.mark.parametrize("name, size, which", [
    case for case in CASES if case not in REFUSES],
    ids=[f"{n}-{s}-{w}" for n, s, w in CASES if (n, s, w) not in REFUSES])
def test_stress_case(name, size, which):
    problems = case_problems(name, size, which)
    assert not problems, f"{name} at {size} with {which} content:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("name, size, which", sorted(REFUSES),
                         ids=[f"{n}-{s}-{w}" for n, s, w in sorted(REFUSES)])
def test_stress_case_refuses_with_what_to_do(name, size, which):
    """A size too small for the most content refuses clearly: the layout, the field, a legible
    floor, what to shorten, and only sizes other than this one as the way out."""
    layout = load_layout(name)
    with pytest.raises(FitError) as caught:
        infographic.render(name, stress_data(layout, which), size=size)
    message = str(caught.value)
    assert f"layout '{name}'" in message and "field '" in message, message
    assert f"fit the {size} size at a readable type size" in message, message
    offered = message.rsplit("choose a taller size (", 1)[1].split(")")[0]
    assert size not in offered and ("story" in offered or "paper" in offered), message
    taller = "story"
    art = infographic.render(name, stress_data(layout, which), size=taller)
    assert not check_artwork(art, minimum=False, safe_mm=layout.safe_area_mm), taller


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason="listed in ROLELESS_TODAY"))
    if n in ROLELESS_TODAY else n for n in bundled_layouts()])
def test_every_slot_declares_its_role(name):
    layout = load_layout(name)
    missing = [slot for slot, spec in layout.slots.items() if not spec.get("role")]
    assert not missing, f"{name}: slots without a role: {', '.join(missing)}"


def test_the_stress_data_reaches_every_limit():
    """The maximum puts every text at its max_length and every list/table at max_items; the
    minimum has only the required fields and the fewest items."""
    for name in bundled_layouts():
        layout = load_layout(name)
        most, least = stress_data(layout, "maximum"), stress_data(layout, "minimum")
        for field in layout.fields.values():
            if field.type == "text" and field.max_length and not any(
                    w in field.name for w in ("photo", "logo", "time", "icon", "file")):
                assert len(most[field.name]) >= field.max_length - 3, (name, field.name)
            if field.type in ("table", "list", "paragraphs") and field.max_items:
                assert len(most[field.name]) == field.max_items, (name, field.name)
            if field.type in ("table", "list", "paragraphs") and field.required:
                assert len(least[field.name]) == max(field.min_items or 1, 1), (name, field.name)
            if not field.required:
                assert field.name not in least, (name, field.name)
