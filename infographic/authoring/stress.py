"""Stress data from a manifest: the least and the most content a layout accepts.

``minimum``: required fields only, the fewest items, short texts. ``maximum``: every text at its
``max_length`` (real Vietnamese public-health wording with capitals and digits, cut at a word
boundary so the length is exact), every list and table at ``max_items``, figures at their widest.
``infographic check --stress`` renders both at every size; the bundled layouts keep theirs in
``tests/stress/`` (``python tests/stress/generate.py`` rewrites them).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..layout.manifest import FieldSpec, Layout
from ..media.icons import bundled_icons

#: Public-health wording in the register of a ward notice (the seed notice's phrases, and the
#: capitals, abbreviations and numbers such notices carry). Texts are cut from it.
CORPUS = (
    "Thực hiện nghiêm thông điệp 5K: Khẩu trang – Khử khuẩn – Khoảng cách – Không tụ tập – "
    "Khai báo y tế. Người dân từ 18 tuổi trở lên đến Trạm Y tế phường để được tiêm mũi nhắc lại "
    "vắc-xin COVID-19, mang theo Căn cước công dân và sổ tiêm chủng. Gọi ngay đường dây nóng "
    "1900 9095 hoặc 0283 9309 912 khi có sốt, ho, khó thở, mất vị giác. Triển khai đồng bộ các "
    "biện pháp thông tin, tuyên truyền đến cán bộ, đảng viên, đoàn viên, hội viên và các tầng "
    "lớp Nhân dân qua hệ thống nhóm Zalo cơ sở, fanpage, infographic, loa phát thanh, tuyên "
    "truyền lưu động. Diệt lăng quăng, bọ gậy mỗi tuần để phòng, chống sốt xuất huyết Dengue; "
    "ngủ màn kể cả ban ngày. UBND PHƯỜNG BẾN NGHÉ phối hợp Trung tâm Kiểm soát Bệnh tật "
    "TP. HỒ CHÍ MINH (HCDC) tổ chức xét nghiệm RT-PCR miễn phí cho 12.480 hộ gia đình. Công "
    "tác tuyên truyền cần cụ thể, nêu cao vai trò gương mẫu, tiền phong của các tổ chức Đảng, "
    "huy động sức mạnh đoàn kết của Nhân dân vào công tác phòng, chống dịch Covid-19 trên địa "
    "bàn quận. Tiêm chủng mở rộng: vắc-xin sởi – rubella (MR) cho trẻ từ 1 đến 5 tuổi tại 17 "
    "điểm tiêm, từ 7 giờ 30 đến 16 giờ 30, Thứ Hai đến Thứ Bảy hằng tuần."
)
CAPITALS = CORPUS.upper()
#: Fields that name an issuing body or a place read in capitals on a notice.
_CAPITAL_FIELDS = {"issuer", "area", "kicker", "motto", "badge", "ward", "name", "place"}
#: Fields whose value is a reference (a file, an icon): the sample is kept.
_REFERENCE_WORDS = ("photo", "logo", "image", "file")
#: Minimum content: short real texts by field name.
SHORT = {"title": "Tiêm vắc-xin sởi", "issuer": "Trạm Y tế", "signer": "Trạm Y tế",
         "body": "Rửa tay bằng xà phòng.", "text": "Rửa tay bằng xà phòng.",
         "myth": "Vắc-xin gây vô sinh.", "fact": "Sai. Vắc-xin an toàn.",
         "statement": "Người đã tiêm vắc-xin.", "name": "Phường 1", "ward": "Phường 1",
         "label": "Ca mắc", "hotline": "115", "number": "115", "measure": "Số ca mắc",
         "default": "Y tế"}
#: Row texts numbered per row in minimum content, so two rows are told apart.
_NUMBERED = {"name", "ward", "label"}
BASE_DATE = dt.date(2021, 9, 13)
#: The bundled sample emblem (icons/emblems/), found by name by image() and page_header().
SAMPLE_EMBLEM = "emblem-y-te.svg"
_ICON_PREFIX = re.compile(r"^([a-z][a-z0-9-]*): ")


def text_of_length(length: int, offset: int = 0, capitals: bool = False) -> str:
    """Exactly ``length`` characters of the corpus starting and ending on a word boundary
    (the ``offset``-th such cut, so two fields get different text); shorter only when no cut
    of that length exists."""
    source = (CAPITALS if capitals else CORPUS)
    source = source + " " + source
    words = [0] + [i + 1 for i, c in enumerate(source) if c == " "]
    sentences = [i for i in words if i == 0 or source[i - 2] in ".;"]
    starts = sentences + [i for i in words if i not in sentences]  # a sentence start first
    found = []
    for start in starts:
        end = start + length
        if end > len(source):
            break
        piece = source[start:end]
        if (end == len(source) or source[end] == " ") and piece[-1] not in " –:(,;" \
                and piece[0].isalnum():
            found.append(piece[0].upper() + piece[1:])  # a text starts as a sentence does
            if len(found) > offset:
                return found[-1]
    if found:
        return found[offset % len(found)]
    piece = source[:length]
    return piece[:piece.rfind(" ")] if " " in piece else piece


def _is_reference(spec: FieldSpec) -> bool:
    return any(word in spec.name for word in _REFERENCE_WORDS)


def _sample_cell(layout_field: FieldSpec, column: FieldSpec) -> Any:
    sample = layout_field.sample
    if isinstance(sample, list) and sample and isinstance(sample[0], dict):
        return sample[0].get(column.name)
    return None


def _number(spec: FieldSpec, biggest: bool, index: int = 0) -> float | int:
    low = spec.minimum if spec.minimum is not None else 0
    if not biggest:
        step = index + 1 if spec.maximum is None or spec.maximum - low >= index + 1 else 0
        return type(low)(low + step)
    if spec.maximum is not None:
        return spec.maximum
    return 12_345_678 if spec.type == "integer" else 98_765.4


def _value(spec: FieldSpec, biggest: bool, index: int, parent: FieldSpec | None = None) -> Any:
    kind = spec.type
    if kind in ("number", "integer"):
        return _number(spec, biggest, index if parent is not None else 0)
    if kind == "date":  # a table's rows: one day each
        return BASE_DATE - dt.timedelta(days=index if parent is not None else 0)
    if kind == "boolean":
        return True
    if kind == "choice":
        return max(spec.choices, key=len) if biggest else spec.choices[0]
    if kind == "color":
        return "#0b5cab"
    if kind == "url":
        base = "https://tokhaiyte.vn/"
        length = spec.max_length or 60
        return (base + "khai-bao-y-te/" + "phuong-ben-nghe-quan-1/" * 20)[:length] if biggest \
            else "https://tokhaiyte.vn"
    # text
    if "icon" in spec.name:
        names = [icon.name for icon in bundled_icons()]
        return max(names, key=len) if biggest else names[index % len(names)]
    if _is_reference(spec) or (parent is not None and _is_reference(parent)):
        sample = (_sample_cell(parent, spec) if parent else spec.sample) or None
        if sample is None and spec.name == "logo" and biggest:
            return SAMPLE_EMBLEM  # every optional part shown: the logo slot too
        return sample
    if "time" in spec.name:  # a short one is read as a time of day (17:00)
        if not biggest or (spec.max_length or 0) <= 10:
            return "17:00"
        return text_of_length(spec.max_length or 24, index)
    if not biggest:
        short = SHORT.get(spec.name) or SHORT["default"]
        if parent is not None and spec.name in _NUMBERED:
            short = short.rstrip("0123456789 ") + f" {index + 1}"
        if spec.max_length and len(short) > spec.max_length:
            short = SHORT["default"]
        return short
    length = spec.max_length or 120
    return text_of_length(length, offset=index * 7 + len(spec.name),
                          capitals=spec.name in _CAPITAL_FIELDS)


def _item(spec: FieldSpec, biggest: bool, index: int) -> str:
    """A list item; items written "icon: text" (as the sample's are) keep that form."""
    sample = spec.sample if isinstance(spec.sample, list) else []
    prefixed = sample and all(isinstance(s, str) and _ICON_PREFIX.match(s) for s in sample)
    if not prefixed:
        return _value(spec, biggest, index)
    prefix = _ICON_PREFIX.match(sample[index % len(sample)])
    assert prefix is not None  # every sample item matched above
    icon = prefix.group(1)
    rest = (spec.max_length or 60) - len(icon) - 2
    text = text_of_length(rest, index) if biggest else SHORT["text"]
    return f"{icon}: {text.replace(':', ',')}"


def _rows(spec: FieldSpec, biggest: bool) -> list[dict[str, Any]]:
    if biggest:
        count = spec.max_items or 12
    else:
        count = max(spec.min_items or 1, 1)
    rows = []
    for index in range(count):
        row = {}
        for column in spec.columns:
            if not biggest and not column.required and column.type != "date" \
                    and "icon" not in column.name:
                continue
            row[column.name] = _value(column, biggest, index, parent=spec)
        rows.append(row)
    return rows


def stress_data(layout: Layout, which: str) -> dict[str, Any]:
    """The ``minimum`` or ``maximum`` content ``layout`` accepts, as render data."""
    if which not in ("minimum", "maximum"):
        raise ValueError("which must be 'minimum' or 'maximum'")
    biggest = which == "maximum"
    data: dict[str, Any] = {}
    for index, spec in enumerate(layout.fields.values()):
        if not biggest and not spec.required:
            continue
        if spec.type == "table":
            data[spec.name] = _rows(spec, biggest)
        elif spec.type in ("list", "paragraphs"):
            count = (spec.max_items or 6) if biggest else max(spec.min_items or 1, 1)
            data[spec.name] = [_item(spec, biggest, index + i) for i in range(count)]
        else:
            value = _value(spec, biggest, index)
            if value is not None:
                data[spec.name] = value
    _keep_consistent(layout, data)
    return data


def _keep_consistent(layout: Layout, data: dict[str, Any]) -> None:
    """Figures that must agree with each other: a count within its total, parts within the
    population, the day's table in date order (oldest first)."""
    if "count" in data and "out_of" in data:
        data["count"] = min(data["count"], data["out_of"] - 0.3)
    if "population" in data:
        for row in data.get("doses") or []:
            row["count"] = min(row.get("count", 0), int(data["population"] * 0.97))
    for name, spec in layout.fields.items():
        rows = data.get(name)
        if spec.type == "table" and rows and any(c.type == "date" for c in spec.columns):
            dated = [c.name for c in spec.columns if c.type == "date"][0]
            if name in ("days", "daily"):
                rows.sort(key=lambda r: r[dated])
