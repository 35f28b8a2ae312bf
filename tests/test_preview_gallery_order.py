"""The gallery's thumbnails are rendered before any other size (issue 17: each thumbnail used to
wait behind every earlier layout's other sizes). The order is read from the preview's own events
with one worker, so the order they finish in is the order they ran in."""

from __future__ import annotations

import asyncio
import json

from infographic.preview.live import LivePreview, thumbnail_size
from infographic.preview.session import build_project

from conftest import make_layout

TEMPLATE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{ canvas.width }} '
            '{{ canvas.height }}"><rect width="{{ canvas.width }}" height="{{ canvas.height }}" '
            'fill="#e8f0fa"/>{{ text("title", title, 40, 40, canvas.width - 80, 300) }}</svg>')


async def render_order(project) -> list[tuple[str, str]]:
    """(layout, size) in the order the renders reached the pages."""
    live = LivePreview(project, workers=1)
    stream = live.events.stream()
    await stream.__anext__()  # hello
    await live.start()
    rendered: dict[str, set[str]] = {slug: set() for slug in project.layouts}
    order: list[tuple[str, str]] = []
    try:
        while any(len(rendered[slug]) < len(entry.sizes)
                  for slug, entry in project.layouts.items()):
            message = await asyncio.wait_for(stream.__anext__(), 120)
            if not message.startswith("event: layout"):
                continue
            state = json.loads(message.split("data: ", 1)[1])
            for size in state["sizes"]:
                done = size["key"] or size["error"]
                if done and size["size"] not in rendered[state["slug"]]:
                    assert size["error"] is None, size["error"]
                    rendered[state["slug"]].add(size["size"])
                    order.append((state["slug"], size["size"]))
    finally:
        await stream.aclose()
        await live.stop()
    return order


def test_every_thumbnail_is_rendered_before_any_other_size(tmp_path):
    sizes = ["story", "square", "landscape"]  # square (the thumbnail) is not listed first
    for ward in ("phuong-1", "phuong-2", "phuong-3", "xa-4"):
        make_layout(tmp_path / "layouts" / ward, TEMPLATE, sizes=sizes, name=ward.replace("-", "_"))
    project = build_project([str(tmp_path / "layouts")])
    assert len(project.layouts) == 4
    order = asyncio.run(render_order(project))
    assert len(order) == 12
    assert [size for _, size in order[:4]] == ["square"] * 4
    assert {slug for slug, _ in order[:4]} == set(project.layouts)
    assert all(size != "square" for _, size in order[4:])


def test_the_thumbnail_is_square_or_the_first_size():
    assert thumbnail_size(["story", "square"]) == "square"
    assert thumbnail_size(["a4", "story"]) == "a4"
    assert thumbnail_size([]) is None
