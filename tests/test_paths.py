"""The one containment check (infographic/paths.py), on a real folder tree with symlinks."""

from __future__ import annotations

import os

from infographic.paths import resolve_inside


def test_resolve_inside(tmp_path):
    root = tmp_path / "layout"
    (root / "img").mkdir(parents=True)
    (root / "img" / "logo.png").write_bytes(b"x")
    evil = tmp_path / "layout-evil"  # shares the root's name as a string prefix
    evil.mkdir()
    (evil / "secret.png").write_bytes(b"x")
    os.symlink(evil / "secret.png", root / "link.png")

    real = root.resolve()
    assert resolve_inside(root, "img/logo.png") == real / "img" / "logo.png"
    assert resolve_inside(root, root / "img" / "logo.png") == real / "img" / "logo.png"
    assert resolve_inside(root, "img/../img/logo.png") == real / "img" / "logo.png"
    assert resolve_inside(root, "missing.png") == real / "missing.png"  # existence: caller's
    assert resolve_inside(root, evil / "secret.png") is None  # sibling with the same prefix
    assert resolve_inside(root, "../layout-evil/secret.png") is None
    assert resolve_inside(root, "link.png") is None  # symlink out of the folder
    assert resolve_inside(root, "/etc/passwd") is None


def test_preflight_reads_no_image_from_a_sibling_folder(tmp_path):
    """The print preflight measured any file whose path merely started with the layout folder's."""
    from PIL import Image

    from infographic.checks.preflight import print_preflight
    from infographic.sizes import parse_size

    root, evil = tmp_path / "layout", tmp_path / "layout-evil"
    root.mkdir()
    evil.mkdir()
    Image.new("RGB", (40, 30)).save(evil / "secret.png")
    Image.new("RGB", (40, 30)).save(root / "photo.png")
    size = parse_size("a4")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}">'
           '<image href="{href}" x="100" y="100" width="200" height="150"/></svg>')

    def measured(href: str) -> list[str]:
        items = print_preflight(svg.format(w=size.canvas_width, h=size.canvas_height, href=href),
                                size, 5.0, {}, [root])
        return [item.message for item in items if item.check == "image-resolution"]

    assert measured((root / "photo.png").as_uri()) and measured("photo.png")
    assert measured((evil / "secret.png").as_uri()) == []
    assert measured("../layout-evil/secret.png") == []
