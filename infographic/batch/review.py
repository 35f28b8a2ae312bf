"""Review a batch at a glance: an HTML contact sheet, and optional PNG contact-sheet pages.

Outputs with findings (truncated, overflowing or illegible text, missing characters, a QR code
too small, low contrast …; shrunk is fine) and failed rows are drawn with a red frame and their
messages, each tagged with its kind; the HTML sheet can show only the outputs with one kind.
"""

from __future__ import annotations

import html
import io
import textwrap
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

from PIL import Image, ImageDraw, ImageFont

from ..resources import bundled_dir
from .report import FAILED, OutcomeLog, outcome_kinds
from ..fileio import write_atomic
from ..findings import TEXT_KINDS
from ..output import OUTPUTS

REVIEW_DIR = "_review"
#: Outputs a browser shows as a picture on the contact sheet (not PDF).
_PICTURES = {suffix for spec in OUTPUTS.values() if spec.raster or spec.name == "svg"
             for suffix in spec.suffixes}

_CSS = """
body{font:15px/1.4 "Noto Sans",system-ui,sans-serif;margin:24px;color:#1d2733;background:#f4f6f8}
h1{font-size:22px;margin:0 0 4px}.meta{color:#5b6875;margin:0 0 16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:14px}
.card{background:#fff;border:2px solid #d5dbe1;border-radius:8px;padding:8px;overflow:hidden}
.card img{display:block;width:100%;height:200px;object-fit:contain;background:#eef1f4}
.card.warn{border-color:#d93025;background:#fff5f4}
.card.failed{border-color:#8b0000;background:#fde8e6}
.name{font-weight:700;word-break:break-all}.small{color:#5b6875;font-size:13px}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;color:#fff;
background:#2e7d32}
.badge.shrunk{background:#00796b}.badge.illegible,.badge.truncated,.badge.overflow,.badge.failed{background:#d93025}
ul{margin:6px 0 0;padding-left:18px;color:#b3261e;font-size:13px}
.kind{display:inline-block;border-radius:3px;padding:0 4px;margin-right:4px;font-size:11px;
color:#5b1a14;background:#f6d3cf}
label{display:inline-block;margin:0 14px 14px 0}
body.only-problems .card:not(.warn):not(.failed){display:none}
.card.other-kind{display:none}
"""

#: Shows only the cards whose ``data-kinds`` hold the chosen kind (every card for "").
_KIND_FILTER = ("for(const c of document.querySelectorAll('.card'))c.classList.toggle("
                "'other-kind',this.value!==''&&!(c.dataset.kinds||'').split(' ')"
                ".includes(this.value))")


def _has_problem(outcome: dict[str, Any]) -> bool:
    return outcome["status"] == FAILED or bool(outcome.get("warnings"))


def write_contact_sheet(outdir: Path, log: OutcomeLog, title: str,
                        name: str = "index.html") -> Path:
    """``OUTDIR/index.html``: one card per output, problems in red."""
    c = log.counts
    parts = [f"<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
             f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
             f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{html.escape(title)}</h1><p class='meta'>{c.rendered} rendered · "
             f"{c.unchanged} unchanged · {c.failed} failed · {c.warned} with fit warnings</p>",
             "<label><input type='checkbox' onchange=\"document.body.classList.toggle("
             "'only-problems',this.checked)\"> only failed rows and fit warnings</label>",
             _kind_choice(c.kinds), "<div class='grid'>"]
    for outcome in log:
        parts.append(_card(outdir, outcome))
    parts.append("</div></body></html>\n")
    target = outdir / name
    write_atomic(target, "\n".join(parts).encode("utf-8"))
    return target


def _kind_choice(kinds: dict[str, int]) -> str:
    """A menu of the findings' kinds with how many outputs have each ("" when none)."""
    if not kinds:
        return ""
    options = "".join(f"<option value='{html.escape(kind)}'>{html.escape(kind)} ({count})"
                      "</option>" for kind, count in sorted(kinds.items()) if kind)
    return (f"<label>findings: <select onchange=\"{_KIND_FILTER}\"><option value=''>every kind"
            f"</option>{options}</select></label>")


def _problems(outcome: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, message) of each problem: the error of a failed row, else each finding (a report
    written before findings were typed has only ``warnings``: no kind)."""
    if outcome.get("error"):
        return [("", outcome["error"])]
    if "findings" in outcome:
        return [(f.get("kind", ""), f.get("message", "")) for f in outcome["findings"]]
    return [("", w) for w in outcome.get("warnings") or ()]


def _card(outdir: Path, outcome: dict[str, Any]) -> str:
    status = outcome["status"]
    fit = outcome.get("fit") or ""
    warnings = outcome.get("warnings") or []
    css = "failed" if status == FAILED else ("warn" if warnings else "")
    name = outcome.get("name") or f"row {outcome['row']}"
    files = outcome.get("files") or []
    thumb = outcome.get("thumbnail")
    image = ""
    if thumb and (outdir / thumb).is_file():
        image = thumb
    elif files and Path(files[0]).suffix.lower() in _PICTURES:
        image = files[0]
    link = files[0] if files else None
    figure = f"<img loading='lazy' src='{quote(image)}' alt=''>" if image else \
        "<div style='height:200px;background:#eef1f4'></div>"
    if link:
        figure = f"<a href='{quote(link)}'>{figure}</a>"
    others = " · ".join(f"<a href='{quote(f)}'>{html.escape(Path(f).suffix[1:])}</a>"
                        for f in files)
    badge = f"<span class='badge {html.escape(status if status == FAILED else fit)}'>" \
            f"{html.escape(status if status == FAILED else fit)}</span>"
    items = "".join(f"<li>{_kind_tag(kind)}{html.escape(message)}</li>"
                    for kind, message in _problems(outcome))
    where = " · ".join([f"row {outcome['row']}"] + ([html.escape(outcome["size"])]
                                                      if outcome.get("size") else []))
    kinds = html.escape(" ".join(outcome_kinds(outcome)))
    return (f"<div class='card {css}' data-kinds='{kinds}'>{figure}"
            f"<div class='name'>{html.escape(name)}</div>"
            f"<div class='small'>{where} · {badge} {others}</div>"
            + (f"<ul>{items}</ul>" if items else "") + "</div>")


def _kind_tag(kind: str) -> str:
    return f"<span class='kind'>{html.escape(kind)}</span>" if kind else ""


def _check_note(outcome: dict[str, Any]) -> str:
    """What the PNG sheet asks the reviewer to look at: the text (fit, missing characters, or a
    finding from before kinds were recorded), else each other kind (``qr``, ``contrast`` …)."""
    if not outcome.get("warnings"):
        return ""
    kinds = outcome_kinds(outcome) or [""]
    asks = dict.fromkeys("text" if kind in TEXT_KINDS or not kind else kind for kind in kinds)
    return " · check " + ", ".join(asks)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in (bundled_dir("fonts") / "noto-sans" / "NotoSans-Regular.ttf",):
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default()


def write_contact_pngs(outdir: Path, outcomes: Iterable[dict[str, Any]], columns: int = 6,
                       rows: int = 5, tile: int = 240) -> list[Path]:
    """PNG pages of ``columns`` × ``rows`` thumbnails with name, row and status, problems in red."""
    font, small = _font(15), _font(13)
    label_h, pad = 44, 10
    pages: list[Path] = []
    page: Image.Image | None = None
    slot = 0

    def flush() -> None:
        nonlocal page
        if page is not None:
            used_rows = (slot + columns - 1) // columns
            page = page.crop((0, 0, page.width, used_rows * (tile + label_h + pad) + pad))
            target = outdir / REVIEW_DIR / f"contact-sheet-{len(pages) + 1:03d}.png"
            out = io.BytesIO()
            page.save(out, "PNG", optimize=True)
            write_atomic(target, out.getvalue())
            pages.append(target)
            page = None

    for outcome in outcomes:
        if page is None:
            page = Image.new("RGB", (columns * (tile + pad) + pad,
                                     rows * (tile + label_h + pad) + pad), "#f4f6f8")
            slot = 0
        x = pad + (slot % columns) * (tile + pad)
        y = pad + (slot // columns) * (tile + label_h + pad)
        draw = ImageDraw.Draw(page)
        problem = _has_problem(outcome)
        draw.rectangle([x - 3, y - 3, x + tile + 2, y + tile + label_h + 2],
                       fill="#fde8e6" if problem else "#ffffff",
                       outline="#d93025" if problem else "#d5dbe1", width=3 if problem else 1)
        thumb = outcome.get("thumbnail")
        if thumb and (outdir / thumb).is_file():
            with Image.open(outdir / thumb, formats=("PNG",)) as opened:
                image = opened.convert("RGB")
            image.thumbnail((tile, tile))
            page.paste(image, (x + (tile - image.width) // 2, y + (tile - image.height) // 2))
        elif outcome["status"] == FAILED:
            where = f" · field '{outcome['field']}'" if outcome.get("field") else ""
            draw.text((x + 12, y + 12), f"failed{where}", fill="#b3261e", font=font)
            message = outcome.get("reason") or outcome.get("error") or ""
            for line_no, line in enumerate(textwrap.wrap(message, 30)[:10]):
                draw.text((x + 12, y + 40 + 18 * line_no), line, fill="#1d2733", font=small)
        name = outcome.get("name") or ""
        status = FAILED if outcome["status"] == FAILED else (outcome.get("fit") or "")
        draw.text((x + 4, y + tile + 2), name[:30], fill="#1d2733", font=font)
        draw.text((x + 4, y + tile + 22),
                  f"row {outcome['row']} · {status}" + _check_note(outcome),
                  fill="#b3261e" if problem else "#5b6875", font=small)
        slot += 1
        if slot == columns * rows:
            flush()
    flush()
    return pages
