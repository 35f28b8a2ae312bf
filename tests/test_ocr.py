"""Text read back by OCR (tesseract, Vietnamese model) from the rendered announcement."""

from __future__ import annotations

import pytest

import infographic

from conftest import cer, ocr, to_image

pytestmark = pytest.mark.slow  # OCR


def crop_slot(art: infographic.Artwork, image, slot: str, pad: float = 12):
    """The rendered lines of ``slot`` (its content box, in output pixels)."""
    x, y, w, h = (v * art.size.scale for v in art.fit_report[slot].content_box)
    return image.crop((int(x - pad), int(y - pad), int(x + w + pad), int(y + h + pad)))


@pytest.mark.parametrize("size", ["a4", "portrait"])
def test_headline_and_first_paragraph_read_back(announcement_data, size):
    art = infographic.render("announcement", announcement_data, size=size)
    image = to_image(art)
    title = ocr(crop_slot(art, image, "title"))
    assert cer(announcement_data["title"], title) < 0.03, title
    body = ocr(crop_slot(art, image, "body"))
    first_paragraph = announcement_data["body"][0]
    read = " ".join(body.split())[: len(first_paragraph) + 5]
    assert cer(first_paragraph, read[: len(first_paragraph)]) < 0.03, read
