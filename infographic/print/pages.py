"""Several pages from one data file: a leaflet per ward, a poster per site.

A data file for a multi-page print holds the fields every page shares and a ``pages`` list with
what changes from page to page::

    kicker: Đường dây nóng
    title: Gọi ngay đường dây nóng khi có dấu hiệu sốt, ho, khó thở
    pages:
      - {footer: "Trạm Y tế phường Phúc Xá", contacts: [...]}
      - {footer: "Trạm Y tế phường Trúc Bạch", contacts: [...]}

A file without ``pages`` is one page.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..artwork import Artwork
from ..errors import DataError, InfographicError
from ..layout.manifest import load_layout
from ..render import render, resolve_size

PAGES_KEY = "pages"


def page_records(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One record per page: the shared fields overlaid with each entry of ``pages``."""
    shared = {k: v for k, v in data.items() if k != PAGES_KEY}
    pages = data.get(PAGES_KEY)
    if pages is None:
        return [shared]
    if not isinstance(pages, list) or not pages:
        raise DataError(f"'{PAGES_KEY}' must be a list with one mapping of fields per page")
    records = []
    for number, page in enumerate(pages, 1):
        if not isinstance(page, Mapping):
            raise DataError(f"'{PAGES_KEY}' entry {number} must be a mapping of field values",
                            row=number)
        records.append({**shared, **page})
    return records


def render_pages(layout: Any, records: Iterable[Mapping[str, Any]], size: str = "a4",
                 theme: Any = None, *, strict: bool = False, assets: Any = None
                 ) -> list[Artwork]:
    """Render ``layout`` once per record at a paper ``size``. The size is checked once, before
    any page; an error of one page of several names it (as a row of the data file's pages)."""
    spec = load_layout(layout)
    resolve_size(spec, size)
    records = list(records)
    arts = []
    for number, record in enumerate(records, 1):
        try:
            arts.append(render(spec, record, size=size, theme=theme, strict=strict,
                               assets=assets))
        except InfographicError as exc:
            raise (exc.with_row(number) if len(records) > 1 else exc) from None
    return arts
