"""A block never closed is reported where it was opened, not only where Jinja noticed
(the template's last line, or an outer block's end tag) — issue 17."""

from __future__ import annotations

import pytest

import infographic
from infographic.errors import LayoutError

from conftest import make_layout

HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" '
        'viewBox="0 0 {{ canvas.width }} {{ canvas.height }}">\n')
BODY = ['<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="#ffffff"/>'] * 12 \
    + ['</svg>']


def refusal(folder, lines: list[str]) -> str:
    make_layout(folder, HEAD + "\n".join(lines) + "\n")
    with pytest.raises(LayoutError) as caught:
        infographic.render(folder, {"title": "Tiêm vắc xin sởi cho trẻ"}, size="square")
    return str(caught.value)


@pytest.mark.parametrize("opener", [
    "{% if title %}",
    "{% for word in title.split() %}",
    "{% macro badge(text) %}",
    "{% set note %}",
    "{% block content %}",
])
def test_an_unclosed_block_names_the_line_that_opened_it(tmp_path, opener):
    lines = BODY[:2] + [opener] + BODY[2:]  # opened on template line 4
    message = refusal(tmp_path / "probe", lines)
    tag = opener.split()[1]
    assert f"template.svg.j2, line 4: this {{% {tag} %}} is never closed: add " \
           f"{{% end{tag} %}}" in message
    noticed = int(message.split("Jinja noticed at line ")[1].split(":")[0])
    assert noticed > 4  # Jinja's own view, kept: the end of the template


def test_an_inner_block_closed_by_an_outer_end_tag(tmp_path):
    lines = ["{% set size = 40 %}", "{% if title %}", "{% for word in title.split() %}",
             "<text>{{ word }}</text>", "{% if word %}x{% endif %}", "{% endif %}"] + BODY
    message = refusal(tmp_path / "probe", lines)
    assert "template.svg.j2, line 4: this {% for %} is never closed" in message
    assert "Jinja noticed at line 7:" in message  # the {% endif %} that met the open for


def test_closed_blocks_still_render(tmp_path):
    folder = make_layout(tmp_path / "fine", HEAD + "{% if title %}{% for w in title.split() %}"
                         "<g/>{% endfor %}{% endif %}\n" + "\n".join(BODY))
    artwork = infographic.render(folder, {"title": "Tiêm vắc xin"}, size="square")
    assert artwork.svg.count("<g/>") == 3  # one per word: the blocks ran


def test_other_syntax_errors_keep_jinjas_line(tmp_path):
    message = refusal(tmp_path / "probe", BODY[:3] + ["{{ title | }}"] + BODY[3:])
    assert "template.svg.j2, line 5:" in message and "never closed" not in message
