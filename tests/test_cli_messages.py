"""What a newcomer meets on the command line: one clear line per mistake, said once and before
anything is rendered, never a traceback; no file in the wrong format; no surprises (issue 11)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import infographic
import infographic.layout.manifest
from infographic import cli
from infographic.errors import DataError

from conftest import EXAMPLES, ROOT


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error:")]


@pytest.fixture()
def wards(tmp_path: Path) -> Path:
    """The first three wards of the README's batch example."""
    lines = (EXAMPLES / "batch" / "wards.csv").read_text(encoding="utf-8-sig").splitlines()
    path = tmp_path / "wards.csv"
    path.write_text("\n".join(lines[:4]) + "\n", encoding="utf-8")
    return path


# --- batch: options and columns are checked once, before the first row ----------------------

@pytest.mark.parametrize("option, expected", [
    (["--size", "a7"], "--size unknown size 'a7'"),
    (["--name", "{wardd}"], "--name uses {wardd}, but wards.csv has no column and the layout no "
                            "field 'wardd': did you mean {ward}?"),
])
def test_a_bad_batch_option_is_one_line_and_exit_1(capsys, wards, tmp_path, option, expected):
    code, _, err = run(capsys, "batch", "key-statistics", str(wards), "-o",
                       str(tmp_path / "out"), *option)
    assert code == 1
    assert len(error_lines(err)) == 1 and expected in err, err
    assert not list((tmp_path / "out").glob("*.png"))


def test_a_misspelt_required_column_stops_before_rendering_with_the_fix(capsys, wards,
                                                                        tmp_path):
    typo = tmp_path / "typo.csv"
    typo.write_text(wards.read_text(encoding="utf-8").replace(",cases,", ",casez,", 1),
                    encoding="utf-8")
    code, _, err = run(capsys, "batch", "key-statistics", str(typo), "-o", str(tmp_path / "out"))
    assert code == 1
    assert error_lines(err) == [
        "error: layout 'key-statistics': typo.csv has no column for the required field 'cases' "
        "(Số ca mắc): column 'casez' looks like it (rename it, or add --map \"casez=cases\"); "
        "nothing was rendered"]
    assert not list((tmp_path / "out").glob("*.png"))


def test_a_misspelt_optional_column_is_hinted_before_the_first_row(capsys, wards, tmp_path):
    typo = tmp_path / "typo.csv"
    typo.write_text(wards.read_text(encoding="utf-8").replace(",source", ",sourse", 1),
                    encoding="utf-8")
    code, _, err = run(capsys, "batch", "key-statistics", str(typo), "-o", str(tmp_path / "out"),
                       "--size", "landscape", "-j", "1")
    assert code in (0, 4)
    hint = "ignored columns (not fields of the layout): ward, sourse (did you mean 'source'?)"
    lines = err.splitlines()
    assert lines[0] == hint, err  # first, before any row is rendered
    assert len(list((tmp_path / "out").glob("*.png"))) == 3


# --- data and templates: every problem at once, file and line, "did you mean" ------------------

def test_every_field_problem_of_a_record_is_reported_at_once(tmp_path):
    with pytest.raises(DataError) as caught:
        infographic.render("key-statistics", {"title": "Tình hình dịch", "casez": 975,
                                              "recoveries": "nhiều", "vaccinations": 37990,
                                              "updated": "31/02/2021"})
    message = str(caught.value)
    assert message.startswith("layout 'key-statistics': 4 problems: ")
    for part in ("field 'casez': unknown field (did you mean 'cases'?)",
                 "field 'cases': is required", "field 'recoveries': 'nhiều' is not a number",
                 "field 'updated': '31/02/2021' is not a date"):
        assert part in message, message


def test_a_yaml_syntax_error_is_one_line_with_file_line_and_column(capsys, tmp_path):
    data = tmp_path / "ward-7.yaml"
    data.write_text("title: Lịch tiêm: tuần này\ncases: 12\n", encoding="utf-8")
    code, _, err = run(capsys, "render", "key-statistics", "--data", str(data), "-o",
                       str(tmp_path / "x.png"))
    assert code == 1
    assert err.count("\n") == 1 and "<unicode string>" not in err
    assert f"{data} is not valid YAML: line 1, column 17" in err


def _typo_layout(tmp_path: Path) -> tuple[Path, int, str]:
    """A new layout whose template misspells its first theme colour (``theme.backgroud``);
    returns the template, the line and the right name."""
    assert cli.main(["new", "typo", "--dir", str(tmp_path)]) == 0
    template = tmp_path / "typo" / "template.svg.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    number, name = next((i, found.group(1)) for i, line in enumerate(lines, 1)
                        if (found := re.search(r"theme\.([a-z]{4,})", line)))
    lines[number - 1] = lines[number - 1].replace(f"theme.{name}", f"theme.{name[:-2]}", 1)
    template.write_text("".join(lines), encoding="utf-8")
    return template, number, name


def test_a_template_typo_names_file_line_and_the_right_name(capsys, tmp_path):
    template, number, name = _typo_layout(tmp_path)
    code, _, err = run(capsys, "render", str(template.parent), "-o", str(tmp_path / "x.png"))
    assert code == 1
    assert error_lines(err) == [f"error: layout 'typo': {template}, line {number}: theme has no "
                                f"'{name[:-2]}': did you mean theme.{name}?"]
    assert "layout.yaml" not in err


def test_check_reports_a_template_typo_once_not_once_per_size(capsys, tmp_path):
    template, number, name = _typo_layout(tmp_path)
    code, out, _ = run(capsys, "check", str(template.parent))
    assert code == 1
    assert out.count(f"theme has no '{name[:-2]}'") == 1, out
    assert "every size (sample data)" in out


def test_check_of_a_missing_folder_says_so(capsys, tmp_path):
    code, out, _ = run(capsys, "check", "my-layouts/nope")
    assert code == 1
    assert "no layout folder 'my-layouts/nope'" in out and "fix layout.yaml" not in out


def test_a_misspelt_layout_name_gets_did_you_mean(capsys, tmp_path):
    code, _, err = run(capsys, "render", "anouncement", "-o", str(tmp_path / "x.png"))
    assert code == 1
    assert "unknown layout 'anouncement': did you mean 'announcement'?" in err


# --- a closed pipe, an unexpected error, --debug ---------------------------------------------

@pytest.mark.parametrize("args", [["layouts", "--json"], ["themes", "--json"],
                                  ["render", "announcement", "--report", "-o", "{tmp}/a.png"]])
def test_a_closed_pipe_ends_quietly(tmp_path, args):
    read, write = os.pipe()
    os.close(read)  # the reader is gone, as after `| head -1`
    try:
        result = subprocess.run([sys.executable, "-m", "infographic",
                                 *(a.format(tmp=tmp_path) for a in args)],
                                stdout=write, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    finally:
        os.close(write)
    assert result.stderr == ""
    assert result.returncode == cli.EXIT_PIPE


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(capsys, monkeypatch):
    def broken() -> list[str]:
        raise RuntimeError("simulated bug\nover two lines")

    monkeypatch.setattr(infographic.layout.manifest, "bundled_layouts", broken)
    code, _, err = run(capsys, "layouts")
    assert code == 1
    assert err == ("error: unexpected RuntimeError: simulated bug over two lines — this is a bug "
                   "in infographic: rerun the same command with --debug to see where it "
                   "happened, and report it\n")
    for args in (["--debug", "layouts"], ["layouts", "--debug"]):
        with pytest.raises(RuntimeError, match="simulated bug"):
            cli.main(args)


# --- files in the wrong format are refused, before anything is drawn --------------------------

@pytest.mark.parametrize("args, target, expected", [
    (["print", "announcement", "--size", "a4", "-o", "{tmp}/x.png"], "x.png",
     "--output {tmp}/x.png: a print PDF is written as .pdf; name it x.pdf"),
    (["icons", "--sheet", "{tmp}/icons.gif"], "icons.gif",
     "--sheet {tmp}/icons.gif: the contact sheet is written as .png; name it icons.png"),
    (["themes", "--from-color", "#00A651", "-o", "{tmp}/t.json"], "t.json",
     "--output {tmp}/t.json: a theme is written as .yaml or .yml; name it t.yaml"),
])
def test_a_suffix_that_does_not_match_the_format_is_refused(capsys, tmp_path, args, target,
                                                            expected):
    code, _, err = run(capsys, *(a.format(tmp=tmp_path) for a in args))
    assert code == 1
    assert error_lines(err) == [f"error: {expected.format(tmp=tmp_path)}"]
    assert not (tmp_path / target).exists()


def test_batch_bind_and_zip_suffixes_are_checked_before_rendering(capsys, wards, tmp_path):
    code, _, err = run(capsys, "batch", "key-statistics", str(wards), "-o", str(tmp_path / "o"),
                       "--zip", str(tmp_path / "all.tar"))
    assert code == 1 and "--zip" in err and "name it all.zip" in err
    assert not (tmp_path / "o").exists()


# --- no surprises -----------------------------------------------------------------------------

def test_gallery_writes_into_the_current_folder_not_the_package(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    committed = sorted((ROOT / "examples" / "gallery").iterdir())
    stamps = [p.stat().st_mtime_ns for p in committed]
    code, out, _ = run(capsys, "gallery", "--layouts", "announcement", "--side", "120", "-q")
    assert code == 0
    pictures = sorted((tmp_path / "gallery").glob("announcement-*.png"))
    assert pictures and max(Image.open(p).size[0] for p in pictures) <= 120
    assert [p.stat().st_mtime_ns for p in committed] == stamps  # the bundled gallery untouched


def test_make_gallery_script_honours_its_arguments(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "make_gallery.py"),
                             "--layouts", "hotline-qr", "--side", "100", "--out",
                             str(tmp_path), "-q"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pictures = sorted(tmp_path.glob("*.png"))
    assert pictures and all(p.name.startswith("hotline-qr-") for p in pictures)
    assert max(max(Image.open(p).size) for p in pictures) == 100


def test_python_and_cli_render_the_same_default_data(capsys, tmp_path):
    code, _, _ = run(capsys, "render", "announcement", "-o", str(tmp_path / "a.png"),
                     "--alt-text", "-q")
    assert code == 0
    from_cli = (tmp_path / "a.txt").read_text(encoding="utf-8").strip()
    assert infographic.render("announcement").alt_text == from_cli
    example = infographic.datafile.load_data_file(EXAMPLES / "announcement.yaml")
    assert example["title"] in from_cli  # the example notice, not the manifest's sample


def test_locale_help_says_it_formats_figures_only(capsys):
    for command in ("render", "batch"):
        with pytest.raises(SystemExit):
            cli.main([command, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert "formats figures only" in out


def test_a_byte_limit_on_a_photo_suggests_jpeg(capsys, tmp_path):
    target = tmp_path / "card.png"
    # the photo card's full-colour PNG is over 300 KB, its JPEG well under
    code, _, err = run(capsys, "render", "photo-card", "--max-bytes", "300000", "-o", str(target))
    assert code == 0 and target.stat().st_size <= 300_000
    assert Image.open(target).mode == "P"
    assert f"a JPEG fits without that: -o {tmp_path / 'card.jpg'}" in err


def test_print_with_an_unknown_size_names_no_row(capsys, tmp_path):
    code, _, err = run(capsys, "print", "announcement", "--size", "a7", "-o",
                       str(tmp_path / "a.pdf"))
    assert code == 1
    assert error_lines(err)[0].startswith("error: unknown size 'a7'"), err


# --- cold start: a command loads only what it needs --------------------------------------------

def test_each_command_listed_in_help_has_its_modules_own_summary():
    parser = cli.build_parser()  # every command's module loaded
    commands = next(a for a in parser._subparsers._group_actions)
    helps = {choice.dest: choice.help for choice in commands._choices_actions}
    for name, (_, _, summary) in cli.COMMANDS.items():
        assert helps[name] == summary, name


@pytest.mark.parametrize("args", [["--help"], ["layouts"]])
def test_help_and_layouts_load_no_drawing_or_template_library(args):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "infographic", *args],
                            capture_output=True, text=True, check=True)
    loaded = {line.rsplit("|", 1)[1].strip().split(".")[0]
              for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "infographic" in loaded
    assert not loaded & {"cairocffi", "cairosvg", "jinja2", "PIL", "uharfbuzz", "fontTools",
                         "babel", "pypdf", "rich", "numpy", "openpyxl"}, loaded
