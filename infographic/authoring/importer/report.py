"""What an import did, for the designer: which layer became which field, and what to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Match:
    """One marked element: ``layer`` is its name in the editor, ``what`` what it became."""

    drawing: str
    size: str
    layer: str
    element: str  # <text "title-2"> (poster.svg line 40)
    field: str
    what: str  # "text slot 'title'", "list 'tips', card 2", "QR code", "icon 'mask'"…


@dataclass
class ImportReport:
    folder: Path
    sizes: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    fixed_texts: int = 0
    pictures: list[str] = field(default_factory=list)
    #: the bundled theme whose palette the drawing's colours were named after (None: kept)
    theme: str | None = None
    theme_file: Path | None = None
    #: size → the drawing's own texts (field → value): the data that fills the layout to look
    #: like the drawing at that size (the manifest's samples hold what every size can show)
    samples: dict[str, dict] = field(default_factory=dict)

    def format(self) -> str:
        lines = [f"imported {self.folder} — sizes: {', '.join(self.sizes)}"]
        if self.matches:
            lines.append("matched:")
            width = max(len(m.layer) for m in self.matches)
            for m in self.matches:
                lines.append(f"  {m.layer:<{width}}  → {m.what}   [{m.size}: {m.element}]")
        if self.fixed_texts:
            lines.append(f"{self.fixed_texts} unmarked text(s) kept as they are, set from the "
                         "bundled fonts (name a text layer after a field to fill it from data)")
        if self.theme:
            lines.append(f"colours of the {self.theme} theme are written as theme names: the "
                         "layout follows --theme (import with --keep-colours to fix them)")
        if self.theme_file:
            lines.append(f"wrote {self.theme_file}, the drawing's palette as a theme: render "
                         f"with --theme {self.theme_file}")
        for picture in self.pictures:
            lines.append(f"wrote picture {picture}")
        for warning in self.warnings:
            lines.append(f"warning: {warning}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"folder": str(self.folder), "sizes": self.sizes,
                "matches": [m.__dict__ for m in self.matches], "warnings": self.warnings,
                "fixed_texts": self.fixed_texts, "pictures": self.pictures,
                "theme": self.theme,
                "theme_file": str(self.theme_file) if self.theme_file else None}
