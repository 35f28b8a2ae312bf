"""Inputs at every text field's manifest limit, one field at a time, for the limit tests.

A ``max_length`` in a manifest is a promise: text that long must render at every size the layout
supports (or the manifest must ask for less). For each text field, list item and table column this
builds the example data with that one field at its limit, in three kinds of text a ward office
really types: ordinary Vietnamese words, the same in capitals (a headline typed in caps), and long
tokens with digits (phone numbers, dates, document numbers). A table column is filled in one row
(one cell at a time, like any other field); every row at its limit at once is the maximum-content
stress case, which a size may refuse with a clear FitError.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterator

from infographic.datafile import example_data_path, load_data_file
from infographic.layout.manifest import FieldSpec, load_layout

#: Fields that name a file or an icon rather than hold text to set (also every ``…_icon`` and
#: ``…_file``, e.g. a map's GeoJSON file).
REFERENCE_FIELDS = {"photo", "logo", "icon"}

WORDS = ("Người dân thực hiện nghiêm khuyến cáo của Bộ Y tế, đeo khẩu trang nơi công cộng, "
         "rửa tay thường xuyên bằng xà phòng, khai báo y tế trung thực và tiêm vắc-xin đầy đủ "
         "theo hướng dẫn của trạm y tế phường để bảo vệ bản thân, gia đình và cộng đồng").split()
TOKENS = ("0243.823.4567", "1900-9095", "20/09/2021", "70-CV/BTG", "Nghiêng", "khuyến", "SpO2",
          "PC-Covid", "chuyển", "Phường", "2.480.000")
KINDS = ("words", "caps", "digits")


def text_of_length(length: int, kind: str = "words", offset: int = 0) -> str:
    """Exactly ``length`` characters of real text of ``kind`` (see :data:`KINDS`)."""
    pool = TOKENS if kind == "digits" else WORDS
    words = itertools.cycle(pool[offset % len(pool):] + pool[:offset % len(pool)])
    text = next(words)
    for word in words:
        if len(text) + 1 + len(word) > length:
            break
        text += " " + word
    text = text[:length]
    filler = itertools.cycle("0123456789" if kind == "digits" else "khỏe")
    while len(text) < length:
        text += next(filler)
    return text.upper() if kind == "caps" else text


def _text_fields(fields: dict[str, FieldSpec]) -> Iterator[tuple[str, str | None, FieldSpec]]:
    """(field, column or None, spec) for every text-like field with a max_length."""
    for name, spec in fields.items():
        if name in REFERENCE_FIELDS or name.endswith(("_icon", "_file")):
            continue
        if spec.type == "table":
            for column in spec.columns:
                if column.type == "text" and column.max_length and column.name not in REFERENCE_FIELDS:
                    yield name, column.name, column
        elif spec.type in ("text", "list", "paragraphs") and spec.max_length:
            yield name, None, spec


def limit_cases(layout_name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(case id, data) for every text field of ``layout_name`` at its max_length, each kind."""
    layout = load_layout(layout_name)
    example = example_data_path(layout.name)
    base = load_data_file(example) if example else layout.sample_data()
    for (name, column, spec), kind in itertools.product(_text_fields(layout.fields), KINDS):
        data = dict(base)
        if column is not None:
            rows = [dict(row) for row in base.get(name) or layout.fields[name].sample or []]
            rows[0][column] = text_of_length(spec.max_length, kind)
            data[name] = rows
            yield f"{name}.{column}-{kind}", data
        elif spec.type in ("list", "paragraphs"):
            count = spec.max_items or len(base.get(name) or spec.default or [1])
            data[name] = [text_of_length(spec.max_length, kind, i * 5) for i in range(count)]
            yield f"{name}-{kind}", data
        else:
            data[name] = text_of_length(spec.max_length, kind)
            yield f"{name}-{kind}", data
