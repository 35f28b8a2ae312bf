"""Property-based fuzzing: any data for any bundled layout ends in an image or a typed error.

Hypothesis draws arbitrary Unicode (control characters, surrogates, marks, RTL and zero-width
characters, emoji, markup) and arbitrary numbers into every field of every bundled layout. The
run is derandomized (the same examples every time) and small enough for CI.
"""

from __future__ import annotations

import io
import math
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

import infographic
from infographic.errors import InfographicError
from infographic.layout.manifest import FieldSpec, bundled_layouts, load_layout

SETTINGS = settings(max_examples=int(os.environ.get("INFOGRAPHIC_FUZZ_EXAMPLES", "12")), derandomize=True, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))

SPECIALS = ["</text><image href=\"file:///etc/passwd\"/>", "{{ 7*7 }}", "&nbsp;&amp;", "\x0b",
            "\ud800", "\u202e", "\u200b", "😷", "Ỵ̣̂", "ĐẶNG THỊ", "1.234.567,5", "\u2029", "\t",
            "-", "NaN", "∞", "%s", "{0}", " "]
any_char = st.characters(codec=None, exclude_categories=())
text = st.one_of(st.text(any_char, max_size=60),
                 st.lists(st.sampled_from(SPECIALS) | st.text(any_char, max_size=8),
                          max_size=12).map("".join),
                 st.text(st.sampled_from("aăâbcdđeêghiklmnoôơpqrstuưvxyÁẦẬỮ ,.\n"),
                         min_size=200, max_size=900))
numbers = st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.integers(-10**30, 10**30), st.decimals(allow_nan=False).map(str), text)


def value_for(spec: FieldSpec) -> st.SearchStrategy:
    scalar = {"number": numbers, "integer": numbers, "date": st.dates().map(str) | st.dates() | text,
              "boolean": st.booleans() | text, "choice": st.sampled_from(spec.choices or ("x",)) |
              text, "color": st.sampled_from(["#ff0000", "#0af"]) | text}.get(spec.type, text)
    if spec.type in ("paragraphs", "list"):
        return st.lists(text, max_size=8) | text
    if spec.type not in ("text", "url", "number", "integer", "date", "boolean", "choice",
                         "color"):
        # Structured types (tables, series…): mutate the sample, or throw text and lists at it.
        return st.one_of(st.just(spec.sample), text, st.lists(text, max_size=4),
                         st.lists(st.dictionaries(st.text(max_size=8), text | numbers,
                                                  max_size=4), max_size=5))
    return scalar | st.none()


def _loadable(name: str) -> bool:
    try:
        load_layout(name)
    except InfographicError:
        return False  # a broken manifest is caught by the layout tests, not a fuzz target
    return True


@st.composite
def layout_and_data(draw: st.DrawFn) -> tuple[str, dict, str]:
    name = draw(st.sampled_from([n for n in bundled_layouts() if _loadable(n)]))
    layout = load_layout(name)
    data = layout.sample_data()
    for field in draw(st.lists(st.sampled_from(sorted(layout.fields)), min_size=1, max_size=4,
                               unique=True)):
        data[field] = draw(value_for(layout.fields[field]))
    size = draw(st.sampled_from([s for s in layout.sizes if s in ("square", "landscape",
                                                                  "portrait")] or ["square"]))
    return name, data, size


def _check_image(art: infographic.Artwork) -> None:
    image = Image.open(io.BytesIO(art.to_bytes("png")))
    image.load()
    assert image.size == (art.width, art.height)


@SETTINGS
@given(case=layout_and_data())
def test_any_data_ends_in_an_image_or_a_typed_error(case):
    name, data, size = case
    try:
        art = infographic.render(name, data, size=size)
    except InfographicError as error:
        assert str(error) and error.layout  # says where the problem is
        return
    _check_image(art)


@SETTINGS
@given(value=text, field=st.sampled_from(["title", "lead", "signer", "footer"]))
def test_any_text_in_the_announcement_renders_or_is_rejected(value, field):
    data = load_layout("announcement").sample_data()
    data[field] = value
    try:
        art = infographic.render("announcement", data, size="landscape")
    except InfographicError as error:
        assert error.field == field or error.layout == "announcement"
        return
    _check_image(art)


@SETTINGS
@given(value=numbers)
def test_any_number_is_converted_or_rejected(value):
    from infographic.layout.data import _number  # the converter every number field uses
    spec = FieldSpec("n", type="number")
    try:
        number = _number(spec, value)
    except Exception as error:  # noqa: BLE001 - the converter signals problems one way only
        assert type(error).__name__ == "_Problem", repr(error)
        return
    assert math.isfinite(number)
