"""Small rasters of an artwork: gallery pictures, golden images and the contrast check."""

from __future__ import annotations

import dataclasses

from PIL import Image

from ..artwork import Artwork
from ..output.writers import rasterize
from ..sizes import Size


def thumbnail(art: Artwork, max_side: int = 480) -> Image.Image:
    """``art`` drawn directly at a smaller pixel size (longest side ``max_side``), as RGB.

    The SVG is vector, so this is a true render at that size rather than a downscaled
    full-size image: a print size renders in milliseconds instead of seconds.
    """
    scale = min(1.0, max_side / max(art.width, art.height))
    size = Size(art.size.name, max(1, round(art.width * scale)),
                max(1, round(art.height * scale)))
    return rasterize(dataclasses.replace(art, size=size, svg=art.svg))
