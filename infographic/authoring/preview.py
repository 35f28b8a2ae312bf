"""Deprecated name of :mod:`infographic.authoring.thumbnails` (it shared a name with the live
preview package, ``infographic.preview``); kept so old imports work."""

from .thumbnails import thumbnail

__all__ = ["thumbnail"]
