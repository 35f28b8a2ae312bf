"""The font registry: (family, weight, style) → font files that ship with the library.

Fonts are never looked up on the machine: every face comes from a folder with a ``font.yaml``
(see ``fonts/README.md``). A :class:`Face` is loaded once per process (HarfBuzz font over an
mmapped blob) and caches each glyph outline the first time it is drawn.
"""

from __future__ import annotations

import atexit
import json
import threading
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Iterable

import uharfbuzz as hb
import yaml

from .. import usercache
from ..cache import LRUCache
from ..errors import FontError
from ..limits import FIT_CACHE_SIZE, FONT_MATCH_CACHE_SIZE
from ..resources import bundled_dir

# Letters whose ink reaches highest and lowest in Vietnamese: stacked capitals and descenders.
_TALL = "ẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰÁÀẢÃĨỈÍÌỸỶÝỲỐỔ"
_LOW = "gjpqyỵỴẠỤỊỌẶỰ"




@dataclass(frozen=True)
class FaceInfo:
    family: str
    weight: int
    style: str
    path: Path
    fallback_only: bool = False


#: Outlines of one face kept between processes (a Vietnamese text uses a few hundred glyphs).
MAX_SAVED_OUTLINES = 2000


class _PathPen:
    """Collects a glyph outline as SVG path data in font units (y up)."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    @staticmethod
    def _pt(point: tuple[float, float]) -> str:
        x, y = point
        return f"{x:g} {y:g}" if float(x).is_integer() and float(y).is_integer() \
            else f"{round(x, 1):g} {round(y, 1):g}"

    def moveTo(self, p):  # noqa: N802 (pen protocol)
        self.parts.append("M" + self._pt(p))

    def lineTo(self, p):  # noqa: N802
        self.parts.append("L" + self._pt(p))

    def curveTo(self, *points):  # noqa: N802
        self.parts.append("C" + " ".join(self._pt(p) for p in points))

    def qCurveTo(self, *points):  # noqa: N802
        # HarfBuzz hands one off-curve point and the on-curve end per call.
        self.parts.append("Q" + " ".join(self._pt(p) for p in points))

    def closePath(self):  # noqa: N802
        self.parts.append("Z")


class Face:
    """A loaded font face: HarfBuzz font, coverage, ink-safe metrics and cached outlines."""

    def __init__(self, info: FaceInfo) -> None:
        self.info = info
        try:
            blob = hb.Blob.from_file_path(str(info.path))
            self.hb_face = hb.Face(blob)
        except Exception as exc:  # HarfBuzz raises plain errors for unreadable files
            raise FontError(f"cannot read font file {info.path}: {exc}") from exc
        self.upem: int = self.hb_face.upem
        self.hb_font = hb.Font(self.hb_face)
        self.codepoints: frozenset[int] = frozenset(self.hb_face.unicodes)
        self._outlines: dict[int, str] | None = None  # read from the per-user cache on first use
        self._extents: dict[int, tuple[int, int, int, int] | None] = {}  # at most one per glyph
        self._saved = 0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<Face {self.info.family} {self.info.weight} {self.info.style}>"

    def has(self, char: str) -> bool:
        return ord(char) in self.codepoints

    @cached_property
    def ascent(self) -> float:
        """Top of the tallest Vietnamese ink or the hhea ascender, whichever is higher (em)."""
        top = self.hb_font.get_font_extents("ltr").ascender
        for char in _TALL:
            gid = self.hb_font.get_nominal_glyph(ord(char))
            if gid:
                top = max(top, self.hb_font.get_glyph_extents(gid).y_bearing)
        return top / self.upem

    @cached_property
    def descent(self) -> float:
        """Lowest descender ink or the hhea descender, whichever is lower (em, negative)."""
        bottom = self.hb_font.get_font_extents("ltr").descender
        for char in _LOW:
            gid = self.hb_font.get_nominal_glyph(ord(char))
            if gid:
                ext = self.hb_font.get_glyph_extents(gid)
                bottom = min(bottom, ext.y_bearing + ext.height)
        return bottom / self.upem

    def ink_extents(self, gid: int) -> tuple[int, int, int, int] | None:
        """HarfBuzz's ink extents of glyph ``gid`` (x bearing, y bearing, width, height; font
        units, y up), or None for a glyph without ink; cached."""
        if gid not in self._extents:
            ext = self.hb_font.get_glyph_extents(gid)
            self._extents[gid] = (None if ext is None or ext.width == 0 or ext.height == 0 else
                                  (ext.x_bearing, ext.y_bearing, ext.width, ext.height))
        return self._extents[gid]

    def outline(self, gid: int) -> str:
        """SVG path data of glyph ``gid`` in font units, y up (cached, and kept per user
        between processes: a one-shot command does not draw the same letters again)."""
        outlines = self._outlines if self._outlines is not None else self._saved_outlines()
        path = outlines.get(gid)
        if path is None:
            pen = _PathPen()
            with self._lock:
                self.hb_font.draw_glyph_with_pen(gid, pen)
            path = "".join(pen.parts)
            outlines[gid] = path
        return path

    def _cache_name(self) -> str:
        info = self.info.path.stat()
        return usercache.key("outlines-1", str(self.info.path), str(info.st_size),
                             str(info.st_mtime_ns))

    def _saved_outlines(self) -> dict[int, str]:
        outlines: dict[int, str] = {}
        try:
            kept = json.loads(usercache.get("font-outlines", self._cache_name()) or b"{}")
            outlines = {int(gid): path for gid, path in kept.items() if isinstance(path, str)}
        except (OSError, ValueError, AttributeError):
            pass
        self._outlines, self._saved = outlines, len(outlines)
        atexit.register(self._save_outlines)
        return outlines

    def _save_outlines(self) -> None:
        outlines = self._outlines or {}
        if len(outlines) > self._saved:
            kept = dict(list(outlines.items())[-MAX_SAVED_OUTLINES:])
            try:
                usercache.put("font-outlines", self._cache_name(), json.dumps(kept).encode())
            except OSError:
                pass


@dataclass
class FontRegistry:
    """Maps (family, weight, style) to faces; builds fallback chains."""

    faces: list[FaceInfo] = field(default_factory=list)
    # Layouts call text() hundreds of times per render: remember what match and fallback_chain
    # found. Keys carry len(faces), so adding fonts invalidates them.
    _found: LRUCache = field(default_factory=lambda: LRUCache(max_items=FONT_MATCH_CACHE_SIZE),
                             repr=False, compare=False)
    #: Fitted short texts by (text, style, box, len(faces)), used by ``text/fit.py``.
    fit_cache: LRUCache = field(default_factory=lambda: LRUCache(max_items=FIT_CACHE_SIZE),
                                repr=False, compare=False)

    def _remember(self, key: tuple, value: object) -> None:
        self._found.put(key, value)

    @classmethod
    def from_dirs(cls, dirs: Iterable[Path]) -> "FontRegistry":
        registry = cls()
        for root in dirs:
            for manifest in sorted(Path(root).glob("*/font.yaml")):
                registry.add_manifest(manifest)
        return registry

    def add_manifest(self, manifest: Path) -> None:
        try:
            spec = yaml.safe_load(manifest.read_text(encoding="utf-8"))
            family = spec["family"]
            for face in spec["faces"]:
                path = manifest.parent / face["file"]
                if not path.is_file():
                    raise FontError(f"{manifest}: font file {face['file']} is missing")
                self.faces.append(FaceInfo(family, int(face.get("weight", 400)),
                                           face.get("style", "normal"), path,
                                           bool(spec.get("fallback_only", False))))
        except (KeyError, TypeError, yaml.YAMLError) as exc:
            raise FontError(f"{manifest}: malformed font manifest ({exc})") from exc

    @property
    def families(self) -> list[str]:
        return list(dict.fromkeys(f.family for f in self.faces))

    @property
    def text_families(self) -> list[str]:
        return list(dict.fromkeys(f.family for f in self.faces if not f.fallback_only))

    def match(self, family: str, weight: int = 400, style: str = "normal") -> Face:
        """The face of ``family`` nearest to ``weight`` and ``style`` (CSS-like matching)."""
        key = ("match", family, weight, style, len(self.faces))
        found = self._found.get(key)
        if isinstance(found, Face):
            return found
        candidates = [f for f in self.faces if f.family.lower() == family.lower()]
        if not candidates:
            raise FontError(f"unknown font family '{family}': bundled families are "
                            f"{', '.join(self.families)}")
        same_style = [f for f in candidates if f.style == style] or candidates
        best = min(same_style, key=lambda f: (abs(f.weight - weight), f.weight < weight))
        face = load_face(best)
        self._remember(key, face)
        return face

    def fallback_chain(self, primary: Face) -> tuple[Face, ...]:
        """``primary``, then the nearest face of every other family, fallback-only faces last."""
        key = ("chain", primary.info, len(self.faces))
        found = self._found.get(key)
        if isinstance(found, tuple):
            return found
        chain = [primary]
        others = [fam for fam in self.families if fam != primary.info.family]
        others.sort(key=lambda fam: self._is_fallback_only(fam))
        for family in others:
            chain.append(self.match(family, primary.info.weight, primary.info.style))
        self._remember(key, tuple(chain))
        return tuple(chain)

    def _is_fallback_only(self, family: str) -> bool:
        return all(f.fallback_only for f in self.faces if f.family == family)


@lru_cache(maxsize=256)  # bounded like every cache: one entry per font file in use
def load_face(info: FaceInfo) -> Face:
    """One loaded :class:`Face` per font file, weight and style, shared by the whole process."""
    return Face(info)


@lru_cache(maxsize=1)
def default_registry() -> FontRegistry:
    """The registry of the fonts bundled with the library."""
    return FontRegistry.from_dirs([bundled_dir("fonts")])
