"""The preview's parts below the web page: error locations, input hashes, layout/data selection
and the worker process that survives a runaway template. (The pages: test_preview_e2e.py.)"""

from __future__ import annotations

import os
import shutil
import signal
import socket
from pathlib import Path

import pytest

import infographic
from conftest import ROOT, process_ended, wait_for
from infographic.errors import InfographicError
from infographic.preview.problems import describe
from infographic.preview.session import build_project, folder_digest
from infographic.preview.worker import RenderWorker, run_job

EXAMPLE = ROOT / "examples" / "announcement.yaml"


@pytest.fixture()
def layout(tmp_path) -> Path:
    folder = tmp_path / "notice"
    shutil.copytree(ROOT / "layouts" / "announcement", folder)
    return folder


def _error(folder: Path, data: dict | None = None) -> dict:
    with pytest.raises(InfographicError) as caught:
        infographic.render(folder, data)
    return describe(caught.value, folder)


def _code_line(path: Path, offset: int = 0) -> int:
    """The line ``offset`` lines below the end of the template's leading ``{# … #}`` comment (a
    line inserted inside the comment would not be code)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = next((n for n, text in enumerate(lines, 1) if "#}" in text), 0) \
        if lines and lines[0].startswith("{#") else 0
    return end + 1 + offset


def _insert(path: Path, line: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(line - 1, text + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def test_template_syntax_error_is_located_with_its_lines(layout):
    line = _code_line(layout / "template.svg.j2", 4)
    _insert(layout / "template.svg.j2", line, "{{ canvas.width + }}")
    problem = _error(layout)
    assert problem["kind"] == "template"
    assert problem["file"] == str(layout / "template.svg.j2") and problem["line"] == line
    here = [row for row in problem["excerpt"] if row["here"]]
    assert here == [{"n": line, "text": "{{ canvas.width + }}", "here": True}]
    assert [row["n"] for row in problem["excerpt"]] == list(range(line - 3, line + 4))
    assert str(layout) not in problem["detail"]  # the location is shown apart from the message


def test_undefined_name_at_run_time_is_located_from_the_template_frames(layout):
    line = _code_line(layout / "template.svg.j2", 2)
    _insert(layout / "template.svg.j2", line, "{{ no_such_field }}")
    problem = _error(layout)
    assert (problem["kind"], problem["line"]) == ("template", line)
    assert "no_such_field" in problem["detail"]


def test_manifest_yaml_error_points_into_layout_yaml(layout):
    manifest = layout / "layout.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "fields:", "fields:\n  broken: [", 1), encoding="utf-8")
    problem = _error(layout)
    assert problem["kind"] == "manifest"
    assert problem["file"] == str(manifest) and problem["line"] and problem["excerpt"]


def test_data_error_names_the_field(layout):
    data = infographic.datafile.load_data_file(EXAMPLE) | {"title": "x" * 200}
    problem = _error(layout, data)
    assert (problem["kind"], problem["field"]) == ("data", "title")
    limit = infographic.load_layout(layout).fields["title"].max_length
    assert f"maximum is {limit}" in problem["detail"]


def test_input_hash_follows_the_layout_files_and_the_data(layout):
    project = build_project([str(layout)], [str(EXAMPLE)])
    entry = project.layouts["notice"]
    theme = project.theme_digest(entry)
    key = entry.input_key("square", theme, folder_digest(layout))
    template = layout / "template.svg.j2"
    original = template.read_text(encoding="utf-8")
    template.write_text(original + "<!-- edit -->", encoding="utf-8")
    edited = entry.input_key("square", theme, folder_digest(layout))
    template.write_text(original, encoding="utf-8")
    assert edited != key
    assert entry.input_key("square", theme, folder_digest(layout)) == key  # undo: same key
    assert entry.input_key("portrait", theme, folder_digest(layout)) != key
    entry.form_data = dict(entry.file_data, title="Tiêu đề khác")
    assert entry.input_key("square", theme, folder_digest(layout)) != key
    project.set_theme("health-blue")
    assert project.theme_digest(entry) != theme


def test_layouts_and_data_files_are_matched_or_refused_clearly(layout, tmp_path):
    project = build_project([str(layout.parent)])  # a folder of layouts
    assert list(project.layouts) == ["notice"]
    assert project.layouts["notice"].data_path is None  # the manifest's sample values
    bundled = build_project(["announcement"])
    assert bundled.layouts["announcement"].data_path.name == "announcement.yaml"
    with pytest.raises(InfographicError, match="unknown layout 'nope'"):
        build_project(["nope"])
    named = build_project(["announcement", str(layout)], [str(EXAMPLE)])  # named after its layout
    assert named.layouts["announcement"].data_path == EXAMPLE.resolve()
    ward = tmp_path / "ward-7.yaml"
    shutil.copy(EXAMPLE, ward)
    assert build_project([str(layout)], [str(ward)]).layouts["notice"].data_path == ward.resolve()
    with pytest.raises(InfographicError, match="cannot tell which layout"):
        build_project(["announcement", str(layout)], [str(ward)])
    with pytest.raises(InfographicError, match="unknown theme"):
        build_project([str(layout)], theme="no-such-theme")


def test_a_failing_render_is_a_result_not_an_exception(layout):
    _insert(layout / "template.svg.j2", _code_line(layout / "template.svg.j2"), "{% if %}")
    result = run_job({"kind": "preview", "folder": str(layout), "data": None, "size": "square"})
    assert result["ok"] is False and result["error"]["kind"] == "template"
    result = run_job({"kind": "export", "folder": str(layout.parent / "missing"), "data": None,
                      "size": "square", "format": "png"})
    assert result["ok"] is False and "missing" in result["error"]["message"]


@pytest.mark.slow  # runs into a time limit
def test_worker_stops_a_runaway_template_and_keeps_serving(layout, tmp_path):
    runaway = tmp_path / "runaway"
    shutil.copytree(layout, runaway)
    _insert(runaway / "template.svg.j2", _code_line(runaway / "template.svg.j2"),
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
    worker = RenderWorker()
    try:
        stuck = worker.run({"kind": "preview", "folder": str(runaway), "data": None,
                            "size": "square"}, timeout=3)
        assert stuck["ok"] is False and stuck["error"]["kind"] == "timeout"
        fine = worker.run({"kind": "preview", "folder": str(layout), "data": None,
                           "size": "square"}, timeout=120)
        assert fine["ok"] is True and fine["svg"].lstrip().startswith("<svg")
        assert fine["fit"]["entries"] and fine["width"] == 1080
    finally:
        worker.close()


@pytest.mark.slow  # kill -9
def test_worker_that_dies_is_replaced_and_the_next_render_works(layout):
    worker = RenderWorker()
    job = {"kind": "preview", "folder": str(layout), "data": None, "size": "landscape"}
    try:
        first = worker.pid
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: process_ended(first), "the killed worker to end")
        died = worker.run(job, timeout=120)
        assert died["ok"] is False and died["error"]["kind"] == "internal"
        assert "restarted" in died["error"]["message"] and worker.pid != first
        assert worker.run(job, timeout=120)["ok"] is True
    finally:
        worker.close()


def test_cli_preview_refuses_a_busy_port_and_an_unknown_layout(capsys):
    pytest.importorskip("starlette")
    from infographic.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["preview", "announcement", "--port", str(port)]) == 1
    assert f"port {port} is already in use" in capsys.readouterr().err
    assert main(["preview", "no-such-layout"]) == 1
    assert "unknown layout 'no-such-layout'" in capsys.readouterr().err


def test_an_unclosed_if_is_shown_where_it_was_opened(layout):
    line = _code_line(layout / "template.svg.j2", 4)
    _insert(layout / "template.svg.j2", line, "{% if title %}")
    problem = _error(layout)
    assert problem["kind"] == "template" and problem["line"] == line
    assert [row for row in problem["excerpt"] if row["here"]] == \
        [{"n": line, "text": "{% if title %}", "here": True}]
    assert problem["detail"].startswith("this {% if %} is never closed: add {% endif %}")
