"""Which inks a colour of the design prints with: the press profile, black in black ink, the ink limit.

``Inks`` turns the sRGB colours and images of the print PDF into DeviceCMYK values (0–1):

* black and near-black (dark and nearly neutral) text, lines, QR codes and marks → **0/0/0/100**
  (one plate: no misregistration fringes on small type, QR modules stay sharp), printed with
  overprint so that a slightly misregistered background never shows a white gap round them;
* large black areas (both sides ≥ ``LARGE_AREA_MM``) → a **rich black** (``RICH_BLACK``), deeper
  than K alone and well under the ink limit (gradients and tinted dark areas: the profile);
* neutral greys → a **K-only tint** of the same lightness on the press (no colour cast from
  three inks drifting apart);
* white → no ink; every other colour → the press profile, relative colorimetric with black-point
  compensation (LittleCMS through Pillow's ImageCms);
* the **total ink limit** (sum of C+M+Y+K, 300 % by default) is enforced on every colour and image
  pixel by taking C, M and Y down together (K kept), and the largest total is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageMath

#: A colour whose brightest channel is at most this (0–1) and whose channels differ by at most
#: ``NEAR_BLACK_CHROMA`` reads as black: dark slate and navy text colours included.
NEAR_BLACK_MAX = 0.30
NEAR_BLACK_CHROMA = 0.12
#: Channels differing by at most this are a neutral grey (printed as a K tint).
NEUTRAL_CHROMA = 0.02
#: A black fill whose painted box is at least this on both sides is an area: rich black.
LARGE_AREA_MM = 25.0
#: Rich black for large areas: 50/40/40/100 = 230 % (a common shop recipe, under any ink limit
#: in use for coated or uncoated offset).
RICH_BLACK = (0.50, 0.40, 0.40, 1.0)
#: A large near-black area this neutral becomes rich black; a more tinted one (dark navy) is
#: converted through the profile so that it keeps its hue.
RICH_BLACK_CHROMA = 0.04
#: Images are brought this far (percent) under the ink limit: JPEG's rounding moves pixels.
JPEG_INK_MARGIN = 3.0
#: Default total ink limit in percent (ISO 12647-2 coated offset sheets take 300–330 %).
DEFAULT_INK_LIMIT = 300.0

Rgb = tuple[float, float, float]


@lru_cache(maxsize=8)
def _srgb_to(profile: str, mtime_ns: int) -> ImageCms.ImageCmsTransform:
    """sRGB → ``profile`` (relative colorimetric, black-point compensation), built once per
    profile file version: LittleCMS takes ~50 ms to build it."""
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), profile, "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
Cmyk = tuple[float, float, float, float]


def is_near_black(rgb: Rgb) -> bool:
    return max(rgb) <= NEAR_BLACK_MAX and max(rgb) - min(rgb) <= NEAR_BLACK_CHROMA


@dataclass
class Inks:
    """sRGB → press CMYK for one output profile and ink limit (``ink_limit`` in percent)."""

    profile: Path
    ink_limit: float = DEFAULT_INK_LIMIT
    max_ink: float = 0.0  # largest total ink (percent) of anything converted so far
    last_image_cmy: float = 0.0  # largest C+M+Y (percent) of the last image converted
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def _transform(self) -> ImageCms.ImageCmsTransform:
        return _srgb_to(str(self.profile), self.profile.stat().st_mtime_ns)

    @cached_property
    def _k_lightness(self) -> list[float]:
        """L* (0–100) of a K-only tint of 0…100 % on this press, from the profile."""
        to_lab = ImageCms.buildTransform(str(self.profile), ImageCms.createProfile("LAB"),
                                         "CMYK", "LAB",
                                         renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
        ramp = Image.new("CMYK", (101, 1))
        ramp.putdata([(0, 0, 0, round(k * 2.55)) for k in range(101)])
        lab = ImageCms.applyTransform(ramp, to_lab)
        assert lab is not None
        return [lab.getpixel((k, 0))[0] * 100 / 255 for k in range(101)]  # type: ignore[index]

    def _limit(self, cmyk: Cmyk) -> Cmyk:
        c, m, y, k = cmyk
        total = c + m + y + k
        limit = self.ink_limit / 100
        if total > limit and c + m + y > 0:
            scale = max(0.0, limit - k) / (c + m + y)
            c, m, y = c * scale, m * scale, y * scale
        self.max_ink = max(self.max_ink, round((c + m + y + k) * 100, 1))
        return (c, m, y, k)

    def _grey(self, value: float) -> Cmyk:
        """A K tint as light as the sRGB grey ``value`` (0–1) prints through the profile."""
        linear = value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
        lightness = 116 * linear ** (1 / 3) - 16 if linear > 0.008856 else 903.3 * linear
        ramp = self._k_lightness
        white, black = ramp[0], ramp[-1]
        target = black + (white - black) * max(0.0, min(1.0, lightness / 100))
        k = next((i for i, l in enumerate(ramp) if l <= target), 100)
        return (0.0, 0.0, 0.0, k / 100)

    def colour(self, rgb: Rgb, area: bool = False, rules: bool = True) -> Cmyk:
        """The CMYK of a flat sRGB colour; ``area`` for a black painted over a large area;
        ``rules=False`` for gradient stops (the profile only: a blend between stops)."""
        rgb = tuple(max(0.0, min(1.0, float(v))) for v in rgb)  # type: ignore[assignment]
        key = (rgb, area, rules)
        if key not in self._cache:
            self._cache[key] = self._limit(self._convert(rgb, area) if rules
                                           else self._profile_colour(rgb))
        return self._cache[key]

    def _convert(self, rgb: Rgb, area: bool) -> Cmyk:
        if min(rgb) >= 0.995:
            return (0.0, 0.0, 0.0, 0.0)
        if is_near_black(rgb) and not area:
            return (0.0, 0.0, 0.0, 1.0)
        if is_near_black(rgb) and max(rgb) - min(rgb) <= RICH_BLACK_CHROMA:
            return RICH_BLACK  # a tinted near-black area (navy, slate) keeps its hue below
        if max(rgb) - min(rgb) <= NEUTRAL_CHROMA:
            return self._grey(sum(rgb) / 3)
        return self._profile_colour(rgb)

    def _profile_colour(self, rgb: Rgb) -> Cmyk:
        if min(rgb) >= 0.995:
            return (0.0, 0.0, 0.0, 0.0)
        pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in rgb))
        out = apply_transform(self._transform, pixel).getpixel((0, 0))
        return tuple(v / 255 for v in out)  # type: ignore[return-value,union-attr]

    def image(self, rgb: Image.Image) -> Image.Image:
        """An RGB image converted to CMYK through the profile, within the ink limit."""
        cmyk = apply_transform(self._transform, rgb.convert("RGB"))
        c, m, y, k = cmyk.split()
        total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                      c=c, m=m, y=y, k=k)
        peak = total.getextrema()[1] * 100 / 255  # type: ignore[operator]
        # photos stay JPEG: aim a little under the limit so that its rounding cannot pass it
        limit = (self.ink_limit - JPEG_INK_MARGIN) * 255 / 100
        if peak > self.ink_limit - JPEG_INK_MARGIN:  # profile above the limit: less C, M, Y
            def scaled(channel: Image.Image) -> Image.Image:
                return ImageMath.lambda_eval(
                    lambda a: a["convert"](a["min"](
                        a["ch"], a["ch"] * (limit - a["k"]) / a["max"](a["cmy"], 1)), "L"),
                    ch=channel.convert("F"), k=k.convert("F"),
                    cmy=ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"],
                                              c=c, m=m, y=y).convert("F"))
            c, m, y = scaled(c), scaled(m), scaled(y)
            cmyk = Image.merge("CMYK", (c, m, y, k))
            total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"],
                                          c=c, m=m, y=y, k=k)
            peak = total.getextrema()[1] * 100 / 255  # type: ignore[operator]
        self.max_ink = max(self.max_ink, round(peak, 1))
        cmy = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"], c=c, m=m, y=y)
        self.last_image_cmy = cmy.getextrema()[1] * 100 / 255  # type: ignore[operator]
        return cmyk


def apply_transform(transform: ImageCms.ImageCmsTransform, image: Image.Image
                    ) -> Image.Image:
    """``transform`` applied to ``image`` into a new CMYK image. Pillow's ``applyTransform``
    also serialises the output profile into the result's ``info`` on every call (8 ms for a
    1 MB press profile, per colour); the core transform does the pixels alone."""
    out = Image.new("CMYK", image.size)
    core = getattr(transform, "transform", None)
    if core is None or not hasattr(image, "getim"):
        converted = ImageCms.applyTransform(image, transform)
        assert converted is not None
        return converted
    core.apply(image.getim(), out.getim())
    return out


def cmyk_jpeg(image: Image.Image, quality: int = 92) -> bytes:
    """A CMYK image as JPEG bytes for a ``/DCTDecode`` PDF image. Pillow writes an Adobe marker,
    which tells readers (Ghostscript, Acrobat, poppler) the samples are stored inverted, as
    Photoshop does: so the samples are inverted before saving."""
    import io

    out = io.BytesIO()
    ImageChops.invert(image).save(out, "JPEG", quality=quality)
    return out.getvalue()
