"""``infographic new NAME``: a new layout folder that renders at every size straight away.

The files written are a working starting point *and* a commented example of the format: a
manifest with fields, samples and text slots, and a template that re-flows for landscape.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import LayoutError
from ..fileio import write_atomic
from ..layout.manifest import DEFAULT_TEMPLATE, MANIFEST

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")

MANIFEST_TEXT = """\
# {name}: a layout made with `infographic new`. Edit freely; `infographic check {folder}` tells
# you what to fix. The format is explained in layouts/README.md.
name: {name}
title: {title}
description: >
  A headline, a short message and the sender, between the shared header (logo, issuing body,
  date) and footer (hotline, source). Replace this text with what the layout is for and how it
  re-flows.
theme: health-blue
sizes: [square, portrait, story, landscape, a4, a3]

# Data the layout takes. Every field has a type, a Vietnamese label for the people filling it in,
# and a sample value so that the layout renders without any data file.
fields:
  kicker:
    type: text
    max_length: 40
    label: Nhãn trên tiêu đề
    sample: Thông báo
  title:
    type: text
    required: true
    max_length: 90
    label: Tiêu đề
    sample: Tiêm vắc-xin đầy đủ để bảo vệ bản thân và cộng đồng
  message:
    type: text
    max_length: 200
    label: Nội dung
    sample: Người dân từ 18 tuổi trở lên đến trạm y tế phường để được tiêm mũi nhắc lại.
  sender:
    type: text
    max_length: 60
    label: Đơn vị gửi
    sample: Trạm Y tế phường
  date:
    type: date
    label: Ngày
    sample: 2021-09-13
  logo:
    type: text
    max_length: 200
    label: Logo (tệp trong thư mục layout)
    sample: emblem-y-te.svg
  hotline:
    type: text
    max_length: 20
    label: Đường dây nóng
    sample: "1900 9095"
  source:
    type: text
    max_length: 80
    label: Nguồn
    sample: Bộ Y tế

# Text slots: how each text box is set. Sizes are canvas units (pixels of a 1080-wide canvas) or
# type steps (xs 20, sm 24, md 30, lg 40, xl 56, xxl 80); the role sets how small the text may
# get and still read on a phone (body and label 24, caption 20). The template may override any
# key per box, e.g. text("title", title, ..., size=44).
slots:
  kicker:  {{font: heading, weight: 700, size: sm, min_size: floor, max_lines: 1, uppercase: true, tracking: 0.1, role: label, color: primary}}
  title:   {{font: heading, size: xl, min_size: 30, max_lines: 3, line_height: 1.2, role: title, color: text, balance: true}}
  message: {{font: body, size: md, min_size: floor, max_lines: 5, line_height: 1.4, role: body, color: muted}}
"""

TEMPLATE_TEXT = """\
{{#- {name}: the SVG body of the artwork, written with Jinja2. Coordinates are canvas units:
    1080 wide for every size except landscape (1200 × 630). `canvas.height` changes with the
    size, so the layout measures what it places and re-flows instead of stretching. Sizes and
    gaps come from the design system: type_scale.xl (56), space.xl (32) … (layouts/README.md). -#}}
{{% set W = canvas.width %}}
{{% set H = canvas.height %}}
{{% set wide = canvas.orientation == "landscape" %}}
{{% set tall = H / W > 1.3 %}}
{{% set m = space.xxl if wide else space.x3 %}}

{{#- Shapes: plain SVG. Colours come from the theme by name. -#}}
<rect width="{{{{ W }}}}" height="{{{{ H }}}}" fill="{{{{ theme.background }}}}"/>

{{#- The shared header and footer: logo or emblem, issuing body and date on top; hotline and
    source at the bottom. They record their boxes, so `infographic check --stress` holds the
    text inside them. The content goes between band.bottom and foot.top. -#}}
{{% set band = page_header(issuer=sender, date=("Ngày " ~ (date | date)) if date else none, logo=logo) %}}{{{{ band }}}}
{{% set foot = page_footer(hotline=hotline, source=source) %}}{{{{ foot }}}}

{{#- Text: text(slot, value, x, y, width, height) fits the value into the box and returns a
    block whose .bottom is where the next one may start. Nothing is drawn until it is printed
    with {{{{ }}}}; .moved(dx, dy) prints it shifted. -#}}
{{% set top = band.bottom + space.xl %}}
{{% set room = foot.top - space.xl - top %}}
{{% set col_w = (W * 0.62 if wide else W - 2 * m) %}}
{{% set kick = text("kicker", kicker, x=m, y=top, width=col_w, height=40) if kicker else none %}}
{{% set head_y = (kick.bottom + space.md) if kick else top %}}
{{% set head = text("title", title, x=m, y=head_y, width=col_w, height=room * 0.6, size=(type_scale.lg if wide else type_scale.xxl if tall else type_scale.xl)) %}}
{{% set bottom = head.bottom %}}
{{#- A link preview is seen small: it keeps to the headline. -#}}
{{% if message and not wide %}}
  {{% set body = text("message", message, x=m, y=head.bottom + space.lg, width=col_w, height=top + room - head.bottom - space.lg, size=(type_scale.lg if tall else type_scale.md)) %}}
  {{% set bottom = body.bottom %}}
{{% endif %}}

{{#- Little text leaves room: an icon from the bundled set (infographic icons) fills it, beside
    the text on landscape, under it elsewhere; then the column is centred between header and
    footer, so a short notice does not float in empty space. -#}}
{{% set used = bottom - top %}}
{{% set side = [room - 2 * space.md, 360] | min if wide else [room - used - space.xl, room * 0.6, W - 2 * m] | min %}}
{{% set show_icon = side >= 140 %}}
{{% set total = used + (space.xl + side if show_icon and not wide else 0) %}}
{{% set shift = [0, (room - total) / 2] | max %}}
{{% if kick %}}{{{{ kick.moved(0, shift) }}}}{{% endif %}}
{{{{ head.moved(0, shift) }}}}
{{% if message and not wide %}}{{{{ body.moved(0, shift) }}}}{{% endif %}}
{{% if show_icon and wide %}}
{{{{ icon("vaccine", x=W - m - side, y=top + (room - side) / 2, size=side, color="primary", bg="secondary") }}}}
{{% elif show_icon %}}
{{{{ icon("vaccine", x=m, y=bottom + shift + space.xl, size=side, color="primary", bg="secondary") }}}}
{{% endif %}}
"""


def _title_of(name: str) -> str:
    return name.replace("-", " ").capitalize()


def create_layout(name: str, directory: "str | Path" = ".", *, force: bool = False) -> Path:
    """Write ``directory/name/`` with ``layout.yaml`` and ``template.svg.j2``; return the folder.

    ``name`` is lower case with digits and hyphens (``my-poster``). An existing folder is
    refused unless ``force`` is true (then only the two files are overwritten).
    """
    if not _NAME.match(name):
        raise LayoutError(f"layout name '{name}' must be lower case letters, digits and hyphens, "
                          "starting with a letter (e.g. my-poster)")
    folder = Path(directory) / name
    if folder.exists() and not force:
        raise LayoutError(f"{folder} already exists: choose another name or --dir, or pass "
                          "--force to overwrite its layout.yaml and template")
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / MANIFEST, MANIFEST_TEXT.format(
        name=name, title=_title_of(name), folder=folder).encode("utf-8"))
    write_atomic(folder / DEFAULT_TEMPLATE, TEMPLATE_TEXT.format(name=name).encode("utf-8"))
    return folder
