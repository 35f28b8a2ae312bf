"""What a render or a check found, typed: ``Finding(kind, severity, slot, message)``.

Front ends filter by ``kind`` (``check`` reports fit problems with their fix and skips them
among the warnings; the batch report and the preview show them); nothing matches on the text
of a message. Kinds used:

* ``fit`` – a slot or chart label truncated, overflowing or set under its role's floor;
* ``missing-glyph`` – a character no bundled font or emoji picture has (drawn as an empty box);
* ``contrast`` – text colour against its background under WCAG AA;
* ``preflight`` – a print check (text size in pt, QR module, photo resolution, safe area);
* ``qr`` – a QR code too small or too pale to scan;
* ``chart-data`` – values a chart had to leave out;
* the geometry checks of ``infographic check`` (``outside-container``, ``overlap``, …).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

#: Kinds about the text itself (cut, overflowing, under its floor, drawn as empty boxes):
#: ``check`` reports these per slot with their fix; the batch's contact sheet says "check text"
#: for these and the kind's name for any other.
TEXT_KINDS = ("fit", "missing-glyph")


@dataclass(frozen=True)
class Finding:
    """One problem a render or a check found: ``kind`` says which check, ``slot`` where (may
    be empty), ``severity`` is ``warning`` or ``error``."""

    kind: str
    severity: str
    slot: str
    message: str

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, item: dict[str, Any]) -> "Finding":
        """A finding read back from JSON (the batch state and report)."""
        return cls(str(item.get("kind", "")), str(item.get("severity", "warning")),
                   str(item.get("slot", "")), str(item.get("message", "")))

