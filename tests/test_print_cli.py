"""``infographic print``: pages from a data file's ``pages`` list, options, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from infographic.cli import main

from conftest import EXAMPLES

PT = 72 / 25.4


def test_print_command_makes_one_page_per_ward(tmp_path, capsys):
    target = tmp_path / "leaflets.pdf"
    code = main(["print", "hotline-qr", "--size", "a5", "-d",
                 str(EXAMPLES / "print" / "leaflets-hotline.yaml"), "-o", str(target)])
    assert code == 0
    reader = PdfReader(target)
    assert len(reader.pages) == 4
    assert float(reader.pages[0].trimbox.width) == pytest.approx(148 * PT, abs=0.01)
    assert "4 pages" in capsys.readouterr().out


def test_print_command_trim_size_for_office_printers(tmp_path):
    target = tmp_path / "office.pdf"
    assert main(["print", "announcement", "--size", "a4", "--bleed", "0", "--no-marks",
                 "-q", "-o", str(target)]) == 0
    page = PdfReader(target).pages[0]
    assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, 210 * PT, 297 * PT],
                                                               abs=0.01)


def test_print_command_errors_are_one_line(tmp_path, capsys):
    target = tmp_path / "x.pdf"
    assert main(["print", "announcement", "--size", "square", "-o", str(target)]) == 1
    assert "paper size" in capsys.readouterr().err
    bad = tmp_path / "pages.yaml"
    bad.write_text("title: x\npages: [1, 2]\n", encoding="utf-8")
    assert main(["print", "announcement", "-d", str(bad), "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert "pages" in err and "row 1" in err and not Path(target).exists()
