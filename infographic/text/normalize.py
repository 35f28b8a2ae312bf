"""Clean user text before it is shaped: Unicode NFC, XML-safe characters, tidy white space."""

from __future__ import annotations

import re
import unicodedata

# Characters that XML 1.0 forbids (they make the whole SVG unparseable) and lone surrogates.
_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
# Line separators seen in text pasted from Excel and Word: vertical tab, form feed, U+2028.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028\x85]")
_SPACES = re.compile("[ \t]+")


def clean_text(value: object) -> str:
    """Return ``value`` as NFC text that is safe in XML.

    Vertical tabs and other line separators become ``\\n``; U+2029 becomes a paragraph break
    (``\\n\\n``); other XML-invalid characters are dropped; runs of spaces and tabs collapse to one
    space and every line is stripped. NBSP (U+00A0) is kept: it holds words together.
    """
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\u2029", "\n\n")
    text = _LINE_BREAKS.sub("\n", text)
    text = _XML_INVALID.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def split_paragraphs(text: str) -> list[list[str]]:
    """Split cleaned text into paragraphs (blank-line separated), each a list of hard lines."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return [p.split("\n") for p in paragraphs]
