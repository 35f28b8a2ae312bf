"""What the template is made of, handed from the planner to the writer: the calls that
replace a drawing's marked elements, and each artboard's plan (fields, slots, guards)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .drawing import Drawing, Page
from .matrix import Matrix
from .report import Match

#: Longest text a field accepts by default, by field name; others get twice the drawn text.
MAX_LENGTHS = {"title": 90, "lead": 200, "message": 200, "body": 600, "text": 120,
               "heading": 30, "hotline": 20, "date": 40, "source": 80, "sender": 60,
               "issuer": 60}


@dataclass
class TextCall:
    """A ``text(...)`` the template makes, before the slot styles of all drawings are known."""

    slot: str
    value: str  # a Jinja expression
    box: tuple[float, float, float, float]
    transform: str
    spec: dict[str, Any]


@dataclass
class Markup:
    """Template text that replaces an element (a picture, a QR code, an icon); with ``keep``
    the element is drawn too, under it (a picture's placeholder rectangle), or over it with
    ``first`` (a header band's own decorations over the band the helper draws)."""

    text: str
    keep: bool = False
    first: bool = False


@dataclass
class PagePlan:
    drawing: Drawing
    page: Page
    matrix: Matrix  # the drawing's root coordinates → canvas units
    canvas: tuple[float, float]
    replace: dict[int, TextCall | Markup] = field(default_factory=dict)
    guards: dict[int, str] = field(default_factory=dict)  # id → Jinja condition
    skip: set[int] = field(default_factory=set)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    pictures: dict[str, bytes] = field(default_factory=dict)
    fixed: int = 0
    unmarked: list[str] = field(default_factory=list)
    #: the bands the shared helpers draw: (header or footer, the group described, the theme
    #: colour the helper fills it with, the drawn fill)
    bands: list[tuple[str, str, str, str]] = field(default_factory=list)


def field_expr(name: str) -> str:
    """How the template reads field ``name`` (``data.qr`` when a template function has it)."""
    reserved = {"text", "image", "qr", "icon", "fail", "canvas", "theme", "layout", "space",
                "type_scale", "data", "card", "container", "page_header", "page_footer"}
    return f"data.{name}" if name in reserved else name


def jinja_string(text: str) -> str:
    """``text`` as a Jinja string literal that prints exactly these characters."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped.replace("{", "\\x7b").replace("}", "\\x7d") + '"'


#: Vietnamese labels for the fields designers name most (the preview's form shows them).
LABELS = {"title": "Tiêu đề", "lead": "Mở đầu", "message": "Nội dung", "body": "Nội dung",
          "date": "Ngày", "hotline": "Đường dây nóng", "source": "Nguồn", "sender": "Đơn vị gửi",
          "issuer": "Cơ quan ban hành", "tips": "Các lời khuyên", "heading": "Tiêu đề ngắn",
          "text": "Nội dung", "icon": "Biểu tượng", "photo": "Ảnh", "logo": "Logo",
          "qr": "Mã QR (liên kết)", "steps": "Các bước", "items": "Các mục",
          "kicker": "Nhãn trên tiêu đề", "area": "Địa bàn", "note": "Ghi chú"}


def label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def default_max_length(name: str, sample: str) -> int:
    base = MAX_LENGTHS.get(name, 0)
    return max(base, 40, -(-len(sample) * 2 // 10) * 10) if not base else max(base, len(sample))
