"""Every error raised on bad input derives from :class:`InfographicError`.

Messages are written for the person who gave the input: they name the layout, the field (and the
row, in a batch) and say what to do. Front ends print ``str(error)`` and never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .findings import Finding


class InfographicError(Exception):
    """Base class of every error this library raises on bad input or unusable resources."""

    def __init__(self, message: str, *, layout: str | None = None, field: str | None = None,
                 row: int | None = None) -> None:
        self.message = message
        self.layout = layout
        self.field = field
        self.row = row
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.layout:
            where.append(f"layout '{self.layout}'")
        if self.field:
            where.append(f"field '{self.field}'")
        return (", ".join(where) + ": " if where else "") + self.message

    def with_row(self, row: int) -> "InfographicError":
        """Return the same error, located at a data row (used by batch front ends)."""
        self.row = row
        self.args = (self._compose(),)
        return self

    def __str__(self) -> str:
        return self._compose()


class LayoutError(InfographicError):
    """The layout is unknown, or its manifest or template is broken."""


class DataError(InfographicError):
    """A data value does not satisfy the layout's manifest."""


class SizeError(InfographicError):
    """The requested size is unknown, malformed or not supported by the layout."""


class FitError(InfographicError):
    """Text cannot fit its box even at the smallest allowed size (or, in strict mode, a
    render found a problem). ``field`` names the slot and ``finding`` says what was found, so
    a front end can report it without rendering again."""

    def __init__(self, message: str, *, layout: str | None = None, field: str | None = None,
                 row: int | None = None, finding: "Finding | None" = None) -> None:
        super().__init__(message, layout=layout, field=field, row=row)
        self.finding = finding


class FontError(InfographicError):
    """A font is missing, unreadable or unknown to the registry."""


class ThemeError(InfographicError):
    """A theme is unknown or malformed."""


class OutputError(InfographicError):
    """The output format is unknown or the file cannot be written."""


class LimitError(InfographicError):
    """The layout or data asks for more than a safety limit allows (``infographic/limits.py``):
    too many pixels, elements, nesting levels, references, image pixels or seconds."""
