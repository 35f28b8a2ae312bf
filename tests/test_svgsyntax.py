"""The one way SVG numbers are written and transforms are read (infographic/svgsyntax.py)."""

from __future__ import annotations

import math

from infographic.svgsyntax import svg_number, transform_steps


def test_numbers_are_short_and_never_negative_zero() -> None:
    assert svg_number(12.5) == "12.5"
    assert svg_number(3.0) == "3"
    assert svg_number(1080.004) == "1080"
    assert svg_number(0.123456, 3) == "0.123"
    assert svg_number(-0.001) == "0"
    assert svg_number(-2.25) == "-2.25"
    assert float(svg_number(7.0049)) == 7.0


def test_transform_steps_in_order_with_their_numbers() -> None:
    steps = transform_steps("translate(10 20) scale(2,3)rotate( -45 5 5 ) skewX(1e1) bogus(9)")
    assert steps == [("translate", [10.0, 20.0]), ("scale", [2.0, 3.0]),
                     ("rotate", [-45.0, 5.0, 5.0]), ("skewX", [10.0])]
    assert transform_steps(None) == []
    (name, values), = transform_steps("matrix(inf 0 0 1 0 nan)")
    assert name == "matrix" and math.isinf(values[0]) and math.isnan(values[5])
