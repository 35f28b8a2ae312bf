"""One render key for batch and preview (infographic/renderkey.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from infographic.batch import fingerprint
from infographic.preview import session
from infographic.renderkey import canonical, folder_hash, render_key


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "layout"
    folder.mkdir()
    (folder / "layout.yaml").write_text("name: notice\n", encoding="utf-8")
    (folder / "template.svg.j2").write_text("<g/>", encoding="utf-8")
    return folder


def test_folder_hash_follows_contents_not_hidden_files_or_backups(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    first = folder_hash(folder)
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / "template.svg.j2~").write_text("old", encoding="utf-8")
    (folder / "__pycache__").mkdir()
    (folder / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert folder_hash(folder) == first
    (folder / "template.svg.j2").write_text("<g></g>", encoding="utf-8")
    assert folder_hash(folder) != first
    (folder / "template.svg.j2").write_text("<g/>", encoding="utf-8")
    assert folder_hash(folder) == first  # an undo gives the same key back


def test_render_key_is_stable_and_sees_every_part() -> None:
    data = {"title": "Thông báo tiêm vắc xin", 2: "hai", "ngay": dt.date(2024, 5, 1)}
    same = {"ngay": dt.date(2024, 5, 1), 2: "hai", "title": "Thông báo tiêm vắc xin"}
    key = render_key(layout="abc", data=data, theme="health-blue", size="square")
    assert key == render_key(size="square", theme="health-blue", data=same, layout="abc")
    assert key != render_key(layout="abc", data=data, theme="health-blue", size="a4")
    assert key != render_key(layout="abd", data=data, theme="health-blue", size="square")
    assert '"ngay":"2024-05-01"' in canonical(data)


def test_batch_and_preview_hash_a_layout_folder_the_same_way(tmp_path: Path) -> None:
    """Both key their outputs with the one function over the one folder hash."""
    folder = _folder(tmp_path)
    assert fingerprint.output_fingerprint is render_key
    assert fingerprint.folder_hash is session.folder_digest is folder_hash
    entry = session.PreviewLayout("notice", folder, file_data={"title": "Họp tổ dân phố"})
    key = entry.input_key("square", "health-blue:-", folder_hash(folder))
    assert key == render_key(layout=folder_hash(folder), data={"title": "Họp tổ dân phố"},
                             theme="health-blue:-", size="square", assets=[])[:20]
