"""Writers: the laid-out artwork → PNG, JPEG, WebP, PDF or SVG bytes (one table: ``OUTPUTS``)."""

from .writers import (FORMATS, OUTPUTS, OutputFormat, format_for_path, output_format,
                      register_writer, write, write_many)

__all__ = ["FORMATS", "OUTPUTS", "OutputFormat", "format_for_path", "output_format",
           "register_writer", "write", "write_many"]
