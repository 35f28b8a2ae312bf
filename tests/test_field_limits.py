"""Every text field at its manifest's max_length renders at every size the layout supports.

One field at a time (the rest is the layout's example data), in ordinary words, capitals and long
tokens with digits (see tests/field_limits.py). A layout that cannot keep such a promise at some
size must lower the field's max_length instead.
"""

from __future__ import annotations

import pytest

import infographic
from infographic.layout.manifest import load_layout

from conftest import EXAMPLES
from field_limits import limit_cases

#: Layouts whose manifests' limits are checked here (the others follow as they are reworked).
LAYOUTS = ["prevention-tips", "myth-fact", "schedule", "hotline-qr", "vaccination-progress", "pictogram",
           "announcement", "key-statistics", "daily-trend", "demo-media", "step-guide", "ranking",
           "risk-map", "map-figures"]
#: Known broken promises, (layout, case, size): each must fail (strict), so a fix is noticed.
KNOWN_FAILURES = {
}
#: Nothing a render draws is smaller than the caption floor (canvas units).
CAPTION_FLOOR = 20

CASES = [(name, case, data) for name in LAYOUTS for case, data in limit_cases(name)]


@pytest.mark.parametrize(("name", "case", "data"), CASES,
                         ids=[f"{name}-{case}" for name, case, _ in CASES])
def test_field_at_its_limit_renders_at_every_size(name, case, data):
    broken = []
    for size in load_layout(name).sizes:
        try:
            art = infographic.render(name, data, size=size, assets=[EXAMPLES])
        except infographic.FitError as error:
            broken.append((size, str(error)))
            continue
        report = art.fit_report
        assert report.ok, f"{size}: {report.format()}"
        small = [(e.slot, e.size) for e in report if e.size < CAPTION_FLOOR]
        assert not small, f"{size}: text below {CAPTION_FLOOR} units: {small}"
    known = {size for layout, known_case, size in KNOWN_FAILURES if (layout, known_case) == (name, case)}
    assert {size for size, _ in broken} == known, broken
