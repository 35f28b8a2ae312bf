"""Joining data rows to map areas by code or by name, the way ward offices write names.

"Phường 9", "P.9", "phuong 9", "P. 09" and "PHƯỜNG 9" are one ward; "Phường Võ Thị Sáu" and
"Võ Thị Sáu" too (when only one area is called that). A name is compared by a key: no diacritics
(đ → d), lower case, the administrative word spelled out (P. → phường, Q. → quận, TX. → thị xã,
TT. → thị trấn, TP. → thành phố, X. → xã), numbers without leading zeros, punctuation dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from .geo import Area

#: Abbreviations of administrative units (already without diacritics) → the spelled-out word.
_UNITS = {"p": "phuong", "f": "phuong", "ph": "phuong", "q": "quan", "x": "xa", "tt": "thi tran",
          "tx": "thi xa", "tp": "thanh pho", "h": "huyen", "t": "tinh"}
#: Spelled-out unit words that may lead a name (longest first).
_PREFIXES = ("thanh pho", "thi tran", "thi xa", "phuong", "quan", "huyen", "tinh", "xa")


def fold(text: str) -> str:
    """Without diacritics, đ as d, case-folded: "Phường" → "phuong"."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D")
                                 .replace("Ð", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").casefold()


def name_key(name: Any) -> str:
    """The comparison key of a place name: ``name_key("P. 09") == name_key("Phường 9")``."""
    return _name_key(str(name))


@lru_cache(maxsize=8192)  # a batch joins the same names, a city's 700 wards, for every render
def _name_key(name: str) -> str:
    text = fold(name).strip()
    # "p.9", "p. 9", "p9", "q.1": a unit abbreviation before a number or a capitalised name
    match = re.match(r"^(tp|tx|tt|ph|p|f|q|x|h|t)\s*\.\s*|^(tp|tx|tt|p|f|q)(?=\s*\d)", text)
    if match:
        unit = match.group(1) or match.group(2)
        text = _UNITS[unit] + " " + text[match.end():]
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\d+", lambda m: str(int(m.group())), text)
    return " ".join(text.split())


#: How maps abbreviate the unit word that leads a name (as written, with diacritics).
_SHORT_UNITS = (("Thị trấn ", "TT. "), ("Thị xã ", "TX. "), ("Thành phố ", "TP. "),
                ("Phường ", "P. "), ("Quận ", "Q. "), ("Huyện ", "H. "), ("Xã ", "X. "))


def abbreviated(name: str) -> str:
    """A place name as a crowded map writes it: "Phường 9" → "P.9", "Phường Võ Thị Sáu" →
    "P. Võ Thị Sáu", "Xã Tân Nhựt" → "X. Tân Nhựt"; other names unchanged."""
    for unit, short in _SHORT_UNITS:
        if name.startswith(unit) and len(name) > len(unit):
            rest = name[len(unit):]
            return short.strip() + rest if rest[0].isdigit() else short + rest
    return name


@lru_cache(maxsize=8192)  # like _name_key: the same names every render of a batch
def bare_key(key: str) -> str:
    """A key without its leading unit word: "phuong vo thi sau" → "vo thi sau"."""
    for prefix in _PREFIXES:
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1:]
    return key


@dataclass
class Join:
    """Which row each area got, and what matched nothing."""

    rows: dict[int, dict[str, Any]] = field(default_factory=dict)  # area index → row
    unmatched_rows: list[str] = field(default_factory=list)        # row names
    areas_without_row: list[str] = field(default_factory=list)     # area names

    def problems(self, what: str) -> list[str]:
        found = []
        if self.unmatched_rows:
            found.append(f"{what}: {len(self.unmatched_rows)} row(s) match no area: "
                         f"{', '.join(self.unmatched_rows[:12])}"
                         f"{' …' if len(self.unmatched_rows) > 12 else ''} (check the names "
                         "or give a code column that matches the map file's codes)")
        if self.areas_without_row:
            found.append(f"{what}: {len(self.areas_without_row)} area(s) have no row, drawn as "
                         f"no data: {', '.join(self.areas_without_row[:12])}"
                         f"{' …' if len(self.areas_without_row) > 12 else ''}")
        return found


@dataclass
class AreaIndex:
    """The areas by code, by name key and by name key without its unit word."""

    by_code: dict[str, int]
    by_name: dict[str, list[int]]
    by_bare: dict[str, list[int]]

    @classmethod
    def of(cls, areas: Sequence[Area]) -> "AreaIndex":
        by_code = {str(a.code).strip().casefold(): i for i, a in enumerate(areas) if a.code}
        by_name: dict[str, list[int]] = {}
        by_bare: dict[str, list[int]] = {}
        for index, area in enumerate(areas):
            full = name_key(area.name)
            by_name.setdefault(full, []).append(index)
            by_bare.setdefault(bare_key(full), []).append(index)
        return cls(by_code, by_name, by_bare)


def join_rows(areas: Sequence[Area], rows: Sequence[dict[str, Any]], *, key: str = "name",
              code: str = "code", index: AreaIndex | None = None) -> Join:
    """Each row joined to an area: by ``code`` when the row has one, else by ``key`` (name).
    A row that matches no area, and an area that no row matches, are listed by name.
    ``index``: the areas' :class:`AreaIndex`, when kept from an earlier join."""
    index = index or AreaIndex.of(areas)
    by_code, by_name, by_bare = index.by_code, index.by_name, index.by_bare
    joined = Join()
    for row in rows:
        found = None
        row_code = row.get(code)
        if row_code not in (None, ""):
            found = by_code.get(str(row_code).strip().casefold())
        name = row.get(key)
        if found is None and name not in (None, ""):
            full = name_key(name)
            bare = bare_key(full)
            # "Võ Thị Sáu" finds "Phường Võ Thị Sáu" and the other way round, but "Quận 9"
            # never finds "Phường 9": a unit word only matches its absence, not another unit
            candidates = (by_name.get(full) or (by_bare.get(full) if bare == full else None)
                          or (by_name.get(bare) if bare != full else None))
            if candidates and len(candidates) == 1:
                found = candidates[0]
        if found is None or found in joined.rows:
            joined.unmatched_rows.append(str(name if name not in (None, "") else row_code))
            continue
        joined.rows[found] = row
    joined.areas_without_row = [a.name for i, a in enumerate(areas) if i not in joined.rows]
    return joined
