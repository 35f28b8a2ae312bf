"""Issue 18, items 5 and 6: templates that ask one C call for gigabytes or minutes.

Each attack runs in a child Python under the issue's 4 GB address-space cap and a timeout (the
harness of ``test_security_render``): it must end in a typed error, quickly enough that the child
is never killed, and the child's peak memory stays under 1 GB. Before the sandbox bounded results
by size, ``10**1000`` raised to the 1000th twice ran past 120 s, and doubling a string with
``~``, ``+``, ``join`` or ``replace`` reached 1–3 GB.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import infographic
from infographic.errors import LayoutError, LimitError

from hostile import MILLION, attack_layout
from test_security_render import run_attack

#: name → template body; every one would allocate gigabytes if it ran to the end.
STRING_BOMBS = {
    "power chain": "{% set a = 10**1000 %}{% set b = a**1000 %}{% set c = b**1000 %}{{ c }}",
    "product chain": "{% set a = 10**1000 %}{% set b = a*a*a*a*a*a*a*a %}{{ b * b * b }}",
    "tilde doubling": MILLION + "{% for i in range(12) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
                      "{{ ns.s | length }}",
    "plus doubling": MILLION + "{% for i in range(12) %}{% set ns.s = ns.s + ns.s %}{% endfor %}"
                     "{{ ns.s | length }}",
    "list plus doubling": MILLION + "{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}"
                          "{% endfor %}{{ ns.l | join }}",
    "list times": MILLION + "{{ (ns.l * 3000) | join }}",
    "join": MILLION + "{{ [ns.s, ns.s, ns.s, ns.s] | join(ns.s) }}",
    "str join": MILLION + "{{ ns.s.join([ns.s, ns.s, ns.s]) }}",
    "replace": MILLION + "{{ ns.s | replace('x', ns.s) }}",
    "str replace": MILLION + "{{ ns.s.replace('x', 'xxxxxxxxxx') }}",
    "nested list printed": MILLION + "{% set a = [ns.s, ns.s, ns.s] %}{% set b = [a, a, a] %}"
                           "{% set c = [b, b, b] %}{{ c }}",
    "percent repeat": MILLION + "{{ '%(s)s' * 1000 % {'s': ns.s} }}",
    "format repeat": MILLION + "{{ ('{0}' * 1000).format(ns.s) }}",
    "format filter": MILLION + "{{ ('%s' * 1000) | format(*([ns.s] * 1)) }}",
    "indent": MILLION + "{{ ('\\n' * 100000) | indent(ns.s) }}",
    "wordwrap": MILLION + "{{ ns.s | wordwrap(1, wrapstring=ns.s) }}",
    "tojson indent": "{{ [[[[1]]]] | tojson(indent=100000000) }}",
    "block set": MILLION + "{% set t %}{% for i in range(1000) %}{{ ns.s }}{% endfor %}"
                 "{% endset %}{{ t | length }}",
    "macro": MILLION + "{% macro m() %}{% for i in range(1000) %}{{ ns.s }}{% endfor %}"
             "{% endmacro %}{{ m() | length }}",
    "translate": MILLION + "{{ ns.s.translate({120: ns.s}) }}",
    "slice count": "{{ [1] | slice(1000000000) | list | length }}",
}


def _layouts(root: Path, bodies: dict[str, str]) -> dict[str, str]:
    folders = {}
    for index, (name, body) in enumerate(bodies.items()):
        folder = attack_layout(root / f"bomb{index}", '<svg xmlns="http://www.w3.org/2000/svg" '
                             f'width="100" height="100">{body}<rect width="9" height="9"/></svg>')
        folders[name] = str(folder)
    return folders


_RENDER_EACH = """
    import json
    from infographic.errors import InfographicError
    outcomes = {}
    for name, folder in json.load(open(f"{out}/attacks.json")).items():
        try:
            infographic.render(folder, {"title": "x"}, size="200x200")
            outcomes[name] = ["ok", ""]
        except InfographicError as exc:
            outcomes[name] = [type(exc).__name__, str(exc)]
    json.dump(outcomes, open(f"{out}/outcomes.json", "w"))
"""


def test_every_template_bomb_is_a_limit_error_before_it_allocates(tmp_path):
    (tmp_path / "attacks.json").write_text(json.dumps(_layouts(tmp_path, STRING_BOMBS)))
    result = run_attack(_RENDER_EACH, tmp_path)  # typed or ok, peak under 1 GB, no hang
    assert result["outcome"] == "ok"
    outcomes = json.loads((tmp_path / "outcomes.json").read_text())
    wrong = {name: o for name, o in outcomes.items() if o[0] != "LimitError"}
    assert not wrong, wrong
    assert "integers of at most" in outcomes["power chain"][1]
    assert "template.svg.j2" in outcomes["power chain"][1]  # names the file to fix
    assert "at most 1,000,000 characters" in outcomes["tilde doubling"][1]
    # a block's prints are bounded as they are made, not when the block is joined
    assert "may print at most" in outcomes["block set"][1], outcomes["block set"]


@pytest.mark.parametrize("body, expected", [
    ("{{ 10**1000 // 10**990 }}", "10000000000"),
    ("{{ (2**1000 * 2**1000) > 0 }}", "True"),
    ("{{ ('ab' * 400000) | length }}", "800000"),
    ("{{ (['x'] * 1000 + ['y']) | join(', ') | length }}", "3001"),
    ("{{ 'Trạm Y tế' ~ ' ' ~ 'phường Phúc Xá' }}", "Trạm Y tế phường Phúc Xá"),
    ("{{ 'Tiêm vắc xin %s mũi' | format('đủ') }}", "Tiêm vắc xin đủ mũi"),
    ("{{ 'Ca mắc: {:,}'.format(7605092) }}", "Ca mắc: 7,605,092"),
    ("{{ 'a-b-c' | replace('-', ' / ') }}", "a / b / c"),
    ("{{ 7605092 | number }}", "7.605.092"),
])
def test_ordinary_template_arithmetic_and_text_still_work(tmp_path, body, expected):
    folder = attack_layout(tmp_path / "ok", '<svg xmlns="http://www.w3.org/2000/svg" width="100" '
                         f'height="100"><text id="out">{body}</text></svg>')
    svg = infographic.render(folder, {"title": "x"}, size="200x200").svg
    assert f">{expected}<" in svg.replace("&#39;", "'")


def test_a_slot_size_of_a_billion_is_refused_when_the_manifest_loads(tmp_path):
    """``size: 1000000000, min_size: 0.5`` made fitting build every 0.5 step (2.1 GB)."""
    folder = attack_layout(tmp_path / "huge-slot", '<svg xmlns="http://www.w3.org/2000/svg" '
                         'width="100" height="100">{{ text("title", title, 0, 0, 100, 100) }}'
                         '</svg>')
    manifest = folder / "layout.yaml"
    manifest.write_text(manifest.read_text().replace("{size: 30, min_size: 10",
                                                     "{size: 1000000000, min_size: 0.5"))
    result = run_attack(f"infographic.render({str(folder)!r}, {{'title': 'x'}}, size='square')",
                        tmp_path)
    assert result["type"] == "LayoutError"
    assert str(manifest) in result["message"]
    assert "slot 'title'" in result["message"] and "'size'" in result["message"]
    assert "2000" in result["message"]  # the limit, so the designer knows what is allowed


@pytest.mark.parametrize("style, fragment", [
    ("{size: 30, min_size: 40}", "'min_size' (40) must not be above 'size' (30)"),
    ("{size: .inf}", "'size' must be a number"),
    ("{size: 30, min_size: -1}", "'min_size' must be a number"),
    ("{size: big}", "unknown type step 'big'"),
])
def test_slot_sizes_are_checked_with_file_and_slot(tmp_path, style, fragment):
    folder = attack_layout(tmp_path / "bad-slot", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    manifest = folder / "layout.yaml"
    manifest.write_text(manifest.read_text().replace(
        "{size: 30, min_size: 10, overflow: truncate}", style))
    with pytest.raises(LayoutError, match=r"layout.yaml, line \d+: slot 'title'") as caught:
        infographic.render(folder, {"title": "x"}, size="square")
    assert fragment in str(caught.value)


def test_a_template_cannot_ask_text_for_a_billion_px_size(tmp_path):
    folder = attack_layout(tmp_path / "override", '<svg xmlns="http://www.w3.org/2000/svg" '
                         'width="100" height="100">{{ text("title", title, 0, 0, 100, 100, '
                         'size=1000000000, min_size=0.5) }}</svg>')
    with pytest.raises(LayoutError, match="text slot 'title'.*largest text size 2000"):
        infographic.render(folder, {"title": "x"}, size="square")


def test_an_alt_text_template_is_bounded_as_it_is_built(tmp_path):
    """The alt text's template reached 1.48 GB before its 20,000-character output limit."""
    folder = attack_layout(tmp_path / "alt", '<svg xmlns="http://www.w3.org/2000/svg" '
                         'width="100" height="100"/>')
    bomb = (MILLION + "{% for i in range(12) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
            "{{ ns.s }}")
    with (folder / "layout.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write(f"alt_text: {json.dumps(bomb)}\n")
    result = run_attack(f"infographic.render({str(folder)!r}, {{'title': 'x'}}, size='square')",
                        tmp_path)
    assert result["type"] == "LimitError", result
    assert "alt_text" in result["message"] and "at most" in result["message"]


def test_alt_text_blocks_are_bounded_by_the_smaller_alt_text_limit(tmp_path):
    folder = attack_layout(tmp_path / "alt-block", '<svg xmlns="http://www.w3.org/2000/svg" '
                         'width="100" height="100"/>')
    bomb = ('{% set t %}{% for i in range(2000) %}{{ "x" * 999 }}{% endfor %}{% endset %}'
            "{{ t | length }}")
    with (folder / "layout.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write(f"alt_text: {json.dumps(bomb)}\n")
    with pytest.raises(LimitError, match="alt_text"):
        infographic.render(folder, {"title": "x"}, size="square")
