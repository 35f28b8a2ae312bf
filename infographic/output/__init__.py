"""Writers: the laid-out SVG → PNG, JPEG, WebP, PDF or SVG bytes."""

from .writers import FORMATS, format_for_path, register_writer, write

__all__ = ["FORMATS", "format_for_path", "register_writer", "write"]
