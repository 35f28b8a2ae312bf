"""A horizontal progress bar: a track, the filled part, and the share written beside it."""

from __future__ import annotations

from typing import Any

from .kit import Chart, ChartKit, check_box, finite, rect, resolve_kit, share_text


def progress_bar(value: Any, x: float = 0, y: float = 0, width: float = 600, height: float = 60,
                 *, total: float = 100, label: Any = None, color: str | None = None,
                 format: Any = "percent", show_value: bool = True,
                 font_size: float | None = None, legible: bool = False, theme: Any = None,
                 kit: ChartKit | None = None) -> Chart:
    """``label`` on the left above the bar, the share (``98,5%``) on the right above it; the bar
    fills ``value`` / ``total`` of the track (capped at full, the text keeps the real share).
    ``legible=True`` keeps both texts at or above the kit's caption floor."""
    kit = resolve_kit(kit, theme)
    check_box(kit, "progress-bar", width, height)
    chart = Chart("progress-bar", (x, y, width, height))
    number = finite(value)
    share = number / total if number is not None and total else None
    stroke = kit.color(color, "primary")
    has_text = bool(label) or show_value
    size = font_size or max(14.0, min(30.0, height * 0.36 if has_text else height))
    least = max(size, kit.legible_size) if legible else size * 0.7
    size = max(size, least)
    text_h = kit.line_height(kit.style("body", size)) if has_text else 0.0
    bar_h = max(4.0, height - text_h - (size * 0.3 if has_text else 0))
    bar_y = y + height - bar_h
    radius = min(bar_h / 2, kit.theme.radius)
    chart.add(rect(x, bar_y, width, bar_h, kit.tint(stroke, 0.82), rx=radius, cls="track"))
    if share is not None and share > 0:
        filled = width * min(1.0, share)
        chart.add(rect(x, bar_y, max(filled, min(width, 2 * radius)), bar_h, stroke,
                       rx=radius, cls="progress", share=f"{share:.6f}"))
    value_w = 0.0
    if show_value:
        text = share_text(share, number, format)
        style = kit.style("figures", size, min_size=least, align="right",
                          valign="bottom")
        value_w = min(width * 0.4, kit.measure(text, style) + 4)
        chart.label(kit.label(text, x + width - value_w, y, value_w, text_h, style, "value"))
    if label:
        style = kit.style("body", size, min_size=least, valign="bottom")
        chart.label(kit.label(label, x, y, width - value_w - size * 0.5, text_h, style,
                              "label"))
    return chart
