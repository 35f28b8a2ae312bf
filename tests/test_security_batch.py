"""Issue 18, the batch and data-file attacks: each test is built from the attack as reported.

Attacks that exhausted memory run in a child process under an address-space cap, so a
regression fails the test (MemoryError, a traceback, no report) instead of taking the machine.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from batch_support import MINI, SMALL, load_report, outputs
from hostile import SLOW_PRELUDE, SLOW_WARD as SLOW, laughs, ward_layout, wards_csv
from infographic.errors import DataError
from infographic.layout.data import validate_data
from infographic.layout.manifest import load_layout

#: Address space allowed to an attacked child process: the attacks reached 3.1–3.6 GB.
CHILD_MEMORY = 2 * 1024 ** 3
GOOD = [{"ward": "Phường Bến Nghé", "date": "2021-09-13", "cases": 120},
        {"ward": "Phường Đa Kao", "date": "2021-09-14", "cases": 157},
        {"ward": "Phường Tân Định", "date": "2021-09-15", "cases": 194}]


def batch_rows(data: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """``infographic batch`` of the mini layout over ``data`` at the small size, quietly."""
    return run_cli("batch", MINI, str(data), "-o", str(out), "--size", SMALL, *options, "-q")


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m infographic ARGS`` in a child with a memory cap."""
    return subprocess.run([sys.executable, "-m", "infographic", *args], capture_output=True,
                          text=True, timeout=timeout, preexec_fn=_capped)


def assert_clean_failure(result: subprocess.CompletedProcess) -> None:
    """Failed as a user error should: a message, no traceback, no untyped error."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "MemoryError" not in result.stderr and "RecursionError" not in result.stderr
    assert "OverflowError" not in result.stderr


def converter_layout(folder: Path) -> Path:
    """A layout with a field of every converter type that takes one value."""
    folder.mkdir()
    (folder / "layout.yaml").write_text("""\
name: converters
title: Every scalar field type
theme: health-blue
sizes: [square]
fields:
  ward: {type: text, required: true}
  date: {type: date}
  cases: {type: integer}
  rate: {type: number}
  urgent: {type: boolean}
  level: {type: choice, choices: [thấp, cao]}
  accent: {type: color}
slots:
  ward: {font: heading, size: 22, min_size: 10, max_lines: 2, color: primary}
""", encoding="utf-8")
    (folder / "template.svg.j2").write_text(
        '<rect width="{{ canvas.width }}" height="{{ canvas.height }}" fill="#ffffff"/>\n'
        '{{ text("ward", ward, x=10, y=10, width=canvas.width - 20, height=60) }}\n',
        encoding="utf-8")
    return folder


# --- item 4: YAML billion laughs through a number or date field --------------------------------

@pytest.mark.parametrize("field", ["date", "cases", "rate", "urgent", "level", "accent"])
def test_converters_refuse_a_structure_before_printing_it(tmp_path: Path, field: str) -> None:
    """A list where one value belongs is refused as a list: ``str()`` of it (which expands
    shared sub-lists, here to 2.6 MB) is never built, so the message stays short."""
    layout = load_layout(converter_layout(tmp_path / "converters"))
    shared: Any = ["lol"] * 9
    for _ in range(5):
        shared = [shared] * 9
    with pytest.raises(DataError) as caught:
        validate_data(layout, {"ward": "Phường Bến Nghé", field: shared})
    assert caught.value.field == field
    assert "got a list" in caught.value.message
    assert len(str(caught.value)) < 300


def test_billion_laughs_in_a_date_field_is_refused_by_render(tmp_path: Path) -> None:
    data = tmp_path / "laughs.yaml"
    data.write_text(f"ward: Phường Bến Nghé\ndate:\n{laughs()}\n", encoding="utf-8")
    result = run_cli("render", MINI, "--data", str(data), "--size", SMALL,
                     "-o", str(tmp_path / "out.png"))
    assert result.returncode == 1
    assert_clean_failure(result)
    assert "aliases" in result.stderr and "laughs.yaml" in result.stderr
    assert not (tmp_path / "out.png").exists()


def test_billion_laughs_in_a_batch_row_stops_with_a_report(tmp_path: Path) -> None:
    data = tmp_path / "wards.yaml"
    data.write_text("- ward: Phường Bến Nghé\n  date: 2021-09-13\n"
                    f"- ward: Phường Đa Kao\n  cases:\n{laughs(indent='    ')}\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    result = batch_rows(data, out, "--jobs", "1")
    assert result.returncode == 1
    assert_clean_failure(result)
    assert "aliases" in result.stderr
    report = load_report(out / "batch-report.json")
    assert report["exit_code"] == 1 and "aliases" in report["error"]
    assert report["outcomes"] == []


def test_aliases_that_stay_small_still_work(tmp_path: Path) -> None:
    """Anchors are refused by what they expand to, not banned: a shared list of tips is fine."""
    data = tmp_path / "wards.yaml"
    data.write_text("- ward: Phường Bến Nghé\n  date: 2021-09-13\n"
                    "  tips: &tips [Đeo khẩu trang, Rửa tay sát khuẩn]\n"
                    "- ward: Phường Đa Kao\n  date: 2021-09-14\n  tips: *tips\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    result = batch_rows(data, out, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert len(outputs(out)) == 2


def test_a_yaml_error_never_quotes_the_file(tmp_path: Path) -> None:
    """A malformed YAML's line (it may be a key in a config file) is not copied into messages."""
    data = tmp_path / "wards.yaml"
    data.write_text("- ward: Phường Bến Nghé\n  token: sk-live-4242424242: x\n", encoding="utf-8")
    out = tmp_path / "out"
    result = batch_rows(data, out)
    assert result.returncode == 1
    assert_clean_failure(result)
    assert "line 2" in result.stderr
    assert "4242" not in result.stderr
    assert "4242" not in (out / "batch-report.json").read_text(encoding="utf-8")


# --- item 7: one bad row never aborts the batch -----------------------------------------------

def _write_rows(path: Path, rows: list[str]) -> Path:
    """Rows given as JSON texts, written as a JSON list, JSONL lines or a YAML list."""
    if path.suffix == ".json":
        path.write_text("[" + ", ".join(rows) + "]", encoding="utf-8")
    elif path.suffix == ".jsonl":
        path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    else:  # JSON is YAML's flow style
        path.write_text("".join(f"- {r}\n" for r in rows), encoding="utf-8")
    return path


def _bad_row(cases: str) -> str:
    return '{"ward": "Phường Võ Thị Sáu", "date": "2021-09-16", "cases": ' + cases + "}"


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".yaml"])
@pytest.mark.parametrize("digits", [400, 5000])
def test_a_huge_integer_fails_its_row_only(tmp_path: Path, suffix: str, digits: int) -> None:
    """400 digits was an OverflowError in the planner, 5,000 a ValueError in the reader."""
    rows = [json.dumps(GOOD[0], ensure_ascii=False), _bad_row("9" * digits),
            json.dumps(GOOD[1], ensure_ascii=False)]
    data = _write_rows(tmp_path / f"wards{suffix}", rows)
    out = tmp_path / "out"
    result = batch_rows(data, out, "--jobs", "1")
    assert result.returncode == 3, result.stderr[-2000:]
    assert_clean_failure(result)
    report = load_report(out / "batch-report.json")
    failed = [o for o in report["outcomes"] if o["status"] == "failed"]
    assert [(o["row"], o["field"]) for o in failed] == [(2, "cases")]
    assert "out of range" in failed[0]["reason"] and len(failed[0]["reason"]) < 300
    assert report["counts"]["rendered"] == 2
    assert len(outputs(out)) == 2


def test_deep_nesting_in_one_jsonl_line_fails_that_row(tmp_path: Path) -> None:
    rows = [json.dumps(GOOD[0], ensure_ascii=False),
            '{"ward": ' + "[" * 100_000 + "]" * 100_000 + "}",
            json.dumps(GOOD[1], ensure_ascii=False)]
    data = _write_rows(tmp_path / "wards.jsonl", rows)
    out = tmp_path / "out"
    result = batch_rows(data, out, "--jobs", "1")
    assert result.returncode == 3, result.stderr[-2000:]
    assert_clean_failure(result)
    report = load_report(out / "batch-report.json")
    assert [(o["row"], o["status"]) for o in report["outcomes"]] == \
        [(1, "rendered"), (2, "failed"), (3, "rendered")]
    assert "nested" in report["outcomes"][1]["reason"]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_deep_nesting_in_a_document_is_a_clear_file_error(tmp_path: Path, suffix: str) -> None:
    """100,000 ``[`` was a RecursionError; a whole-file format cannot be read at all, so the
    batch stops with a clear error, and still writes its report."""
    rows = [json.dumps(GOOD[0], ensure_ascii=False),
            '{"ward": ' + "[" * 100_000 + "]" * 100_000 + "}"]
    data = _write_rows(tmp_path / f"wards{suffix}", rows)
    out = tmp_path / "out"
    result = batch_rows(data, out)
    assert result.returncode == 1
    assert_clean_failure(result)
    assert "nested more than" in result.stderr and data.name in result.stderr
    report = load_report(out / "batch-report.json")
    assert "nested more than" in report["error"]


# --- item 2: one row never hangs a batch --------------------------------------------------------

def test_run_isolated_stops_one_long_c_call() -> None:
    """7 ** 10^9 is one C call: no in-process time limit can interrupt it."""
    from infographic.errors import LimitError
    from infographic.isolation import run_isolated

    with pytest.raises(LimitError, match="longer than 1 s"):
        run_isolated(pow, 7, 10 ** 9, seconds=1)
    assert run_isolated(pow, 7, 3, seconds=30) == 343  # the next call gets a working worker


def test_run_isolated_caps_memory() -> None:
    from infographic.errors import LimitError
    from infographic.isolation import run_isolated

    with pytest.raises(LimitError, match="more than 256 MB of memory"):
        run_isolated(bytearray, 2 ** 31, memory=256 * 2 ** 20)
    assert len(run_isolated(bytearray, 2 ** 20, memory=256 * 2 ** 20)) == 2 ** 20


def test_render_isolated_renders_and_stops_a_hang(tmp_path: Path, monkeypatch) -> None:
    """The API's option: the same Artwork, drawn in a worker; a hang is a LimitError."""
    from PIL import Image

    from infographic import limits, render
    from infographic.errors import LimitError

    layout = ward_layout(tmp_path / "slow", SLOW_PRELUDE)
    art = render(layout, {"ward": "Phường Bến Nghé"}, size="300x300", isolated=True)
    png = tmp_path / "ok.png"
    art.save(png)
    with Image.open(png) as image:
        assert image.size == (300, 300)
        assert image.convert("L").getextrema()[0] < 128  # the ward's name is drawn
    monkeypatch.setattr(limits, "ISOLATED_SECONDS", 2.0)
    with pytest.raises(LimitError, match="longer than 2 s"):
        render(layout, {"ward": SLOW}, size="300x300", isolated=True)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_row_past_its_deadline_fails_and_the_batch_finishes(tmp_path: Path, jobs: str) -> None:
    layout = ward_layout(tmp_path / "slow", SLOW_PRELUDE)
    data = tmp_path / "wards.csv"
    data.write_text(f"ward\nPhường Bến Nghé\nPhường Đa Kao\n{SLOW}\nPhường Tân Định\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("batch", str(layout), str(data), "-o", str(out), "--size", SMALL,
                     "--jobs", jobs, "--timeout", "8", "--name", "{row}", "-q")
    assert result.returncode == 3, result.stderr[-2000:]
    assert_clean_failure(result)
    report = load_report(out / "batch-report.json")
    status = {o["row"]: o["status"] for o in report["outcomes"]}
    assert status == {2: "rendered", 3: "rendered", 4: "failed", 5: "rendered"}
    failed = next(o for o in report["outcomes"] if o["status"] == "failed")
    assert "longer than 8 s" in failed["reason"]
    assert [p.stem for p in outputs(out)] == ["2", "3", "5"]
    sheet = (out / "index.html").read_text(encoding="utf-8")
    assert "longer than 8 s" in sheet
    assert sorted(p.name for p in (out / "_review" / "thumbs").iterdir()) == \
        ["2.png", "3.png", "5.png"]



def test_on_dask_a_row_past_its_deadline_fails_and_the_rest_render(tmp_path: Path) -> None:
    """A Dask task cannot be killed alone: each runs its render in a worker process of its own."""
    pytest.importorskip("distributed")
    from infographic.batch import BatchOptions, BatchSpec, run_batch
    from infographic.batch.executors import DaskExecutor

    layout = ward_layout(tmp_path / "slow", SLOW_PRELUDE)
    data = tmp_path / "wards.csv"
    data.write_text(f"ward\nPhường Bến Nghé\n{SLOW}\nPhường Đa Kao\n", encoding="utf-8")
    executor = DaskExecutor(workers=1, processes=False, seconds=8)  # threads: quick to start
    try:
        result = run_batch(BatchOptions(data, tmp_path / "out", BatchSpec(
            layout=str(layout), sizes=(SMALL,), name_template="{row}"), quiet=True), executor)
    finally:
        executor.close()
    assert (result.rendered, result.failed, result.exit_code) == (2, 1, 3)
    report = load_report(tmp_path / "out" / "batch-report.json")
    failed = [o for o in report["outcomes"] if o["status"] == "failed"]
    assert [o["row"] for o in failed] == [3] and "longer than 8 s" in failed[0]["reason"]
    assert (tmp_path / "out" / "index.html").is_file()

def test_a_row_that_asks_for_gigabytes_fails_alone_under_1_gb(tmp_path: Path) -> None:
    """A 350-byte SVG logo with a 20000² pattern tile reached 3.57 GB; the worker's memory cap
    stops it (or the draw limits refuse it), no process of the batch passes 1 GB."""
    layout = ward_layout(tmp_path / "slow", SLOW_PRELUDE)
    (tmp_path / "pattern.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><defs>'
        '<pattern id="p" width="20000" height="20000" patternUnits="userSpaceOnUse">'
        '<rect width="20000" height="20000" fill="red"/></pattern></defs>'
        '<rect width="100" height="100" fill="url(#p)"/></svg>', encoding="utf-8")
    data = tmp_path / "wards.csv"
    data.write_text("ward,logo\nPhường Bến Nghé,\nPhường Đa Kao,pattern.svg\nPhường Tân Định,\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    # A parent that only measures: the peak resident memory of the batch's process tree.
    measure = ("import resource, subprocess, sys; "
               "code = subprocess.run(sys.argv[1:]).returncode; "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)")
    result = subprocess.run(
        [sys.executable, "-c", measure, sys.executable, "-m", "infographic", "batch",
         str(layout), str(data), "-o", str(out), "--size", SMALL, "--jobs", "2", "--name",
         "{row}", "-q"], capture_output=True, text=True, timeout=300, preexec_fn=_capped)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    peak_kb = int(result.stdout.split()[-1])
    assert peak_kb < 1024 * 1024, f"a process of the batch reached {peak_kb / 1024:.0f} MB"
    report = load_report(out / "batch-report.json")
    status = {o["row"]: o["status"] for o in report["outcomes"]}
    assert status == {2: "rendered", 3: "failed", 4: "rendered"}
    assert (out / "index.html").is_file()


def test_an_emoji_name_of_270_bytes_is_cut_by_bytes_and_reruns(tmp_path: Path) -> None:
    """68 emoji are 68 characters (under the old 100-character cut) but 272 bytes: "File name
    too long" on every run. Names are now cut at 200 bytes of UTF-8."""
    data = tmp_path / "wards.csv"
    data.write_text("ward,date,label\n"
                    f"Phường Bến Nghé,2021-09-13,{'🦠' * 68}\n"
                    f"Phường Đa Kao,2021-09-14,{'Ủy ban nhân dân phường ' * 12}\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    args = ("batch", MINI, str(data), "-o", str(out), "--size", f"{SMALL},story",
            "--name", "{label}", "--jobs", "1", "-q")
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr[-2000:]
    files = outputs(out)
    assert len(files) == 4
    for file in files:
        stem = file.name.rsplit("-", 1)[0]  # without the size
        assert 150 < len(stem.encode("utf-8")) <= 200
        file.name.encode("utf-8").decode("utf-8")  # whole characters only
    assert {f.name[0] for f in files} == {"🦠", "Ủ"}
    again = run_cli(*args)
    assert again.returncode == 0, again.stderr[-2000:]
    report = load_report(out / "batch-report.json")
    assert {o["status"] for o in report["outcomes"]} == {"unchanged"}


# --- item 10: a row names only bundled or nearby layouts and themes -----------------------------

def test_theme_and_layout_columns_cannot_name_files_elsewhere(tmp_path: Path) -> None:
    """`_theme` and `_layout` named any file on the machine (and a malformed YAML's line was
    copied into the report). Now: bundled names, or files inside the data folder and --assets."""
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    (elsewhere / "config.yaml").write_text("primary: '#d32f2f'\napi_key: sk-9f8e7d6c: x\n",
                                           encoding="utf-8")
    shutil.copytree(MINI, elsewhere / "mini-copy")
    wards = tmp_path / "wards"
    wards.mkdir()
    (wards / "ward-theme.yaml").write_text("name: ward\nprimary: '#c62828'\nsecret: sk-1a2b3c: y\n",
                                           encoding="utf-8")
    shutil.copytree(MINI, wards / "ward-card")
    rows = [("2021-09-13", "_theme", str(elsewhere / "config.yaml")),
            ("2021-09-13", "_theme", "../home/config.yaml"),
            ("2021-09-13", "_layout", str(elsewhere / "mini-copy")),
            ("2021-09-13", "_theme", "ward-theme.yaml"),  # inside, but malformed
            ("2021-09-13", "_layout", "ward-card"),  # inside: allowed
            ("2021-09-13", "_theme", "official-red")]  # bundled: allowed
    data = wards / "rows.csv"
    data.write_text("ward,date,_theme,_layout\n" + "".join(
        f"Phường {n},{date},{value if column == '_theme' else ''},"
        f"{value if column == '_layout' else ''}\n" for n, (date, column, value)
        in enumerate(rows, 1)), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("batch", MINI, str(data), "-o", str(out), "--size", SMALL, "--jobs", "1",
                     "--name", "{row}", "-q")
    assert result.returncode == 3, result.stderr[-2000:]
    assert_clean_failure(result)
    report = load_report(out / "batch-report.json")
    outcome = {o["row"]: o for o in report["outcomes"]}
    assert [outcome[r]["status"] for r in range(2, 8)] == \
        ["failed", "failed", "failed", "failed", "rendered", "rendered"]
    for row in (2, 3):
        assert outcome[row]["field"] == "_theme"
        assert "inside the data file's folder or an --assets folder" in outcome[row]["error"]
    assert outcome[4]["field"] == "_layout" and "unknown layout" in outcome[4]["error"]
    assert "line 3" in outcome[5]["error"]
    written = (out / "batch-report.json").read_text(encoding="utf-8") + \
        (out / "index.html").read_text(encoding="utf-8") + result.stderr
    assert "sk-9f8e7d6c" not in written and "sk-1a2b3c" not in written


# --- item 13: batch leftovers -------------------------------------------------------------------

def _committed(out: Path) -> list[str]:
    """Every output path committed to the state, by any run, as often as it was."""
    paths = []
    for state in (out / ".infographic-batch").glob("state-*.jsonl"):
        paths += [json.loads(line)["path"] for line in state.read_text("utf-8").splitlines()]
    return paths


def test_whole_batch_and_a_shard_at_once_render_each_output_once(tmp_path: Path) -> None:
    data = wards_csv(tmp_path / "wards.csv", 24)
    out = tmp_path / "out"
    common = [sys.executable, "-m", "infographic", "batch", MINI, str(data), "-o", str(out),
              "--size", SMALL, "--jobs", "1", "--name", "{row}", "-q"]
    runs = [subprocess.Popen(common + extra, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, preexec_fn=_capped) for extra in ([], ["--shard", "1/2"])]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err[-2000:]
    committed = _committed(out)
    assert sorted(committed) == sorted(set(committed))  # no output rendered twice
    assert len(committed) == 24 and len(outputs(out)) == 24
    whole = load_report(out / "batch-report.json")
    shard = load_report(out / "batch-report-1-of-2.json")
    assert len(whole["outcomes"]) == 24 and len(shard["outcomes"]) == 12
    rendered = [o["name"] for r in (whole, shard) for o in r["outcomes"]
                if o["status"] == "rendered"]
    assert sorted(rendered) == sorted(set(rendered)) and len(rendered) == 24


def test_outputs_no_longer_produced_are_listed_then_pruned(tmp_path: Path) -> None:
    data = wards_csv(tmp_path / "wards.csv", 3)
    out = tmp_path / "out"
    args = ("batch", MINI, str(data), "-o", str(out), "--size", SMALL, "--jobs", "1",
            "--name", "{ward}", "-q")
    assert run_cli(*args).returncode == 0
    wards_csv(data, 2)  # the last ward's row is deleted
    gone = out / "Phường-3.png"
    again = run_cli(*args)
    assert again.returncode == 0, again.stderr[-2000:]
    report = load_report(out / "batch-report.json")
    assert report["stale_outputs"] == ["Phường-3.png"] and not report["pruned"]
    assert gone.is_file()
    pruned = run_cli(*args, "--prune")
    assert pruned.returncode == 0, pruned.stderr[-2000:]
    report = load_report(out / "batch-report.json")
    assert report["stale_outputs"] == ["Phường-3.png"] and report["pruned"]
    assert not gone.exists() and not (out / "_review" / "thumbs" / "Phường-3.png").exists()
    assert [p.name for p in outputs(out)] == ["Phường-1.png", "Phường-2.png"]
    assert load_report(out / "batch-report.json")["stale_outputs"] == ["Phường-3.png"]
    assert run_cli(*args).returncode == 0
    assert load_report(out / "batch-report.json")["stale_outputs"] == []


def test_a_missing_thumbnail_is_drawn_again_on_rerun(tmp_path: Path) -> None:
    from PIL import Image

    data = wards_csv(tmp_path / "wards.csv", 2)
    out = tmp_path / "out"
    args = ("batch", MINI, str(data), "-o", str(out), "--size", SMALL, "--jobs", "1",
            "--name", "{row}", "-q")
    assert run_cli(*args).returncode == 0
    thumb = out / "_review" / "thumbs" / "3.png"
    with Image.open(thumb) as image:
        original = image.convert("RGB").tobytes()
    thumb.unlink()
    again = run_cli(*args)
    assert again.returncode == 0, again.stderr[-2000:]
    report = load_report(out / "batch-report.json")
    assert {o["status"] for o in report["outcomes"]} == {"unchanged"}
    with Image.open(thumb) as image, Image.open(out / "3.png") as full:
        assert image.size == full.size == (200, 200)
        assert image.convert("RGB").tobytes() == original
    assert "_review/thumbs/3.png" in (out / "index.html").read_text(encoding="utf-8")


def test_nothing_is_pruned_while_a_row_cannot_be_named(tmp_path: Path) -> None:
    """A row that fails before its name is known (here a JSONL line that is not JSON) would make
    its earlier output look stale: --prune then lists and keeps."""
    data = tmp_path / "wards.jsonl"
    rows = [{"ward": f"Phường {n}", "date": "2021-09-13"} for n in (1, 2, 3)]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    out = tmp_path / "out"
    args = ("batch", MINI, str(data), "-o", str(out), "--size", SMALL, "--jobs", "1",
            "--name", "{ward}", "-q")
    assert run_cli(*args).returncode == 0
    lines = data.read_text("utf-8").splitlines()
    data.write_text(lines[0] + "\n{not json\n", "utf-8")  # row 2 broken, row 3 deleted
    result = run_cli(*args, "--prune")
    assert result.returncode == 3 and "not removed" in result.stderr
    report = load_report(out / "batch-report.json")
    assert report["stale_outputs"] == ["Phường-2.png", "Phường-3.png"] and not report["pruned"]
    assert len(outputs(out)) == 3
