"""Every manifest value of the wrong kind is refused when the layout loads, naming layout.yaml,
the line, the slot or field and the kind expected (issue 17: ``size: sixty`` was accepted)."""

from __future__ import annotations

import pytest

from infographic.errors import LayoutError
from infographic.layout.manifest import bundled_layouts, load_layout, load_layout_folder

TEMPLATE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{ width }} {{ height }}">'
            '{{ text("title", title, 40, 40, width - 80, 200) }}</svg>')

MANIFEST = """\
name: probe
title: Thông báo
fields:
  title:
    type: text
    required: true
    max_length: 80
    sample: Tiêm vắc xin sởi cho trẻ
slots:
  title:
    font: heading
    size: 40
    min_size: 20
    max_lines: 2
    uppercase: false
"""


def write(folder, manifest: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "layout.yaml").write_text(manifest, encoding="utf-8")
    (folder / "template.svg.j2").write_text(TEMPLATE, encoding="utf-8")
    return folder


def refusal(folder, manifest: str) -> str:
    with pytest.raises(LayoutError) as caught:
        load_layout_folder(write(folder, manifest))
    return str(caught.value)


def line_of(manifest: str, text: str) -> int:
    return next(n for n, line in enumerate(manifest.splitlines(), 1) if text in line)


def test_the_probe_manifest_loads(tmp_path):
    layout = load_layout_folder(write(tmp_path / "probe", MANIFEST))
    assert layout.slots["title"]["max_lines"] == 2
    assert layout.fields["title"].max_length == 80


def test_size_sixty_names_file_line_slot_and_the_steps(tmp_path):
    manifest = MANIFEST.replace("size: 40", "size: sixty")
    message = refusal(tmp_path / "probe", manifest)
    assert f"layout.yaml, line {line_of(manifest, 'sixty')}:" in message
    assert str(tmp_path / "probe" / "layout.yaml") in message
    assert "slot 'title' size: unknown type step 'sixty'" in message


@pytest.mark.parametrize("old, new, expected", [
    ("max_lines: 2", "max_lines: two", "slot 'title': 'max_lines' must be a whole number "
                                       "(e.g. 3), not text ('two')"),
    ("max_lines: 2", "max_lines: 2.5", "'max_lines' must be a whole number"),
    ("uppercase: false", "uppercase: 'no'", "slot 'title': 'uppercase' must be true/false "
                                            "(true or false), not text ('no')"),
    ("uppercase: false", "features: tnum", "'features' must be a list of texts (e.g. [tnum]), "
                                           "not text ('tnum')"),
    ("uppercase: false", "features: [tnum, 3]", "'features' must be a list of texts (e.g. "
                                                "[tnum]), not a list with a number"),
    ("uppercase: false", "line_height: [1, 2]", "'line_height' must be a number (e.g. 40 or "
                                                "1.2), not list"),
    ("uppercase: false", "align: {x: 1}", "'align' must be a text (e.g. center), not mapping"),
    ("uppercase: false", "weight: bold", "'weight' must be a whole number"),
    ("uppercase: false", "tracking: true", "'tracking' must be a number (e.g. 40 or 1.2), "
                                           "not true/false"),
    ("size: 40", "size: [40]", "slot 'title': 'size' must be a number above 0"),
    ("max_length: 80", "max_length: '80'", "field 'title': 'max_length' must be a whole "
                                           "number (e.g. 3), not text ('80')"),
    ("required: true", "required: 'yes'", "field 'title': 'required' must be true/false"),
    ("max_length: 80", "label: [Tiêu, đề]", "field 'title': 'label' must be a text"),
])
def test_every_slot_and_field_key_has_its_kind(tmp_path, old, new, expected):
    manifest = MANIFEST.replace(old, new)
    assert manifest != MANIFEST
    message = refusal(tmp_path / "probe", manifest)
    assert expected in message
    assert f"layout.yaml, line {line_of(manifest, new.split(':')[0] + ':')}:" in message


def test_a_list_where_a_mapping_belongs(tmp_path):
    manifest = MANIFEST.replace("slots:\n  title:\n", "slots:\n  - title:\n")
    message = refusal(tmp_path / "probe", manifest)
    assert f"layout.yaml, line {line_of(manifest, 'slots:')}: 'slots' must be a mapping" \
        in message


def test_manifest_keys_and_table_columns_have_their_kinds_too(tmp_path):
    manifest = MANIFEST.replace("title: Thông báo", "title: Thông báo\nsizes: square")
    message = refusal(tmp_path / "probe", manifest)
    assert f"line {line_of(manifest, 'sizes:')}: 'sizes' must be a list of texts" in message
    table = MANIFEST.replace("slots:", "  rows:\n    type: table\n    columns:\n"
                             "      ward: {type: text, max_length: long}\nslots:")
    message = refusal(tmp_path / "table", table)
    assert f"line {line_of(table, 'max_length: long')}: field 'ward': 'max_length' must be " \
           "a whole number" in message


def test_every_bundled_layout_still_loads():
    names = bundled_layouts()
    assert len(names) >= 14
    for name in names:
        assert load_layout(name).slots


def test_choices_take_texts_or_numbers_and_odd_keys_are_named(tmp_path):
    choice = MANIFEST.replace("slots:", "  period:\n    type: choice\n    choices: [sáng, 2]\n"
                              "slots:")
    assert load_layout_folder(write(tmp_path / "choice", choice)).fields["period"].choices \
        == ("sáng", "2")
    nested = choice.replace("[sáng, 2]", "[sáng, [2]]")
    message = refusal(tmp_path / "nested", nested)
    assert f"line {line_of(nested, 'choices:')}: field 'period': 'choices' must be a list of " \
           "texts or numbers" in message and "not a list with a list" in message
    numbered = MANIFEST.replace("  title:\n    type: text", "  1:\n    type: text")
    message = refusal(tmp_path / "numbered", numbered)
    assert f"line {line_of(numbered, '  1:')}: field name '1' must be lower_snake_case" in message
