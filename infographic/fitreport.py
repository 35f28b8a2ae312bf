"""The fit report: what happened to every text slot of a render. Overflow is never silent."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from .findings import Finding
from .text.fit import STATUSES

if TYPE_CHECKING:
    from .checks.preflight import PreflightItem


@dataclass(frozen=True)
class FitEntry:
    slot: str
    status: str  # fit | shrunk | illegible | truncated | overflow
    size: float
    max_size: float
    min_size: float
    lines: int
    max_lines: int | None
    box: tuple[float, float, float, float]  # x, y, width, height in canvas units
    content_height: float
    content_box: tuple[float, float, float, float] = (0, 0, 0, 0)  # where the lines actually are
    missing_chars: tuple[str, ...] = ()
    message: str = ""
    role: str = ""  # display | title | body | label | caption (layout.yaml), "" when undeclared
    floor: float = 0.0  # the role's legible floor in canvas units (0: none)
    ink: tuple[tuple[float, float, float, float], ...] = ()  # each line's ink: x, y, width, height
    drawn: bool = False  # printed into the SVG (a block set only to measure is not)
    container: str = ""  # the card, band or panel it was placed in ("" : found by geometry)
    line_texts: tuple[str, ...] = ()  # each line as placed: where the lines broke


@dataclass(frozen=True)
class Container:
    """A card, band or panel a template drew (``header``, ``footer``, ``card``, ``container``):
    the texts inside it must keep their ink inside its box."""

    name: str
    kind: str  # header | footer | card | panel
    box: tuple[float, float, float, float]  # x, y, width, height in canvas units


@dataclass
class FitReport:
    layout: str
    size: str
    entries: list[FitEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: print sizes only: text size in pt, QR module mm, photo dpi, safe area (infographic/print)
    preflight: list[PreflightItem] = field(default_factory=list)
    containers: list[Container] = field(default_factory=list)
    #: every problem found, typed; ``warnings`` holds their messages (and any added directly)
    findings: list[Finding] = field(default_factory=list)
    #: the charts' labels (values, axes, legends), placed like slots; ``worst`` and ``ok`` are
    #: about the layout's slots, a label's problems are findings
    labels: list[FitEntry] = field(default_factory=list)

    def add(self, kind: str, message: str, slot: str = "", severity: str = "warning"
            ) -> Finding:
        """Record a problem: a :class:`Finding`, whose message also goes to ``warnings``."""
        finding = Finding(kind, severity, slot, message)
        self.findings.append(finding)
        self.warnings.append(message)
        return finding

    def of_kind(self, *kinds: str) -> list[Finding]:
        return [f for f in self.findings if f.kind in kinds]

    @property
    def worst(self) -> str:
        """The worst status over all slots (``fit`` when there is no text)."""
        return max((e.status for e in self.entries), key=STATUSES.index, default="fit")

    @property
    def ok(self) -> bool:
        """True when every slot fits or shrank above its floor and no character is missing."""
        return STATUSES.index(self.worst) <= 1 and not any(e.missing_chars for e in self.entries)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, slot: str) -> FitEntry:
        for entry in self.entries:
            if entry.slot == slot:
                return entry
        raise KeyError(slot)

    def to_dict(self) -> dict:
        return {"layout": self.layout, "size": self.size, "worst": self.worst,
                "entries": [asdict(e) for e in self.entries], "warnings": list(self.warnings),
                "preflight": [asdict(p) for p in self.preflight],
                "findings": [asdict(f) for f in self.findings],
                "labels": [asdict(e) for e in self.labels],
                "containers": [asdict(c) for c in self.containers]}

    def format(self) -> str:
        """A short table for terminals and logs."""
        rows = [f"fit report: layout '{self.layout}', size {self.size}, worst: {self.worst}"]
        for e in self.entries:
            lines = f"{e.lines}" + (f"/{e.max_lines}" if e.max_lines else "")
            rows.append(f"  {e.slot:<18} {e.status:<9} size {e.size:g} (max {e.max_size:g}, "
                        f"min {e.min_size:g})  lines {lines}" + (f"  {e.message}" if e.message else ""))
        if self.labels:
            worst = max((e.status for e in self.labels), key=STATUSES.index)
            rows.append(f"  chart labels: {len(self.labels)}, worst: {worst}")
        rows.extend(f"  preflight {p.status:<7} {p.message}" for p in self.preflight)
        rows.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(rows)
