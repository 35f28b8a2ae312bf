"""Output names: safe on Windows, macOS, Linux and Zalo, never outside the output folder, unique."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from batch_support import MINI, SMALL, batch, load_report, outputs, write_csv
from infographic.batch.naming import NameTemplate, UniqueNames, safe_component
from infographic.limits import MAX_NAME_BYTES
from infographic.errors import InfographicError

_WINDOWS_BAD = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@pytest.mark.parametrize("raw, expected", [
    ("Phường Bến Nghé", "Phường-Bến-Nghé"),
    ("../../etc/passwd", "etc-passwd"),
    ("..\\..\\Windows\\win.ini", "Windows-win.ini"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a-b-c-d-e-f-g-h-i-j"),
    ("Báo cáo #1 & 50% (bản cuối)!", "Báo-cáo-1-50-(bản-cuối)"),
    ("  .hidden. ", "hidden"),
    ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("com1", "_com1"), ("LPT9", "_LPT9"),
    ("tab\there\nnew\x00line\u200b", "tab-here-new-line"),
    ("Phu\u031bo\u031b\u0300ng", "Phường"),  # NFD (as macOS writes) becomes NFC
    ("—", "—"), ("***", ""),
])
def test_safe_component(raw: str, expected: str) -> None:
    assert safe_component(raw) == expected


def test_ascii_names_and_length_limit() -> None:
    assert safe_component("Phường Đa Kao – Quận 1", ascii_only=True) == "Phuong-Da-Kao-Quan-1"
    long = safe_component("Ủy ban nhân dân " * 20)
    assert len(long.encode("utf-8")) <= MAX_NAME_BYTES and not long.endswith("-")


def test_template_rejects_attribute_access_and_dot_folders() -> None:
    for template in ("{ward.__class__}", "{ward[0]}", "{ward!r}", "../{ward}", "{ward}/./x",
                     "a//b"):
        with pytest.raises(InfographicError):
            NameTemplate(template)


def test_template_values_cannot_escape_and_folders_come_only_from_the_template() -> None:
    template = NameTemplate("{date}/{ward}-{row:04d}")
    assert template.render({"date": "13/09/2021", "ward": "../../x", "row": 7}) == \
        "13-09-2021/x-0007"
    assert NameTemplate("{ward}").render({"ward": "///", "row": 9}) == "row-9"
    with pytest.raises(InfographicError, match="no column or field 'phuong'"):
        NameTemplate("{phuong}").render({"ward": "x", "row": 2})


def test_unique_names_ignore_case_and_unicode_form() -> None:
    names = UniqueNames()
    assert [names.claim(n) for n in ("Phường-1", "phường-1", "Phu\u031bo\u031b\u0300ng-1", "x")] \
        == ["Phường-1", "phường-1-2", "Phu\u031bo\u031b\u0300ng-1-3", "x"]


def test_batch_names_are_safe_unique_and_inside_the_output_folder(tmp_path: Path) -> None:
    rows = [{"ward": "../../evil", "date": "2021-09-13"},
            {"ward": "Phường Bến Nghé", "date": "13/09/2021"},
            {"ward": "phường bến nghé", "date": "13/09/2021"},  # same name but for case
            {"ward": "CON", "date": "2021-09-13"},
            {"ward": "A:B*C?", "date": "2021-09-13"}]
    out = tmp_path / "out"
    assert batch(MINI, str(write_csv(tmp_path / "rows.csv", rows)), "-o", str(out), "--size",
                 SMALL, "-j", "1", "-q", "--name", "{ward}-{date}") == 0
    files = outputs(out)
    assert len(files) == 5
    assert not list(tmp_path.glob("*.png")) and not (tmp_path / "evil-2021-09-13.png").exists()
    for file in files:
        assert file.resolve().is_relative_to(out.resolve())
        assert not _WINDOWS_BAD.search(file.name)
    assert len({f.name.casefold() for f in files}) == 5
    names = [o["name"] for o in load_report(out / "batch-report.json")["outcomes"]]
    assert names == ["evil-2021-09-13", "Phường-Bến-Nghé-13-09-2021",
                     "phường-bến-nghé-13-09-2021-2", "CON-2021-09-13", "A-B-C-2021-09-13"]


def test_several_sizes_get_a_size_suffix_unless_the_template_places_it(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", [{"ward": "Phường 1", "date": "2021-09-13"}])
    assert batch(MINI, str(data), "-o", str(tmp_path / "a"), "--size", "200x200,300x200",
                 "-j", "1", "-q", "--name", "{ward}") == 0
    assert [p.name for p in outputs(tmp_path / "a")] == ["Phường-1-200x200.png",
                                                          "Phường-1-300x200.png"]
    assert batch(MINI, str(data), "-o", str(tmp_path / "b"), "--size", "200x200,300x200",
                 "-j", "1", "-q", "--name", "{size}/{ward}") == 0
    assert [p.relative_to(tmp_path / "b").as_posix() for p in outputs(tmp_path / "b")] == \
        ["200x200/Phường-1.png", "300x200/Phường-1.png"]
