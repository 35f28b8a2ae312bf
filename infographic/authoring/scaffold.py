"""``infographic new NAME``: a new layout folder that renders at every size straight away.

The files written are a working starting point *and* a commented example of the format: a
manifest with fields, samples and text slots, and a template that re-flows for landscape.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import LayoutError
from ..layout.manifest import DEFAULT_TEMPLATE, MANIFEST

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")

MANIFEST_TEXT = """\
# {name}: a layout made with `infographic new`. Edit freely; `infographic check {folder}` tells
# you what to fix. The format is explained in layouts/README.md.
name: {name}
title: {title}
description: >
  A headline, a short message and the sender, on the theme colours. Replace this text with what
  the layout is for and how it re-flows.
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
    max_length: 80
    label: Đơn vị gửi
    sample: Trạm Y tế phường

# Text slots: how each text box is set. Sizes are canvas units (pixels of a 1080-wide canvas).
# The template may override any key per box, e.g. text("title", title, ..., size=44).
slots:
  kicker:  {{font: heading, weight: 700, size: 24, min_size: 16, max_lines: 1, uppercase: true, tracking: 0.1, color: primary}}
  title:   {{font: heading, size: 60, min_size: 30, max_lines: 3, line_height: 1.2, color: text, balance: true}}
  message: {{font: body, size: 30, min_size: 18, max_lines: 5, line_height: 1.4, color: muted}}
  sender:  {{font: heading, weight: 700, size: 24, min_size: 16, max_lines: 2, color: on_primary, valign: middle}}
"""

TEMPLATE_TEXT = """\
{{#- {name}: the SVG body of the artwork, written with Jinja2. Coordinates are canvas units:
    1080 wide for every size except landscape (1200 × 630). `canvas.height` changes with the
    size, so the layout measures what it places and re-flows instead of stretching. -#}}
{{% set W = canvas.width %}}
{{% set H = canvas.height %}}
{{% set wide = canvas.orientation == "landscape" %}}
{{#- k grows type a little on tall canvases (story, paper) so they do not look empty. -#}}
{{% set k = [1.25, [1.0, (H / W) ** 0.4] | max] | min %}}
{{% set m = 56 if wide else 80 %}}
{{% set footer_h = 64 if wide else 96 * k %}}

{{#- Shapes: plain SVG. Colours come from the theme by name. -#}}
<rect width="{{{{ W }}}}" height="{{{{ H }}}}" fill="{{{{ theme.background }}}}"/>
<rect width="{{{{ 14 if wide else 18 }}}}" height="{{{{ H - footer_h }}}}" fill="{{{{ theme.accent }}}}"/>
<rect y="{{{{ H - footer_h }}}}" width="{{{{ W }}}}" height="{{{{ footer_h }}}}" fill="{{{{ theme.primary }}}}"/>

{{#- Text: text(slot, value, x, y, width, height) fits the value into the box and returns a
    block whose .bottom is where the next one may start. Nothing is drawn until it is printed
    with {{{{ }}}}; .moved(dx, dy) prints it shifted. -#}}
{{% set col_w = (W * 0.62 if wide else W - 2 * m) %}}
{{% set kick = text("kicker", kicker, x=m, y=0, width=col_w, height=40) if kicker else none %}}
{{% set head_y = (kick.bottom + 20) if kick else 0 %}}
{{% set head = text("title", title, x=m, y=head_y, width=col_w, height=H * (0.42 if wide else 0.3), size=(46 if wide else 60 * k)) %}}
{{% set bottom = head.bottom %}}
{{% if message %}}
  {{% set body = text("message", message, x=m, y=head.bottom + 28, width=col_w, height=H * 0.3, size=(24 if wide else 30 * k)) %}}
  {{% set bottom = body.bottom %}}
{{% endif %}}

{{#- Centre the column in the space above the footer. -#}}
{{% set shift = (H - footer_h - bottom) / 2 %}}
{{% if kick %}}{{{{ kick.moved(0, shift) }}}}{{% endif %}}
{{{{ head.moved(0, shift) }}}}
{{% if message %}}{{{{ body.moved(0, shift) }}}}{{% endif %}}

{{#- Landscape has room on the right: an icon from the bundled set (infographic icons). -#}}
{{% if wide %}}
{{{{ icon("vaccine", x=W - m - 220, y=(H - footer_h - 220) / 2, size=220, color="primary", bg="secondary") }}}}
{{% endif %}}

{{% if sender %}}
{{{{ text("sender", sender, x=m, y=H - footer_h, width=W - 2 * m, height=footer_h, size=(20 if wide else 24 * k)) }}}}
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
    (folder / MANIFEST).write_text(
        MANIFEST_TEXT.format(name=name, title=_title_of(name), folder=folder), encoding="utf-8")
    (folder / DEFAULT_TEMPLATE).write_text(TEMPLATE_TEXT.format(name=name), encoding="utf-8")
    return folder
