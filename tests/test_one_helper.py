"""One helper per concern (issue 12): the package's source is searched for a second way of doing
what one module owns. Each check names the owner; ``KNOWN`` lists the places still to move, with
why, so a new second way fails here and an old one is visible."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "infographic"

#: concern → (owner module, pattern that only the owner may contain; "" : no module may)
CONCERNS: dict[str, tuple[str, str]] = {
    "atomic writes": ("fileio.py", r"\bos\.replace\(|\bmkstemp\(|NamedTemporaryFile\("),
    "containment checks": ("paths.py", r"\bcommonpath\(|\.is_relative_to\(|\bin [\w.]*\.parents\b"),
    "luminance weights": ("colour.py", r"0\.2126|0\.7152"),
    "hex colour patterns": ("colour.py", r"0-9a-fA-F\]\{|0-9a-f\]\{"),
    "SVG number patterns": ("svgsyntax.py", r"\\d\+\\\.\?\\d\*\|\\\.\\d\+"),
    "output format tables": ("output/writers.py", r"OutputFormat\(\"|\"webp\": *\("),
    "literal timeouts (a limit: limits.py)": ("", r"timeout=\d"),
}

#: (concern, module) → why it is still there
KNOWN: dict[tuple[str, str], str] = {
}


def _sources() -> dict[str, str]:
    return {path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(PACKAGE.rglob("*.py"))}


SOURCES = _sources()


@pytest.mark.parametrize("concern", sorted(CONCERNS))
def test_only_the_owner_does_it(concern: str) -> None:
    owner, pattern = CONCERNS[concern]
    if owner:
        assert re.search(pattern, SOURCES[owner]), f"{owner} no longer matches: fix the pattern"
    others = sorted(module for module, text in SOURCES.items()
                    if module != owner and re.search(pattern, text))
    unexpected = [m for m in others if (concern, m) not in KNOWN]
    assert not unexpected, f"{concern} belong in {owner or 'no module'}; found in {unexpected}"


def test_the_known_exceptions_are_still_there() -> None:
    """An exception that was moved to its owner is taken off ``KNOWN``."""
    for (concern, module), why in KNOWN.items():
        assert re.search(CONCERNS[concern][1], SOURCES.get(module, "")), \
            f"{module} no longer has its own {concern} ({why}): remove it from KNOWN"


def test_drawing_parses_no_svg_text_with_regular_expressions() -> None:
    """The drawing stage reads the scene (glyph runs, prepared images), not the SVG's text."""
    drawing = [m for m in SOURCES if m.startswith("output/")]
    assert drawing
    assert [m for m in drawing if re.search(r"^import re$|^from re import", SOURCES[m], re.M)] == []
