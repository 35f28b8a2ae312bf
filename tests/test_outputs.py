"""The output formats table (infographic/output/writers.py) and drawing once per job."""

from __future__ import annotations

import pytest

import infographic
from infographic.errors import OutputError
from infographic.output import FORMATS, OUTPUTS, format_for_path, output_format, raster, write_many


def test_one_table_names_suffixes_and_formats():
    assert FORMATS == ("png", "jpeg", "webp", "pdf", "svg")
    for name in FORMATS:
        for suffix in OUTPUTS[name].suffixes:
            assert format_for_path(f"poster{suffix.upper()}") == name
    assert output_format("JPG").name == "jpeg" and OUTPUTS["jpeg"].suffix == ".jpg"
    assert [n for n in FORMATS if OUTPUTS[n].raster] == ["png", "jpeg", "webp"]
    assert "print-pdf" in OUTPUTS and "print-pdf" not in FORMATS  # registered by print
    with pytest.raises(OutputError, match="use png, jpeg, webp, pdf, svg"):
        output_format("gif")
    with pytest.raises(OutputError, match=r"\.webp"):
        format_for_path("poster.gif")


def test_a_png_webp_pdf_job_draws_the_pixels_once(monkeypatch):
    art = infographic.render("announcement", size="square")
    single = {fmt: art.to_bytes(fmt) for fmt in ("png", "webp", "jpeg", "pdf")}
    calls = []
    original = raster.rasterize

    def counting(artwork):
        calls.append(artwork)
        return original(artwork)

    monkeypatch.setattr(raster, "rasterize", counting)
    together = write_many(art, ["png", "webp", "jpeg", "pdf"])
    assert len(calls) == 1
    assert together.keys() == single.keys()
    for fmt in ("png", "webp", "jpeg"):
        assert together[fmt] == single[fmt], fmt
    assert together["pdf"].startswith(b"%PDF")
