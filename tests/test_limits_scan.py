"""The quick scan of path data for numbers that could exceed a limit gives the same answer as
the regular expression it stands in for (limits._may_exceed vs limits._could_exceed)."""

from __future__ import annotations

import random

import pytest

from infographic import limits

ALPHABET = "0123456789.-+eEiInNaAfF MmLlHhVvCcZz,\t\n٣²"


@pytest.mark.parametrize("digits", [1, 2, 3, 6])
def test_quick_scan_agrees_with_the_regular_expression(digits):
    rng = random.Random(digits)
    texts = ["", "0", "M0 0", "M12.5 3.25L100 200", "1e5", "inf", "NaN", ".123456", "1.1234567",
             "M 123456 0", "-999999", "٣٣٣٣٣٣٣", "M1²3"]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 40)))
              for _ in range(20000)]
    pattern = limits._could_exceed(digits)
    for text in texts:
        assert limits._may_exceed(text, digits) == (pattern.search(text) is not None), text
